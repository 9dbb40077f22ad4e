//! `compare`: the lesson's experiment, one model per initializer, and its table.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use weight_init_lab::data;
use weight_init_lab::init::Initializer;
use weight_init_lab::train::{Optimizer, TrainConfig, Trainer};

use super::{BackendChoice, CliError, open_backend, report};

#[derive(Args)]
pub struct CompareArgs {
    /// Initializers: a comma-separated list of ids, `lesson` (the six) or `all`.
    #[arg(long, default_value = "lesson")]
    init: String,
    #[arg(long, default_value_t = 2)]
    epochs: usize,
    #[arg(long, default_value_t = 0)]
    seed: u64,
    #[arg(long, default_value_t = 0.001)]
    lr: f32,
    #[arg(long, value_enum, default_value = "adam")]
    optimizer: OptimizerArg,
    #[arg(long, default_value_t = 100)]
    batch_size: usize,
    #[arg(long, default_value_t = 0.2)]
    dropout: f32,
    /// Also validate every this many steps (0: after every epoch only).
    #[arg(long, default_value_t = 0)]
    eval_every: usize,
    /// Validate with dropout on, as the lesson's published accuracies were measured.
    #[arg(long)]
    dropout_at_eval: bool,
    /// Directory of the four IDX files (default: $FASHION_MNIST_DIR, else the Debian package's).
    #[arg(long)]
    data: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "auto")]
    backend: BackendChoice,
    /// CPU threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Write the configuration, per-batch losses, evaluations and results as JSON.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Write per-batch losses and final metrics as CSV (metric,step,initializer,value).
    #[arg(long)]
    csv: Option<PathBuf>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum OptimizerArg {
    Adam,
    Sgd,
}

pub fn parse_inits(spec: &str) -> Result<Vec<Initializer>, CliError> {
    match spec.trim() {
        "lesson" => Ok(Initializer::lesson()),
        "all" => Ok(Initializer::all()),
        list => {
            Ok(list.split(',').filter(|s| !s.trim().is_empty()).map(Initializer::parse).collect::<Result<_, _>>()?)
        }
    }
}

pub fn run(a: CompareArgs) -> Result<(), CliError> {
    let inits = parse_inits(&a.init)?;
    let config = TrainConfig {
        epochs: a.epochs,
        batch_size: a.batch_size,
        lr: a.lr,
        optimizer: match a.optimizer {
            OptimizerArg::Adam => Optimizer::Adam,
            OptimizerArg::Sgd => Optimizer::Sgd,
        },
        dropout: a.dropout,
        seed: a.seed,
        eval_every: a.eval_every,
        dropout_at_eval: a.dropout_at_eval,
        ..TrainConfig::default()
    };
    let dir = data::resolve_dir(a.data.as_deref());
    let sets = data::load_dir(&dir)?;
    let backend = open_backend(a.backend, a.threads)?;
    eprintln!("backend: {}", backend.name());
    let mut trainer = Trainer::new(backend, sets.train.into(), &inits, config)?;

    let bar = ProgressBar::new(trainer.total_steps() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} steps  {elapsed} elapsed, ~{eta} left  {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = Instant::now();
    while !trainer.is_finished() {
        let ran = pollster::block_on(trainer.run(20))?;
        bar.inc(ran as u64);
        let rate = trainer.steps_done() as f64 * trainer.config().batch_size as f64 / started.elapsed().as_secs_f64();
        bar.set_message(format!("{rate:.0} samples/s"));
    }
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();

    let results = trainer.results();
    print!("{}", report::table(&results));
    let samples = trainer.steps_done() * trainer.config().batch_size;
    println!(
        "{} steps of {} images, {} models, on {}: {:.1} s, {:.0} samples/s ({:.0} model-samples/s)",
        trainer.steps_done(),
        trainer.config().batch_size,
        inits.len(),
        trainer.backend_name(),
        seconds,
        samples as f64 / seconds,
        (samples * inits.len()) as f64 / seconds,
    );
    if let Some(path) = &a.json {
        report::write(path, &report::json(&trainer, seconds))?;
    }
    if let Some(path) = &a.csv {
        report::write(path, &report::csv(&trainer))?;
    }
    Ok(())
}
