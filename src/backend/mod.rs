//! What runs the math, for a *stack* of models: [`TrainOps`], the buffers and the few tensor
//! operations one training step needs, and [`ViewOps`], the reductions behind the views;
//! [`Backend`] is both. The CPU backend (`cpu`, with the reductions on slices in [`reduce`])
//! is the reference; the GPU backend (`gpu`) runs one WGSL kernel per operation.
//!
//! Every tensor carries a model dimension first: `[models][rows][cols]`, row-major and
//! contiguous, so the N models of a comparison are stepped by the same calls (one dispatch
//! each on the GPU). The input batch is the exception: all models share it (`Gemm::shared_a`).
//! Buffers are opaque handles owned by the backend; only `read` brings numbers back, as a
//! future, because a browser GPU cannot be waited on synchronously.

pub mod activation;
pub mod cpu;
mod cpu_elementwise;
mod cpu_views;
pub mod dropout;
pub mod gemm;
pub mod gpu;
pub mod reduce;

use std::future::Future;
use std::pin::Pin;

/// Handle to a buffer of `f32` owned by a backend (labels are stored as `f32` class numbers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Buf(pub(crate) u32);

/// Handle to a data set resident on the backend: `u8` pixels and `u8` labels, uploaded once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DataId(pub(crate) u32);

/// A batched matrix product, one per model: `C[m×n] = op(A)[m×k] · op(B)[k×n]`.
///
/// With `trans_a` the stored A is `[k×m]` (else `[m×k]`); with `trans_b` the stored B is
/// `[n×k]` (else `[k×n]`). With `shared_a` there is a single A for every model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gemm {
    pub models: usize,
    pub m: usize,
    pub n: usize,
    pub k: usize,
    pub trans_a: bool,
    pub trans_b: bool,
    pub shared_a: bool,
}

/// The shape of a stacked activation tensor: `[models][rows][cols]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    pub models: usize,
    pub rows: usize,
    pub cols: usize,
}

impl Shape {
    pub fn len(&self) -> usize {
        self.models * self.rows * self.cols
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

pub use activation::Activation;

/// Inverted dropout: keep an element with probability `1 - p` and scale it by `1 / (1 - p)`.
/// The mask comes from [`dropout::keep`] at the element's index within one model's
/// `[rows][cols]`, so every model of the stack sees the same mask.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dropout {
    pub p: f32,
    pub seed: u32,
    /// Distinguishes the masks of different steps and layers.
    pub stream: u32,
}

impl Dropout {
    /// The factor a kept element is scaled by, `1 / (1 − p)`.
    pub fn scale(&self) -> f32 {
        1.0 / (1.0 - self.p)
    }
}

/// One step of stochastic gradient descent with PyTorch's semantics (no dampening, no
/// Nesterov): with momentum μ > 0 the velocity is `v ← μ·v + g` and `p ← p − lr·v`; with
/// μ = 0, `p ← p − lr·g` and no velocity is kept.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SgdStep {
    pub lr: f32,
    pub momentum: f32,
}

/// One Adam step with PyTorch's semantics; the bias corrections are computed on the host.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdamStep {
    pub lr: f32,
    pub beta1: f32,
    pub beta2: f32,
    pub eps: f32,
    /// `1 - beta1^t`
    pub bias_correction1: f32,
    /// `1 - beta2^t`
    pub bias_correction2: f32,
}

/// Where a per-model reduction writes in its output buffer: model `m`'s values start at
/// `offset + m * stride`, so that the statistics of many layers and steps share one buffer
/// and come back in one read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    pub offset: usize,
    pub stride: usize,
}

/// `count` equal-width histogram bins over `[lo, hi)` of the values, or of
/// [`reduce::symlog`] of them; values outside fall in the end bins. With
/// `data_range`, `lo` and `hi` are instead each model's smallest and largest finite value
/// (all in the first bin when they are equal).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub struct Bins {
    pub lo: f32,
    pub hi: f32,
    pub count: usize,
    pub symlog: bool,
    pub data_range: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    #[error("no GPU adapter found: {0}")]
    NoAdapter(String),
    #[error("could not open the GPU device: {0}")]
    Device(String),
    #[error("GPU shader `{kernel}` failed to compile: {message}")]
    Shader { kernel: String, message: String },
    #[error("reading a result back from the GPU failed: {0}")]
    Readback(String),
    #[error("the GPU device was lost: {0}")]
    DeviceLost(String),
}

/// Counts of a GPU backend's work since it was made: kernel dispatches recorded, and queue
/// submissions (one per read back, or per ring filled).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeviceWork {
    pub dispatches: u64,
    pub submits: u64,
}

pub type ReadFuture = Pin<Box<dyn Future<Output = Result<Vec<f32>, BackendError>>>>;

/// The buffers, and the operations of forward, backward and optimizer steps: what the model
/// and the trainer need. Calls are recorded in order; a backend may run them later, but
/// `read` sees the effect of every call before it (a [`ViewOps`] call's too).
pub trait TrainOps {
    /// What runs the math, for people: "CPU (2 threads)" or the GPU adapter's name.
    fn name(&self) -> String;

    /// The most floats one buffer can hold here: a GPU binds each buffer whole, and a device
    /// has a largest binding (WebGPU's default is 128 MiB). Unlimited on the CPU.
    fn max_buffer_len(&self) -> usize {
        usize::MAX
    }

