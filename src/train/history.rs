//! What a run records: per-batch losses, validation passes, and the lesson's table. Memory is
//! bounded however long a run goes: the table needs only a summary of each model's losses
//! (the first 100, the last 100, the last), and the per-batch record is kept in full only when
//! asked for (the CLI's exports); a driver takes the new values as they come instead.

use std::collections::VecDeque;

use serde::Serialize;

use super::ModelSpec;
use super::divergence::Divergence;
use crate::stats::LayerHealth;

/// Batches the lesson's table averages over at each end of the run.
const TABLE_WINDOW: usize = 100;

/// One validation pass: over every held-out image, or (`subset`) over the fixed live subset
/// of the first `images` of them, which gives the accuracy chart points from the first seconds.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub struct EvalPoint {
    pub step: usize,
    pub epoch: f32,
    /// Mean loss and accuracy (0–1) per model.
    pub loss: Vec<f32>,
    pub accuracy: Vec<f32>,
    /// How many validation images the pass covered.
    pub images: usize,
    pub subset: bool,
    /// Per model, `[label × classes + predicted]` counts over the pass's images (full passes
    /// only; empty for the live subset).
    pub confusion: Vec<Vec<u32>>,
}

/// Every model's layer health (`[model][layer]`) after step `step`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub struct HealthSample {
    pub step: usize,
    pub layers: Vec<Vec<LayerHealth>>,
}

/// Per-batch metrics of the steps `from_step + 1 ..= from_step + len`, `[model][step]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StepMetrics {
    pub from_step: usize,
    /// Training loss of each batch (NaN or ∞ once a model diverges).
    pub losses: Vec<Vec<f32>>,
    /// Training accuracy of each batch (dropout on; NaN once diverged).
    pub batch_accuracy: Vec<Vec<f32>>,
}

impl StepMetrics {
    fn new(models: usize, from_step: usize) -> StepMetrics {
        StepMetrics { from_step, losses: vec![Vec::new(); models], batch_accuracy: vec![Vec::new(); models] }
    }

    fn push(&mut self, m: usize, loss: f32, accuracy: f32) {
        self.losses[m].push(loss);
        self.batch_accuracy[m].push(accuracy);
    }

    fn truncate(&mut self, steps: usize) {
        for series in self.losses.iter_mut().chain(&mut self.batch_accuracy) {
            series.truncate(steps);
        }
    }
}

/// What the lesson's table needs of one model's batch losses, in bounded memory.
#[derive(Clone, Debug, Default, PartialEq)]
struct LossSummary {
    first: Vec<f32>,
    last: VecDeque<f32>,
}

impl LossSummary {
    fn push(&mut self, loss: f32) {
        if self.first.len() < TABLE_WINDOW {
            self.first.push(loss);
        }
        if self.last.len() == TABLE_WINDOW {
            self.last.pop_front();
        }
        self.last.push_back(loss);
    }
}

/// What a run records: the per-batch record (bounded, see `steps`), every validation pass, and
/// a summary of each model's losses for the table.
#[derive(Clone, Debug, Default, Serialize)]
pub struct History {
    /// The batches since step 0 (`from_step` 0), as many as the trainer records
    /// ([`crate::train::Trainer::record_steps`]).
    #[serde(flatten)]
    pub steps: StepMetrics,
    pub evals: Vec<EvalPoint>,
    /// The passes over the live subset.
    pub live_evals: Vec<EvalPoint>,
    /// Layer health samples from the first on, as many as the record's bound allows.
    pub health: Vec<HealthSample>,
    /// The samples not taken yet ([`History::take_new_health`]).
    #[serde(skip)]
    new_health: Vec<HealthSample>,
    /// How many steps `steps` keeps.
    #[serde(skip)]
    record_limit: usize,
    /// The batches not taken yet ([`History::take_new`]).
    #[serde(skip)]
    new: StepMetrics,
    #[serde(skip)]
    summaries: Vec<LossSummary>,
    /// Per model, where it diverged (set once; the exports write it beside the history).
    #[serde(skip)]
    divergence: Vec<Option<Divergence>>,
    /// The models whose divergence is not taken yet ([`History::take_new_divergences`]).
    #[serde(skip)]
    new_divergences: Vec<usize>,
}

impl History {
    /// An empty history of `models` models that keeps the first `record_limit` steps in `steps`.
    pub(super) fn new(models: usize, record_limit: usize) -> History {
        History {
            steps: StepMetrics::new(models, 0),
            evals: Vec::new(),
            live_evals: Vec::new(),
            health: Vec::new(),
            new_health: Vec::new(),
            record_limit,
            new: StepMetrics::new(models, 0),
            summaries: vec![LossSummary::default(); models],
            divergence: vec![None; models],
            new_divergences: Vec::new(),
        }
    }

    pub(super) fn set_record_limit(&mut self, steps: usize) {
        self.record_limit = steps;
        self.steps.truncate(steps);
        let keep = self.health_kept(self.health.first());
        self.health.truncate(keep);
    }

    /// How many health samples like `sample` the record keeps: as many floats per model as
    /// the per-batch record's two per step (a sample holds ~140), so the bound on the record
    /// bounds both.
    fn health_kept(&self, sample: Option<&HealthSample>) -> usize {
        let floats = |s: &HealthSample| s.layers.first().map_or(1, |l| l.iter().map(|h| h.histogram.len() + 6).sum());
        sample.map_or(usize::MAX, |s| self.record_limit.saturating_mul(2) / floats(s).max(1))
    }

