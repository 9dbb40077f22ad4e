//! Moving a run between backends: a person's switch, and recovery on the CPU when the GPU
//! fails (from the last validation checkpoint; the steps after it are replayed exactly).

use super::{BackendKind, Event, Session, SessionError};
use crate::backend::BackendError;
use crate::train::TrainError;

impl Session {
    /// Moves the run to `kind`, keeping weights, optimizer state and history.
    pub(super) async fn switch_backend(&mut self, kind: BackendKind) -> Result<(), SessionError> {
        if kind == self.devices.kind() {
            return Ok(());
        }
        let no_gpu = || BackendError::NoAdapter("no GPU adapter was found when the session opened".into());
        let backend = self.devices.make(kind).ok_or_else(no_gpu)?;
        if let Some(trainer) = self.trainer.as_mut() {
            match trainer.switch_backend(backend).await {
                Ok(()) => {}
                // The GPU being left failed as it was read: recover on the CPU as a run would.
                Err(e @ TrainError::Backend(_)) if self.devices.kind() == BackendKind::Gpu => {
                    return self.on_failure(e);
                }
                Err(e) => return Err(SessionError::Switch(e)),
            }
        }
        let reason = match kind {
            BackendKind::Cpu => "switched to the CPU",
            BackendKind::Gpu => "switched to the GPU",
        };
        self.devices.choose(kind, reason.into());
        self.announce_backend();
        Ok(())
    }

    /// A failed GPU is recovered from on the CPU; any other failure ends the run.
    pub(super) fn on_failure(&mut self, e: TrainError) -> Result<(), SessionError> {
        let (TrainError::Backend(failure), BackendKind::Gpu) = (&e, self.devices.kind()) else {
            self.set_running(false);
            return Err(e.into());
        };
        let Some(cpu) = self.devices.make(BackendKind::Cpu) else { return Err(e.into()) };
        let Some(trainer) = self.trainer.as_mut() else { return Err(e.into()) };
        let from_step = trainer.recover(cpu);
        let reason = format!("the GPU failed ({failure})");
        self.devices.lose_gpu(format!("{reason}; resumed on the CPU from step {from_step}"));
        self.restart_cursor();
        self.diagnostics_due = true;
        self.events.push(Event::Recovered { from_step, reason });
        self.announce_backend();
        Ok(())
    }
}
