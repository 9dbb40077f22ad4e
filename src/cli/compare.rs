//! `compare`: the lesson's experiment, one model per initializer, and its table. It drives a
//! [`Session`] like the page does, printing a progress bar from its events.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use weight_init_lab::backend::Activation;
use weight_init_lab::init::Initializer;
use weight_init_lab::session::{BackendChoice, Devices, Event, Session, SessionError};
use weight_init_lab::train::{ModelSpec, Optimizer, TrainConfig, format_widths, parse_widths};
use weight_init_lab::{data, export, presets};

use super::events::EventLog;
use super::{CliError, report};

/// A chunk of steps between two progress updates: the CLI takes no commands meanwhile.
const CHUNK_MS: f64 = 250.0;

#[derive(Args)]
pub struct CompareArgs {
    /// A published experiment's models and settings (`he-2015`, `cs231n-tanh`, …; listed by
    /// `--preset list`), as the page's preset buttons; `--seed`, `--backend` and the output
    /// flags still apply.
    #[arg(
        long,
        conflicts_with_all = ["init", "hidden", "activation", "momentum", "epochs", "lr", "optimizer", "batch_size", "dropout"]
    )]
    preset: Option<String>,
    /// Models: a comma-separated list of initializer ids, `lesson` (the six) or `all`. An id
    /// may change the run's settings for its model after `@`, joined by `+`: an activation,
    /// `adam` or `sgd`, hidden widths (`256x30`, `512/256`), `lr=X`, `momentum=X`; e.g.
    /// `xavier-normal@tanh,he-normal@tanh+sgd+lr=0.01`.
    #[arg(long, default_value = "lesson")]
    init: String,
    /// Hidden layer widths: `256,128`, `256x30` (30 layers of 256) or `512,256x3`; 1 to 32
    /// layers of 1 to 1,024 units.
    #[arg(long, default_value_t = format_widths(&TrainConfig::default().hidden, ","))]
    hidden: String,
    /// The hidden layers' activation.
    #[arg(long, value_enum, default_value_t = TrainConfig::default().activation)]
    activation: Activation,
    /// SGD's momentum in [0, 1), PyTorch's semantics (0: plain SGD); with `--optimizer sgd`.
    #[arg(long, default_value_t = TrainConfig::default().momentum, allow_negative_numbers = true)]
    momentum: f32,
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

pub fn parse_inits(spec: &str) -> Result<Vec<ModelSpec>, CliError> {
    let named = |inits: Vec<Initializer>| inits.into_iter().map(ModelSpec::from).collect();
    match spec.trim() {
        "lesson" => Ok(named(Initializer::lesson())),
        "all" => Ok(named(Initializer::all())),
        list => Ok(list.split(',').filter(|s| !s.trim().is_empty()).map(ModelSpec::parse).collect::<Result<_, _>>()?),
    }
}

/// The models and settings of `--preset ID`.
fn preset(id: &str, a: &CompareArgs) -> Result<(Vec<ModelSpec>, TrainConfig), CliError> {
    let Some(p) = presets::find(id) else {
        let known: Vec<String> = presets::all().into_iter().map(|p| format!("  {:<16} {}", p.id, p.title)).collect();
        let problem = if id == "list" { String::new() } else { format!("unknown preset `{id}`; ") };
        return Err(CliError::Usage(format!("{problem}the presets are:\n{}", known.join("\n"))));
    };
    let models = p.inits.iter().map(|i| ModelSpec::parse(i)).collect::<Result<_, _>>()?;
    let config = TrainConfig {
        seed: a.seed,
        eval_every: a.eval_every,
        dropout_at_eval: a.dropout_at_eval,
        live_validation: a.live_validation,
        ..p.config
    };
    Ok((models, config))
}

pub fn run(a: CompareArgs) -> Result<(), CliError> {
    let (inits, config) = match &a.preset {
        Some(id) => preset(id, &a)?,
        None => settings(&a)?,
    };
    run_with(a, inits, config)
}

/// The models and settings of the flags.
fn settings(a: &CompareArgs) -> Result<(Vec<ModelSpec>, TrainConfig), CliError> {
    let inits = parse_inits(&a.init)?;
    let hidden =
        parse_widths(&a.hidden).map_err(|problem| CliError::Usage(format!("--hidden {}: {problem}", a.hidden)))?;
    let config = TrainConfig {
        epochs: a.epochs,
        batch_size: a.batch_size,
        lr: a.lr,
        optimizer: a.optimizer,
        momentum: a.momentum,
        hidden,
        activation: a.activation,
        dropout: a.dropout,
        seed: a.seed,
        eval_every: a.eval_every,
        dropout_at_eval: a.dropout_at_eval,
        live_validation: a.live_validation,
        ..TrainConfig::default()
    };
    Ok((inits, config))
}

fn run_with(a: CompareArgs, inits: Vec<ModelSpec>, config: TrainConfig) -> Result<(), CliError> {
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
    let mut signal = None;
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
                Event::Signal { step: 0, models } if signal.is_none() => signal = Some(models.clone()),
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
    let results = trainer.results();
    print!("{}", report::table(&results, trainer.history().divergence(), trainer.states()));
    let models = trainer.models().len();
    println!(
        "{steps} steps, {images} images ({} per batch), {models} model{}, on {}: {seconds:.1} s, \
         {images_per_sec:.0} samples/s ({:.0} model-samples/s)",
        trainer.config().batch_size,
        if models == 1 { "" } else { "s" },
        trainer.backend_name(),
        images_per_sec * models as f64,
    );
    if let Some(signal) = &signal {
        let labels: Vec<&str> = results.iter().map(|r| r.label.as_str()).collect();
        print!("\n{}", report::signal(&labels, signal));
    }
    if let Some(path) = &a.json {
        report::write(path, &export::json(trainer, seconds))?;
    }
    if let Some(path) = &a.csv {
        report::write(path, &export::csv(trainer))?;
    }
    Ok(())
}
