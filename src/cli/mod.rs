//! Command-line arguments and the choice of backend.

mod bench;
mod compare;
mod report;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use weight_init_lab::backend::cpu::CpuBackend;
use weight_init_lab::backend::gpu::GpuBackend;
use weight_init_lab::backend::{Backend, BackendError};
use weight_init_lab::data::DataError;
use weight_init_lab::init::InitError;
use weight_init_lab::train::TrainError;

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

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BackendChoice {
    /// The GPU if an adapter exists, else the CPU.
    Auto,
    Cpu,
    Gpu,
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Data(#[from] DataError),
    #[error(transparent)]
    Init(#[from] InitError),
    #[error(transparent)]
    Train(#[from] TrainError),
    #[error(transparent)]
    Backend(#[from] BackendError),
    #[error("{file}: {detail}")]
    Output { file: PathBuf, detail: String },
    #[error("{0}")]
    Usage(String),
}

pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Compare(args) => compare::run(args),
        Command::Bench(args) => bench::run(args),
    }
}

/// Opens the chosen backend; `auto` falls back to the CPU when no GPU adapter is found.
pub fn open_backend(choice: BackendChoice, threads: usize) -> Result<Box<dyn Backend>, CliError> {
    let cpu = || -> Box<dyn Backend> { Box::new(CpuBackend::new(threads)) };
    match choice {
        BackendChoice::Cpu => Ok(cpu()),
        BackendChoice::Gpu => Ok(Box::new(pollster::block_on(GpuBackend::new())?)),
        BackendChoice::Auto => match pollster::block_on(GpuBackend::new()) {
            Ok(gpu) => Ok(Box::new(gpu)),
            Err(BackendError::NoAdapter(why)) => {
                eprintln!("no GPU adapter ({why}); using the CPU");
                Ok(cpu())
            }
            Err(e) => Err(e.into()),
        },
    }
}
