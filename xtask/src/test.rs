//! `cargo xtask test`: every test suite, one after the other, then a summary naming each
//! failed suite; exits non-zero if any failed.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};

use crate::dist::{self, DistArgs};
use crate::{root, run_cmd};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Suite {
    /// `cargo test --workspace`
    Native,
    /// The wasm tests in headless Chromium through chromedriver (`--test web_gpu`).
    Wasm,
    /// The end-to-end tests of the page in headless Chromium (`tests/e2e/*.test.mjs`).
    E2e,
}

#[derive(Args)]
pub struct TestArgs {
    /// Run only these suites (repeatable) [default: all]
    #[arg(long = "suite", value_enum)]
    pub suites: Vec<Suite>,
    #[command(flatten)]
    pub dist: DistArgs,
}

pub fn run(args: &TestArgs) -> Result<()> {
    let all = [Suite::Native, Suite::Wasm, Suite::E2e];
    let chosen = if args.suites.is_empty() { &all[..] } else { &args.suites[..] };
    let mut failed = Vec::new();
    for &suite in chosen {
        let name = suite.to_possible_value().map(|v| v.get_name().to_owned()).unwrap_or_default();
        println!("\n=== suite `{name}` ===");
        let start = Instant::now();
        let result = match suite {
            Suite::Native => native(),
            Suite::Wasm => wasm(),
            Suite::E2e => e2e(&args.dist),
        };
        let secs = start.elapsed().as_secs_f32();
        match result {
            Ok(()) => println!("=== suite `{name}` passed in {secs:.0} s ==="),
            Err(err) => {
                eprintln!("=== suite `{name}` FAILED after {secs:.0} s: {err:#} ===");
                failed.push(name);
            }
        }
    }
    if failed.is_empty() {
        println!("\nall {} test suites passed", chosen.len());
        Ok(())
    } else {
        bail!("failed test suites: {}", failed.join(", "))
    }
}

fn native() -> Result<()> {
    run_cmd(Command::new(env!("CARGO")).args(["test", "--workspace"]))
}

/// The GPU kernels checked against the CPU twin on SwiftShader, by wasm-bindgen-test-runner
/// (the runner configured in .cargo/config.toml) driving Chromium through chromedriver.
fn wasm() -> Result<()> {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args(["test", "--target", "wasm32-unknown-unknown", "--test", "web_gpu"]);
    if std::env::var_os("CHROMEDRIVER").is_none() {
        cmd.env("CHROMEDRIVER", "/usr/bin/chromedriver");
    }
    // Every kernel case on SwiftShader (a CPU emulation of a GPU) takes a few minutes; the
    // runner's default allows 20 s.
    if std::env::var_os("WASM_BINDGEN_TEST_TIMEOUT").is_none() {
        cmd.env("WASM_BINDGEN_TEST_TIMEOUT", "600");
    }
    run_cmd(&mut cmd)
}

/// Stages `dist/`, then runs the page's end-to-end tests one file at a time (the machine
/// has two cores, and each file drives a whole browser).
fn e2e(dist_args: &DistArgs) -> Result<()> {
    let dist = dist::run(dist_args)?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("tests/e2e"))
        .context("reading tests/e2e")?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("no tests/e2e/*.test.mjs files");
    }
    run_cmd(Command::new("node").args(["--test", "--test-concurrency=1"]).args(&files).env("DIST_DIR", dist))
}
