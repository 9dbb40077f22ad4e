//! Failures explained as results: where a model's loss first turns NaN or ∞, the step, the
//! layer whose outputs broke first and how large its finite values had grown.
//!
//! Nothing is measured per step. The losses come back every few steps; when a model's first
//! non-finite loss is among them, that step's forward pass is no longer in the buffers (later
//! steps and views have run since). So the model's stack is replayed once, from the last
//! checkpoint (or its initial weights) up to that step, whose forward outputs are then read
//! back and scanned on the host; its state is put back as it was. Batches and dropout masks
//! depend only on the step, so the replay is the run's own steps.

use serde::Serialize;

use super::step::forward_backward;
use super::{TrainError, Trainer};
use crate::data::split;
use crate::seeds::SeedTree;

/// How a layer's outputs broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub enum DivergenceCause {
    /// Some output exceeded `f32::MAX` (≈ 3.4e38) and became ±∞.
    Overflow,
    /// Outputs became NaN (e.g. ∞ − ∞, or NaN weights) with none of them ±∞.
    Nan,
}

/// Where and how a model diverged, measured on the forward pass of its first training step
/// whose loss is not finite.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub struct Divergence {
    /// That step, 1-based as the page and the CLI count steps.
    pub step: usize,
    /// The weight layer (1-based; the last is the logits') whose outputs first hold a NaN or
    /// ±∞ on that batch. Layer 1 where the first weights were already non-finite. Where every
    /// layer's outputs are finite, the last layer: the loss itself overflowed on them.
    pub layer: usize,
    /// The largest finite |value| among that layer's outputs on the batch (activation and
    /// dropout applied); where none of them is finite and non-zero (all ∞ or NaN but ReLU's
    /// or dropout's zeros), among its inputs (the previous layer's outputs, or the pixels for
    /// layer 1): the values that broke it. 0 when neither holds one.
    pub max_abs: f32,
    pub cause: DivergenceCause,
}

impl Divergence {
    /// Locates the divergence of step `step` in one model's forward pass: `inputs` (the
    /// batch, `[rows][pixels]`) and `outputs[l]` (layer `l`'s outputs, `[rows][width]`).
    ///
    /// # Panics
    /// If `outputs` is empty (a model has at least its output layer).
    pub fn locate(step: usize, inputs: &[f32], outputs: &[&[f32]]) -> Divergence {
        let broken = outputs.iter().position(|o| o.iter().any(|v| !v.is_finite()));
        let l = broken.unwrap_or(outputs.len() - 1);
        let layer = outputs[l];
        let overflow = broken.is_none() || layer.iter().any(|v| v.is_infinite());
        let before = if l == 0 { inputs } else { outputs[l - 1] };
        let max_abs = max_finite_abs(layer).or_else(|| max_finite_abs(before)).unwrap_or(0.0);
        let cause = if overflow { DivergenceCause::Overflow } else { DivergenceCause::Nan };
        Divergence { step, layer: l + 1, max_abs, cause }
    }
}

/// The largest finite |value|, if any finite value is not 0.
fn max_finite_abs(values: &[f32]) -> Option<f32> {
    values.iter().filter(|v| v.is_finite()).map(|v| v.abs()).reduce(f32::max).filter(|&v| v > 0.0)
}

impl Trainer {
    /// Explains each newly diverged model, `found` as `(group, model in its stack, step)`,
    /// into the history (see the module's note for how): one replay per group and step.
    pub(super) async fn explain_divergences(&mut self, found: &[(usize, usize, usize)]) -> Result<(), TrainError> {
        let mut replays: Vec<(usize, usize)> = found.iter().map(|&(g, _, step)| (g, step)).collect();
        replays.sort_unstable();
        replays.dedup();
        for (g, step) in replays {
            let (inputs, outputs) = self.replay_forward(g, step).await?;
            let shape = &self.groups[g].stack.shape;
            let rows = inputs.len() / shape.sizes[0];
            for &(_, i, _) in found.iter().filter(|&&(fg, _, fs)| (fg, fs) == (g, step)) {
                let per_model: Vec<&[f32]> = outputs
                    .iter()
                    .enumerate()
                    .map(|(l, o)| {
                        let len = rows * shape.sizes[l + 1];
                        &o[i * len..(i + 1) * len]
                    })
                    .collect();
                let divergence = Divergence::locate(step, &inputs, &per_model);
                self.history.set_divergence(self.groups[g].models[i], divergence);
            }
        }
        Ok(())
    }

