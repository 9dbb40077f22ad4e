//! Validation passes: over every held-out image (the table's numbers, with a confusion matrix
//! per model), or over the fixed live subset, often enough early on that the accuracy chart
//! has points from the first seconds.

use super::{EVAL_ROWS, EvalPoint, TrainError, Trainer, unless_diverged};
use crate::data::CLASSES;
use crate::seeds::SeedTree;

/// The steps after which the live subset is validated, when no full pass runs then: dense at
/// first, where the curves move most, then every [`LIVE_EVERY`] steps.
/// In the lesson's run, 8 passes over 2,000 images: about 5 % of its training time.
const LIVE_EARLY: [usize; 4] = [10, 25, 50, 100];
const LIVE_EVERY: usize = 200;

impl Trainer {
    /// Whether a live-subset pass follows step `step` (1-based).
    pub(super) fn live_validates_after(&self, step: usize) -> bool {
        self.config.live_validation > 0
            && !self.validates_after(step)
            && (LIVE_EARLY.contains(&step) || step.is_multiple_of(LIVE_EVERY))
    }

    /// Validation over every held-out image, with dropout off unless configured otherwise,
    /// recorded in the history with each model's confusion matrix.
    pub async fn evaluate(&mut self) -> Result<EvalPoint, TrainError> {
        let point = self.validate(false).await?;
        self.history.evals.push(point.clone());
        Ok(point)
    }

    /// Validation over the live subset (the first `live_validation` held-out images).
    pub async fn evaluate_live(&mut self) -> Result<EvalPoint, TrainError> {
        let point = self.validate(true).await?;
        self.history.live_evals.push(point.clone());
        Ok(point)
    }

    async fn validate(&mut self, subset: bool) -> Result<EvalPoint, TrainError> {
        let images = if subset { self.config.live_validation.min(self.split.val.len()) } else { self.split.val.len() };
        let b = self.backend.as_mut();
        b.fill(self.eval_stats, 0.0);
        if !subset {
            b.fill(self.views.confusion, 0.0);
        }
        let seeds = SeedTree::new(self.config.seed);
        let batches = self.split.val.len().div_ceil(EVAL_ROWS);
        for (i, batch) in self.split.val[..images].chunks(EVAL_ROWS).enumerate() {
            b.gather(self.data, batch, self.stack.x, self.stack.labels);
            let dropout = self
                .config
                .dropout_at_eval
                .then(|| (self.config.dropout, seeds.eval_masks(self.step * batches + i, self.stack.shape.layers())));
            self.stack.forward(b, batch.len(), dropout);
            self.stack.loss(b, batch.len(), self.eval_stats, 0, false);
            if !subset {
                let logits = self.stack.output(self.stack.shape.layers() - 1);
                let s = self.stack.act_shape(batch.len(), self.stack.shape.layers() - 1);
                b.confusion(logits, self.stack.labels, s, self.views.confusion);
            }
        }
        let stats = b.read(self.eval_stats).await?;
        let confusion = if subset {
            Vec::new()
        } else {
            let counts = b.read(self.views.confusion).await?;
            counts.chunks(CLASSES * CLASSES).map(|m| m.iter().map(|&c| c as u32).collect()).collect()
        };
        let n = images as f32;
        Ok(EvalPoint {
            step: self.step,
            epoch: self.step as f32 / self.steps_per_epoch() as f32,
            loss: stats.chunks(2).map(|s| s[0] / n).collect(),
            accuracy: stats.chunks(2).map(|s| unless_diverged(s[0], s[1] / n)).collect(),
            images,
            subset,
            confusion,
        })
    }
}
