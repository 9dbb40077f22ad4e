//! What crosses the session's boundary: commands in, events out. Both are serde-tagged by
//! `type` (kebab-case), so they cross the wasm boundary as plain JS objects
//! (`serde-wasm-bindgen`) and the CLI's `--events` file as JSON lines; `www/protocol.js`
//! names the same types for the page. Non-finite numbers (a diverged model) are NaN/∞ in JS
//! and `null` in JSON: both read as "diverged".

use serde::{Deserialize, Serialize};

use super::trial::Trial;
use crate::backend::Bins;
use crate::train::{Diagnostics, Divergence, EvalPoint, HealthSample, ModelArch, ModelResult, Signal, TrainConfig};

/// What trains: the CPU backend, or a GPU through wgpu (WebGPU in the browser).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub enum BackendKind {
    Cpu,
    Gpu,
}

/// What a person asks for: `auto` takes a GPU when one is there, else the CPU.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(not(target_arch = "wasm32"), derive(clap::ValueEnum))]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub enum BackendChoice {
    #[default]
    Auto,
    Cpu,
    Gpu,
}

/// One file's name (for error messages) and bytes (gzip or raw IDX).
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub struct NamedFile {
    pub name: String,
    #[serde(with = "serde_bytes")]
    #[cfg_attr(feature = "wire-types", ts(type = "Uint8Array"))]
    pub bytes: Vec<u8>,
}

/// An IDX images file and its labels file.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub struct FilePair {
    pub images: NamedFile,
    pub labels: NamedFile,
}

/// What the page (or a test) asks of a session.
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub enum Command {
    /// Train on this data set: `train` is trained on; the sample strip shows images of
    /// `samples` (the test set, which no model trains on) or, without it, of `train`.
    Data {
        name: String,
        fashion: bool,
        train: FilePair,
        samples: Option<FilePair>,
    },
    /// New initializers (ids) and settings (missing fields take the lesson's values): a new
    /// run at step 0, built when the session next ticks, so quick changes build one trainer.
    Configure {
        inits: Vec<String>,
        config: TrainConfig,
    },
    Train,
    Pause,
    /// One training step (when paused).
    Step,
    /// Back to step 0 with the same initial weights.
    Reset,
    /// Continue on another backend, keeping weights, optimizer state and history.
    Backend {
        kind: BackendKind,
    },
    /// Whether per-layer diagnostics are wanted (the page's panel is shown): the session then
    /// pushes them at step 0, after each full validation pass (a chunk of steps ends there),
    /// at the end of a chunk that had a live pass, on pause, after a single step, on reset
    /// and at the end. With `health`, layer health is sampled every
    /// [`super::HEALTH_EVERY`] steps and pushed as `Health` events.
    Watch {
        diagnostics: bool,
        #[serde(default)]
        health: bool,
    },
    /// The run as a file to download (an `Export` event).
    Export {
        format: ExportFormat,
    },
}

/// The files a run exports as, the same as the CLI's `--csv` and `--json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub enum ExportFormat {
    Csv,
    Json,
}

/// A person-facing kind of problem, so the page knows what a later success clears.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub enum ErrorKind {
    /// A data file could not be fetched or parsed; the data in use stays.
    Data,
    /// The settings or initializers cannot make a run.
    Settings,
    /// The backend failed and could not be recovered from.
    Backend,
    /// The page and the worker disagree (a command that does not parse): a bug.
    Internal,
}

/// A few images of each class for the page's sample strip, `rows × cols` bytes each.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub struct Samples {
    pub rows: usize,
    pub cols: usize,
    #[cfg_attr(feature = "wire-types", ts(type = "Array<Uint8Array>"))]
    pub images: Vec<serde_bytes::ByteBuf>,
    pub labels: Vec<u8>,
}

/// What a session tells: everything the page draws and the CLI prints comes from these.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub enum Event {
    /// The backend new steps run on, its name for people, and why it was chosen; `trial`:
    /// the last timing of both backends, where `auto` chose by measurement.
    Backend {
        kind: BackendKind,
        name: String,
        gpu_available: bool,
        reason: String,
        trial: Option<Trial>,
    },
    /// A data set is in use (`samples` only where someone draws them).
    Data {
        name: String,
        fashion: bool,
        count: usize,
        rows: usize,
        cols: usize,
        samples: Option<Samples>,
    },
    /// A new run at step 0: one model per id (an initializer with any settings of its own,
    /// `ModelSpec`), in this order, with each one's equivalent gain
    /// (`Initializer::equivalent_gain` on its first layer), the prediction gallery's
    /// validation images, the bins of each layer's `Health` histograms (for the deepest
    /// model; the last is the logits'), and each model's resolved settings.
    Run {
        inits: Vec<String>,
        labels: Vec<String>,
        gains: Vec<f32>,
        total_steps: usize,
        steps_per_epoch: usize,
        batch_size: usize,
        gallery: Samples,
        health_bins: Vec<Bins>,
        models: Vec<ModelArch>,
    },
    /// Every model's signal through its layers at step `step` (`models[model]`): pushed when
    /// a run is built (step 0, before training), after each full validation pass and on reset.
    Signal {
        step: usize,
        models: Vec<Signal>,
    },
    /// Training metrics of steps `from_step + 1 ..= step`, `[model][step]`, and the speed so
    /// far: images per second of training time, each image through every model.
    Progress {
        from_step: usize,
        step: usize,
        total_steps: usize,
        losses: Vec<Vec<f32>>,
        batch_accuracy: Vec<Vec<f32>>,
        images_per_sec: f64,
    },
    /// Model `model`'s loss turned NaN or ∞ for the first time: where and how (sent once per
    /// model and run, after the `Progress` that carries that step; a `Reset` clears it).
    Diverged {
        model: usize,
        #[serde(flatten)]
        divergence: Divergence,
    },
    /// A validation pass over the held-out images, or over the live subset (`point.subset`).
    Eval {
        point: EvalPoint,
    },
    /// Layer health after step `step`, `layers[model][layer]`.
    Health(HealthSample),
    /// The lesson's table as of the validation pass at `step`.
    Results {
        step: usize,
        results: Vec<ModelResult>,
        finished: bool,
    },
    Running {
        running: bool,
    },
    /// Back at step 0 with the initial weights; the history is cleared.
    Reset {
        total_steps: usize,
    },
    /// The backend failed mid-run and training resumed on the CPU from `from_step` (the last
    /// validation pass, or 0): the history after it is dropped and will be replayed.
    Recovered {
        from_step: usize,
        reason: String,
    },
    /// Per-layer statistics of every model (`layers[model][layer]`), the first layer's
    /// weights as images and the gallery's predictions, at step `step`.
    Diagnostics {
        step: usize,
        #[serde(flatten)]
        diagnostics: Diagnostics,
    },
    /// The run ended: `images` trained (the last partial batch counted as what it was) in
    /// `seconds` of training time.
    Finished {
        steps: usize,
        images: usize,
        seconds: f64,
        images_per_sec: f64,
    },
    /// A problem for people (`message`, shown verbatim). Where it is about one setting,
    /// `setting` names it as `Configure` does (`inits`, or a `TrainConfig` field such as `lr`),
    /// and `init` is the initializer id refused, so a driver can drop or mark exactly that.
    Error {
        kind: ErrorKind,
        message: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "wire-types", ts(optional))]
        setting: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "wire-types", ts(optional))]
        init: Option<String>,
    },
    /// The run so far as the CLI's `--csv` or `--json` file (`crate::export`).
    Export {
        format: ExportFormat,
        content: String,
    },
}