    pub(super) fn push_health(&mut self, sample: HealthSample) {
        if self.health.len() < self.health_kept(Some(&sample)) {
            self.health.push(sample.clone());
        }
        self.new_health.push(sample);
    }

    /// The health samples recorded since the last call.
    pub fn take_new_health(&mut self) -> Vec<HealthSample> {
        std::mem::take(&mut self.new_health)
    }

    /// Records model `m`'s loss and accuracy on the next batch.
    pub(super) fn push(&mut self, m: usize, loss: f32, accuracy: f32) {
        if self.steps.losses[m].len() < self.record_limit {
            self.steps.push(m, loss, accuracy);
        }
        self.new.push(m, loss, accuracy);
        self.summaries[m].push(loss);
    }

    /// Per model, where it diverged, or `None` while its loss has stayed finite.
    pub fn divergence(&self) -> &[Option<Divergence>] {
        &self.divergence
    }

    /// Records model `m`'s divergence, unless it has one already (a model stays diverged).
    pub(super) fn set_divergence(&mut self, m: usize, divergence: Divergence) {
        if self.divergence[m].is_none() {
            self.divergence[m] = Some(divergence);
            self.new_divergences.push(m);
        }
    }

    /// The models that diverged since the last call, with where.
    pub fn take_new_divergences(&mut self) -> Vec<(usize, Divergence)> {
        let models = std::mem::take(&mut self.new_divergences);
        models.into_iter().filter_map(|m| self.divergence[m].map(|d| (m, d))).collect()
    }

    /// The batches recorded since the last call (the driver's cursor lives here).
    pub fn take_new(&mut self) -> StepMetrics {
        let from = self.new.from_step + self.new.losses.first().map_or(0, Vec::len);
        std::mem::replace(&mut self.new, StepMetrics::new(self.summaries.len(), from))
    }

    /// The history back as it was at `mark` (kept at a checkpoint, at step `step`), with new
    /// batches and samples taken from there on.
    pub(super) fn rewind_to(&mut self, mark: &HistoryMark, step: usize) {
        self.steps.truncate(step);
        self.evals.truncate(mark.evals);
        self.live_evals.truncate(mark.live_evals);
        self.health.retain(|h| h.step <= step);
        self.new_health.clear();
        for d in &mut self.divergence {
            *d = d.filter(|d| d.step <= step);
        }
        self.new_divergences.retain(|&m| self.divergence[m].is_some());
        self.summaries = mark.summaries.clone();
        self.new = StepMetrics::new(self.summaries.len(), step);
    }

    /// What a checkpoint keeps to rewind to this point: the table's loss summaries (a few
    /// hundred floats) and where the append-only lists end, never a copy of them.
    pub(super) fn mark(&self) -> HistoryMark {
        HistoryMark { evals: self.evals.len(), live_evals: self.live_evals.len(), summaries: self.summaries.clone() }
    }

    /// The lesson's table, one row per model (`models` in the run's order).
    pub fn results(&self, models: &[ModelSpec]) -> Vec<ModelResult> {
        let last_eval = self.evals.last();
        models
            .iter()
            .zip(&self.summaries)
            .enumerate()
            .map(|(m, (model, summary))| {
                let val_loss = last_eval.map_or(f32::NAN, |e| e.loss[m]);
                let last_batch_loss = summary.last.back().copied().unwrap_or(f32::NAN);
                let last: Vec<f32> = summary.last.iter().copied().collect();
                ModelResult {
                    init: model.id(),
                    label: model.label(),
                    val_accuracy: last_eval.map_or(f32::NAN, |e| e.accuracy[m]),
                    val_loss,
                    last_batch_loss,
                    mean_loss_first_100: mean(&summary.first),
                    mean_loss_last_100: mean(&last),
                    // Once NaN or ∞, a model's weights stay so: its last values say it.
                    diverged: summary.last.back().is_some_and(|l| !l.is_finite())
                        || last_eval.is_some_and(|_| !val_loss.is_finite()),
                }
            })
            .collect()
    }
}

/// A point of a history to rewind to ([`History::mark`]).
pub(super) struct HistoryMark {
    evals: usize,
    live_evals: usize,
    summaries: Vec<LossSummary>,
}

/// Two histories are equal when they recorded the same run, whatever a driver has taken.
impl PartialEq for History {
    fn eq(&self, other: &History) -> bool {
        (&self.steps, &self.evals, &self.summaries) == (&other.steps, &other.evals, &other.summaries)
    }
}

/// The lesson's table row for one model.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub struct ModelResult {
    pub init: String,
    pub label: String,
    pub val_accuracy: f32,
    pub val_loss: f32,
    pub last_batch_loss: f32,
    pub mean_loss_first_100: f32,
    pub mean_loss_last_100: f32,
    /// Whether the model's loss became NaN or ∞ (its numbers are then NaN: "diverged").
    pub diverged: bool,
}

fn mean(xs: &[f32]) -> f32 {
    xs.iter().map(|&x| x as f64).sum::<f64>() as f32 / xs.len() as f32
}
