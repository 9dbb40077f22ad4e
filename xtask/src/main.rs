//! `cargo xtask dist | serve | test | bench | wire`: the browser lab's build, static server, test
//! runner, speed table and wire types.
//!
//! Everything shells out to the real tools (cargo, wasm-bindgen, npm, node) so that what the
//! tasks do is what a person would type; this file only wires them together.

mod bench;
mod dist;
mod engine_builds;
mod js_checks;
mod node_tests;
mod serve;
mod test;

/// The data set's file names and default directory, compiled from the crate's own file so the
/// two cannot drift (without building the whole engine for a build script). The test set's
/// names are the CLI's: `dist` stages the training set alone (the page fetches nothing else).
#[allow(dead_code)]
#[path = "../../src/data/names.rs"]
mod names;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Build, serve, test and benchmark the browser lab")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Build the wasm and stage the static site (page, scripts, wasm, chart library, data).
    Dist(dist::DistArgs),
    /// `dist`, then serve it on http://127.0.0.1:PORT until interrupted.
    Serve(serve::ServeArgs),
    /// Run every test suite (native, unit, wasm in the browser, end-to-end in three engines,
    /// fuzz) and say which failed.
    Test(test::TestArgs),
    /// Print the training-speed table: natively, and in headless Chromium next to TF.js and
    /// jax-js, medians of 3 (takes ~10 minutes on 2 cores; `--quick` for a check).
    Bench(bench::BenchArgs),
    /// Regenerate the page's wire types (www/engine/wire.d.ts) from the Rust definitions.
    Wire(js_checks::WireArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.task {
        Task::Dist(args) => dist::run(&args).map(|dir| {
            println!("staged {}", dir.display());
        }),
        Task::Serve(args) => serve::run(&args),
        Task::Test(args) => test::run(&args),
        Task::Bench(args) => bench::run(&args),
        Task::Wire(args) => js_checks::wire(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (the parent of this crate's folder).
fn root() -> PathBuf {
    let xtask = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask.parent().unwrap_or(xtask).to_path_buf()
}

/// Runs `cmd` in the workspace root, echoing it, and fails unless it exits with 0.
fn run_cmd(cmd: &mut Command) -> Result<()> {
    cmd.current_dir(root());
    println!("+ {}", describe(cmd));
    let status = cmd.status().with_context(|| format!("could not start `{}`", describe(cmd)))?;
    if !status.success() {
        bail!("`{}` failed ({status})", describe(cmd));
    }
    Ok(())
}

fn describe(cmd: &Command) -> String {
    let mut words = vec![cmd.get_program().to_string_lossy().into_owned()];
    words.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    words.join(" ")
}

/// Installs the npm packages from the committed lockfile when they are missing or stale.
fn ensure_node_modules() -> Result<()> {
    let root = root();
    let installed = root.join("node_modules/.package-lock.json");
    let modified = |p: &Path| p.metadata().and_then(|m| m.modified()).ok();
    let fresh = match (modified(&installed), modified(&root.join("package-lock.json"))) {
        (Some(installed), Some(lock)) => installed >= lock,
        _ => false,
    };
    if !fresh {
        run_cmd(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]))?;
    }
    Ok(())
}
