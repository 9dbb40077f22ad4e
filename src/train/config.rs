//! What defines a run: the settings (the lesson's by default), their checks against the data,
//! and the memory they would allocate.

use serde::{Deserialize, Serialize};

use super::spec::{ModelArch, ModelSpec, check_widths, format_widths};
use super::{EVAL_ROWS, TrainError};
use crate::backend::Activation;
use crate::data::CLASSES;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(not(target_arch = "wasm32"), derive(clap::ValueEnum))]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub enum Optimizer {
    Adam,
    Sgd,
}

/// Everything that defines a run; the default is the lesson's experiment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub struct TrainConfig {
    pub epochs: usize,
    pub batch_size: usize,
    #[serde(serialize_with = "shortest_decimal")]
    pub lr: f32,
    pub optimizer: Optimizer,
    /// SGD's momentum μ in [0, 1), PyTorch's semantics (0: plain SGD); must be 0 with Adam.
    #[serde(serialize_with = "shortest_decimal")]
    pub momentum: f32,
    /// Drop probability after each hidden layer.
    #[serde(serialize_with = "shortest_decimal")]
    pub dropout: f32,
    /// Hidden layer widths, input side first: 1 to 32 layers of 1 to 1,024 units.
    pub hidden: Vec<usize>,
    /// The hidden layers' activation.
    pub activation: Activation,
    pub seed: u64,
    /// Validate every this many steps as well as after every epoch (0: after epochs only).
    pub eval_every: usize,
    /// Validate with dropout still on, as the lesson's published numbers were.
    pub dropout_at_eval: bool,
    /// Validation images of the fixed live subset, validated early and often (after steps
    /// 10, 25, 50, 100 and every 200) so that the accuracy curves start within seconds; 0: off.
    pub live_validation: usize,
    /// The share of the training file held out for validation.
    #[serde(serialize_with = "shortest_decimal")]
    pub val_fraction: f32,
}

/// An `f32` setting as the decimal a person wrote (0.001), not its widened binary value
/// (0.0010000000474974513), which a page would show in its inputs.
pub(super) fn shortest_decimal<S: serde::Serializer>(v: &f32, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(v.to_string().parse().unwrap_or(*v as f64))
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 2,
            batch_size: 100,
            lr: 0.001,
            optimizer: Optimizer::Adam,
            momentum: 0.0,
            dropout: 0.2,
            hidden: vec![256, 128],
            activation: Activation::Relu,
            seed: 0,
            eval_every: 0,
            dropout_at_eval: false,
            live_validation: 2000,
            val_fraction: 0.2,
        }
    }
}

/// The most memory a run may allocate, by [`MemoryEstimate::total`]. Natively 4 GiB: a
/// lesson run takes about 115 MB, and beyond this a mistyped setting would swap or abort
/// the machine rather than train. In the browser 2 GiB: half of wasm32's whole 4 GiB address
/// space, which also holds the data set as parsed and the page's own memory.
#[cfg(not(target_arch = "wasm32"))]
pub const MEMORY_LIMIT: u64 = 4 << 30;
#[cfg(target_arch = "wasm32")]
pub const MEMORY_LIMIT: u64 = 2 << 30;

/// The most training steps a run can count: Adam's bias correction takes the step as an i32.
pub const MAX_STEPS: usize = i32::MAX as usize;

/// What a run allocates, in bytes, before training starts (see
/// [`TrainConfig::memory_estimate`]); every sum saturates at `u64::MAX`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemoryEstimate {
    /// Per model and parameter, 8 f32: weights, gradients, Adam's two moments, the weights
    /// before an update that layer health compares with (when sampled), and the
    /// host checkpoint's copy of weights and moments.
    pub parameters: u64,
    /// Each stack's input batch and labels, and per model every layer's outputs and their
    /// gradients, for the largest batch a pass takes (the batch size, or the validation's).
    pub activations: u64,
    /// The images and labels as the backend keeps them: a byte per pixel and per label.
    pub data: u64,
}

impl MemoryEstimate {
    /// All three parts, in bytes (saturating).
    pub fn total(&self) -> u64 {
        self.parameters.saturating_add(self.activations).saturating_add(self.data)
    }
}

impl TrainConfig {
    /// The images held out for validation out of `images`: `images × val_fraction`, rounded.
    pub fn val_count(&self, images: usize) -> usize {
        (images as f64 * self.val_fraction as f64).round() as usize
    }

