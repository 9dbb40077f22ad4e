//! The run as files for course authors: JSON and tidy CSV, the same from the CLI
//! (`--json`, `--csv`) and the page (its download buttons).

use std::fmt::Write as _;

use crate::train::Trainer;

/// The one word for a NaN or ∞ (a diverged model) wherever a number is written for people.
pub const DIVERGED: &str = "diverged";

fn value(v: f32) -> String {
    if v.is_finite() { v.to_string() } else { DIVERGED.into() }
}

/// The run as JSON: `config`, `backend`, `initializers` (ids), `seconds` (training time),
/// `results` (the table), `history` (`from_step`, `losses[model][step]`,
/// `batch_accuracy[model][step]` as far as recorded, and `evals`). NaN and ∞ are `null`; a
/// diverged model's row says `"diverged": true`.
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

/// Long ("tidy") CSV: `metric,step,initializer,value`, one row per number; a NaN or ∞ is
/// written `diverged`, as everywhere else.
pub fn csv(trainer: &Trainer) -> String {
    let mut out = String::from("metric,step,initializer,value\n");
    let ids: Vec<String> = trainer.initializers().iter().map(|i| i.id()).collect();
    let h = trainer.history();
    for (m, id) in ids.iter().enumerate() {
        for (s, loss) in h.steps.losses[m].iter().enumerate() {
            let _ = writeln!(out, "batch_loss,{},{id},{}", s + 1, value(*loss));
        }
    }
    for e in &h.evals {
        for (m, id) in ids.iter().enumerate() {
            let _ = writeln!(out, "val_loss,{},{id},{}", e.step, value(e.loss[m]));
            let _ = writeln!(out, "val_accuracy,{},{id},{}", e.step, value(e.accuracy[m]));
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
            let _ = writeln!(out, "{metric},{steps},{},{}", r.init, value(v));
        }
    }
    out
}
