//! One run session: the one owner of a run, driven alike by the browser's worker (`web.rs`)
//! and the CLI. It takes [`Command`]s and emits [`Event`]s, and decides everything about
//! *when*: which backend (and why), when the trainer is (re)built, how many steps a chunk
//! runs (sized to a wall-clock budget), when metrics and diagnostics are pushed, and how a
//! failed GPU is recovered from (on the CPU, from the last validation checkpoint).
//!
//! A driver calls [`Session::command`] (or the typed methods), then [`Session::tick`] while
//! it returns `true`, draining [`Session::take_events`] after each call.
//!
//! `events` (what crosses the boundary), `error` (why a command failed, as an event),
//! `devices` (the backends it can make), `data` (parsing
//! a data set, the sample strip), `publish` (progress, the table, diagnostics),
//! `switching` (a switch of backend, recovery after a GPU failure), `trial` (`auto`'s choice
//! of backend by timing a few steps on each).

mod data;
mod devices;
mod error;
mod events;
mod publish;
mod switching;
mod trial;

use std::sync::Arc;

pub use devices::Devices;
pub use error::SessionError;
pub use events::{BackendChoice, BackendKind, Command, ErrorKind, Event, ExportFormat, FilePair, NamedFile, Samples};
pub use trial::Trial;

use crate::data::Dataset;
use crate::export;

use crate::train::{ModelSpec, TrainConfig, TrainError, Trainer};

/// Milliseconds from any fixed origin (`Date.now()` in the browser, an `Instant` natively):
/// chunks of steps are sized by it.
pub type Clock = Box<dyn Fn() -> f64>;

/// The most steps one chunk runs, however fast they are.
const MAX_CHUNK: usize = 256;
/// Steps between layer-health samples while a driver watches them: 96 samples in the
/// lesson's run, at about a third of a step each.
pub const HEALTH_EVERY: usize = 10;

/// Training images and time since the run (re)started, for the speed figures.
#[derive(Clone, Copy, Default)]
struct Speed {
    images: usize,
    ms: f64,
}

impl Speed {
    fn per_sec(&self) -> f64 {
        if self.ms > 0.0 { self.images as f64 * 1000.0 / self.ms } else { 0.0 }
    }
}

/// The one owner of a run (see the module's docs): data, settings, the trainer and its
/// backend, the run/pause state, and the events not yet taken.
pub struct Session {
    devices: Devices,
    clock: Clock,
    /// Wall-clock budget of one chunk of steps.
    chunk_ms: f64,
    /// How many per-batch values (steps × models) a trainer keeps for the exports.
    record_floats: usize,
    chunk: usize,
    data: Option<Arc<Dataset>>,
    /// The run asked for; built into `trainer` at the next tick when `dirty`.
    settings: Option<(Vec<ModelSpec>, TrainConfig)>,
    dirty: bool,
    /// Train was asked for before the run it is for was built (no data yet, or new settings
    /// pending): training starts when it is, so a driver can send `configure` and `train`
    /// together. A later `configure` cancels it.
    train_when_built: bool,
    trainer: Option<Trainer>,
    running: bool,
    step_once: bool,
    watch_diagnostics: bool,
    watch_health: bool,
    diagnostics_due: bool,
    /// The signal through the layers is pushed at the next tick: after a build, a reset or a
    /// full validation pass.
    signal_due: bool,
    /// Full and live validation passes already sent in events (the trainer keeps the
    /// steps' cursor).
    sent_evals: (usize, usize),
    speed: Speed,
    events: Vec<Event>,
}

impl Session {
    /// A session on `devices`; `chunk_ms` is the wall-clock budget of one chunk of steps
    /// (about 100 ms keeps a page's controls responsive).
    pub fn new(devices: Devices, clock: Clock, chunk_ms: f64) -> Session {
        Session {
            devices,
            clock,
            chunk_ms,
            record_floats: usize::MAX,
            chunk: 1,
            data: None,
            settings: None,
            dirty: false,
            train_when_built: false,
            trainer: None,
            running: false,
            step_once: false,
            watch_diagnostics: false,
            watch_health: false,
            diagnostics_due: false,
            signal_due: false,
            sent_evals: (0, 0),
            speed: Speed::default(),
            events: Vec::new(),
        }
    }

    /// How many per-batch values (steps × models, of each of loss and accuracy) a run keeps
    /// for the exports: all by default (the CLI); a bound keeps a long run's memory bounded —
    /// the table needs none, and every batch is in the `Progress` events anyway.
    pub fn record_steps(&mut self, floats: usize) {
        self.record_floats = floats;
    }

