//! `compare --events FILE`: every session event as one JSON object per line, the same
//! objects the page receives (schema in docs/cli.md, types in www/engine/wire.d.ts); NaN and ∞ are written as `null`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use weight_init_lab::session::Event;

use super::CliError;

pub struct EventLog {
    path: PathBuf,
    out: BufWriter<File>,
}

impl EventLog {
    pub fn create(path: &Path) -> Result<EventLog, CliError> {
        let file = File::create(path).map_err(|e| CliError::output(path, e))?;
        Ok(EventLog { path: path.into(), out: BufWriter::new(file) })
    }

    pub fn write(&mut self, event: &Event) -> Result<(), CliError> {
        let line = serde_json::to_string(event).map_err(|e| CliError::output(&self.path, e))?;
        writeln!(self.out, "{line}").map_err(|e| CliError::output(&self.path, e))
    }

    pub fn finish(mut self) -> Result<(), CliError> {
        self.out.flush().map_err(|e| CliError::output(&self.path, e))
    }
}
