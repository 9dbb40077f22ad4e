//! The wasm-bindgen API the Web Worker (`www/worker.js`) drives. Thin on purpose: it converts
//! JS values and JSON to the engine's types, calls `train.rs`, and hands back JSON; every
//! engine error becomes a JS `Error` carrying the engine's own message.
//!
//! Calls that await (`Device.gpu`, `Lab.run`, `Lab.switchBackend`, `Lab.diagnosticsJson`) hold
//! their object for the whole await: the worker makes one call at a time.

use std::sync::Arc;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::backend::Backend;
use crate::backend::cpu::CpuBackend;
use crate::backend::gpu::GpuBackend;
use crate::data::{Dataset, FASHION_CLASSES};
use crate::init::Initializer;
use crate::train::{EvalPoint, TrainConfig, Trainer};

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

#[derive(Serialize)]
struct InitInfo {
    id: String,
    label: String,
    formula: String,
}

/// What the page needs before any training: every initializer (in a stable order, which
/// the page uses for colours), the lesson's preset, and the class names of Fashion-MNIST.
#[derive(Serialize)]
struct Catalog {
    initializers: Vec<InitInfo>,
    lesson_inits: Vec<String>,
    lesson_config: TrainConfig,
    fashion_classes: [&'static str; 10],
}

/// The catalog as JSON (see `Catalog`).
#[wasm_bindgen(js_name = catalogJson)]
pub fn catalog_json() -> Result<String, JsError> {
    let catalog = Catalog {
        initializers: Initializer::all()
            .iter()
            .map(|i| InitInfo { id: i.id(), label: i.label(), formula: i.formula() })
            .collect(),
        lesson_inits: Initializer::lesson().iter().map(Initializer::id).collect(),
        lesson_config: TrainConfig::default(),
        fashion_classes: FASHION_CLASSES,
    };
    Ok(serde_json::to_string(&catalog)?)
}

/// A parsed image set with its labels.
#[wasm_bindgen]
pub struct Data {
    set: Arc<Dataset>,
}

#[wasm_bindgen]
impl Data {
    /// Parses an IDX images file and its labels file (gzip or raw); the names are only used
    /// in error messages.
    pub fn parse(images_name: &str, images: &[u8], labels_name: &str, labels: &[u8]) -> Result<Data, JsError> {
        let set = Dataset::from_idx(images_name, images, labels_name, labels)?;
        Ok(Data { set: Arc::new(set) })
    }

    pub fn count(&self) -> usize {
        self.set.len()
    }

    pub fn rows(&self) -> usize {
        self.set.rows
    }

    pub fn cols(&self) -> usize {
        self.set.cols
    }

    /// Every label, one byte per image.
    pub fn labels(&self) -> Vec<u8> {
        self.set.labels.clone()
    }

    /// The pixels of image `index`, `rows × cols` bytes.
    pub fn image(&self, index: usize) -> Result<Vec<u8>, JsError> {
        if index >= self.set.len() {
            return Err(JsError::new(&format!("image {index} is out of range: the set has {} images", self.set.len())));
        }
        Ok(self.set.image(index).to_vec())
    }
}

/// What runs the math, chosen before a `Lab` is made or switched (which consumes it).
#[wasm_bindgen]
pub struct Device {
    kind: DeviceKind,
}

enum DeviceKind {
    Cpu(CpuBackend),
    Gpu(Box<GpuBackend>),
}

impl Device {
    fn into_backend(self) -> Box<dyn Backend> {
        match self.kind {
            DeviceKind::Cpu(cpu) => Box::new(cpu),
            DeviceKind::Gpu(gpu) => gpu,
        }
    }
}

#[wasm_bindgen]
impl Device {
    /// The CPU backend (one thread: the worker is the thread).
    pub fn cpu() -> Device {
        Device { kind: DeviceKind::Cpu(CpuBackend::new(1)) }
    }

    /// The WebGPU backend; fails with the reason when no adapter or device can be had.
    pub async fn gpu() -> Result<Device, JsError> {
        Ok(Device { kind: DeviceKind::Gpu(Box::new(GpuBackend::new().await?)) })
    }

    /// A new, empty device of the same kind for the next `Lab`; on the GPU it shares the
    /// opened device and the compiled kernels, so it costs nothing to make.
    pub fn sibling(&self) -> Device {
        match &self.kind {
            DeviceKind::Cpu(_) => Device::cpu(),
            DeviceKind::Gpu(gpu) => Device { kind: DeviceKind::Gpu(Box::new(gpu.sibling())) },
        }
    }

