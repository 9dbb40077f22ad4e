//! The page's engine in several builds, each a wasm-bindgen package folder of the site, of
//! which the worker loads one (`www/engine-build.js` chooses by what the browser accepts):
//!
//! - `pkg`: simd128, one thread — every browser; the reference build the engines compare.
//! - `pkg-relaxed`: simd128 + relaxed SIMD, one thread — the GEMM kernel then uses
//!   `f32x4.relaxed_madd` (fused multiply-add where the CPU has it). Safari rejects a whole
//!   module that contains one relaxed instruction, hence a second build and not a branch.
//! - `pkg-threads`: shared memory and atomics, products on rayon's global pool of Web Workers
//!   (wasm-bindgen-rayon) — where the page is cross-origin isolated. Needs the nightly
//!   toolchain: the standard library is rebuilt with atomics (`-Z build-std`).
//! - `pkg-threads-relaxed`: both.
//!
//! The variants get target folders of their own (the base build keeps cargo's), so that
//! switching flags never rebuilds another variant from scratch.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::{root, run_cmd};

/// One build: the site folder it goes to, its target features, and whether it has threads.
pub struct EngineBuild {
    pub dir: &'static str,
    features: &'static str,
    threads: bool,
}

pub const BUILDS: [EngineBuild; 4] = [
    EngineBuild { dir: "pkg", features: "+simd128", threads: false },
    EngineBuild { dir: "pkg-relaxed", features: "+simd128,+relaxed-simd", threads: false },
    EngineBuild { dir: "pkg-threads", features: "+atomics,+bulk-memory,+mutable-globals,+simd128", threads: true },
    EngineBuild {
        dir: "pkg-threads-relaxed",
        features: "+atomics,+bulk-memory,+mutable-globals,+simd128,+relaxed-simd",
        threads: true,
    },
];

/// Shared memory for the threaded build, as wasm-bindgen's thread support expects it: imported
/// (every thread instantiates the module on the same memory), up to wasm32's 4 GiB like the
/// one-thread builds' memory (the session refuses runs over 2 GiB of tensors; the lesson's
/// thirteen models and the data set need ~0.2 GiB), and the thread-local storage exports.
const SHARED_MEMORY: [&str; 7] = [
    "--shared-memory",
    "--max-memory=4294967296",
    "--import-memory",
    "--export=__wasm_init_tls",
    "--export=__tls_size",
    "--export=__tls_align",
    "--export=__tls_base",
];

impl EngineBuild {
    /// Compiles the engine (the `wasm` profile, see Cargo.toml) and returns the .wasm file.
    pub fn compile(&self) -> Result<PathBuf> {
        let mut flags = format!("-C target-feature={}", self.features);
        let mut cmd = Command::new("cargo");
        if self.threads {
            // std rebuilt with atomics: only nightly cargo can (`-Z build-std`).
            nightly_ready()?;
            cmd.arg("+nightly");
            SHARED_MEMORY.iter().for_each(|arg| flags += &format!(" -C link-arg={arg}"));
        }
        cmd.arg("build");
        if self.threads {
            cmd.args(["-Z", "build-std=panic_abort,std"]);
        }
        let target_dir = match self.dir {
            "pkg" => root().join("target"),
            dir => root().join("target").join(format!("wasm-{dir}")),
        };
        cmd.args(["--package", "weight-init-lab", "--lib", "--profile", "wasm", "--target", "wasm32-unknown-unknown"])
            .arg("--target-dir")
            .arg(&target_dir)
            // RUSTFLAGS replaces .cargo/config.toml's flags for the target: each build says all.
            .env("RUSTFLAGS", flags);
        let start = Instant::now();
        run_cmd(&mut cmd)?;
        println!("built {} in {:.1} s", self.dir, start.elapsed().as_secs_f32());
        Ok(target_dir.join("wasm32-unknown-unknown/wasm/weight_init_lab.wasm"))
    }

    /// After wasm-bindgen wrote the package to `pkg`: wasm-bindgen-rayon's thread worker
    /// imports its engine as `'../../..'`, a folder that bundlers resolve and browsers do not;
    /// it is pointed at the engine's file. (Its `no-bundler` variant starts the threads from
    /// blob: URLs instead, which the lab's Content-Security-Policy, `worker-src 'self'`, forbids.)
    pub fn finish(&self, pkg: &Path) -> Result<()> {
        if !self.threads {
            return Ok(());
        }
        let helpers = worker_helpers(pkg)?;
        let code = fs::read_to_string(&helpers).with_context(|| format!("reading {}", helpers.display()))?;
        let folder = "import('../../..')";
        if code.matches(folder).count() != 1 {
            bail!("{}: expected one `{folder}` to point at the engine (a new wasm-bindgen-rayon?)", helpers.display());
        }
        let code = code.replace(folder, "import('../../../weight_init_lab.js')");
        fs::write(&helpers, code).with_context(|| format!("writing {}", helpers.display()))
    }
}

/// wasm-bindgen-rayon's snippet in the package `pkg`: `snippets/wasm-bindgen-rayon-*/src/workerHelpers.js`.
fn worker_helpers(pkg: &Path) -> Result<PathBuf> {
    let snippets = pkg.join("snippets");
    let found: Vec<PathBuf> = fs::read_dir(&snippets)
        .with_context(|| format!("reading {}", snippets.display()))?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("wasm-bindgen-rayon-"))
        .map(|e| e.path().join("src/workerHelpers.js"))
        .filter(|p| p.is_file())
        .collect();
    match &found[..] {
        [one] => Ok(one.clone()),
        _ => bail!("{}: expected one wasm-bindgen-rayon workerHelpers.js, found {}", snippets.display(), found.len()),
    }
}

/// The threaded builds need the nightly toolchain with the wasm target and std's sources: say
/// so, and how to get them, rather than cargo's message about `-Z build-std`.
fn nightly_ready() -> Result<()> {
    let listed = |args: &[&str]| -> String {
        Command::new("rustup")
            .arg("+nightly")
            .args(args)
            .output()
            .map(|out| String::from_utf8_lossy(&out.stdout).into_owned())
            .unwrap_or_default()
    };
    let has_target = listed(&["target", "list", "--installed"]).lines().any(|l| l == "wasm32-unknown-unknown");
    let has_src = listed(&["component", "list", "--installed"]).lines().any(|l| l.starts_with("rust-src"));
    if !(has_target && has_src) {
        bail!(
            "the threaded engine builds need the nightly toolchain with its wasm32-unknown-unknown target and \
             rust-src (std is rebuilt with atomics); run scripts/setup.sh, which installs them"
        );
    }
    Ok(())
}
