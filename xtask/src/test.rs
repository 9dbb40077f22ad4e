//! `cargo xtask test`: every test suite, one after the other (native, the page's unit tests,
//! wasm, end-to-end, fuzzing), then a summary naming each failed suite and why (the failed
//! tests, for the page's suites); exits non-zero if any failed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};

use crate::dist::{self, DistArgs};
use crate::{js_checks, node_tests, root, run_cmd};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Suite {
    /// `cargo test --workspace`, GPU tests on Mesa's lavapipe (or any adapter) unless
    /// `--no-gpu`.
    Native,
    /// The page's pure modules under Node's test runner (`tests/unit/*.test.mjs`).
    Unit,
    /// The wasm tests in headless Chromium through chromedriver: the GPU kernels on
    /// SwiftShader (`--test web_gpu`), and the CPU matrix product (`--test gemm`) in the
    /// simd128 build and the relaxed-SIMD one.
    Wasm,
    /// The end-to-end tests of the page (`tests/e2e/*.test.mjs`): headless Chromium, and
    /// Firefox ESR and WebKitGTK for the cross-engine checks.
    E2e,
    /// Every cargo-fuzz target (`fuzz/fuzz_targets/`) for 30 s on the nightly toolchain.
    Fuzz,
}

#[derive(Args)]
pub struct TestArgs {
    /// Run only these suites (repeatable) [default: all]
    #[arg(long = "suite", value_enum)]
    pub suites: Vec<Suite>,
    /// Let the native GPU tests pass as skipped where no GPU adapter opens [default: a missing
    /// adapter fails them; scripts/setup.sh installs Mesa's lavapipe]
    #[arg(long)]
    pub no_gpu: bool,
    #[command(flatten)]
    pub dist: DistArgs,
}

pub fn run(args: &TestArgs) -> Result<()> {
    let all = [Suite::Native, Suite::Unit, Suite::Wasm, Suite::E2e, Suite::Fuzz];
    let chosen = if args.suites.is_empty() { &all[..] } else { &args.suites[..] };
    let mut failed = Vec::new();
    for &suite in chosen {
        let name = suite.to_possible_value().map(|v| v.get_name().to_owned()).unwrap_or_default();
        println!("\n=== suite `{name}` ===");
        let start = Instant::now();
        let result = match suite {
            Suite::Native => native(!args.no_gpu),
            Suite::Unit => unit(),
            Suite::Wasm => wasm(),
            Suite::E2e => e2e(&args.dist),
            Suite::Fuzz => fuzz(),
        };
        let secs = start.elapsed().as_secs_f32();
        match result {
            Ok(()) => println!("=== suite `{name}` passed in {secs:.0} s ==="),
            Err(err) => {
                eprintln!("=== suite `{name}` FAILED after {secs:.0} s: {err:#} ===");
                failed.push(format!("{name} ({err:#})"));
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

/// With `require_gpu`, `WIL_REQUIRE_GPU=1`: the GPU tests fail, rather than skip, where no
/// adapter opens (src/backend/gpu/mod.rs, tests/gpu_common/mod.rs).
fn native(require_gpu: bool) -> Result<()> {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args(["test", "--workspace"]);
    if require_gpu {
        cmd.env("WIL_REQUIRE_GPU", "1");
    } else {
        cmd.env_remove("WIL_REQUIRE_GPU");
    }
    run_cmd(&mut cmd)
}

/// The relaxed-SIMD build's target features (the page's `pkg-relaxed`, xtask/src/engine_builds.rs).
const RELAXED_SIMD: &str = "-C target-feature=+simd128,+relaxed-simd";

/// wasm-bindgen-test-runner (the runner configured in .cargo/config.toml) driving Chromium
/// through chromedriver: the GPU kernels checked against the CPU twin on SwiftShader, and the
/// CPU matrix product against its reference in the config's simd128 build, then in the
/// relaxed-SIMD build (in a target folder of its own, since other flags rebuild everything).
fn wasm() -> Result<()> {
    let browser_test = |tests: &[&str]| {
        let mut cmd = Command::new(env!("CARGO"));
        cmd.args(["test", "--target", "wasm32-unknown-unknown"]);
        for test in tests {
            cmd.args(["--test", test]);
        }
        if std::env::var_os("CHROMEDRIVER").is_none() {
            cmd.env("CHROMEDRIVER", "/usr/bin/chromedriver");
        }
        // Every kernel case on SwiftShader (a CPU emulation of a GPU) takes a few minutes; the
        // runner's default allows 20 s.
        if std::env::var_os("WASM_BINDGEN_TEST_TIMEOUT").is_none() {
            cmd.env("WASM_BINDGEN_TEST_TIMEOUT", "600");
        }
        cmd
    };
    run_cmd(&mut browser_test(&["web_gpu", "gemm"]))?;
    // RUSTFLAGS replaces the config's flags for the target, so it names simd128 again.
    let target_dir = root().join("target/wasm-relaxed-tests");
    run_cmd(browser_test(&["gemm"]).arg("--target-dir").arg(target_dir).env("RUSTFLAGS", RELAXED_SIMD))
}

/// The unit tests of the page's modules that need no browser.
/// First the static checks (wire types, tsc, Biome), then the tests.
fn unit() -> Result<()> {
    js_checks::check()?;
    node_tests::run("unit", &[], &files_ending(&root().join("tests/unit"), ".test.mjs")?, &[])
}

/// Stages `dist/`, then runs the page's end-to-end tests one file at a time (the machine
/// has two cores, and each file drives a whole browser).
fn e2e(dist_args: &DistArgs) -> Result<()> {
    let dist = dist::run(dist_args)?;
    let files = files_ending(&root().join("tests/e2e"), ".test.mjs")?;
    node_tests::run("e2e", &["--test-concurrency=1"], &files, &[("DIST_DIR", &dist)])
}

/// How long the test command fuzzes each target; the long runs are done by hand.
const FUZZ_SECONDS: u32 = 30;

/// Runs each fuzz target for [`FUZZ_SECONDS`], from its corpus (`fuzz/corpus/TARGET`, kept
/// between runs) and the committed seeds (`fuzz/seeds/TARGET`); a crash fails the suite and
/// leaves its input in `fuzz/artifacts/TARGET`. cargo-fuzz needs the nightly toolchain, which
/// `rustup run` selects whichever toolchain runs this task.
fn fuzz() -> Result<()> {
    let fuzz = root().join("fuzz");
    for target in files_ending(&fuzz.join("fuzz_targets"), ".rs")? {
        let name = target.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let corpus = fuzz.join("corpus").join(&name);
        std::fs::create_dir_all(&corpus).with_context(|| format!("creating {}", corpus.display()))?;
        let mut cmd = Command::new("rustup");
        cmd.args(["run", "nightly", "cargo", "fuzz", "run", &name])
            .args([corpus, fuzz.join("seeds").join(&name)])
            .arg("--")
            .arg(format!("-max_total_time={FUZZ_SECONDS}"));
        run_cmd(&mut cmd)?;
    }
    Ok(())
}

/// The files in `dir` whose names end in `suffix`, sorted; an error if there are none.
fn files_ending(dir: &Path, suffix: &str) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("no {}/*{suffix} files", dir.display());
    }
    Ok(files)
}