    pub fn name(&self) -> String {
        match &self.kind {
            DeviceKind::Cpu(cpu) => cpu.name(),
            DeviceKind::Gpu(gpu) => gpu.name(),
        }
    }
}

/// A trainer: one model per initializer, stepped side by side.
#[wasm_bindgen]
pub struct Lab {
    trainer: Trainer,
}

/// The metrics not yet sent to the page. Non-finite losses (a diverged model) become JSON
/// `null`, which the charts draw as gaps and the table as "diverged".
#[derive(Serialize)]
struct Progress<'a> {
    step: usize,
    total: usize,
    finished: bool,
    from_step: usize,
    losses: Vec<&'a [f32]>,
    evals: &'a [EvalPoint],
}

#[wasm_bindgen]
impl Lab {
    /// `inits` are initializer ids; `config_json` is a (partial) `TrainConfig` as JSON, the
    /// missing fields taking the lesson's values. Consumes `device`.
    #[wasm_bindgen(constructor)]
    pub fn new(data: &Data, device: Device, inits: Vec<String>, config_json: &str) -> Result<Lab, JsError> {
        let inits = inits.iter().map(|id| Initializer::parse(id)).collect::<Result<Vec<_>, _>>()?;
        let config: TrainConfig = serde_json::from_str(config_json)
            .map_err(|err| JsError::new(&format!("invalid training settings: {err}")))?;
        let trainer = Trainer::new(device.into_backend(), Arc::clone(&data.set), &inits, config)?;
        Ok(Lab { trainer })
    }

    /// Runs up to `max_steps` more steps (validating when due); resolves to the steps run.
    pub async fn run(&mut self, max_steps: usize) -> Result<usize, JsError> {
        Ok(self.trainer.run(max_steps).await?)
    }

    /// Back to step 0 with the same initial weights; the history is cleared.
    pub fn reset(&mut self) {
        self.trainer.reset();
    }

    /// Continues on `device`, keeping weights, optimizer state, step and history.
    #[wasm_bindgen(js_name = switchBackend)]
    pub async fn switch_backend(&mut self, device: Device) -> Result<(), JsError> {
        Ok(self.trainer.switch_backend(device.into_backend()).await?)
    }

    /// Continues on `device` after the current backend failed (a lost GPU can no longer be
    /// read): from the last validation pass, or from step 0. Returns that step; the history
    /// after it is dropped and will be replayed.
    pub fn recover(&mut self, device: Device) -> usize {
        self.trainer.recover(device.into_backend())
    }

    #[wasm_bindgen(js_name = backendName)]
    pub fn backend_name(&self) -> String {
        self.trainer.backend_name()
    }

    #[wasm_bindgen(js_name = stepsDone)]
    pub fn steps_done(&self) -> usize {
        self.trainer.steps_done()
    }

    #[wasm_bindgen(js_name = totalSteps)]
    pub fn total_steps(&self) -> usize {
        self.trainer.total_steps()
    }

    #[wasm_bindgen(js_name = isFinished)]
    pub fn is_finished(&self) -> bool {
        self.trainer.is_finished()
    }

    /// The metrics after step `from_step` and eval `from_eval` (see `Progress`), as JSON.
    #[wasm_bindgen(js_name = progressJson)]
    pub fn progress_json(&self, from_step: usize, from_eval: usize) -> Result<String, JsError> {
        let history = self.trainer.history();
        let progress = Progress {
            step: self.trainer.steps_done(),
            total: self.trainer.total_steps(),
            finished: self.trainer.is_finished(),
            from_step,
            losses: history.losses.iter().map(|l| &l[from_step.min(l.len())..]).collect(),
            evals: &history.evals[from_eval.min(history.evals.len())..],
        };
        Ok(serde_json::to_string(&progress)?)
    }

    /// Per-layer diagnostics of every model (`[model][layer]`, see `stats::LayerStats`) on the
    /// fixed probe batch, as JSON; non-finite numbers (a diverged model) become `null`. It reads
    /// every weight back (about 1 MB per model), so the worker asks at checkpoints, never per chunk.
    #[wasm_bindgen(js_name = diagnosticsJson)]
    pub async fn diagnostics_json(&mut self) -> Result<String, JsError> {
        Ok(serde_json::to_string(&self.trainer.diagnostics().await?)?)
    }

    /// The lesson's table, one row per model, as JSON.
    #[wasm_bindgen(js_name = resultsJson)]
    pub fn results_json(&self) -> Result<String, JsError> {
        Ok(serde_json::to_string(&self.trainer.results())?)
    }
}