    /// The memory a run of these settings allocates for `models` models of the run's own
    /// hidden widths on `images` images of `pixels_per_image` pixels.
    pub fn memory_estimate(&self, models: usize, images: usize, pixels_per_image: usize) -> MemoryEstimate {
        self.memory_estimate_of(&vec![self.hidden.as_slice(); models], 1, images, pixels_per_image)
    }

    /// The memory a run allocates for one model of each hidden widths of `models`, in
    /// `stacks` stacks (each has its own input batch).
    fn memory_estimate_of(
        &self,
        models: &[&[usize]],
        stacks: usize,
        images: usize,
        pixels_per_image: usize,
    ) -> MemoryEstimate {
        let n = |x: usize| x as u64;
        let rows = n(self.batch_size.max(EVAL_ROWS));
        // Per model: weights and biases, and the summed widths of every layer's output.
        let (params, widths) = models.iter().fold((0u64, 0u64), |(params, widths), hidden| {
            let p = parameters(hidden, pixels_per_image);
            let w = hidden.iter().fold(n(CLASSES), |sum, &w| sum.saturating_add(n(w)));
            (params.saturating_add(p), widths.saturating_add(w))
        });
        let floats = |count: u64| count.saturating_mul(4);
        let inputs = rows.saturating_mul(n(pixels_per_image) + 1).saturating_mul(n(stacks));
        MemoryEstimate {
            parameters: floats(params.saturating_mul(8)),
            activations: floats(inputs.saturating_add(rows.saturating_mul(widths).saturating_mul(2))),
            data: n(images).saturating_mul(n(pixels_per_image) + 1),
        }
    }

