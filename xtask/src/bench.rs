//! `cargo xtask bench`: the training-speed table. Runs the native `weight-init-lab bench
//! --json` (CPU with 1 and 2 threads, and the GPU when there is an adapter; 1 and 6 models)
//! once per repeat, stages `dist/`, then hands both to `tests/bench/speed.mjs`, which measures
//! the page's engine and its peers in headless Chromium and prints the one table.

use std::fs;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};

use crate::dist::{self, DistArgs};
use crate::{describe, root, run_cmd};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Part {
    /// `weight-init-lab bench`: the CPU backend (1 and 2 threads) and the GPU if any.
    Native,
    /// In Chromium: the wasm CPU fallback, TF.js wasm and jax-js wasm.
    Wasm,
    /// In Chromium: the WebGPU path, TF.js webgpu and jax-js webgpu.
    Webgpu,
    /// The lesson preset from Train to the finished table in the page (CPU path).
    Lesson,
}

#[derive(Args)]
pub struct BenchArgs {
    /// One run of each measurement, with few steps: to check that everything runs.
    #[arg(long)]
    quick: bool,
    /// Runs of each measurement; the table shows their medians.
    #[arg(long, default_value_t = 3)]
    repeats: usize,
    /// Only these parts (repeatable) [default: all]
    #[arg(long = "only", value_enum)]
    only: Vec<Part>,
    #[command(flatten)]
    dist: DistArgs,
}

/// Timed steps per native measurement (after the CLI's warm-up).
const NATIVE_STEPS: (usize, usize) = (100, 20);

pub fn run(args: &BenchArgs) -> Result<()> {
    if args.repeats == 0 {
        bail!("--repeats must be at least 1");
    }
    let started = Instant::now();
    let repeats = if args.quick { 1 } else { args.repeats };
    let all = [Part::Native, Part::Wasm, Part::Webgpu, Part::Lesson];
    let parts = if args.only.is_empty() { &all[..] } else { &args.only[..] };
    let mut node = Command::new("node");
    node.args(["--no-deprecation", "tests/bench/speed.mjs", "--repeats"]).arg(repeats.to_string());
    if args.quick {
        node.arg("--quick");
    }
    if parts.contains(&Part::Native) {
        let steps = if args.quick { NATIVE_STEPS.1 } else { NATIVE_STEPS.0 };
        let file = root().join("target/bench/native.jsonl");
        fs::create_dir_all(file.parent().context("target/bench has a parent")?)?;
        fs::write(&file, native(repeats, steps)?).with_context(|| format!("writing {}", file.display()))?;
        node.arg("--native").arg(file);
    }
    let browser: Vec<String> = parts
        .iter()
        .filter(|&&p| p != Part::Native)
        .filter_map(|p| p.to_possible_value().map(|v| v.get_name().to_owned()))
        .collect();
    if !browser.is_empty() {
        node.env("DIST_DIR", dist::run(&args.dist)?);
    }
    // speed.mjs treats an empty list as "none" (only the native rows).
    node.args(["--only", &browser.join(",")]);
    run_cmd(&mut node)?;
    println!("(cargo xtask bench took {:.1} min)", started.elapsed().as_secs_f64() / 60.0);
    Ok(())
}

/// `weight-init-lab bench --json` run `repeats` times: its JSON lines, one per measurement.
fn native(repeats: usize, steps: usize) -> Result<String> {
    run_cmd(Command::new(env!("CARGO")).args(["build", "--release", "--bin", "weight-init-lab"]))?;
    let mut lines = String::new();
    for repeat in 1..=repeats {
        let mut cmd = Command::new(root().join("target/release/weight-init-lab"));
        cmd.args(["bench", "--json", "--steps", &steps.to_string()]).current_dir(root());
        println!("+ {} (run {repeat} of {repeats})", describe(&cmd));
        let out = cmd.output().with_context(|| format!("could not start `{}`", describe(&cmd)))?;
        // Its stderr is the Vulkan loader's chatter on a machine without a display; shown
        // only when the run fails.
        if !out.status.success() {
            bail!("`{}` failed ({}):\n{}", describe(&cmd), out.status, String::from_utf8_lossy(&out.stderr));
        }
        lines.push_str(&String::from_utf8_lossy(&out.stdout));
    }
    Ok(lines)
}
