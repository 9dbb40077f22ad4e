//! The training loop: steps on the same batch for every model, their metrics read back every
//! few steps, validation passes (full and live) and layer health when due, and the
//! checkpoint at each full pass.

use super::group::Group;
use super::{Checkpoint, STATS_SLOTS, TrainError, Trainer, unless_diverged};
use crate::backend::{Backend, DataId};
use crate::data::split;
use crate::seeds::{MaskStreams, SeedTree};

impl Trainer {
    /// Runs up to `max_steps` more training steps (validating when due), reads their
    /// metrics back, and returns how many steps ran.
    pub async fn run(&mut self, max_steps: usize) -> Result<usize, TrainError> {
        let mut ran = 0;
        while ran < max_steps && !self.is_finished() {
            self.train_step();
            ran += 1;
            let eval_due = self.validates_after(self.step);
            let live_due = self.live_validates_after(self.step);
            if self.pending.len() == STATS_SLOTS || eval_due || live_due {
                self.read_stats().await?;
            }
            if live_due {
                self.evaluate_live().await?;
            }
            if eval_due {
                self.evaluate().await?;
                self.checkpoint =
                    Some(Checkpoint { step: self.step, history: self.history.mark(), state: self.read_state().await? });
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
        let batch = split::batch_of(&self.order, in_epoch, self.config.batch_size);
        let rows = batch.len();
        let (slot, mask_layers) = (self.pending.len(), self.mask_layers());
        let masks = SeedTree::new(self.config.seed).train_masks(self.step, mask_layers);
        for group in &self.groups {
            let dropout = Some((self.config.dropout, masks));
            forward_backward(self.backend.as_mut(), self.data, group, batch, dropout, Some(slot));
        }
        self.step += 1;
        let sampled = self.health_due(self.step);
        if sampled {
            self.keep_weights_before_update();
        }
        let b = self.backend.as_mut();
        for group in &self.groups {
            group.stack.update(b, &group.update(self.step));
        }
        self.pending.push(rows);
        if sampled {
            self.sample_health();
        }
    }

    /// Reads the pending steps' metrics into the history, and explains each model whose loss
    /// turns non-finite for the first time among them.
    pub(super) async fn read_stats(&mut self) -> Result<(), TrainError> {
        self.read_health().await?;
        if self.pending.is_empty() {
            return Ok(());
        }
        // Every group read before any is recorded: a failed read leaves the history whole.
        let mut read = Vec::new();
        for group in &self.groups {
            read.push(self.backend.read(group.stats).await?);
        }
        let first_step = self.step + 1 - self.pending.len();
        let mut diverged = Vec::new();
        for (g, (group, stats)) in self.groups.iter().zip(read).enumerate() {
            let n = group.models.len();
            for (slot, &rows) in self.pending.iter().enumerate() {
                for (i, &m) in group.models.iter().enumerate() {
                    let at = (slot * n + i) * 2;
                    let loss = stats[at] / rows as f32;
                    let first = !loss.is_finite()
                        && self.history.divergence()[m].is_none()
                        && !diverged.iter().any(|&(dg, di, _)| (dg, di) == (g, i));
                    if first {
                        diverged.push((g, i, first_step + slot));
                    }
                    self.history.push(m, loss, unless_diverged(loss, stats[at + 1] / rows as f32));
                }
            }
            self.backend.fill(group.stats, 0.0);
        }
        self.pending.clear();
        self.explain_divergences(&diverged).await
    }
}

/// Group `group`'s forward pass on training images `batch` (gathered into its stack) with
/// `dropout` (probability, masks); with `slot`, also its loss into that slot of the group's
/// stats and the backward pass.
pub(super) fn forward_backward(
    b: &mut dyn Backend,
    data: DataId,
    group: &Group,
    batch: &[u32],
    dropout: Option<(f32, MaskStreams)>,
    slot: Option<usize>,
) {
    let (stack, rows) = (&group.stack, batch.len());
    b.gather(data, batch, stack.x, stack.labels);
    stack.forward(b, rows, dropout);
    if let Some(slot) = slot {
        stack.loss(b, rows, group.stats, slot, true);
        stack.backward(b, rows, dropout);
    }
}
