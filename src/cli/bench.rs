//! `bench`: training speed of the lesson's MLP and batch, per backend, thread count and
//! number of models trained side by side. Printed as numbers, never asserted.

use std::sync::Arc;
use std::time::Instant;

use clap::Args;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use weight_init_lab::backend::{BackendError, DeviceWork};
use weight_init_lab::data::{CLASSES, Dataset, IMAGE_SIDE};
use weight_init_lab::presets;
use weight_init_lab::session::{BackendChoice, Devices};
use weight_init_lab::train::{TrainConfig, Trainer};

use super::CliError;

#[derive(Args)]
pub struct BenchArgs {
    /// `auto` measures the CPU, and the GPU too when an adapter exists.
    #[arg(long, value_enum, default_value = "auto")]
    backend: BackendChoice,
    /// CPU thread counts to measure.
    #[arg(long, value_delimiter = ',', default_value = "1,2")]
    threads: Vec<usize>,
    /// Numbers of models trained side by side.
    #[arg(long, value_delimiter = ',', default_value = "1,6")]
    models: Vec<usize>,
    /// Timed steps per measurement (after 5 untimed warm-up steps).
    #[arg(long, default_value_t = 100)]
    steps: usize,
    /// Instead: the lesson preset's time to its table with the views off, with the live
    /// accuracy, and with every view, on the CPU with the first of `--threads` (on the GPU
    /// with `--backend gpu`), medians of this many runs.
    #[arg(long)]
    views: Option<usize>,
    /// Print one JSON object per measurement (for `cargo xtask bench`) instead of the table.
    #[arg(long)]
    json: bool,
    /// Time a preset's network and recipe (e.g. `he-2015`: 30 ReLU layers of 256, SGD)
    /// instead of the lesson's.
    #[arg(long, conflicts_with = "views")]
    preset: Option<String>,
}

/// One measurement, as `--json` prints it (a GPU without an adapter prints
/// `{"backend": "gpu", "skipped": WHY}` instead).
#[derive(Serialize)]
struct Row {
    backend: String,
    /// The CPU backend's thread count; 0 for the GPU.
    threads: usize,
    models: usize,
    ms_per_step: f64,
    /// Training images per second (each trained into every model).
    samples_per_s: f64,
    /// The mean over the models of the last batch's loss: a sign that they train.
    loss: f32,
    /// GPU kernel dispatches and queue submissions per training step (`None` on the CPU).
    dispatches_per_step: Option<f64>,
    submits_per_step: Option<f64>,
}

const WARMUP: usize = 5;

pub fn run(a: BenchArgs) -> Result<(), CliError> {
    if a.steps == 0 || a.models.contains(&0) {
        return Err(CliError::Usage("--steps and every --models count must be at least 1".into()));
    }
    let config = match &a.preset {
        Some(id) => presets::find(id).ok_or_else(|| CliError::Usage(format!("unknown preset `{id}`")))?.config,
        None => TrainConfig::default(),
    };
    if let Some(repeats) = a.views {
        // The lesson's 60,000 images: 48,000 to train on, 12,000 to validate.
        let data = Arc::new(synthetic(60_000, 7));
        let choice = if a.backend == BackendChoice::Gpu { BackendChoice::Gpu } else { BackendChoice::Cpu };
        return super::bench_views::run(&data, choice, a.threads.first().copied().unwrap_or(0), repeats);
    }
    // Random images: speed does not depend on the pixels, and the bench needs no data files.
    let data = Arc::new(synthetic(config.batch_size * (WARMUP + a.steps + 1) * 5 / 4, 7));
    if !a.json {
        println!(
            "{:<44} {:>6} {:>10} {:>12} {:>18} {:>16} {:>13}",
            "backend", "models", "ms/step", "samples/s", "model-samples/s", "dispatches/step", "submits/step"
        );
    }
    let mut runs: Vec<(BackendChoice, usize)> = Vec::new();
    if a.backend != BackendChoice::Gpu {
        runs.extend(a.threads.iter().map(|&t| (BackendChoice::Cpu, t)));
    }
    if a.backend != BackendChoice::Cpu {
        runs.push((BackendChoice::Gpu, 0));
    }
    for (choice, threads) in runs {
        for &models in &a.models {
            let devices = match pollster::block_on(Devices::open(choice, threads)) {
                Err(BackendError::NoAdapter(why)) if a.backend == BackendChoice::Auto => {
                    if a.json {
                        println!("{}", serde_json::json!({ "backend": "gpu", "skipped": why }));
                    } else {
                        println!("gpu: skipped, no adapter ({why})");
                    }
                    break;
                }
                other => other?,
            };
            let Some(backend) = devices.make(devices.kind()) else { break };
            let mut trainer = Trainer::for_bench(backend, Arc::clone(&data), models, &config)?;
            pollster::block_on(trainer.run(WARMUP))?;
            let work_before = trainer.device_work();
            let started = Instant::now();
            pollster::block_on(trainer.run(a.steps))?;
            let secs = started.elapsed().as_secs_f64();
            // Per step, the timed steps' device work alone (none on the CPU).
            let per_step = |count: fn(&DeviceWork) -> u64| match (work_before, trainer.device_work()) {
                (Some(before), Some(after)) => Some((count(&after) - count(&before)) as f64 / a.steps as f64),
                _ => None,
            };
            let row = Row {
                backend: trainer.backend_name(),
                threads,
                models,
                ms_per_step: secs * 1000.0 / a.steps as f64,
                samples_per_s: (a.steps * config.batch_size) as f64 / secs,
                loss: trainer.last_mean_loss(),
                dispatches_per_step: per_step(|w| w.dispatches),
                submits_per_step: per_step(|w| w.submits),
            };
            if a.json {
                let line =
                    serde_json::to_string(&row).map_err(|e| CliError::output(std::path::Path::new("stdout"), e))?;
                println!("{line}");
            } else {
                let shown = |v: Option<f64>| v.map_or("-".into(), |v| format!("{v:.2}"));
                println!(
                    "{:<44} {:>6} {:>10.2} {:>12.0} {:>18.0} {:>16} {:>13}",
                    row.backend,
                    models,
                    row.ms_per_step,
                    row.samples_per_s,
                    row.samples_per_s * models as f64,
                    shown(row.dispatches_per_step),
                    shown(row.submits_per_step),
                );
            }
        }
    }
    Ok(())
}

fn synthetic(count: usize, seed: u64) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let pixels = (0..count * IMAGE_SIDE * IMAGE_SIDE).map(|_| rng.random::<u8>()).collect();
    let labels = (0..count).map(|_| rng.random_range(0..CLASSES as u8)).collect();
    Dataset { pixels, labels, rows: IMAGE_SIDE, cols: IMAGE_SIDE }
}
