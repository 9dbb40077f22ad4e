//! Why a command or a tick of the session failed, and the `Error` event that tells people.

use super::events::{ErrorKind, Event};
use crate::backend::BackendError;
use crate::data::DataError;
use crate::init::InitError;
use crate::train::TrainError;

/// Why a command or a tick failed; [`SessionError::kind`] says what the page's error line is
/// about. The text is shown to people as it is.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Data(#[from] DataError),
    #[error(transparent)]
    Init(#[from] InitError),
    #[error(transparent)]
    Train(#[from] TrainError),
    #[error(transparent)]
    Backend(#[from] BackendError),
    /// The run in place could not move to the other backend (it goes on where it was).
    #[error("the run stays where it was: {0}")]
    Switch(TrainError),
}

impl SessionError {
    /// The `Error` event that tells people of it: with the setting and the initializer id it
    /// is about, where it is about one.
    pub fn event(&self) -> Event {
        let (setting, init) = match self {
            SessionError::Init(e) => (Some("inits"), e.id()),
            SessionError::Train(TrainError::Config { setting, init, .. }) => (*setting, init.as_deref()),
            _ => (None, None),
        };
        Event::Error {
            kind: self.kind(),
            message: self.to_string(),
            setting: setting.map(String::from),
            init: init.map(String::from),
        }
    }

    /// What the page's error line is about.
    pub fn kind(&self) -> ErrorKind {
        match self {
            SessionError::Data(_) => ErrorKind::Data,
            SessionError::Init(_) | SessionError::Train(TrainError::Config { .. } | TrainError::DeviceLimit { .. }) => {
                ErrorKind::Settings
            }
            SessionError::Train(TrainError::Backend(_)) | SessionError::Backend(_) | SessionError::Switch(_) => {
                ErrorKind::Backend
            }
        }
    }
}