    /// The events since the last call, oldest first.
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    /// The trainer of the current run, once built.
    pub fn trainer(&self) -> Option<&Trainer> {
        self.trainer.as_ref()
    }

    /// Announces the backend new runs will use (the first event a driver shows).
    pub fn announce_backend(&mut self) {
        let name = self.trainer.as_ref().map(Trainer::backend_name).unwrap_or_default();
        self.events.push(self.devices.event(name));
    }

    /// Carries out `command`; a failure becomes an `Error` event (the run goes on as it was).
    pub async fn command(&mut self, command: Command) {
        let result = match command {
            Command::Data { name, fashion, train, samples } => self.data_files(name, fashion, train, samples),
            Command::Configure { inits, config } => self.configure_ids(&inits, config),
            Command::Backend { kind } => self.switch_backend(kind).await,
            Command::Train => {
                self.train();
                Ok(())
            }
            Command::Pause => {
                self.pause();
                Ok(())
            }
            Command::Step => {
                self.step();
                Ok(())
            }
            Command::Reset => {
                self.reset();
                Ok(())
            }
            Command::Watch { diagnostics, health } => {
                self.watch(diagnostics, health);
                Ok(())
            }
            Command::Export { format } => {
                self.export(format);
                Ok(())
            }
        };
        if let Err(e) = result {
            self.report(&e);
        }
    }

    fn report(&mut self, e: &SessionError) {
        self.events.push(e.event());
    }

    /// Emits an `Error` event (for drivers: a command that did not parse, a file not fetched).
    pub fn report_error(&mut self, kind: ErrorKind, message: String) {
        self.events.push(Event::Error { kind, message, setting: None, init: None });
    }

    /// New models (ids as [`ModelSpec::parse`] reads them: an initializer, with any settings
    /// of its own) and settings.
    ///
    /// # Errors
    /// [`InitError`] for an id that names no initializer or has a bad override; the settings
    /// are checked against the data when the run is built (at the next tick).
    pub fn configure_ids(&mut self, ids: &[String], config: TrainConfig) -> Result<(), SessionError> {
        let models = ids.iter().map(|id| ModelSpec::parse(id)).collect::<Result<Vec<_>, _>>()?;
        self.configure(models, config);
        Ok(())
    }

    /// New models (initializers, or [`ModelSpec`]s) and settings: a new run at step 0, built
    /// at the next tick.
    pub fn configure<M: Into<ModelSpec>>(&mut self, models: Vec<M>, config: TrainConfig) {
        self.settings = Some((models.into_iter().map(Into::into).collect(), config));
        self.train_when_built = false;
        self.new_run();
    }

    fn new_run(&mut self) {
        self.dirty = true;
        self.step_once = false;
        self.set_running(false);
    }

    /// Trains chunk after chunk at each tick until the run ends or is paused; a run not built
    /// yet (no data, or new settings) starts training once it is, at step 0.
    pub fn train(&mut self) {
        match &self.trainer {
            Some(trainer) if !self.dirty => {
                if !trainer.is_finished() {
                    self.set_running(true);
                }
            }
            _ => self.train_when_built = true,
        }
    }

    /// Stops after the chunk in flight; diagnostics follow at the next tick.
    pub fn pause(&mut self) {
        if self.running {
            self.set_running(false);
            self.diagnostics_due = true;
        }
    }

    /// One step at the next tick, when paused.
    pub fn step(&mut self) {
        self.step_once = !self.running;
    }

    fn set_running(&mut self, running: bool) {
        if self.running != running {
            self.running = running;
            self.events.push(Event::Running { running });
        }
    }

    fn reset(&mut self) {
        let Some(trainer) = self.trainer.as_mut() else { return };
        trainer.reset();
        let total_steps = trainer.total_steps();
        self.step_once = false;
        self.set_running(false);
        self.restart_cursor();
        self.speed = Speed::default();
        self.events.push(Event::Reset { total_steps });
        self.diagnostics_due = true;
        self.signal_due = true;
    }

    fn export(&mut self, format: ExportFormat) {
        if let Some(trainer) = self.trainer.as_ref() {
            let content = match format {
                ExportFormat::Csv => export::csv(trainer),
                ExportFormat::Json => export::json(trainer, self.speed.ms / 1000.0),
            };
            self.events.push(Event::Export { format, content });
        }
    }

    /// Which views a driver shows: diagnostics, layer health.
    pub fn watch(&mut self, diagnostics: bool, health: bool) {
        self.watch_diagnostics = diagnostics;
        self.diagnostics_due |= diagnostics;
        self.watch_health = health;
        if let Some(trainer) = self.trainer.as_mut() {
            trainer.sample_health_every(if health { HEALTH_EVERY } else { 0 });
        }
    }

