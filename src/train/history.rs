//! What a run records: per-batch losses, validation passes, and the lesson's table.

use serde::Serialize;

use crate::init::Initializer;

/// One validation pass over the held-out images.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EvalPoint {
    pub step: usize,
    pub epoch: f32,
    /// Mean loss and accuracy (0–1) per model.
    pub loss: Vec<f32>,
    pub accuracy: Vec<f32>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct History {
    /// Training loss of every batch, `[model][step]` (NaN or ∞ once a model diverges).
    pub losses: Vec<Vec<f32>>,
    /// Training accuracy of every batch (dropout on), `[model][step]`.
    pub batch_accuracy: Vec<Vec<f32>>,
    pub evals: Vec<EvalPoint>,
}

/// The lesson's table row for one model.
#[derive(Clone, Debug, PartialEq, Serialize)]
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

impl History {
    /// The lesson's table, one row per model (`inits` in the models' order).
    pub fn results(&self, inits: &[Initializer]) -> Vec<ModelResult> {
        let last_eval = self.evals.last();
        inits
            .iter()
            .enumerate()
            .map(|(m, init)| {
                let losses = &self.losses[m];
                let val_loss = last_eval.map_or(f32::NAN, |e| e.loss[m]);
                let last_batch_loss = losses.last().copied().unwrap_or(f32::NAN);
                ModelResult {
                    init: init.id(),
                    label: init.label(),
                    val_accuracy: last_eval.map_or(f32::NAN, |e| e.accuracy[m]),
                    val_loss,
                    last_batch_loss,
                    mean_loss_first_100: mean(&losses[..losses.len().min(100)]),
                    mean_loss_last_100: mean(&losses[losses.len().saturating_sub(100)..]),
                    diverged: losses.iter().any(|l| !l.is_finite()) || last_eval.is_some_and(|_| !val_loss.is_finite()),
                }
            })
            .collect()
    }
}

fn mean(xs: &[f32]) -> f32 {
    xs.iter().map(|&x| x as f64).sum::<f64>() as f32 / xs.len() as f32
}
