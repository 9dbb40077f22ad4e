//! `cargo xtask dist`: builds the wasm and stages a self-contained static site in `dist/`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use clap::Args;

use crate::{ensure_node_modules, root, run_cmd};

/// The four Fashion-MNIST files the page fetches from `data/` (named as the engine's
/// `crate::data` constants name them; repeated here so xtask need not build the engine).
pub const DATA_FILES: [&str; 4] = [
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
];

const DEFAULT_DATA_DIR: &str = "/usr/share/datasets/fashion-mnist";
const WASM_BINDGEN_VERSION: &str = "0.2.130";

#[derive(Args, Clone)]
pub struct DistArgs {
    /// Folder holding the four Fashion-MNIST .gz files
    /// [default: $FASHION_MNIST_DIR, else /usr/share/datasets/fashion-mnist]
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Where to stage the site.
    #[arg(long, default_value = "dist")]
    pub out: PathBuf,
}

/// Builds and stages the site; returns its folder.
pub fn run(args: &DistArgs) -> Result<PathBuf> {
    let root = root();
    let out = root.join(&args.out);
    let data = data_dir(args.data.as_deref());
    // Check the inputs first so a missing file fails in a second, not after the build.
    for name in DATA_FILES {
        let file = data.join(name);
        if !file.is_file() {
            bail!("missing data file {} (pass --data DIR or set FASHION_MNIST_DIR)", file.display());
        }
    }
    ensure_node_modules()?;
    let wasm = build_wasm()?;

    if out.exists() {
        fs::remove_dir_all(&out).with_context(|| format!("removing {}", out.display()))?;
    }
    fs::create_dir_all(&out)?;
    run_cmd(
        Command::new(wasm_bindgen()?)
            .args(["--target", "web", "--no-typescript", "--out-dir"])
            .arg(out.join("pkg"))
            .arg(wasm),
    )?;
    copy(&root.join("index.html"), &out.join("index.html"))?;
    copy_dir(&root.join("www"), &out.join("www"))?;
    let uplot = root.join("node_modules/uplot/dist");
    for name in ["uPlot.esm.js", "uPlot.min.css"] {
        copy(&uplot.join(name), &out.join("vendor/uplot").join(name))?;
    }
    for name in DATA_FILES {
        copy(&data.join(name), &out.join("data").join(name))?;
    }
    Ok(out)
}

fn data_dir(arg: Option<&Path>) -> PathBuf {
    match (arg, std::env::var_os("FASHION_MNIST_DIR")) {
        (Some(dir), _) => dir.to_path_buf(),
        (None, Some(dir)) => PathBuf::from(dir),
        (None, None) => PathBuf::from(DEFAULT_DATA_DIR),
    }
}

fn build_wasm() -> Result<PathBuf> {
    run_cmd(Command::new(env!("CARGO")).args([
        "build",
        "--package",
        "weight-init-lab",
        "--lib",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
    ]))?;
    Ok(root().join("target/wasm32-unknown-unknown/release/weight_init_lab.wasm"))
}

/// The `wasm-bindgen` CLI, which must match the crate's pinned wasm-bindgen version.
fn wasm_bindgen() -> Result<PathBuf> {
    let in_cargo_bin = std::env::var_os("HOME")
        .map(|home| PathBuf::from(home).join(".cargo/bin/wasm-bindgen"))
        .filter(|p| p.is_file());
    let program = in_cargo_bin.unwrap_or_else(|| PathBuf::from("wasm-bindgen"));
    let install = format!("install it with `cargo install wasm-bindgen-cli --version {WASM_BINDGEN_VERSION}`");
    let output = Command::new(&program)
        .arg("--version")
        .output()
        .with_context(|| format!("wasm-bindgen not found: {install}"))?;
    let version = String::from_utf8_lossy(&output.stdout);
    if !version.contains(WASM_BINDGEN_VERSION) {
        bail!("found {} but need wasm-bindgen {WASM_BINDGEN_VERSION}: {install}", version.trim());
    }
    Ok(program)
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::copy(from, to).with_context(|| format!("copying {} to {}", from.display(), to.display()))?;
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    for entry in fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            copy(&entry.path(), &target)?;
        }
    }
    Ok(())
}
