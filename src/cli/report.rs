//! The lesson's table as the terminal shows it, and writing the exports (`export.rs`).

use std::fmt::Write as _;
use std::path::Path;

use weight_init_lab::export::DIVERGED;
use weight_init_lab::train::ModelResult;

use super::CliError;

/// Formats a loss or accuracy so that divergence reads as such.
fn num(v: f32, decimals: usize) -> String {
    if v.is_finite() { format!("{v:.decimals$}") } else { DIVERGED.into() }
}

pub fn table(results: &[ModelResult]) -> String {
    let width = results.iter().map(|r| r.label.chars().count()).max().unwrap_or(0).max(11);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<width$}  {:>8}  {:>15}  {:>15}  {:>15}",
        "initializer", "val acc", "last-batch loss", "mean first 100", "mean last 100"
    );
    for r in results {
        let _ = writeln!(
            out,
            "{:<width$}  {:>7}%  {:>15}  {:>15}  {:>15}",
            r.label,
            num(r.val_accuracy * 100.0, 3),
            num(r.last_batch_loss, 3),
            num(r.mean_loss_first_100, 3),
            num(r.mean_loss_last_100, 3),
        );
    }
    out
}

pub fn write(path: &Path, text: &str) -> Result<(), CliError> {
    std::fs::write(path, text).map_err(|e| CliError::output(path, e))
}
