//! The lesson's table, and the JSON and CSV exports.

use std::fmt::Write as _;
use std::path::Path;

use weight_init_lab::train::{ModelResult, Trainer};

use super::CliError;

/// Formats a loss or accuracy so that divergence reads as such.
fn num(v: f32, decimals: usize) -> String {
    if v.is_nan() {
        "NaN (diverged)".into()
    } else if v.is_infinite() {
        "∞ (diverged)".into()
    } else {
        format!("{v:.decimals$}")
    }
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

pub fn json(trainer: &Trainer, seconds: f64) -> String {
    let doc = serde_json::json!({
        "config": trainer.config(),
        "backend": trainer.backend_name(),
        "initializers": trainer.initializers().iter().map(|i| i.id()).collect::<Vec<_>>(),
        "seconds": seconds,
        "results": trainer.results(),
        "history": trainer.history(),
    });
    // serde_json writes NaN and ∞ as null, which is what JSON can say.
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// Long ("tidy") CSV: `metric,step,initializer,value`, one row per number.
pub fn csv(trainer: &Trainer) -> String {
    let mut out = String::from("metric,step,initializer,value\n");
    let ids: Vec<String> = trainer.initializers().iter().map(|i| i.id()).collect();
    let h = trainer.history();
    for (m, id) in ids.iter().enumerate() {
        for (s, loss) in h.steps.losses[m].iter().enumerate() {
            let _ = writeln!(out, "batch_loss,{},{id},{loss}", s + 1);
        }
    }
    for e in &h.evals {
        for (m, id) in ids.iter().enumerate() {
            let _ = writeln!(out, "val_loss,{},{id},{}", e.step, e.loss[m]);
            let _ = writeln!(out, "val_accuracy,{},{id},{}", e.step, e.accuracy[m]);
        }
    }
    let steps = trainer.steps_done();
    for r in trainer.results() {
        for (metric, v) in [
            ("final_val_accuracy", r.val_accuracy),
            ("last_batch_loss", r.last_batch_loss),
            ("mean_loss_first_100", r.mean_loss_first_100),
            ("mean_loss_last_100", r.mean_loss_last_100),
        ] {
            let _ = writeln!(out, "{metric},{steps},{},{v}", r.init);
        }
    }
    out
}

pub fn write(path: &Path, text: &str) -> Result<(), CliError> {
    std::fs::write(path, text).map_err(|e| CliError::output(path, e))
}