    /// Checks every setting against the run it would make, before anything is allocated:
    /// one model per entry of `models` (initializers, or [`ModelSpec`]s with their own
    /// settings), on `images` images of `pixels_per_image` pixels (the validation share held
    /// out of them). `Trainer::new` calls it.
    ///
    /// # Errors
    /// [`TrainError::Config`], naming the setting, its value and what it must be: no
    /// model, or an initializer whose parameters [`Initializer::check`] refuses; epochs or
    /// batch size of 0; hidden widths outside 1–32 layers of 1–1,024 units; a learning
    /// rate that is not a positive number; momentum outside [0, 1) or with Adam; dropout
    /// outside [0, 1); a validation share that leaves no training or no validation image;
    /// a batch larger than the training images; more than [`MAX_STEPS`] steps; or a
    /// [`memory_estimate`](Self::memory_estimate) over [`MEMORY_LIMIT`]. A model's own
    /// setting that is wrong is reported as `inits`, with its id.
    ///
    /// [`Initializer::check`]: crate::init::Initializer::check
    pub fn validate<M: Clone + Into<ModelSpec>>(
        &self,
        models: &[M],
        images: usize,
        pixels_per_image: usize,
    ) -> Result<(), TrainError> {
        let bad = |setting: &'static str, message: String| {
            Err(TrainError::Config { setting: Some(setting), init: None, message })
        };
        let models: Vec<ModelSpec> = models.iter().cloned().map(Into::into).collect();
        if models.is_empty() {
            return bad("inits", "choose at least one initializer".into());
        }
        if let Some(err) = models.iter().find_map(|m| m.init.check().err()) {
            return Err(TrainError::Config {
                setting: Some("inits"),
                init: err.id().map(String::from),
                message: err.to_string(),
            });
        }
        if let Err(problem) = check_widths(&self.hidden) {
            return bad("hidden", format!("hidden layers: {problem}"));
        }
        if !(0.0..1.0).contains(&self.momentum) {
            return bad("momentum", format!("the momentum must be in [0, 1), not {}", self.momentum));
        }
        if self.momentum != 0.0 && self.optimizer == Optimizer::Adam {
            return bad(
                "momentum",
                format!(
                    "momentum ({}) is SGD's; Adam keeps its own (β₁ = 0.9): set the momentum to 0 or choose SGD",
                    self.momentum
                ),
            );
        }
        if self.epochs == 0 {
            return bad("epochs", format!("epochs ({}) must be at least 1", self.epochs));
        }
        if self.batch_size == 0 {
            return bad("batch_size", format!("the batch size ({}) must be at least 1", self.batch_size));
        }
        if !(self.lr.is_finite() && self.lr > 0.0) {
            return bad("lr", format!("the learning rate must be a positive number, not {}", self.lr));
        }
        if !(0.0..1.0).contains(&self.dropout) {
            return bad("dropout", format!("the dropout probability must be in [0, 1), not {}", self.dropout));
        }
        if pixels_per_image == 0 {
            return Err(TrainError::Config { setting: None, init: None, message: "the images have no pixels".into() });
        }
        let val_count = self.val_count(images);
        if !(self.val_fraction > 0.0 && self.val_fraction < 1.0) || val_count == 0 || val_count >= images {
            return bad(
                "val_fraction",
                format!(
                    "holding out {} of {images} images for validation leaves no training or no validation images \
                 (the share must be in (0, 1) and leave at least one image on each side)",
                    self.val_fraction
                ),
            );
        }
        let train = images - val_count;
        if self.batch_size > train {
            return bad(
                "batch_size",
                format!(
                    "the batch size ({}) is larger than the {train} training images \
                 ({images} images, {val_count} held out for validation); use at most {train}",
                    self.batch_size
                ),
            );
        }
        let steps = train.div_ceil(self.batch_size).checked_mul(self.epochs).filter(|&s| s <= MAX_STEPS);
        if steps.is_none() {
            return bad(
                "epochs",
                format!(
                    "{} epochs of {} steps ({train} training images in batches of {}) are more than the {MAX_STEPS} \
                 steps a run can count; train fewer epochs or use larger batches",
                    self.epochs,
                    train.div_ceil(self.batch_size),
                    self.batch_size
                ),
            );
        }
        let archs: Vec<ModelArch> = models.iter().map(|m| m.arch(self)).collect();
        for (model, arch) in models.iter().zip(&archs) {
            let problem = check_widths(&arch.hidden)
                .err()
                .map(|p| format!("hidden layers: {p}"))
                .or_else(|| {
                    (!(0.0..1.0).contains(&arch.momentum))
                        .then(|| format!("the momentum must be in [0, 1), not {}", arch.momentum))
                })
                .or_else(|| {
                    (arch.momentum != 0.0 && arch.optimizer == Optimizer::Adam)
                        .then(|| "momentum is SGD's; Adam keeps its own (β₁ = 0.9)".to_string())
                })
                .or_else(|| {
                    (!(arch.lr.is_finite() && arch.lr > 0.0))
                        .then(|| format!("the learning rate must be a positive number, not {}", arch.lr))
                });
            if let Some(problem) = problem.filter(|_| model.overrides != Default::default()) {
                let id = model.id();
                return Err(TrainError::Config {
                    setting: Some("inits"),
                    message: format!("model `{id}`: {problem}"),
                    init: Some(id),
                });
            }
        }
        let hidden: Vec<&[usize]> = archs.iter().map(|a| a.hidden.as_slice()).collect();
        let stacks = super::group::Group::plan(&models, self).len();
        let memory = self.memory_estimate_of(&hidden, stacks, images, pixels_per_image);
        if memory.total() > MEMORY_LIMIT {
            let message = format!(
                "the run would allocate about {} — more than the {} limit: {} for the parameters and optimizer \
                 state of {} model(s) (hidden layers {}), {} for batches of {} rows through them (batch size {}), \
                 {} for the data; lower the batch size, the hidden layer sizes or the number of models",
                bytes(memory.total()),
                bytes(MEMORY_LIMIT),
                bytes(memory.parameters),
                models.len(),
                format_widths(&self.hidden, ","),
                bytes(memory.activations),
                self.batch_size.max(EVAL_ROWS),
                self.batch_size,
                bytes(memory.data),
            );
            // Named after the larger part: the networks' size (the largest model's own widths
            // where its id sets them), or the rows through them.
            if memory.parameters < memory.activations {
                return bad("batch_size", message);
            }
            // The first of the largest (`max_by_key` keeps the last of equals).
            let largest = models.iter().zip(&hidden).rev().max_by_key(|(_, h)| parameters(h, pixels_per_image));
            return match largest {
                Some((model, _)) if model.overrides.hidden.is_some() => {
                    Err(TrainError::Config { setting: Some("inits"), init: Some(model.id()), message })
                }
                _ => bad("hidden", message),
            };
        }
        Ok(())
    }
}

/// Weights and biases of one model of `hidden` widths on `inputs` pixels (saturating).
fn parameters(hidden: &[usize], inputs: usize) -> u64 {
    let sizes: Vec<u64> =
        std::iter::once(inputs).chain(hidden.iter().copied()).chain([CLASSES]).map(|x| x as u64).collect();
    sizes.windows(2).fold(0u64, |sum, w| sum.saturating_add(w[0].saturating_mul(w[1]).saturating_add(w[1])))
}

/// A byte count for a message, in binary units: `512 B`, `3.4 MiB`, `4.0 GiB`.
pub(super) fn bytes(count: u64) -> String {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if count < 1024 {
        return format!("{count} B");
    }
    let mut value = count as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}
