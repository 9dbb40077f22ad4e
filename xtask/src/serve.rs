//! `cargo xtask serve`: stages `dist/` and serves it with npm's `http-server`, cross-origin
//! isolated (scripts/serve.mjs).

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
    // scripts/serve.mjs: http-server with the cross-origin isolation headers (see there).
    run_cmd(Command::new("node").arg("scripts/serve.mjs").arg(dir).arg(args.port.to_string()))
}
