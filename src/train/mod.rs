//! The trainer: N models (one per initializer) stepped side by side on the same batches,
//! with the metrics history the CLI prints and the page draws. It never knows which
//! backend it runs on.

use crate::backend::{AdamStep, Backend, BackendError, Buf, DataId};
use crate::data::split::{self, Split};
use std::sync::Arc;

use crate::data::{CLASSES, Dataset};
use crate::init::Initializer;
use crate::model::{MlpShape, Stack, Update};
use crate::seeds;
use crate::stats::LayerStats;

mod config;
mod history;

pub use config::{MAX_STEPS, MEMORY_LIMIT, MemoryEstimate, Optimizer, TrainConfig};
pub use history::{EvalPoint, History, ModelResult};

#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error("invalid setting: {0}")]
    Config(String),
    #[error(transparent)]
    Backend(#[from] BackendError),
}

/// Training steps whose metrics are read back together: one readback per this many steps.
const STATS_SLOTS: usize = 32;
/// Images per validation forward pass.
const EVAL_ROWS: usize = 1000;
/// Validation images the diagnostics look at, and their histograms' bins.
const PROBE_ROWS: usize = 500;
const HISTOGRAM_BINS: usize = 40;

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
    /// The training state as of the last validation pass, on the host.
    checkpoint: Option<Checkpoint>,
}

