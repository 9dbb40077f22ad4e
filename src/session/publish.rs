//! What a session tells after its steps: the metrics not sent yet, the table at each
//! validation pass, the end of a run, and the per-layer diagnostics when they are due.

use super::{Event, Session, SessionError};

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
        let history = trainer.history();
        let new_evals = &history.evals[self.sent_evals.min(history.evals.len())..];
        self.events.extend(new_evals.iter().map(|point| Event::Eval { point: point.clone() }));
        let finished = trainer.is_finished();
        if let Some(last) = history.evals.last().filter(|_| !new_evals.is_empty() || finished) {
            self.events.push(Event::Results { step: last.step, results: trainer.results(), finished });
            self.diagnostics_due = true;
        }
        self.sent_evals = history.evals.len();
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

    pub(super) async fn diagnostics_if_due(&mut self) -> Result<(), SessionError> {
        if !(self.diagnostics_due && self.watch_diagnostics) {
            return Ok(());
        }
        self.diagnostics_due = false;
        let Some(trainer) = self.trainer.as_mut() else { return Ok(()) };
        match trainer.diagnostics().await {
            Ok(layers) => {
                let step = trainer.steps_done();
                self.events.push(Event::Diagnostics { step, layers });
                Ok(())
            }
            Err(e) => {
                self.on_failure(e)?;
                self.diagnostics_due = true;
                Ok(())
            }
        }
    }
}