    /// Does the work that is due: builds the run asked for, runs one chunk of steps when
    /// training (or one step when asked), pushes diagnostics when due. Returns whether more
    /// work is due (call again after letting commands in).
    ///
    /// # Errors
    /// Settings that cannot make a run, or a backend failure that cannot be recovered from
    /// (the CPU's); a failed GPU is recovered from and is not an error.
    pub async fn tick(&mut self) -> Result<bool, SessionError> {
        if self.dirty {
            self.time_backends_if_due().await;
            self.build().inspect_err(|_| self.set_running(false))?;
        }
        // Diagnostics of the state as it is (step 0, a pause) before any step moves it on.
        self.signal_if_due().await?;
        self.diagnostics_if_due().await?;
        let Some(trainer) = self.trainer.as_ref() else {
            self.set_running(false);
            return Ok(false);
        };
        if self.running || std::mem::take(&mut self.step_once) {
            // A chunk ends at a validation pass, so its table and diagnostics show that step.
            let to_validation = trainer.next_validation() - trainer.steps_done();
            let steps = if self.running { self.chunk.min(to_validation) } else { 1 };
            self.run_steps(steps).await?;
            if !self.running {
                self.diagnostics_due = true;
            }
        }
        self.signal_if_due().await?;
        self.diagnostics_if_due().await?;
        Ok(self.running)
    }

    /// The same as `tick`, with failures reported as `Error` events instead.
    pub async fn tick_reporting(&mut self) -> bool {
        match self.tick().await {
            Ok(more) => more,
            Err(e) => {
                self.report(&e);
                false
            }
        }
    }

    fn build(&mut self) -> Result<(), SessionError> {
        self.dirty = false;
        self.trainer = None; // frees the old run's buffers first
        let (Some(data), Some((inits, config))) = (&self.data, &self.settings) else { return Ok(()) };
        self.devices.restore_preferred();
        let kind = self.devices.kind();
        // The GPU is only ever chosen while there is one; the CPU is always there.
        let Some(backend) = self.devices.make(kind).or_else(|| self.devices.make(BackendKind::Cpu)) else {
            return Ok(());
        };
        let mut trainer = match Trainer::new(backend, Arc::clone(data), inits, config.clone()) {
            // A run too large for the GPU's buffers goes to the CPU unless the GPU was asked for.
            Err(e @ TrainError::DeviceLimit { .. }) if kind == BackendKind::Gpu && !self.devices.gpu_required() => {
                self.devices.fall_back(format!("{e}: training on the CPU"));
                let cpu = self.devices.make(BackendKind::Cpu).ok_or(e)?;
                Trainer::new(cpu, Arc::clone(data), inits, config.clone())?
            }
            other => other?,
        };
        trainer.record_steps(self.record_floats / inits.len().max(1));
        trainer.sample_health_every(if self.watch_health { HEALTH_EVERY } else { 0 });
        self.events.push(publish::run_event(&trainer, data));
        self.trainer = Some(trainer);
        self.announce_backend();
        self.restart_cursor();
        self.speed = Speed::default();
        self.chunk = 1;
        self.diagnostics_due = true;
        self.signal_due = true;
        if std::mem::take(&mut self.train_when_built) {
            self.set_running(true);
        }
        Ok(())
    }

    /// The validation passes sent so far are the trainer's (after a build, reset or recovery).
    fn restart_cursor(&mut self) {
        self.sent_evals =
            self.trainer.as_ref().map_or((0, 0), |t| (t.history().evals.len(), t.history().live_evals.len()));
    }

    async fn run_steps(&mut self, steps: usize) -> Result<(), SessionError> {
        let Some(trainer) = self.trainer.as_mut() else { return Ok(()) };
        let started = (self.clock)();
        let images = trainer.samples_trained();
        match trainer.run(steps).await {
            Ok(ran) => {
                let ms = (self.clock)() - started;
                self.speed.images += trainer.samples_trained() - images;
                self.speed.ms += ms;
                // Aim the next chunk at the budget, growing at most twofold so that one slow
                // validation pass or a fast start does not swing it (a chunk cut short at a
                // validation does not shrink the next).
                let aimed = (ran as f64 * self.chunk_ms / ms.max(1.0)).round() as usize;
                self.chunk = aimed.min(2 * self.chunk.max(steps)).clamp(1, MAX_CHUNK);
            }
            Err(e) => self.on_failure(e)?,
        }
        self.push_progress();
        Ok(())
    }
}
