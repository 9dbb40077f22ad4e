//! Layer health over time: every few steps, each layer's weight-gradient RMS and
//! update-to-weight ratio on that step, and its outputs' mean, spread, dead units and
//! histogram on a fixed probe of validation images (dropout off). Sampled into a slot of one
//! buffer and read back with the step metrics, never per step.

use super::views::{HEALTH_ROWS, HISTOGRAM_BINS, counts_dead};
use super::{HealthSample, TrainError, Trainer};
use crate::backend::{Region, Shape};
use crate::stats::{
    HEALTH_DEAD, HEALTH_GRAD, HEALTH_HISTOGRAM, HEALTH_OUTPUTS, HEALTH_UPDATE, HEALTH_WEIGHTS, LayerHealth,
    health_floats,
};

const FLOATS: usize = health_floats(HISTOGRAM_BINS);

impl Trainer {
    /// Samples layer health after every `every` steps (0: never, the default). Costs about a
    /// third of a step per sample.
    pub fn sample_health_every(&mut self, every: usize) {
        self.health_every = every;
        if every > 0 {
            for group in &mut self.groups {
                group.views.keep_before(self.backend.as_mut(), &group.stack.shape, group.models.len());
            }
        }
    }

    /// The samples read back since the last call.
    pub fn take_new_health(&mut self) -> Vec<HealthSample> {
        self.history.take_new_health()
    }

    /// Whether step `step` (1-based) is sampled.
    pub(super) fn health_due(&self, step: usize) -> bool {
        self.health_every > 0 && step.is_multiple_of(self.health_every)
    }

    /// Before a sampled step's update: keeps the weights, for the update's size.
    pub(super) fn keep_weights_before_update(&mut self) {
        for group in &self.groups {
            for (l, &before) in group.views.before.iter().enumerate() {
                let (fan_in, fan_out) = group.stack.shape.dims(l);
                self.backend.copy(group.stack.weights(l).0, before, 0, group.models.len() * fan_in * fan_out);
            }
        }
    }

    /// After a sampled step's update: its reductions into the next free slot.
    pub(super) fn sample_health(&mut self) {
        let slot = self.pending_health.len();
        let probe = &self.split.val[..HEALTH_ROWS.min(self.split.val.len())];
        let bins = self.health_bins();
        let b = self.backend.as_mut();
        for group in &self.groups {
            let (stack, v) = (&group.stack, &group.views);
            let (models, layers) = (group.models.len(), stack.shape.layers());
            let at = |l: usize, field: usize| Region {
                offset: (slot * layers + l) * models * FLOATS + field,
                stride: FLOATS,
            };
            for l in 0..layers {
                let (fan_in, fan_out) = stack.shape.dims(l);
                let ws = Shape { models, rows: fan_in, cols: fan_out };
                let (w, dw) = stack.weights(l);
                b.moments(dw, None, ws, v.health, at(l, HEALTH_GRAD));
                b.moments(w, Some(v.before[l]), ws, v.health, at(l, HEALTH_UPDATE));
                b.moments(w, None, ws, v.health, at(l, HEALTH_WEIGHTS));
            }
            b.gather(self.data, probe, stack.x, stack.labels);
            stack.forward(b, probe.len(), None);
            for (l, &layer_bins) in bins.iter().enumerate().take(layers) {
                let (out, s) = (stack.output(l), stack.act_shape(probe.len(), l));
                b.moments(out, None, s, v.health, at(l, HEALTH_OUTPUTS));
                b.dead_units(out, s, v.health, at(l, HEALTH_DEAD));
                b.histogram(out, s, layer_bins, v.health, at(l, HEALTH_HISTOGRAM));
            }
        }
        self.pending_health.push(self.step);
    }

    /// Reads the pending samples back into the history.
    pub(super) async fn read_health(&mut self) -> Result<(), TrainError> {
        if self.pending_health.is_empty() {
            return Ok(());
        }
        let rows = HEALTH_ROWS.min(self.split.val.len());
        let bins = self.health_bins();
        let mut samples = vec![vec![Vec::new(); self.models.len()]; self.pending_health.len()];
        for group in &self.groups {
            let values = self.backend.read(group.views.health).await?;
            let (shape, models) = (&group.stack.shape, group.models.len());
            let layers = shape.layers();
            for (slot, sample) in samples.iter_mut().enumerate() {
                for (i, &m) in group.models.iter().enumerate() {
                    sample[m] = (0..layers)
                        .map(|l| {
                            let (fan_in, fan_out) = shape.dims(l);
                            let at = ((slot * layers + l) * models + i) * FLOATS;
                            let sizes = (fan_in * fan_out, rows * fan_out, fan_out);
                            LayerHealth::decode(&values[at..at + FLOATS], &bins[l], sizes, counts_dead(shape, l))
                        })
                        .collect();
                }
            }
        }
        for (&step, layers) in self.pending_health.iter().zip(samples) {
            self.history.push_health(HealthSample { step, layers });
        }
        self.pending_health.clear();
        Ok(())
    }
}
