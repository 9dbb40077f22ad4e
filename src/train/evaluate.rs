//! Measuring the models without training them: validation passes over the held-out images,
//! and the per-layer diagnostics on a fixed probe batch.

use super::{EVAL_ROWS, EvalPoint, HISTOGRAM_BINS, PROBE_ROWS, TrainError, Trainer, unless_diverged};
use crate::seeds::SeedTree;
use crate::stats::LayerStats;

impl Trainer {
    /// Validation over the held-out images, with dropout off unless configured otherwise.
    pub async fn evaluate(&mut self) -> Result<EvalPoint, TrainError> {
        let b = self.backend.as_mut();
        b.fill(self.eval_stats, 0.0);
        let seeds = SeedTree::new(self.config.seed);
        let batches = self.split.val.len().div_ceil(EVAL_ROWS);
        for (i, batch) in self.split.val.chunks(EVAL_ROWS).enumerate() {
            b.gather(self.data, batch, self.stack.x, self.stack.labels);
            let dropout = self
                .config
                .dropout_at_eval
                .then(|| (self.config.dropout, seeds.eval_masks(self.step * batches + i, self.stack.shape.layers())));
            self.stack.forward(b, batch.len(), dropout);
            self.stack.loss(b, batch.len(), self.eval_stats, 0, false);
        }
        let stats = b.read(self.eval_stats).await?;
        let n = self.split.val.len() as f32;
        let point = EvalPoint {
            step: self.step,
            epoch: self.step as f32 / self.steps_per_epoch() as f32,
            loss: stats.chunks(2).map(|s| s[0] / n).collect(),
            accuracy: stats.chunks(2).map(|s| unless_diverged(s[0], s[1] / n)).collect(),
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
}
