//! The trainer: N models (one per initializer) stepped side by side on the same batches,
//! with the metrics history the CLI prints and the page draws. It never knows which
//! backend it runs on.

use crate::backend::{Activation, AdamStep, Backend, BackendError, Bins, DataId, DeviceWork};
use crate::data::split::{self, Split};
use std::sync::Arc;

use crate::data::Dataset;
use crate::model::Stack;

mod bench;
mod config;
mod diagnose;
mod divergence;
mod evaluate;
mod group;
mod health;
mod history;
mod named_states;
mod signal;
mod spec;
mod step;
mod views;

pub use config::{MAX_STEPS, MEMORY_LIMIT, MemoryEstimate, Optimizer, TrainConfig};
pub use diagnose::Diagnostics;
pub use divergence::{Divergence, DivergenceCause};
use group::Group;
use history::HistoryMark;
pub use history::{EvalPoint, HealthSample, History, ModelResult, StepMetrics};
pub use named_states::NamedState;
pub use signal::Signal;
pub use spec::{
    MAX_HIDDEN_LAYERS, MAX_WIDTH, ModelArch, ModelSpec, Overrides, check_widths, format_widths, parse_widths,
};
use views::health_bins;

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

/// N models (one per [`ModelSpec`]) on one backend, stepped side by side on the same batches
/// and dropout masks, with what the run records (`History`) and a checkpoint at each
/// validation pass to recover from. Models of one architecture ([`ModelArch`]) share a
/// stacked pass (a [`Group`]); each other architecture is a stack of its own.
pub struct Trainer {
    backend: Box<dyn Backend>,
    config: TrainConfig,
    models: Vec<ModelSpec>,
    /// Shared with the caller: kept to re-upload on a switch of backend, never copied.
    dataset: Arc<Dataset>,
    split: Split,
    data: DataId,
    groups: Vec<Group>,
    /// Rows of each step recorded in the groups' `stats` and not read back yet.
    pending: Vec<usize>,
    step: usize,
    order: Vec<u32>,
    order_epoch: usize,
    history: History,
    /// How many steps `history` keeps every batch of (the exports); the table needs none.
    record_limit: usize,
    /// The training state as of the last validation pass, on the host.
    checkpoint: Option<Checkpoint>,
    /// Layer health is sampled after every this many steps (0: never).
    health_every: usize,
    /// Steps sampled into the groups' `views.health` and not read back yet.
    pending_health: Vec<usize>,
    /// The prediction gallery's validation images.
    gallery: Vec<u32>,
    /// Per model, the mean-field prediction of each hidden layer's output std at step 0.
    theory: Vec<Vec<f32>>,
    /// The signal measured at step 0, once [`Trainer::signal`] has run there.
    start_signal: Option<Vec<Signal>>,
    /// Per model, the named states of the latest signal (none before it is measured).
    states: Vec<Vec<NamedState>>,
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
    /// A run of one model per entry of `models` (initializers, or [`ModelSpec`]s with their
    /// own settings) on `dataset`, at step 0.
    ///
    /// # Errors
    /// [`TrainConfig::validate`]'s, and [`TrainError::DeviceLimit`] where a tensor is larger
    /// than the backend's largest buffer.
    pub fn new<M: Clone + Into<ModelSpec>>(
        mut backend: Box<dyn Backend>,
        dataset: Arc<Dataset>,
        models: &[M],
        config: TrainConfig,
    ) -> Result<Trainer, TrainError> {
        config.validate(models, dataset.len(), dataset.pixels_per_image())?;
        let models: Vec<ModelSpec> = models.iter().cloned().map(Into::into).collect();
        let val_count = config.val_count(dataset.len());
        let split = split::split(dataset.len(), val_count, config.seed);
        let (data, groups) = Self::allocate(backend.as_mut(), &dataset, &models, &config)?;
        let order = split::epoch_order(&split.train, config.seed, 0);
        let gallery = views::gallery(&split.val, &dataset);
        let mut trainer = Trainer {
            backend,
            config,
            models,
            dataset,
            split,
            data,
            groups,
            pending: Vec::new(),
            step: 0,
            order,
            order_epoch: 0,
            history: History::default(),
            record_limit: usize::MAX,
            checkpoint: None,
            health_every: 0,
            pending_health: Vec::new(),
            gallery,
            theory: Vec::new(),
            start_signal: None,
            states: Vec::new(),
        };
        trainer.load_initial_weights();
        Ok(trainer)
    }

    /// The data set and every group's buffers on `backend`.
    fn allocate(
        backend: &mut dyn Backend,
        dataset: &Dataset,
        models: &[ModelSpec],
        config: &TrainConfig,
    ) -> Result<(DataId, Vec<Group>), TrainError> {
        Group::fits(backend, dataset.pixels_per_image(), models, config)?;
        let groups = Group::allocate(backend, dataset.pixels_per_image(), models, config);
        let data = backend.upload_data(&dataset.pixels, &dataset.labels, dataset.pixels_per_image());
        Ok((data, groups))
    }

