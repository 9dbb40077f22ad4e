//! The speed benchmarks' run, shared by the CLI's `bench` and the page engine's `BenchRun`
//! (`cargo xtask bench`), so that both time the same work.

use std::sync::Arc;

use super::{TrainConfig, TrainError, Trainer};
use crate::backend::Backend;
use crate::data::Dataset;
use crate::init::Initializer;

impl Trainer {
    /// `models` models side by side on `dataset` with `recipe`'s network, batch and optimizer
    /// (the lesson's MLP by default, or a preset's), training alone: no live validation, one
    /// epoch (a full validation pass only after the epoch's last step). The initializers are
    /// the well-scaled ones from the catalog's fifth on, repeated as needed, so that no model
    /// diverges into NaNs while it is timed.
    ///
    /// # Errors
    /// [`TrainError`] when `models` is 0, or the data or the backend cannot hold the run.
    pub fn for_bench(
        backend: Box<dyn Backend>,
        dataset: Arc<Dataset>,
        models: usize,
        recipe: &TrainConfig,
    ) -> Result<Trainer, TrainError> {
        let inits: Vec<Initializer> = Initializer::all().into_iter().cycle().skip(4).take(models).collect();
        let config = TrainConfig { live_validation: 0, epochs: 1, ..recipe.clone() };
        Trainer::new(backend, dataset, &inits, config)
    }

    /// The mean over the models of the loss on the last batch trained (NaN before any step).
    pub fn last_mean_loss(&self) -> f32 {
        let last: Vec<f32> = self.history.steps.losses.iter().filter_map(|l| l.last().copied()).collect();
        last.iter().sum::<f32>() / last.len() as f32
    }
}
