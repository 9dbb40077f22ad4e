//! A timing entry into the page's engine for the browser benchmark (`tests/bench/`, run by
//! `cargo xtask bench`): the same trainer as the CLI's `bench` ([`Trainer::for_bench`]) on the
//! real training files, stepped from JS, which times [`BenchRun::run`] with
//! `performance.now()`. Not used by the page.

use std::sync::Arc;

use wasm_bindgen::prelude::*;

use crate::data::Dataset;
use crate::session::{BackendChoice, Devices};
use crate::train::{TrainConfig, Trainer};

/// A trainer of N models on one backend, stepped on demand.
#[wasm_bindgen]
pub struct BenchRun {
    trainer: Trainer,
}

#[wasm_bindgen]
impl BenchRun {
    /// `models` models on `backend` (`"cpu"`: the wasm CPU backend on this one thread; `"gpu"`:
    /// WebGPU, whatever the adapter), trained on an IDX images file and its labels file
    /// (`images`, `labels`: the bytes, gzip or raw).
    ///
    /// # Errors
    /// The data's parse error, no WebGPU adapter for `"gpu"`, or a run the backend cannot hold.
    pub async fn open(backend: JsValue, images: Vec<u8>, labels: Vec<u8>, models: usize) -> Result<BenchRun, JsError> {
        let choice: BackendChoice = serde_wasm_bindgen::from_value(backend)?;
        let data = Arc::new(Dataset::from_idx("images", &images, "labels", &labels)?);
        let devices = Devices::open(choice, 1).await?;
        let backend = devices
            .make(devices.kind())
            .ok_or_else(|| JsError::new(&format!("no {:?} backend could be made", devices.kind())))?;
        Ok(BenchRun { trainer: Trainer::for_bench(backend, data, models, &TrainConfig::default())? })
    }

    /// Trains `steps` more steps; resolves once their metrics have been read back, so the
    /// backend's work is done (on WebGPU too). Returns the steps that ran (fewer at the end
    /// of the epoch).
    ///
    /// # Errors
    /// The backend's failure (a lost GPU device).
    pub async fn run(&mut self, steps: usize) -> Result<usize, JsError> {
        Ok(self.trainer.run(steps).await?)
    }

    /// The backend's name, e.g. "CPU (1 thread)" or the WebGPU adapter's.
    pub fn backend(&self) -> String {
        self.trainer.backend_name()
    }

    /// The mean over the models of the last batch's loss: a sign that they train.
    pub fn loss(&self) -> f32 {
        self.trainer.last_mean_loss()
    }
}
