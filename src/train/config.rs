//! What defines a run: the settings (the lesson's by default) and their checks.

use serde::{Deserialize, Serialize};

use super::TrainError;
use crate::init::Initializer;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Optimizer {
    Adam,
    Sgd,
}

/// Everything that defines a run; the default is the lesson's experiment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainConfig {
    pub epochs: usize,
    pub batch_size: usize,
    pub lr: f32,
    pub optimizer: Optimizer,
    /// Drop probability after each hidden layer.
    pub dropout: f32,
    pub hidden: Vec<usize>,
    pub seed: u64,
    /// Validate every this many steps as well as after every epoch (0: after epochs only).
    pub eval_every: usize,
    /// Validate with dropout still on, as the lesson's published numbers were.
    pub dropout_at_eval: bool,
    /// The share of the training file held out for validation.
    pub val_fraction: f32,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 2,
            batch_size: 100,
            lr: 0.001,
            optimizer: Optimizer::Adam,
            dropout: 0.2,
            hidden: vec![256, 128],
            seed: 0,
            eval_every: 0,
            dropout_at_eval: false,
            val_fraction: 0.2,
        }
    }
}

pub(super) fn validate(
    c: &TrainConfig,
    inits: &[Initializer],
    images: usize,
    val_count: usize,
) -> Result<(), TrainError> {
    let bad = |m: String| Err(TrainError::Config(m));
    if inits.is_empty() {
        return bad("choose at least one initializer".into());
    }
    if let Some(err) = inits.iter().find_map(|i| i.check().err()) {
        return bad(err.to_string());
    }
    if c.epochs == 0 || c.batch_size == 0 {
        return bad(format!("epochs ({}) and batch size ({}) must be at least 1", c.epochs, c.batch_size));
    }
    if !(c.lr.is_finite() && c.lr > 0.0) {
        return bad(format!("the learning rate must be a positive number, not {}", c.lr));
    }
    if !(0.0..1.0).contains(&c.dropout) {
        return bad(format!("the dropout probability must be in [0, 1), not {}", c.dropout));
    }
    if c.hidden.contains(&0) {
        return bad(format!("every hidden layer needs at least one unit: {:?}", c.hidden));
    }
    if !(c.val_fraction > 0.0 && c.val_fraction < 1.0) || val_count == 0 || val_count >= images {
        return bad(format!(
            "holding out {} of {images} images leaves no training or no validation images",
            c.val_fraction
        ));
    }
    Ok(())
}
