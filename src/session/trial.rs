//! Backend choice by measurement: with `auto` and a GPU adapter, the session times a few real
//! training steps of the run asked for (its models, layers, batch and optimizer) on each
//! backend before building it, and trains on the faster. A software adapter (lavapipe,
//! SwiftShader) is thus never chosen over a faster CPU, and a real GPU is chosen where it wins
//! for this many models — which can differ between one model and thirteen.

use std::sync::Arc;

use serde::Serialize;

use super::{BackendKind, Clock, Session};
use crate::backend::Backend;
use crate::data::Dataset;
use crate::train::{ModelArch, ModelSpec, TrainConfig, TrainError, Trainer};

/// Wall-clock time each backend's timed steps may take, after one warm-up step: the two
/// trials together stay under a second unless one step alone is slower than this.
pub const TRIAL_BUDGET_MS: f64 = 300.0;
/// Timed steps per backend at most (a fast backend needs no more for a stable figure).
const MAX_TRIAL_STEPS: usize = 20;

/// What the trial measured, in milliseconds per training step of all `models` together, with
/// `batch_size` images and each model's settings `archs`, on the CPU and on the adapter `gpu`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub struct Trial {
    pub models: usize,
    pub batch_size: usize,
    /// Each model's resolved settings: with the batch, what sets a step's time (widths, and
    /// how the models group into stacks).
    pub archs: Vec<ModelArch>,
    pub gpu: String,
    pub cpu_ms_per_step: f64,
    /// `None` when the GPU could not run the steps (`gpu_error` says why).
    pub gpu_ms_per_step: Option<f64>,
    pub gpu_error: Option<String>,
}

impl Trial {
    /// Whether the GPU trained faster than the CPU.
    pub fn gpu_wins(&self) -> bool {
        self.gpu_ms_per_step.is_some_and(|gpu| gpu < self.cpu_ms_per_step)
    }

    /// Whether this trial timed a run of `models` with `config`'s batch: the same models'
    /// settings, what decides which backend is faster.
    pub fn timed(&self, models: &[ModelSpec], config: &TrainConfig) -> bool {
        (self.batch_size, &self.archs) == (config.batch_size, &archs(models, config))
    }

    /// The choice and both figures, for people: "timed 6 models: GPU 3.1 ms/step, CPU
    /// 22.4 ms/step; training on the GPU (7.2× faster)".
    pub fn reason(&self) -> String {
        let gpu_name = &self.gpu;
        let cpu = self.cpu_ms_per_step;
        let (figures, verdict) = match self.gpu_ms_per_step {
            Some(gpu) => {
                let figures = format!("{gpu_name} {}, CPU {}", ms(gpu), ms(cpu));
                let verdict = if self.gpu_wins() {
                    format!("training on the GPU ({:.1}× faster)", cpu / gpu)
                } else {
                    format!("training on the CPU ({:.1}× faster)", gpu / cpu)
                };
                (figures, verdict)
            }
            None => {
                let why = self.gpu_error.as_deref().unwrap_or("it failed");
                (format!("CPU {}, {gpu_name} could not train ({why})", ms(cpu)), "training on the CPU".into())
            }
        };
        let models = if self.models == 1 { "1 model".into() } else { format!("{} models", self.models) };
        format!("timed {models}: {figures}; {verdict}")
    }
}

fn ms(v: f64) -> String {
    if v < 10.0 { format!("{v:.2} ms/step") } else { format!("{v:.0} ms/step") }
}

impl Session {
    /// Times the run asked for on both backends where `auto` chooses by measurement, unless a
    /// run of its shape was timed before, and settles new runs on the faster. Settings that
    /// cannot make a run skip the trial: the build says why.
    pub(super) async fn time_backends_if_due(&mut self) {
        let (Some(data), Some((inits, config))) = (&self.data, &self.settings) else { return };
        if !self.devices.chooses_by_measurement() || self.devices.settle_as_timed(inits, config) {
            return;
        }
        let (Some(cpu), Some(gpu)) = (self.devices.make(BackendKind::Cpu), self.devices.make(BackendKind::Gpu)) else {
            return;
        };
        let Ok(cpu_ms) = time_steps(cpu, data, inits, config, &self.clock).await else { return };
        let gpu_name = gpu.name();
        let gpu_ms = time_steps(gpu, data, inits, config, &self.clock).await;
        let measured = Trial {
            models: inits.len(),
            batch_size: config.batch_size,
            archs: archs(inits, config),
            gpu: gpu_name,
            cpu_ms_per_step: cpu_ms,
            gpu_error: gpu_ms.as_ref().err().map(ToString::to_string),
            gpu_ms_per_step: gpu_ms.ok(),
        };
        self.devices.settle(measured);
    }
}

