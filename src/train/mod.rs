//! The trainer: N models (one per initializer) stepped side by side on the same batches,
//! with the metrics history the CLI prints and the page draws. It never knows which
//! backend it runs on.

use crate::backend::{AdamStep, Backend, BackendError, Buf, DataId, DeviceWork, TrainOps};
use crate::data::split::{self, Split};
use std::sync::Arc;

use crate::data::{CLASSES, Dataset};
use crate::init::Initializer;
use crate::model::{MlpShape, Stack};

mod bench;
mod config;
mod diagnose;
mod evaluate;
mod health;
mod history;
mod step;
mod views;

pub use config::{MAX_STEPS, MEMORY_LIMIT, MemoryEstimate, Optimizer, TrainConfig};
pub use diagnose::Diagnostics;
use history::HistoryMark;
pub use history::{EvalPoint, HealthSample, History, ModelResult, StepMetrics};
use views::ViewBufs;
pub use views::health_bins;

/// Why a run cannot be made or go on: its settings, its backend, or a tensor larger than the
/// backend's largest buffer (`needed_bytes` and `limit_bytes` in bytes).
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    /// A setting that cannot make a run: `setting` is its name as `TrainConfig` serializes it
    /// (or `inits`), `init` the initializer id refused, where one is.
    #[error("invalid setting: {message}")]
    Config { setting: Option<&'static str>, init: Option<String>, message: String },
    #[error(transparent)]
    Backend(#[from] BackendError),
    #[error(
        "the run needs a buffer of {needed} ({what}), over this backend's largest buffer of {limit}; \
         choose a smaller batch, fewer initializers or smaller layers, or the CPU",
        needed = config::bytes(*needed_bytes as u64), limit = config::bytes(*limit_bytes as u64)
    )]
    DeviceLimit { what: String, needed_bytes: usize, limit_bytes: usize },
}

/// Training steps whose metrics are read back together: one readback per this many steps.
const STATS_SLOTS: usize = 32;
/// Images per validation forward pass.
const EVAL_ROWS: usize = 1000;
/// Validation images the diagnostics look at.
const PROBE_ROWS: usize = 500;

/// N models (one per initializer) on one backend, stepped side by side on the same batches
/// and dropout masks, with what the run records (`History`) and a checkpoint at each
/// validation pass to recover from.
pub struct Trainer {
    backend: Box<dyn Backend>,
    config: TrainConfig,
    inits: Vec<Initializer>,
    /// Shared with the caller: kept to re-upload on a switch of backend, never copied.
    dataset: Arc<Dataset>,
    split: Split,
    data: DataId,
    stack: Stack,
    /// `[STATS_SLOTS][models][loss sum, correct]` of the steps not read back yet.
    stats: Buf,
    eval_stats: Buf,
    /// Rows of each step recorded in `stats` and not read back yet.
    pending: Vec<usize>,
    step: usize,
    order: Vec<u32>,
    order_epoch: usize,
    history: History,
    /// How many steps `history` keeps every batch of (the exports); the table needs none.
    record_limit: usize,
    /// The training state as of the last validation pass, on the host.
    checkpoint: Option<Checkpoint>,
    views: ViewBufs,
    /// Layer health is sampled after every this many steps (0: never).
    health_every: usize,
    /// Steps sampled into `views.health` and not read back yet.
    pending_health: Vec<usize>,
    /// The prediction gallery's validation images.
    gallery: Vec<u32>,
}

/// Whether every tensor of a run of `models` models fits one buffer of `backend` (a GPU binds
/// each buffer whole; the data set itself is split into chunks by the backend).
fn fits(backend: &dyn TrainOps, shape: &MlpShape, models: usize, config: &TrainConfig) -> Result<(), TrainError> {
    let rows = config.batch_size.max(EVAL_ROWS);
    let layers = (0..shape.layers()).map(|l| shape.dims(l));
    let weights = layers.clone().map(|(i, o)| (models * i * o, format!("the weights of {models} models × {i} × {o}")));
    let activations = layers.map(|(_, o)| (models * rows * o, format!("{models} models × {rows} rows × {o} units")));
    let input = (rows * shape.sizes[0], format!("{rows} images × {} pixels", shape.sizes[0]));
    let (floats, what) = weights.chain(activations).chain([input]).max_by_key(|(n, _)| *n).unwrap_or_default();
    let limit = backend.max_buffer_len();
    if floats > limit {
        return Err(TrainError::DeviceLimit { what, needed_bytes: floats.saturating_mul(4), limit_bytes: limit * 4 });
    }
    Ok(())
}

