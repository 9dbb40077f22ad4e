//! What a session tells after its steps: the metrics not sent yet, the table at each
//! validation pass, the end of a run, and the per-layer diagnostics when they are due.

use super::data::samples_at;
use super::{Event, Session, SessionError};
use crate::data::{CLASSES, Dataset};
use crate::train::Trainer;

/// The `Run` event of a trainer just built on `data`.
pub(super) fn run_event(trainer: &Trainer, data: &Dataset) -> Event {
    let (specs, models) = (trainer.models(), trainer.archs());
    let fan_in = data.pixels_per_image();
    Event::Run {
        inits: specs.iter().map(|m| m.id()).collect(),
        labels: specs.iter().map(|m| m.label()).collect(),
        gains: specs
            .iter()
            .zip(&models)
            .map(|(m, a)| m.init.equivalent_gain(fan_in, a.hidden.first().copied().unwrap_or(CLASSES)))
            .collect(),
        total_steps: trainer.total_steps(),
        steps_per_epoch: trainer.steps_per_epoch(),
        batch_size: trainer.config().batch_size,
        gallery: samples_at(data, trainer.gallery().iter().map(|&i| i as usize)),
        health_bins: trainer.health_bins(),
        models,
    }
}

impl Session {
    /// The metrics not sent yet; the table at each validation pass; the end of the run.
    pub(super) fn push_progress(&mut self) {
        let Some(trainer) = self.trainer.as_mut() else { return };
        let new = trainer.take_new_metrics();
        self.events.push(Event::Progress {
            from_step: new.from_step,
            step: trainer.steps_done(),
            total_steps: trainer.total_steps(),
            losses: new.losses,
            batch_accuracy: new.batch_accuracy,
            images_per_sec: self.speed.per_sec(),
        });
        let diverged = trainer.take_new_divergences().into_iter();
        self.events.extend(diverged.map(|(model, divergence)| Event::Diverged { model, divergence }));
        if self.watch_health {
            self.events.extend(trainer.take_new_health().into_iter().map(Event::Health));
        } else {
            trainer.take_new_health();
        }
        let history = trainer.history();
        let (full, live) = self.sent_evals;
        let new_full = &history.evals[full.min(history.evals.len())..];
        let new_live = &history.live_evals[live.min(history.live_evals.len())..];
        // In step order: the page's chart takes each point as the latest.
        let mut new: Vec<_> = new_full.iter().chain(new_live).collect();
        new.sort_by_key(|p| p.step);
        self.events.extend(new.into_iter().map(|point| Event::Eval { point: point.clone() }));
        self.diagnostics_due |= !new_live.is_empty();
        let finished = trainer.is_finished();
        if let Some(last) = history.evals.last().filter(|_| !new_full.is_empty() || finished) {
            self.events.push(Event::Results { step: last.step, results: trainer.results(), finished });
            self.diagnostics_due = true;
            self.signal_due |= !new_full.is_empty();
        }
        self.sent_evals = (history.evals.len(), history.live_evals.len());
        if finished && self.running {
            self.events.push(Event::Finished {
                steps: trainer.steps_done(),
                images: trainer.samples_trained(),
                seconds: self.speed.ms / 1000.0,
                images_per_sec: self.speed.per_sec(),
            });
            self.set_running(false);
        }
    }

    /// The signal through the layers, when due (see `signal_due`).
    pub(super) async fn signal_if_due(&mut self) -> Result<(), SessionError> {
        if !std::mem::take(&mut self.signal_due) {
            return Ok(());
        }
        self.measure(View::Signal).await
    }

    pub(super) async fn diagnostics_if_due(&mut self) -> Result<(), SessionError> {
        if !(self.diagnostics_due && self.watch_diagnostics) {
            return Ok(());
        }
        self.diagnostics_due = false;
        self.measure(View::Diagnostics).await
    }

    /// Pushes `view`'s event of the run as it is now; where the backend fails, recovers and
    /// keeps the view due, so that it is measured again on the backend recovered to.
    async fn measure(&mut self, view: View) -> Result<(), SessionError> {
        let Some(trainer) = self.trainer.as_mut() else { return Ok(()) };
        let step = trainer.steps_done();
        let event = match view {
            View::Signal => trainer.signal().await.map(|models| Event::Signal { step, models }),
            View::Diagnostics => {
                trainer.diagnostics().await.map(|diagnostics| Event::Diagnostics { step, diagnostics })
            }
        };
        match event {
            Ok(event) => self.events.push(event),
            Err(e) => {
                self.on_failure(e)?;
                match view {
                    View::Signal => self.signal_due = true,
                    View::Diagnostics => self.diagnostics_due = true,
                }
            }
        }
        Ok(())
    }
}

/// The views measured on demand rather than with the steps.
#[derive(Clone, Copy)]
enum View {
    Signal,
    Diagnostics,
}