    fn load_initial_weights(&mut self) {
        let mut theory = vec![Vec::new(); self.models.len()];
        let probe = &self.split.val[..PROBE_ROWS.min(self.split.val.len())];
        let input_power = signal::input_power(&self.dataset, probe);
        for group in &self.groups {
            let params: Vec<_> =
                group.models.iter().map(|&m| group.stack.shape.init(&self.models[m].init, self.config.seed)).collect();
            for (&m, p) in group.models.iter().zip(&params) {
                theory[m] = signal::theory_std(&group.stack.shape, p, input_power);
            }
            group.stack.load_init(self.backend.as_mut(), &params);
        }
        self.theory = theory;
        self.history = History::new(self.models.len(), self.record_limit);
        self.states = vec![Vec::new(); self.models.len()];
    }

    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    /// The run's models, in order.
    pub fn models(&self) -> &[ModelSpec] {
        &self.models
    }

    /// Each model's settings as resolved against the run's, in order.
    pub fn archs(&self) -> Vec<ModelArch> {
        self.models.iter().map(|m| m.arch(&self.config)).collect()
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

    /// The models that diverged since the last call, each with where
    /// ([`History::divergence`] has them all).
    pub fn take_new_divergences(&mut self) -> Vec<(usize, Divergence)> {
        self.history.take_new_divergences()
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

    /// The backend and the stack of the first model's architecture (every model's, where
    /// they share one), for diagnostics and tests.
    pub fn parts(&mut self) -> (&mut dyn Backend, &Stack) {
        (self.backend.as_mut(), &self.groups[0].stack)
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
        for group in &self.groups {
            self.backend.fill(group.stats, 0.0);
        }
        self.order = split::epoch_order(&self.split.train, self.config.seed, 0);
        self.order_epoch = 0;
        self.checkpoint = None;
        self.load_initial_weights();
    }

    /// Moves training to another backend, keeping weights, optimizer state and history.
    pub async fn switch_backend(&mut self, backend: Box<dyn Backend>) -> Result<(), TrainError> {
        Group::fits(backend.as_ref(), self.dataset.pixels_per_image(), &self.models, &self.config)?;
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
        for buf in self.groups.iter().flat_map(|g| g.stack.state_bufs()) {
            state.push(self.backend.read(buf).await?);
        }
        Ok(state)
    }

    /// Replaces the backend, allocating everything on the new one and writing `state` (in
    /// the groups' `Stack::state_bufs` order) into it. The groups fit it: [`fits`] was
    /// checked before a switch, and a recovery goes to the CPU, which has no limit.
    fn move_to(&mut self, mut backend: Box<dyn Backend>, state: &[Vec<f32>]) {
        let groups = Group::allocate(backend.as_mut(), self.dataset.pixels_per_image(), &self.models, &self.config);
        let d = &self.dataset;
        let data = backend.upload_data(&d.pixels, &d.labels, d.pixels_per_image());
        for (buf, values) in groups.iter().flat_map(|g| g.stack.state_bufs()).zip(state) {
            backend.write(buf, values);
        }
        (self.backend, self.groups, self.data) = (backend, groups, data);
        self.sample_health_every(self.health_every);
    }

    /// Layers of the deepest model: the dropout streams of a step are counted in these, so
    /// that models of every depth draw the same mask at the same layer.
    fn mask_layers(&self) -> usize {
        self.groups.iter().map(|g| g.stack.shape.layers()).max().unwrap_or(0)
    }

    /// Layer health's histogram bins of each layer index, up to the deepest model's: one set
    /// for the whole run, so that every model's histograms of a layer share an axis. From 0
    /// where every model that has a layer there has a hidden layer whose outputs are never
    /// negative (ReLU's, the sigmoid's); else both signs.
    pub fn health_bins(&self) -> Vec<Bins> {
        (0..self.mask_layers())
            .map(|l| {
                let mut shapes = self.groups.iter().map(|g| &g.stack.shape).filter(|s| l < s.layers());
                health_bins(
                    shapes.all(|s| {
                        l < s.hidden_layers() && matches!(s.activation, Activation::Relu | Activation::Sigmoid)
                    }),
                )
            })
            .collect()
    }

    /// Every model's signal at step 0 (`signal[model]`), once measured there.
    pub fn start_signal(&self) -> Option<&[Signal]> {
        self.start_signal.as_deref()
    }

    /// Per model, the named states of the latest signal (after the last full validation
    /// pass, or at step 0); empty before it is measured.
    pub fn states(&self) -> &[Vec<NamedState>] {
        &self.states
    }

    /// The lesson's table: one row per model.
    pub fn results(&self) -> Vec<ModelResult> {
        self.history.results(&self.models)
    }
}