/// An accuracy measured with a non-finite loss is not a result: NaN logits all "predict"
/// class 0, which would read as ~10 %. It is NaN too, so every view says "diverged".
fn unless_diverged(loss: f32, accuracy: f32) -> f32 {
    if loss.is_finite() { accuracy } else { f32::NAN }
}

/// Parameters and optimizer moments (in `Stack::state_bufs` order) at a step: what a run
/// resumes from when its backend fails, e.g. when a GPU is lost.
struct Checkpoint {
    step: usize,
    /// Where the history stood then.
    history: HistoryMark,
    state: Vec<Vec<f32>>,
}

impl Trainer {
    pub fn new(
        mut backend: Box<dyn Backend>,
        dataset: Arc<Dataset>,
        inits: &[Initializer],
        config: TrainConfig,
    ) -> Result<Trainer, TrainError> {
        config.validate(inits, dataset.len(), dataset.pixels_per_image())?;
        let val_count = config.val_count(dataset.len());
        let split = split::split(dataset.len(), val_count, config.seed);
        let shape = MlpShape::new(dataset.pixels_per_image(), &config.hidden, CLASSES);
        fits(backend.as_ref(), &shape, inits.len(), &config)?;
        let (stack, data, stats, eval_stats, views) =
            Self::allocate(backend.as_mut(), &dataset, shape, inits.len(), &config);
        let order = split::epoch_order(&split.train, config.seed, 0);
        let gallery = views::gallery(&split.val, &dataset);
        let mut trainer = Trainer {
            backend,
            config,
            inits: inits.to_vec(),
            dataset,
            split,
            data,
            stack,
            stats,
            eval_stats,
            pending: Vec::new(),
            step: 0,
            order,
            order_epoch: 0,
            history: History::default(),
            record_limit: usize::MAX,
            checkpoint: None,
            views,
            health_every: 0,
            pending_health: Vec::new(),
            gallery,
        };
        trainer.load_initial_weights();
        Ok(trainer)
    }

    fn allocate(
        backend: &mut dyn TrainOps,
        dataset: &Dataset,
        shape: MlpShape,
        models: usize,
        config: &TrainConfig,
    ) -> (Stack, DataId, Buf, Buf, ViewBufs) {
        let data = backend.upload_data(&dataset.pixels, &dataset.labels, dataset.pixels_per_image());
        let stack = Stack::new(backend, shape, models, config.batch_size.max(EVAL_ROWS));
        let stats = backend.alloc(STATS_SLOTS * models * 2);
        let eval_stats = backend.alloc(models * 2);
        let views = ViewBufs::new(backend, &stack.shape, models);
        (stack, data, stats, eval_stats, views)
    }

    fn load_initial_weights(&mut self) {
        let params: Vec<_> = self.inits.iter().map(|i| self.stack.shape.init(i, self.config.seed)).collect();
        self.stack.load_init(self.backend.as_mut(), &params);
        self.history = History::new(self.inits.len(), self.record_limit);
    }

    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    pub fn initializers(&self) -> &[Initializer] {
        &self.inits
    }

    pub fn backend_name(&self) -> String {
        self.backend.name()
    }

