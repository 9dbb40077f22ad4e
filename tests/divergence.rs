//! Failures explained as results: a model whose loss turns NaN or ∞ is given the step, the
//! layer and the largest finite value of its first non-finite forward pass, the same on the
//! CPU and the GPU, and however often the metrics were read back.

#[allow(dead_code)] // only `open_gpu` is used here
mod gpu_common;

use std::sync::Arc;

use weight_init_lab::backend::Backend;
use weight_init_lab::backend::cpu::CpuBackend;
use weight_init_lab::data::{self, Dataset};
use weight_init_lab::init::Initializer;
use weight_init_lab::train::{Divergence, ModelSpec, Optimizer, Overrides, TrainConfig, Trainer};

/// The first 3,000 images of the real Fashion-MNIST training file (24 steps an epoch).
fn real_subset() -> Arc<Dataset> {
    let d = data::load_dir(&data::resolve_dir(None)).expect("the Fashion-MNIST files").train;
    let pixels = d.pixels[..3000 * d.pixels_per_image()].to_vec();
    Arc::new(Dataset { pixels, labels: d.labels[..3000].to_vec(), ..d })
}

/// SGD at lr 10 (two models of one stack, both diverging) and the general rule at lr 0.05
/// in a stack of its own, which trains: the records must land on the run's model indices.
fn models() -> Vec<ModelSpec> {
    let calm = Overrides { lr: Some(0.05), ..Overrides::default() };
    vec![
        Initializer::GeneralRuleUniform.into(),
        ModelSpec { init: Initializer::GeneralRuleUniform, overrides: calm },
        Initializer::HeUniform.into(),
    ]
}

fn trainer(backend: Box<dyn Backend>, eval_every: usize) -> Trainer {
    let config = TrainConfig { optimizer: Optimizer::Sgd, lr: 10.0, epochs: 1, eval_every, ..TrainConfig::default() };
    Trainer::new(backend, real_subset(), &models(), config).unwrap()
}

/// Runs `steps` steps, `per_call` at a time (each call reads the metrics back at its end).
fn run(t: &mut Trainer, steps: usize, per_call: usize) -> Vec<Option<Divergence>> {
    let mut ran = 0;
    while ran < steps {
        ran += pollster::block_on(t.run(per_call.min(steps - ran))).unwrap();
    }
    t.history().divergence().to_vec()
}

fn first_non_finite(t: &Trainer, m: usize) -> Option<usize> {
    t.history().steps.losses[m].iter().position(|l| !l.is_finite()).map(|i| i + 1)
}

#[test]
fn a_diverging_model_is_explained_and_a_training_one_is_not() {
    let mut t = trainer(Box::new(CpuBackend::new(0)), 0);
    let found = run(&mut t, 24, 24);
    for m in [0, 2] {
        let d = found[m].unwrap_or_else(|| panic!("model {m} diverges at lr 10: {found:?}"));
        assert_eq!(Some(d.step), first_non_finite(&t, m), "model {m}: the first non-finite loss");
        assert!((1..=3).contains(&d.layer), "model {m}: layer {} of 3", d.layer);
        assert!(d.max_abs.is_finite() && d.max_abs > 1e3, "model {m}: largest finite {}", d.max_abs);
    }
    assert_eq!(found[1], None, "lr 0.05 trains: {:?}", t.history().steps.losses[1].last());
    let mut told: Vec<usize> = t.take_new_divergences().iter().map(|(m, _)| *m).collect();
    told.sort_unstable();
    assert_eq!(told, [0, 2]);
    assert!(t.take_new_divergences().is_empty(), "each model's divergence is told once");

    t.reset();
    assert_eq!(t.history().divergence(), [None, None, None], "reset clears the records");
}

#[test]
fn the_record_does_not_depend_on_when_metrics_are_read_or_checkpoints_taken() {
    // Read once at the end (the replay starts from the initial weights), after every step
    // (the step just run), and with checkpoints every 4 steps (the replay starts there).
    let once = run(&mut trainer(Box::new(CpuBackend::new(0)), 0), 24, 24);
    let each = run(&mut trainer(Box::new(CpuBackend::new(0)), 0), 24, 1);
    let checkpoints = run(&mut trainer(Box::new(CpuBackend::new(0)), 4), 24, 24);
    assert!(once[0].is_some());
    assert_eq!(once, each, "read every step");
    assert_eq!(once, checkpoints, "replayed from a checkpoint");
}

#[test]
fn the_gpu_reports_the_cpus_step_and_layer() {
    let Some(gpu) = gpu_common::open_gpu() else {
        return;
    };
    let want = run(&mut trainer(Box::new(CpuBackend::new(0)), 0), 24, 24);
    let got = run(&mut trainer(Box::new(gpu), 0), 24, 24);
    for (m, (w, g)) in want.iter().zip(&got).enumerate() {
        let (Some(w), Some(g)) = (w, g) else {
            assert_eq!(w.is_some(), g.is_some(), "model {m}: cpu {w:?}, gpu {g:?}");
            continue;
        };
        assert_eq!((w.step, w.layer, w.cause), (g.step, g.layer, g.cause), "model {m}");
        // Exploding values amplify the backends' rounding differences step after step.
        let ratio = g.max_abs / w.max_abs;
        assert!((0.5..2.0).contains(&ratio), "model {m}: largest finite gpu {} vs cpu {}", g.max_abs, w.max_abs);
    }
}
