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
        let models = self.models.len();
        let (mut sums, mut confusion) = (vec![[0.0f32; 2]; models], vec![Vec::new(); models]);
        let seeds = SeedTree::new(self.config.seed);
        let batches = self.split.val.len().div_ceil(EVAL_ROWS);
        let mask_layers = self.mask_layers();
        let b = self.backend.as_mut();
        for group in &self.groups {
            let (stack, last) = (&group.stack, group.stack.shape.layers() - 1);
            b.fill(group.eval_stats, 0.0);
            if !subset {
                b.fill(group.views.confusion, 0.0);
            }
            for (i, batch) in self.split.val[..images].chunks(EVAL_ROWS).enumerate() {
                b.gather(self.data, batch, stack.x, stack.labels);
                let dropout = self
                    .config
                    .dropout_at_eval
                    .then(|| (self.config.dropout, seeds.eval_masks(self.step * batches + i, mask_layers)));
                stack.forward(b, batch.len(), dropout);
                stack.loss(b, batch.len(), group.eval_stats, 0, false);
                if !subset {
                    let s = stack.act_shape(batch.len(), last);
                    b.confusion(stack.output(last), stack.labels, s, group.views.confusion);
                }
            }
            let stats = b.read(group.eval_stats).await?;
            for (&m, s) in group.models.iter().zip(stats.chunks(2)) {
                sums[m] = [s[0], s[1]];
            }
            if !subset {
                let counts = b.read(group.views.confusion).await?;
                for (&m, c) in group.models.iter().zip(counts.chunks(CLASSES * CLASSES)) {
                    confusion[m] = c.iter().map(|&c| c as u32).collect();
                }
            }
        }
        let n = images as f32;
        Ok(EvalPoint {
            step: self.step,
            epoch: self.step as f32 / self.steps_per_epoch() as f32,
            loss: sums.iter().map(|s| s[0] / n).collect(),
            accuracy: sums.iter().map(|s| unless_diverged(s[0], s[1] / n)).collect(),
            images,
            subset,
            confusion: if subset { Vec::new() } else { confusion },
        })
    }
}