    /// The backend's device work so far (see [`TrainOps::device_work`]).
    pub fn device_work(&self) -> Option<DeviceWork> {
        self.backend.device_work()
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    /// Keeps every batch's metrics in the history for the first `up_to` steps (all by default;
    /// 0 for none). Memory then stays bounded however long the run: a driver takes the new
    /// metrics as they come with [`Self::take_new_metrics`], and the table needs none.
    pub fn record_steps(&mut self, up_to: usize) {
        self.record_limit = up_to;
        self.history.set_record_limit(up_to);
    }

    /// The batches read back since the last call.
    pub fn take_new_metrics(&mut self) -> StepMetrics {
        self.history.take_new()
    }

    pub fn split(&self) -> &Split {
        &self.split
    }

    /// The prediction gallery's images (indices into the data set): the first validation
    /// images of each class.
    pub fn gallery(&self) -> &[u32] {
        &self.gallery
    }

    /// The backend and the model stack, for diagnostics and tests.
    pub fn parts(&mut self) -> (&mut dyn Backend, &Stack) {
        (self.backend.as_mut(), &self.stack)
    }

    pub fn steps_per_epoch(&self) -> usize {
        self.split.train.len().div_ceil(self.config.batch_size)
    }

    pub fn total_steps(&self) -> usize {
        self.steps_per_epoch() * self.config.epochs
    }

    pub fn steps_done(&self) -> usize {
        self.step
    }

    /// Whether a validation pass follows step `step` (1-based): at each epoch's end, and
    /// every `eval_every` steps if set.
    fn validates_after(&self, step: usize) -> bool {
        step.is_multiple_of(self.steps_per_epoch())
            || (self.config.eval_every > 0 && step.is_multiple_of(self.config.eval_every))
    }

    /// The step after which the next validation pass runs (at most the last step).
    pub fn next_validation(&self) -> usize {
        (self.step + 1..self.total_steps()).find(|&s| self.validates_after(s)).unwrap_or(self.total_steps())
    }

    /// Images trained on to reach the current step, each batch counted as it was: an epoch's
    /// last, partial batch adds only its own rows, so a finished run has trained `epochs ×`
    /// the training images. Rewinds with [`reset`](Self::reset) and
    /// [`recover`](Self::recover), like [`steps_done`](Self::steps_done).
    pub fn samples_trained(&self) -> usize {
        let train = self.split.train.len();
        let (per_epoch, batch) = (self.steps_per_epoch(), self.config.batch_size);
        let (epochs, in_epoch) = (self.step / per_epoch, self.step % per_epoch);
        epochs * train + (in_epoch * batch).min(train)
    }

    pub fn is_finished(&self) -> bool {
        self.step >= self.total_steps()
    }

    /// Back to step 0 with the same initial weights (they are derived from the seed).
    pub fn reset(&mut self) {
        self.step = 0;
        self.pending.clear();
        self.pending_health.clear();
        self.backend.fill(self.stats, 0.0);
        self.order = split::epoch_order(&self.split.train, self.config.seed, 0);
        self.order_epoch = 0;
        self.checkpoint = None;
        self.load_initial_weights();
    }

    /// Moves training to another backend, keeping weights, optimizer state and history.
    pub async fn switch_backend(&mut self, backend: Box<dyn Backend>) -> Result<(), TrainError> {
        fits(backend.as_ref(), &self.stack.shape, self.inits.len(), &self.config)?;
        self.read_stats().await?;
        let state = self.read_state().await?;
        self.move_to(backend, &state);
        Ok(())
    }

    /// Continues on `backend` after the current one failed (a lost GPU can no longer be
    /// read): from the last validation pass's checkpoint, or from step 0. The history after
    /// that point is dropped; batches and dropout masks depend only on the step, so the
    /// steps are replayed as they would have run. Returns the step it resumes from.
    pub fn recover(&mut self, backend: Box<dyn Backend>) -> usize {
        self.pending.clear();
        self.pending_health.clear();
        match self.checkpoint.take() {
            Some(checkpoint) => {
                self.move_to(backend, &checkpoint.state);
                self.step = checkpoint.step;
                self.history.rewind_to(&checkpoint.history, checkpoint.step);
                self.checkpoint = Some(checkpoint);
            }
            None => {
                self.move_to(backend, &[]);
                self.reset();
            }
        }
        self.order_epoch = usize::MAX; // the next step reshuffles for its epoch
        self.step
    }

    async fn read_state(&mut self) -> Result<Vec<Vec<f32>>, TrainError> {
        let mut state = Vec::new();
        for buf in self.stack.state_bufs() {
            state.push(self.backend.read(buf).await?);
        }
        Ok(state)
    }

    /// Replaces the backend, allocating everything on the new one and writing `state` (in
    /// `Stack::state_bufs` order) into it.
    fn move_to(&mut self, mut backend: Box<dyn Backend>, state: &[Vec<f32>]) {
        let shape = self.stack.shape.clone();
        let (stack, data, stats, eval_stats, views) =
            Self::allocate(backend.as_mut(), &self.dataset, shape, self.inits.len(), &self.config);
        for (buf, values) in stack.state_bufs().into_iter().zip(state) {
            backend.write(buf, values);
        }
        (self.backend, self.stack, self.data, self.stats, self.eval_stats, self.views) =
            (backend, stack, data, stats, eval_stats, views);
        self.sample_health_every(self.health_every);
    }

    /// The lesson's table: one row per model.
    pub fn results(&self) -> Vec<ModelResult> {
        self.history.results(&self.inits)
    }
}
