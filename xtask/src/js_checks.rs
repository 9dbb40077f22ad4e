//! The page's JavaScript held to the same bar as the Rust: the wire's types regenerated from the
//! Rust definitions (`cargo xtask wire`), the page's `// @ts-check` modules type-checked against
//! them (`tsc --noEmit`, tsconfig.json), and Biome's formatter and linter (biome.json), as
//! `cargo fmt --check` and clippy are for the Rust.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result, bail};
use clap::Args;

use crate::{ensure_node_modules, root, run_cmd};

/// Where the page reads the wire's types.
const WIRE_TYPES: &str = "www/engine/wire.d.ts";

#[derive(Args)]
pub struct WireArgs {
    /// Fail (and write nothing) if the committed file differs from what the Rust makes
    #[arg(long)]
    pub check: bool,
}

/// The wire's TypeScript types as the Rust definitions make them (src/wire.rs).
fn generate() -> Result<String> {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.current_dir(root()).args(["run", "--quiet", "--features", "wire-types", "--example", "wire_types"]);
    let out = cmd.output().context("could not run cargo for the wire types")?;
    if !out.status.success() {
        bail!("generating the wire types failed:\n{}", String::from_utf8_lossy(&out.stderr));
    }
    String::from_utf8(out.stdout).context("the wire types are not UTF-8")
}

/// `cargo xtask wire`: writes [`WIRE_TYPES`]; with `--check`, fails if it is out of date.
pub fn wire(args: &WireArgs) -> Result<()> {
    let path: PathBuf = root().join(WIRE_TYPES);
    let fresh = generate()?;
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if fresh == committed {
        println!("{WIRE_TYPES} is up to date");
        return Ok(());
    }
    if args.check {
        bail!("{WIRE_TYPES} is out of date with the Rust definitions: run `cargo xtask wire` and commit it");
    }
    std::fs::write(&path, fresh).with_context(|| format!("writing {}", path.display()))?;
    println!("wrote {WIRE_TYPES}");
    Ok(())
}

/// The unit suite's static checks: the wire types current, the page type-checked against
/// them, and formatted and linted; each failure names its tool.
pub fn check() -> Result<()> {
    ensure_node_modules()?;
    wire(&WireArgs { check: true })?;
    run_cmd(Command::new("npx").args(["--no-install", "tsc", "--noEmit", "-p", "tsconfig.json"]))
        .context("the page does not type-check against the wire (tsc)")?;
    run_cmd(Command::new("npx").args(["--no-install", "biome", "ci", "--error-on-warnings", "."])).context(
        "the page's JavaScript is not formatted or linted as biome.json says (`npx biome check --write .` fixes most)",
    )?;
    Ok(())
}