/// Parameters and optimizer moments (in `Stack::state_bufs` order) at a step: what a run
/// resumes from when its backend fails, e.g. when a GPU is lost.
struct Checkpoint {
    step: usize,
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
        let (stack, data, stats, eval_stats) = Self::allocate(backend.as_mut(), &dataset, shape, inits.len(), &config);
        let order = split::epoch_order(&split.train, config.seed, 0);
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
            checkpoint: None,
        };
        trainer.load_initial_weights();
        Ok(trainer)
    }

    fn allocate(
        backend: &mut dyn Backend,
        dataset: &Dataset,
        shape: MlpShape,
        models: usize,
        config: &TrainConfig,
    ) -> (Stack, DataId, Buf, Buf) {
        let data = backend.upload_data(&dataset.pixels, &dataset.labels, dataset.pixels_per_image());
        let stack = Stack::new(backend, shape, models, config.batch_size.max(EVAL_ROWS));
        let stats = backend.alloc(STATS_SLOTS * models * 2);
        let eval_stats = backend.alloc(models * 2);
        (stack, data, stats, eval_stats)
    }

    fn load_initial_weights(&mut self) {
        let params: Vec<_> = self.inits.iter().map(|i| self.stack.shape.init(i, self.config.seed)).collect();
        self.stack.load_init(self.backend.as_mut(), &params);
        self.history = History {
            losses: vec![Vec::new(); self.inits.len()],
            batch_accuracy: vec![Vec::new(); self.inits.len()],
            evals: Vec::new(),
        };
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

    pub fn history(&self) -> &History {
        &self.history
    }

    pub fn split(&self) -> &Split {
        &self.split
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

    /// Images trained on to reach the current step, each batch counted as it was: an epoch's
    /// last, partial batch adds only its own rows, so a finished run has trained `epochs ×`
    /// the training images. Rewinds with [`reset`](Self::reset) and
    /// [`recover`](Self::recover), like [`steps_done`](Self::steps_done).
    pub fn samples_trained(&self) -> u64 {
        let train = self.split.train.len() as u64;
        let (per_epoch, batch) = (self.steps_per_epoch(), self.config.batch_size as u64);
        let (epochs, in_epoch) = ((self.step / per_epoch) as u64, (self.step % per_epoch) as u64);
        epochs * train + (in_epoch * batch).min(train)
    }

    pub fn is_finished(&self) -> bool {
        self.step >= self.total_steps()
    }

    /// Runs up to `max_steps` more training steps (validating when due), reads their
    /// metrics back, and returns how many steps ran.
    pub async fn run(&mut self, max_steps: usize) -> Result<usize, TrainError> {
        let mut ran = 0;
        while ran < max_steps && !self.is_finished() {
            self.train_step();
            ran += 1;
            let epoch_end = self.step.is_multiple_of(self.steps_per_epoch());
            let eval_due =
                epoch_end || (self.config.eval_every > 0 && self.step.is_multiple_of(self.config.eval_every));
            if self.pending.len() == STATS_SLOTS || eval_due {
                self.read_stats().await?;
            }
            if eval_due {
                self.evaluate().await?;
                self.checkpoint = Some(Checkpoint { step: self.step, state: self.read_state().await? });
            }
        }
        self.read_stats().await?;
        Ok(ran)
    }

    fn train_step(&mut self) {
        let per_epoch = self.steps_per_epoch();
        let (epoch, in_epoch) = (self.step / per_epoch, self.step % per_epoch);
        if epoch != self.order_epoch {
            self.order = split::epoch_order(&self.split.train, self.config.seed, epoch);
            self.order_epoch = epoch;
        }
        let bs = self.config.batch_size;
        let batch = &self.order[in_epoch * bs..((in_epoch + 1) * bs).min(self.order.len())];
        let rows = batch.len();
        let b = self.backend.as_mut();
        b.gather(self.data, batch, self.stack.x, self.stack.labels);
        // Two streams per step and layer; the mask seed is shared by every model.
        let dropout_seed = seeds::derive(self.config.seed, seeds::DROPOUT, 0) as u32;
        let stream = (self.step as u32).wrapping_mul(self.stack.shape.layers() as u32);
        self.stack.forward(b, rows, Some((self.config.dropout, dropout_seed, stream)));
        self.stack.loss(b, rows, self.stats, self.pending.len(), true);
        self.stack.backward(b, rows, self.config.dropout);
        self.step += 1;
        let update = match self.config.optimizer {
            Optimizer::Adam => {
                let t = self.step as i32;
                Update::Adam(AdamStep {
                    lr: self.config.lr,
                    beta1: 0.9,
                    beta2: 0.999,
                    eps: 1e-8,
                    bias_correction1: (1.0 - 0.9f64.powi(t)) as f32,
                    bias_correction2: (1.0 - 0.999f64.powi(t)) as f32,
                })
            }
            Optimizer::Sgd => Update::Sgd { lr: self.config.lr },
        };
        self.stack.update(b, &update);
        self.pending.push(rows);
    }

    async fn read_stats(&mut self) -> Result<(), TrainError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let stats = self.backend.read(self.stats).await?;
        let models = self.inits.len();
        for (slot, &rows) in self.pending.iter().enumerate() {
            for m in 0..models {
                let at = (slot * models + m) * 2;
                self.history.losses[m].push(stats[at] / rows as f32);
                self.history.batch_accuracy[m].push(stats[at + 1] / rows as f32);
            }
        }
        self.pending.clear();
        self.backend.fill(self.stats, 0.0);
        Ok(())
    }

    /// Validation over the held-out images, with dropout off unless configured otherwise.
    pub async fn evaluate(&mut self) -> Result<EvalPoint, TrainError> {
        let b = self.backend.as_mut();
        b.fill(self.eval_stats, 0.0);
        let dropout_seed = seeds::derive(self.config.seed, seeds::DROPOUT, 1) as u32;
        for (i, batch) in self.split.val.chunks(EVAL_ROWS).enumerate() {
            b.gather(self.data, batch, self.stack.x, self.stack.labels);
            let dropout = self.config.dropout_at_eval.then(|| {
                let stream = (self.step * self.split.val.len() + i) as u32;
                (self.config.dropout, dropout_seed, stream.wrapping_mul(self.stack.shape.layers() as u32))
            });
            self.stack.forward(b, batch.len(), dropout);
            self.stack.loss(b, batch.len(), self.eval_stats, 0, false);
        }
        let stats = b.read(self.eval_stats).await?;
        let n = self.split.val.len() as f32;
        let point = EvalPoint {
            step: self.step,
            epoch: self.step as f32 / self.steps_per_epoch() as f32,
            loss: stats.chunks(2).map(|s| s[0] / n).collect(),
            accuracy: stats.chunks(2).map(|s| s[1] / n).collect(),
        };
        self.history.evals.push(point.clone());
        Ok(point)
    }

    /// Per-layer statistics of every model (`[model][layer]`), on a fixed probe batch of
    /// validation images with dropout off.
    pub async fn diagnostics(&mut self) -> Result<Vec<Vec<LayerStats>>, TrainError> {
        let b = self.backend.as_mut();
        let probe = &self.split.val[..PROBE_ROWS.min(self.split.val.len())];
        b.gather(self.data, probe, self.stack.x, self.stack.labels);
        self.stack.forward(b, probe.len(), None);
        let (models, shape) = (self.inits.len(), self.stack.shape.clone());
        let mut out = vec![Vec::new(); models];
        for l in 0..shape.layers() {
            let (fan_in, fan_out) = shape.dims(l);
            let w = b.read(self.stack.weights(l).0).await?;
            let bias = b.read(self.stack.biases(l).0).await?;
            let o = b.read(self.stack.output(l)).await?;
            for (m, layers) in out.iter_mut().enumerate() {
                let per = |buf: &[f32], len: usize| buf[m * len..(m + 1) * len].to_vec();
                layers.push(LayerStats::of(
                    &per(&w, fan_in * fan_out),
                    &per(&bias, fan_out),
                    &per(&o, probe.len() * fan_out),
                    l + 1 < shape.layers(),
                    HISTOGRAM_BINS,
                ));
            }
        }
        Ok(out)
    }

    /// Back to step 0 with the same initial weights (they are derived from the seed).
    pub fn reset(&mut self) {
        self.step = 0;
        self.pending.clear();
        self.backend.fill(self.stats, 0.0);
        self.order = split::epoch_order(&self.split.train, self.config.seed, 0);
        self.order_epoch = 0;
        self.checkpoint = None;
        self.load_initial_weights();
    }

    /// Moves training to another backend, keeping weights, optimizer state and history.
    pub async fn switch_backend(&mut self, backend: Box<dyn Backend>) -> Result<(), TrainError> {
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
        match self.checkpoint.take() {
            Some(checkpoint) => {
                self.move_to(backend, &checkpoint.state);
                self.step = checkpoint.step;
                let step = self.step;
                for series in self.history.losses.iter_mut().chain(&mut self.history.batch_accuracy) {
                    series.truncate(step);
                }
                self.history.evals.retain(|e| e.step <= step);
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
        let (stack, data, stats, eval_stats) =
            Self::allocate(backend.as_mut(), &self.dataset, shape, self.inits.len(), &self.config);
        for (buf, values) in stack.state_bufs().into_iter().zip(state) {
            backend.write(buf, values);
        }
        (self.backend, self.stack, self.data, self.stats, self.eval_stats) = (backend, stack, data, stats, eval_stats);
    }

    /// The lesson's table: one row per model.
    pub fn results(&self) -> Vec<ModelResult> {
        self.history.results(&self.inits)
    }
}
