//! `compare`: the lesson's experiment, one model per initializer, and its table. It drives a
//! [`Session`] like the page does, printing a progress bar from its events.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use weight_init_lab::init::Initializer;
use weight_init_lab::session::{BackendChoice, Devices, Event, Session, SessionError};
use weight_init_lab::train::{Optimizer, TrainConfig};
use weight_init_lab::{data, export};

use super::events::EventLog;
use super::{CliError, report};

/// A chunk of steps between two progress updates: the CLI takes no commands meanwhile.
const CHUNK_MS: f64 = 250.0;

#[derive(Args)]
pub struct CompareArgs {
    /// Initializers: a comma-separated list of ids, `lesson` (the six) or `all`.
    #[arg(long, default_value = "lesson")]
    init: String,
    #[arg(long, default_value_t = TrainConfig::default().epochs)]
    epochs: usize,
    #[arg(long, default_value_t = TrainConfig::default().seed)]
    seed: u64,
    /// (A negative value reaches the settings check, which says why it cannot be used.)
    #[arg(long, default_value_t = TrainConfig::default().lr, allow_negative_numbers = true)]
    lr: f32,
    #[arg(long, value_enum, default_value_t = TrainConfig::default().optimizer)]
    optimizer: Optimizer,
    #[arg(long, default_value_t = TrainConfig::default().batch_size)]
    batch_size: usize,
    #[arg(long, default_value_t = TrainConfig::default().dropout, allow_negative_numbers = true)]
    dropout: f32,
    /// Also validate every this many steps (0: after every epoch only).
    #[arg(long, default_value_t = TrainConfig::default().eval_every)]
    eval_every: usize,
    /// Validate with dropout on, as the lesson's published accuracies were measured.
    #[arg(long)]
    dropout_at_eval: bool,
    /// Images of the fixed live validation subset, validated after steps 10, 25, 50, 100 and
    /// every 200 (0: off); `--json` and `--events` carry these points.
    #[arg(long, default_value_t = TrainConfig::default().live_validation)]
    live_validation: usize,
    /// Directory of the four IDX files (default: $FASHION_MNIST_DIR, else the Debian package's).
    #[arg(long)]
    data: Option<PathBuf>,
    /// `auto` takes a GPU adapter when there is one; a GPU that fails mid-run is recovered
    /// from on the CPU.
    #[arg(long, value_enum, default_value = "auto")]
    backend: BackendChoice,
    /// CPU threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Write the configuration, per-batch losses, evaluations (with confusion matrices), live
    /// validation points, layer health every 10 steps and results as JSON.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Write per-batch losses and final metrics as CSV (metric,step,initializer,value).
    #[arg(long)]
    csv: Option<PathBuf>,
    /// Write every event of the run as JSON lines (the page's events; see docs/cli.md).
    #[arg(long)]
    events: Option<PathBuf>,
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
        optimizer: a.optimizer,
        dropout: a.dropout,
        seed: a.seed,
        eval_every: a.eval_every,
        dropout_at_eval: a.dropout_at_eval,
        live_validation: a.live_validation,
        ..TrainConfig::default()
    };
    let dir = data::resolve_dir(a.data.as_deref());
    let sets = data::load_dir(&dir)?;
    // Everything that can be wrong before the run is found before it: the settings against
    // the data, and the output files (created now, written at the end).
    config.validate(&inits, sets.train.len(), sets.train.pixels_per_image())?;
    for path in [&a.json, &a.csv].into_iter().flatten() {
        report::write(path, "")?;
    }
    let mut log = a.events.as_deref().map(EventLog::create).transpose()?;

    let devices = pollster::block_on(Devices::open(a.backend, a.threads))?;
    let origin = Instant::now();
    let clock = Box::new(move || origin.elapsed().as_secs_f64() * 1000.0);
    let mut session = Session::new(devices, clock, CHUNK_MS);
    // Without --data (or $FASHION_MNIST_DIR) the directory is the Debian package's Fashion-MNIST.
    let fashion = a.data.is_none() && std::env::var_os("FASHION_MNIST_DIR").is_none();
    session.use_data(Arc::new(sets.train), dir.display().to_string(), fashion, None);
    session.configure(inits, config);
    // The files carry what the page's views show: layer health every few steps (both) and
    // the diagnostics at each validation pass (the events).
    if a.events.is_some() || a.json.is_some() {
        session.watch(a.events.is_some(), true);
    }
    session.train();

    let bar = ProgressBar::hidden();
    let mut finished = None;
    loop {
        let more = pollster::block_on(session.tick());
        let failure = more.as_ref().err().map(SessionError::event);
        // A failure ends the run: the events file says so last, as the page would show it.
        for event in session.take_events().into_iter().chain(failure) {
            if let Some(log) = log.as_mut() {
                log.write(&event)?;
            }
            match &event {
                Event::Backend { name, reason, .. } => eprintln!("backend: {name} ({reason})"),
                Event::Recovered { from_step, reason } => {
                    bar.suspend(|| eprintln!("{reason}: resuming on the CPU from step {from_step}"));
                }
                Event::Run { total_steps, .. } => {
                    bar.set_length(*total_steps as u64);
                    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                    bar.set_style(
                        ProgressStyle::with_template(
                            "{bar:40} {pos}/{len} steps  {elapsed} elapsed, ~{eta} left  {msg}",
                        )
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                    );
                }
                Event::Progress { step, images_per_sec, .. } => {
                    bar.set_position(*step as u64);
                    bar.set_message(format!("{images_per_sec:.0} samples/s"));
                }
                Event::Finished { .. } => finished = Some(event.clone()),
                _ => {}
            }
        }
        if more.is_err() {
            log.take().map(EventLog::finish).transpose()?;
        }
        if !more? {
            break;
        }
    }
    bar.finish_and_clear();
    if let Some(log) = log {
        log.finish()?;
    }
    let (Some(trainer), Some(Event::Finished { steps, images, seconds, images_per_sec })) =
        (session.trainer(), finished)
    else {
        return Err(CliError::Usage("the run ended before its last step".into()));
    };
    print!("{}", report::table(&trainer.results()));
    let models = trainer.initializers().len();
    println!(
        "{steps} steps, {images} images ({} per batch), {models} model{}, on {}: {seconds:.1} s, \
         {images_per_sec:.0} samples/s ({:.0} model-samples/s)",
        trainer.config().batch_size,
        if models == 1 { "" } else { "s" },
        trainer.backend_name(),
        images_per_sec * models as f64,
    );
    if let Some(path) = &a.json {
        report::write(path, &export::json(trainer, seconds))?;
    }
    if let Some(path) = &a.csv {
        report::write(path, &export::csv(trainer))?;
    }
    Ok(())
}
