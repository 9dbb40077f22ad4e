//! Command-line arguments, and the errors the CLI reports.

mod bench;
mod bench_views;
mod compare;
mod events;
mod report;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use weight_init_lab::session::SessionError;

#[derive(Parser)]
#[command(
    name = "weight-init-lab",
    version,
    about = "Why weight initialization matters: the lesson's MLP on Fashion-MNIST, one model per initializer, side by side"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Train one model per initializer on the same batches and print the lesson's table.
    Compare(compare::CompareArgs),
    /// Print training speed (samples/s, ms/step) per backend, thread count and model count.
    Bench(bench::BenchArgs),
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Anything the engine says (data, initializers, settings, backend), as the page shows it.
    #[error(transparent)]
    Engine(SessionError),
    #[error("{file}: {detail}")]
    Output { file: PathBuf, detail: String },
    #[error("{0}")]
    Usage(String),
}

impl<E> From<E> for CliError
where
    SessionError: From<E>,
{
    fn from(e: E) -> CliError {
        CliError::Engine(e.into())
    }
}

impl CliError {
    /// Writing `file` failed.
    pub fn output(file: &std::path::Path, e: impl std::fmt::Display) -> CliError {
        CliError::Output { file: file.into(), detail: e.to_string() }
    }
}

pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Compare(args) => compare::run(args),
        Command::Bench(args) => bench::run(args),
    }
}