    /// Work handed to a device so far (`None` on the CPU, which runs each call at once).
    fn device_work(&self) -> Option<DeviceWork> {
        None
    }

    /// A zero-filled buffer of `len` floats.
    fn alloc(&mut self, len: usize) -> Buf;
    fn write(&mut self, buf: Buf, data: &[f32]);
    fn fill(&mut self, buf: Buf, value: f32);
    /// Copies `len` floats from the start of `src` to `dst` at `dst_offset`.
    fn copy(&mut self, src: Buf, dst: Buf, dst_offset: usize, len: usize);
    /// The whole buffer, once every call recorded before it has run.
    fn read(&mut self, buf: Buf) -> ReadFuture;

    /// Keeps a data set resident: `pixels` is `count × pixels_per_image` bytes, `labels` `count`.
    fn upload_data(&mut self, pixels: &[u8], labels: &[u8], pixels_per_image: usize) -> DataId;
    /// Writes images `indices` as floats in [0, 1] to `x` (`[indices.len()][pixels]`) and their
    /// labels to `labels`.
    fn gather(&mut self, data: DataId, indices: &[u32], x: Buf, labels: Buf);

    fn gemm(&mut self, g: &Gemm, a: Buf, b: Buf, c: Buf);
    /// In place: `z = dropout(act(z + bias))`, with `bias` of shape `[models][cols]`.
    fn bias_act(&mut self, z: Buf, bias: Buf, s: Shape, act: Activation, dropout: Option<Dropout>);
    /// In place, the backward pass of `bias_act` given its output `out`: `grad = 0` where
    /// `dropout` dropped the element, else `grad *= φ'(y)·scale` with `y = out·(1 − p)` the
    /// output before dropout's scale ([`Activation::slope_from_output`]; `scale = 1/(1 − p)`,
    /// 1 without dropout).
    fn act_backward(&mut self, grad: Buf, out: Buf, s: Shape, act: Activation, dropout: Option<Dropout>);
    /// `out[model][col] = Σ_rows x[model][row][col]` — bias gradients.
    fn col_sum(&mut self, x: Buf, s: Shape, out: Buf);
    /// Softmax cross-entropy of `logits` (`s.cols` classes) against `labels` (`[rows]`).
    /// Adds each model's summed loss and count of correct predictions to
    /// `stats[(slot * models + model) * 2 + {0, 1}]`. With `grad`, also writes
    /// `(softmax - onehot) / rows`, the gradient of the mean loss.
    fn softmax_xent(&mut self, logits: Buf, labels: Buf, s: Shape, grad: Option<Buf>, stats: Buf, slot: usize);
    /// Adam on `len` parameters, in place on `param`, `m` and `v`.
    fn adam(&mut self, param: Buf, grad: Buf, m: Buf, v: Buf, len: usize, step: &AdamStep);
    /// SGD on `len` parameters, in place on `param` and, with momentum, on its `velocity`
    /// (`len` floats; not read or written without momentum).
    fn sgd(&mut self, param: Buf, grad: Buf, velocity: Buf, len: usize, step: &SgdStep);
}

/// The reductions behind the views: each reads buffers of a [`TrainOps`] and writes a few
/// numbers per model into another, which `read` brings back, so that whole weight matrices
/// never leave the device. [`reduce`] defines each one on slices (what the CPU backend runs
/// and every GPU kernel is tested against).
pub trait ViewOps {
    /// Per model, [`reduce::moments`] of the `s.rows × s.cols` values `d = x − y` (`d = x`
    /// without `minus`): [`reduce::MOMENTS`] floats at `at` (sums of the finite values about a
    /// shift, their min and max, the non-finite count, the shift).
    fn moments(&mut self, x: Buf, minus: Option<Buf>, s: Shape, out: Buf, at: Region);
    /// Per model, the count of values in each of `bins.count` bins, then of non-finite values
    /// (`bins.count + 1` floats at `at`).
    fn histogram(&mut self, x: Buf, s: Shape, bins: Bins, out: Buf, at: Region);
    /// Per model, how many of the `s.cols` columns are ≤ 0 in every row (dead ReLUs), at `at`.
    fn dead_units(&mut self, x: Buf, s: Shape, out: Buf, at: Region);
    /// Per model and column `c` of `x` (weights `[fan_in][fan_out]`: column `c` is unit `c`'s
    /// incoming weights) followed by `bias[model][c]`: its two-float [`reduce::fingerprint`],
    /// at `out[model][c][0..2]`.
    fn fingerprints(&mut self, x: Buf, bias: Buf, s: Shape, out: Buf);
    /// Adds each model's predictions on `logits` (`s.cols` classes) against `labels` to
    /// `out[model][label][predicted]` (`s.cols²` floats per model).
    fn confusion(&mut self, logits: Buf, labels: Buf, s: Shape, out: Buf);
    /// `out[model][c][r] = x[model][r][c]` for the first `cols` columns: the incoming weights
    /// of a layer's first `cols` units, one unit after another (`cols × s.rows` per model).
    fn columns(&mut self, x: Buf, s: Shape, cols: usize, out: Buf);
}

/// A whole backend, for code that both trains and reduces (the trainer, the session); every
/// type with both halves is one.
pub trait Backend: TrainOps + ViewOps {}

impl<T: TrainOps + ViewOps + ?Sized> Backend for T {}
