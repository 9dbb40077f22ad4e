//! The lesson's table as the terminal shows it, and writing the exports (`export.rs`).

use std::fmt::Write as _;
use std::path::Path;

use weight_init_lab::export::DIVERGED;
use weight_init_lab::train::{Divergence, ModelResult, NamedState, Signal};

use super::CliError;

/// Formats a loss or accuracy so that divergence reads as such.
fn num(v: f32, decimals: usize) -> String {
    if v.is_finite() { format!("{v:.decimals$}") } else { DIVERGED.into() }
}

/// The lesson's table, one row per model; a diverged model's row ends with where it diverged
/// (`divergence[model]`, as [`Divergence`]), and a model in a named state with its words
/// (`states[model]`, as [`NamedState`]).
pub fn table(results: &[ModelResult], divergence: &[Option<Divergence>], states: &[Vec<NamedState>]) -> String {
    let width = results.iter().map(|r| r.label.chars().count()).max().unwrap_or(0).max(11);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<width$}  {:>8}  {:>15}  {:>15}  {:>15}",
        "initializer", "val acc", "last-batch loss", "mean first 100", "mean last 100"
    );
    for ((r, d), named) in results.iter().zip(divergence).zip(states) {
        let _ = write!(
            out,
            "{:<width$}  {:>7}%  {:>15}  {:>15}  {:>15}",
            r.label,
            num(r.val_accuracy * 100.0, 3),
            num(r.last_batch_loss, 3),
            num(r.mean_loss_first_100, 3),
            num(r.mean_loss_last_100, 3),
        );
        let words: Vec<String> = d
            .iter()
            .map(|d| format!("{DIVERGED} at step {}, layer {}", d.step, d.layer))
            .chain(named.iter().map(NamedState::to_string))
            .collect();
        let _ = if words.is_empty() { writeln!(out) } else { writeln!(out, "  {}", words.join("; ")) };
    }
    out
}

/// Each model's signal at step 0 under the table: its hidden layers' output std (first,
/// middle, last) and its weight gradients' RMS (first and last matrix).
pub fn signal(labels: &[&str], signals: &[Signal]) -> String {
    let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0).max(11);
    let mut out = String::from("signal at step 0 (probe batch, dropout off):\n");
    let _ = writeln!(
        out,
        "{:<width$}  {:>10}  {:>10}  {:>10}  {:>10}  {:>10}",
        "initializer", "std first", "std middle", "std last", "grad first", "grad last"
    );
    let sci = |v: Option<&f32>| {
        v.map_or("—".to_string(), |&v| if v.is_finite() { format!("{v:.2e}") } else { DIVERGED.into() })
    };
    for (label, s) in labels.iter().zip(signals) {
        let (acts, grads) = (&s.act_std, &s.grad_rms);
        let _ = writeln!(
            out,
            "{:<width$}  {:>10}  {:>10}  {:>10}  {:>10}  {:>10}",
            label,
            sci(acts.first()),
            sci(acts.get(acts.len() / 2).filter(|_| acts.len() > 2)),
            sci(acts.last().filter(|_| acts.len() > 1)),
            sci(grads.first()),
            sci(grads.last()),
        );
    }
    out
}

pub fn write(path: &Path, text: &str) -> Result<(), CliError> {
    std::fs::write(path, text).map_err(|e| CliError::output(path, e))
}
