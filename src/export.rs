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
/// `results` (the table), `steps` (trained), `recorded_steps` (how many of them `history`
/// holds: all, unless a long run passed the record's bound), `history` (`from_step`, `losses[model][step]`,
/// `batch_accuracy[model][step]` as far as recorded, and `evals`), `divergence[model]` (where
/// a model diverged, `{step, layer, max_abs, cause}` as [`crate::train::Divergence`], or
/// `null`), `states[model]` (its named states at the latest signal, as
/// [`crate::train::NamedState`]: `{kind: "no_gradient", up_to}`, `{kind: "dead_relus",
/// layers}`; `[]` for none). NaN and ∞ are `null`; a diverged model's row says
/// `"diverged": true`.
pub fn json(trainer: &Trainer, seconds: f64) -> String {
    let doc = serde_json::json!({
        "config": trainer.config(),
        "backend": trainer.backend_name(),
        "initializers": trainer.models().iter().map(|m| m.id()).collect::<Vec<_>>(),
        "seconds": seconds,
        "results": trainer.results(),
        "models": trainer.archs(),
        "signal": trainer.start_signal(),
        "steps": trainer.steps_done(),
        "recorded_steps": trainer.history().steps.losses.first().map_or(0, Vec::len),
        "history": trainer.history(),
        "divergence": trainer.history().divergence(),
        "states": trainer.states(),
    });
    // serde_json writes NaN and ∞ as null, which is what JSON can say.
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// Long ("tidy") CSV: `metric,step,initializer,value`, one row per number; a NaN or ∞ is
/// written `diverged`, as everywhere else.
pub fn csv(trainer: &Trainer) -> String {
    let mut out = String::from("metric,step,initializer,value\n");
    let ids: Vec<String> = trainer.models().iter().map(|m| m.id()).collect();
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
    // Each number at the step it is of: the accuracy at the last validation pass, the losses
    // at the last step trained.
    let (steps, validated) = (trainer.steps_done(), h.evals.last().map_or(0, |e| e.step));
    for r in trainer.results() {
        for (metric, step, v) in [
            ("final_val_accuracy", validated, r.val_accuracy),
            ("last_batch_loss", steps, r.last_batch_loss),
            ("mean_loss_first_100", steps, r.mean_loss_first_100),
            ("mean_loss_last_100", steps, r.mean_loss_last_100),
        ] {
            let _ = writeln!(out, "{metric},{step},{},{}", r.init, value(v));
        }
    }
    out
}