/// Milliseconds per step of `inits` trained with `config` on `backend`: one warm-up step
/// (first dispatches, resident data), then one timed step to size the rest, then as many as
/// fill [`TRIAL_BUDGET_MS`] (at most [`MAX_TRIAL_STEPS`]) in one chunk, read back once, as a
/// real run's chunks are. Trains on the first images of `data` only, so that the trial
/// uploads little; its trainer is dropped afterwards.
///
/// # Errors
/// [`TrainError`] when the run cannot be built on `backend` or a step fails there.
pub async fn time_steps<M: Clone + Into<ModelSpec>>(
    backend: Box<dyn Backend>,
    data: &Dataset,
    inits: &[M],
    config: &TrainConfig,
    clock: &Clock,
) -> Result<f64, TrainError> {
    let config = TrainConfig { live_validation: 0, eval_every: 0, epochs: 1, val_fraction: 0.2, ..config.clone() };
    let mut trainer = Trainer::new(backend, Arc::new(first_images(data, &config)), inits, config)?;
    trainer.run(1).await?;
    let started = clock();
    let mut steps = trainer.run(1).await?;
    let first = clock() - started;
    let more = ((TRIAL_BUDGET_MS - first) / first.max(0.01)).floor().clamp(0.0, (MAX_TRIAL_STEPS - 1) as f64);
    steps += trainer.run(more as usize).await?;
    Ok((clock() - started) / steps.max(1) as f64)
}

/// Enough of `data`'s first images for the trial's steps in one epoch (so no validation pass
/// falls among them), or all of it when it is smaller.
fn first_images(data: &Dataset, config: &TrainConfig) -> Dataset {
    let train = config.batch_size * (MAX_TRIAL_STEPS + 2);
    let count = (train * 5).div_ceil(4).min(data.len());
    let ppi = data.pixels_per_image();
    Dataset {
        pixels: data.pixels[..count * ppi].to_vec(),
        labels: data.labels[..count].to_vec(),
        rows: data.rows,
        cols: data.cols,
    }
}

/// Each model's settings in a run of `config`.
fn archs(models: &[ModelSpec], config: &TrainConfig) -> Vec<ModelArch> {
    models.iter().map(|m| m.arch(config)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trial(gpu: Option<f64>, name: &str) -> Trial {
        let zeros = ModelSpec::parse("zeros").unwrap();
        Trial {
            models: 6,
            batch_size: 100,
            archs: vec![zeros.arch(&TrainConfig::default()); 6],
            gpu: name.into(),
            cpu_ms_per_step: 20.0,
            gpu_ms_per_step: gpu,
            gpu_error: None,
        }
    }

    #[test]
    fn the_faster_backend_wins_and_the_reason_gives_both_figures() {
        assert!(trial(Some(4.0), "H200").gpu_wins());
        assert!(!trial(Some(400.0), "SwiftShader").gpu_wins());
        assert!(!trial(None, "SwiftShader").gpu_wins());
        let reason = trial(Some(400.0), "SwiftShader").reason();
        assert_eq!(
            reason,
            "timed 6 models: SwiftShader 400 ms/step, CPU 20 ms/step; training on the CPU (20.0× faster)"
        );
        assert!(trial(Some(4.0), "H200").reason().ends_with("training on the GPU (5.0× faster)"));
    }

    #[test]
    fn a_trial_stands_for_runs_of_its_shape_only() {
        let lesson = TrainConfig::default();
        let models = |ids: &[&str]| ids.iter().map(|id| ModelSpec::parse(id).unwrap()).collect::<Vec<_>>();
        let six = models(&["zeros"; 6]);
        assert!(trial(None, "x").timed(&six, &lesson));
        assert!(!trial(None, "x").timed(&six[..5], &lesson));
        assert!(!trial(None, "x").timed(&six, &TrainConfig { batch_size: 32, ..lesson.clone() }));
        assert!(!trial(None, "x").timed(&six, &TrainConfig { hidden: vec![64], ..lesson.clone() }));
        // A model of its own depth, or its own learning rate (another stack), is another run.
        for other in ["zeros@256x30", "zeros@lr=0.01"] {
            let mixed = models(&["zeros", "zeros", "zeros", "zeros", "zeros", other]);
            assert!(!trial(None, "x").timed(&mixed, &lesson), "{other}");
        }
    }
}
