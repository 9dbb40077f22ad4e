//! `cargo xtask serve`: stages `dist/` and serves it with npm's `http-server`.

use std::process::Command;

use anyhow::Result;
use clap::Args;

use crate::dist::{self, DistArgs};
use crate::run_cmd;

#[derive(Args)]
pub struct ServeArgs {
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    #[command(flatten)]
    pub dist: DistArgs,
}

pub fn run(args: &ServeArgs) -> Result<()> {
    let dir = dist::run(&args.dist)?;
    println!("serving the lab on http://127.0.0.1:{}/ (Ctrl-C stops)", args.port);
    // -c-1: no caching, so a rebuilt dist/ shows up on reload. http-server serves .wasm as
    // application/wasm, which WebAssembly.instantiateStreaming requires.
    run_cmd(Command::new("node").arg("node_modules/http-server/bin/http-server").arg(dir).args([
        "-a",
        "127.0.0.1",
        "-p",
        &args.port.to_string(),
        "-c-1",
    ]))
}