    /// Group `g`'s forward pass of step `step` (1-based) as it ran: the batch and every
    /// layer's outputs (`[models][rows][width]`). Leaves the group's state as it found it.
    async fn replay_forward(&mut self, g: usize, step: usize) -> Result<(Vec<f32>, Vec<Vec<f32>>), TrainError> {
        let state_bufs = self.groups[g].stack.state_bufs();
        let mut saved = Vec::with_capacity(state_bufs.len());
        for &buf in &state_bufs {
            saved.push(self.backend.read(buf).await?);
        }
        let start = self.restore_before(g, step);
        let (seed, mask_layers, dropout) = (self.config.seed, self.mask_layers(), self.config.dropout);
        let per_epoch = self.steps_per_epoch();
        let (mut order, mut rows) = ((usize::MAX, Vec::new()), 0);
        for k in start..step {
            if k / per_epoch != order.0 {
                order = (k / per_epoch, split::epoch_order(&self.split.train, seed, k / per_epoch));
            }
            let batch = split::batch_of(&order.1, k % per_epoch, self.config.batch_size);
            rows = batch.len();
            let group = &self.groups[g];
            let masks = Some((dropout, SeedTree::new(seed).train_masks(k, mask_layers)));
            let last = k + 1 == step;
            // The last step only needs its forward pass; the loss of the others goes to slot 0,
            // cleared below.
            forward_backward(self.backend.as_mut(), self.data, group, batch, masks, (!last).then_some(0));
            if !last {
                group.stack.update(self.backend.as_mut(), &group.update(k + 1));
            }
        }
        let stack = &self.groups[g].stack;
        let mut inputs = self.backend.read(stack.x).await?;
        inputs.truncate(rows * stack.shape.sizes[0]);
        let mut outputs = Vec::new();
        for l in 0..stack.shape.layers() {
            outputs.push(self.backend.read(stack.output(l)).await?);
        }
        for (&buf, values) in state_bufs.iter().zip(&saved) {
            self.backend.write(buf, values);
        }
        self.backend.fill(self.groups[g].stats, 0.0);
        Ok((inputs, outputs))
    }

    /// Writes group `g`'s state as of the latest point before step `step` the run can
    /// restore (the last checkpoint, else the initial weights) and returns its step.
    fn restore_before(&mut self, g: usize, step: usize) -> usize {
        let group = &self.groups[g];
        if let Some(c) = self.checkpoint.as_ref().filter(|c| c.step < step) {
            let offset: usize = self.groups[..g].iter().map(|g| g.stack.state_bufs().len()).sum();
            for (buf, values) in group.stack.state_bufs().into_iter().zip(&c.state[offset..]) {
                self.backend.write(buf, values);
            }
            return c.step;
        }
        let params: Vec<_> =
            group.models.iter().map(|&m| group.stack.shape.init(&self.models[m].init, self.config.seed)).collect();
        group.stack.load_init(self.backend.as_mut(), &params);
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_the_first_layer_with_a_non_finite_output() {
        let outputs: [&[f32]; 3] = [&[1.0, -7.0], &[2e38, f32::INFINITY], &[f32::NAN, 0.0]];
        let d = Divergence::locate(37, &[0.5], &outputs);
        assert_eq!(d, Divergence { step: 37, layer: 2, max_abs: 2e38, cause: DivergenceCause::Overflow });
    }

    #[test]
    fn a_layer_of_only_nan_and_zeros_takes_its_inputs_largest_finite_value() {
        let outputs: [&[f32]; 2] = [&[3.0, -9.0], &[f32::NAN, 0.0, f32::NAN]];
        let d = Divergence::locate(4, &[1.0], &outputs);
        assert_eq!((d.layer, d.max_abs, d.cause), (2, 9.0, DivergenceCause::Nan));
    }

    #[test]
    fn finite_outputs_blame_the_loss_on_the_logits() {
        let outputs: [&[f32]; 2] = [&[1.0], &[-3e38, 3e38]];
        let d = Divergence::locate(1, &[1.0], &outputs);
        assert_eq!((d.layer, d.max_abs, d.cause), (2, 3e38, DivergenceCause::Overflow));
    }

    #[test]
    fn nan_first_weights_break_layer_one_and_fall_back_to_the_pixels() {
        let outputs: [&[f32]; 2] = [&[f32::NAN], &[f32::NAN]];
        let d = Divergence::locate(2, &[0.25, 1.0], &outputs);
        assert_eq!((d.layer, d.max_abs, d.cause), (1, 1.0, DivergenceCause::Nan));
    }
}
