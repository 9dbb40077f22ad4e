//! The CPU reference: backward pass against finite differences, Adam against a hand-computed
//! step, and the trainer's determinism.

use std::sync::Arc;

use weight_init_lab::backend::cpu::CpuBackend;
use weight_init_lab::backend::{Activation, AdamStep, SgdStep, TrainOps};
use weight_init_lab::data::Dataset;
use weight_init_lab::init::Initializer;
use weight_init_lab::model::{MlpShape, Stack};
use weight_init_lab::seeds::MaskStreams;
use weight_init_lab::train::{TrainConfig, Trainer};

fn read(b: &mut CpuBackend, buf: weight_init_lab::backend::Buf) -> Vec<f32> {
    pollster::block_on(b.read(buf)).unwrap()
}

/// A tiny data set: `count` 28×28 images of seeded noise, labels 0–9.
fn noise(count: usize, seed: u32) -> Dataset {
    let h = |i: u32| weight_init_lab::backend::dropout::hash(i ^ seed.wrapping_mul(0x9e37_79b9));
    Dataset {
        pixels: (0..count * 784).map(|i| h(i as u32) as u8).collect(),
        labels: (0..count).map(|i| (h(i as u32 + 7_000_000) % 10) as u8).collect(),
        rows: 28,
        cols: 28,
    }
}

/// Mean loss of the stack's first model on the batch already in `x`.
fn loss(b: &mut CpuBackend, stack: &Stack, rows: usize, dropout: Option<(f32, MaskStreams)>) -> f64 {
    let stats = b.alloc(2 * stack.models);
    stack.forward(b, rows, dropout);
    stack.loss(b, rows, stats, 0, false);
    read(b, stats)[0] as f64 / rows as f64
}

/// Every parameter gradient of a small net against central differences of the loss, for
/// every activation, with dropout on (a fixed mask) so its backward pass is checked too.
#[test]
fn backward_matches_finite_differences_for_every_activation() {
    for act in Activation::ALL {
        let checked = check_gradients(act);
        assert!(checked > 200, "{act:?}: only {checked} parameters checked");
    }
}

/// Checks `act`'s small net; returns how many parameters it checked.
fn check_gradients(act: Activation) -> usize {
    // Small layers so every parameter can be checked; three hidden layers so that the
    // activation's backward pass is chained.
    let shape = MlpShape::new(784, &[9, 8, 7], 10).with_activation(act);
    let rows = 5;
    let mut b = CpuBackend::new(1);
    let stack = Stack::new(&mut b, shape.clone(), 1, rows);
    stack.load_init(&mut b, &[shape.init(&Initializer::XavierNormal, 4)]);
    let data = noise(rows, 1);
    let id = b.upload_data(&data.pixels, &data.labels, 784);
    b.gather(id, &(0..rows as u32).collect::<Vec<_>>(), stack.x, stack.labels);
    let dropout = Some((0.2, MaskStreams { seed: 77, first_stream: 3 }));

    let stats = b.alloc(2);
    stack.forward(&mut b, rows, dropout);
    stack.loss(&mut b, rows, stats, 0, true);
    stack.backward(&mut b, rows, dropout);

    let mut checked = 0;
    for l in 0..shape.layers() {
        for (param, grad) in [stack.weights(l), stack.biases(l)] {
            let analytic = read(&mut b, grad);
            let values = read(&mut b, param);
            // Every bias and weight of the small layers; a strided sample of the first layer's.
            let step = if values.len() > 1000 { 97 } else { 1 };
            for i in (0..values.len()).step_by(step) {
                let eps = 1e-2f32;
                let mut v = values.clone();
                v[i] = values[i] + eps;
                b.write(param, &v);
                let up = loss(&mut b, &stack, rows, dropout);
                v[i] = values[i] - eps;
                b.write(param, &v);
                let down = loss(&mut b, &stack, rows, dropout);
                b.write(param, &values);
                let numeric = (up - down) / (2.0 * eps as f64);
                // f32 forward passes: central differences are good to ~1e-4 here, except
                // where a ReLU kink lies within ±eps.
                let err = (numeric - analytic[i] as f64).abs();
                assert!(
                    err < 2e-3 + 2e-2 * numeric.abs(),
                    "{act:?} layer {l} param {i}: numeric {numeric}, analytic {}",
                    analytic[i]
                );
                checked += 1;
            }
        }
    }
    checked
}

#[test]
fn adam_matches_a_hand_computed_step() {
    let mut b = CpuBackend::new(1);
    let (p, g, m, v) = (b.alloc(1), b.alloc(1), b.alloc(1), b.alloc(1));
    b.write(p, &[1.0]);
    let step = |t: i32| AdamStep {
        lr: 0.001,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
        bias_correction1: 1.0 - 0.9f32.powi(t),
        bias_correction2: 1.0 - 0.999f32.powi(t),
    };
    // t = 1, g = 0.5: m = 0.05, v = 0.00025, m̂ = 0.5, v̂ = 0.25, p = 1 − 0.001·0.5/0.5.
    b.write(g, &[0.5]);
    b.adam(p, g, m, v, 1, &step(1));
    assert!((read(&mut b, p)[0] - 0.999).abs() < 1e-6);
    // f32's 1 − 0.999 is 0.99999e-3, so compare the moments relatively.
    assert!((read(&mut b, m)[0] / 0.05 - 1.0).abs() < 1e-5 && (read(&mut b, v)[0] / 0.00025 - 1.0).abs() < 1e-4);
    // t = 2, g = −0.2: m = 0.025, v = 0.00028975, m̂ = 0.131578947, v̂ = 0.144947474,
    // p = 0.999 − 0.001·0.131578947/0.380719692 = 0.998654394.
    b.write(g, &[-0.2]);
    b.adam(p, g, m, v, 1, &step(2));
    assert!((read(&mut b, p)[0] - 0.998_654_4).abs() < 2e-6, "{}", read(&mut b, p)[0]);
}

#[test]
fn sgd_steps_against_the_gradient() {
    let mut b = CpuBackend::new(1);
    let (p, g, v) = (b.alloc(3), b.alloc(3), b.alloc(3));
    b.write(p, &[1.0, 2.0, 3.0]);
    b.write(g, &[0.5, -1.0, 0.0]);
    b.sgd(p, g, v, 3, &SgdStep { lr: 0.1, momentum: 0.0 });
    assert_eq!(read(&mut b, p), vec![0.95, 2.1, 3.0]);
}

/// PyTorch's momentum: v ← μ·v + g, p ← p − lr·v, from v = 0 (so the first step is plain).
#[test]
fn sgd_with_momentum_matches_a_hand_computed_step() {
    let mut b = CpuBackend::new(1);
    let (p, g, v) = (b.alloc(1), b.alloc(1), b.alloc(1));
    b.write(p, &[1.0]);
    let step = SgdStep { lr: 0.1, momentum: 0.9 };
    b.write(g, &[0.5]);
    b.sgd(p, g, v, 1, &step);
    assert!((read(&mut b, p)[0] - 0.95).abs() < 1e-7 && read(&mut b, v)[0] == 0.5);
    // v = 0.9·0.5 − 0.2 = 0.25, p = 0.95 − 0.025 = 0.925.
    b.write(g, &[-0.2]);
    b.sgd(p, g, v, 1, &step);
    assert!((read(&mut b, v)[0] - 0.25).abs() < 1e-7 && (read(&mut b, p)[0] - 0.925).abs() < 1e-7);
}

fn short_run(threads: usize, seed: u64) -> Trainer {
    let data = noise(1250, 3);
    let config = TrainConfig { epochs: 1, seed, eval_every: 5, ..TrainConfig::default() };
    let inits = [Initializer::GeneralRuleUniform, Initializer::Zeros];
    let mut t = Trainer::new(Box::new(CpuBackend::new(threads)), data.into(), &inits, config).unwrap();
    pollster::block_on(t.run(12)).unwrap();
    t
}

#[test]
fn the_same_seed_gives_the_same_curves_bit_for_bit() {
    let (a, b) = (short_run(1, 5), short_run(2, 5));
    assert_eq!(a.steps_done(), 10, "1,000 training images make 10 batches");
    assert_eq!(a.history().steps.losses[0].len(), 10);
    let bits = |t: &Trainer| t.history().steps.losses.iter().flatten().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&a), bits(&b), "thread count changed the numbers");
    assert_eq!(a.history().evals, b.history().evals);
    assert_ne!(bits(&a), bits(&short_run(1, 6)), "another seed gave the same curves");
}

/// Every activation, SGD with momentum, models of several depths in stacks of their own, and
/// the signal: the same numbers on one thread as on two.
#[test]
fn deep_mixed_runs_are_bit_identical_across_thread_counts() {
    use weight_init_lab::train::{ModelSpec, Optimizer};
    let run = |threads| {
        let config = TrainConfig {
            epochs: 1,
            hidden: vec![64; 6],
            optimizer: Optimizer::Sgd,
            momentum: 0.9,
            lr: 0.01,
            eval_every: 5,
            ..TrainConfig::default()
        };
        let models: Vec<ModelSpec> =
            ["he-normal", "xavier-normal@tanh", "lecun-normal@sigmoid+32x3", "he-normal@leaky-relu+adam"]
                .iter()
                .map(|id| ModelSpec::parse(id).unwrap())
                .collect();
        let mut t = Trainer::new(Box::new(CpuBackend::new(threads)), noise(1250, 3).into(), &models, config).unwrap();
        let signal = pollster::block_on(t.signal()).unwrap();
        pollster::block_on(t.run(12)).unwrap();
        (signal, t)
    };
    let ((signal_1, one), (signal_2, two)) = (run(1), run(2));
    let bits = |t: &Trainer| t.history().steps.losses.iter().flatten().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&one), bits(&two), "thread count changed the numbers");
    assert_eq!(one.history().evals, two.history().evals);
    assert_eq!(signal_1, signal_2);
}

#[test]
fn reset_replays_the_same_run() {
    let mut t = short_run(1, 5);
    let before = t.history().clone();
    t.reset();
    assert_eq!(t.steps_done(), 0);
    assert!(t.history().steps.losses.iter().all(Vec::is_empty));
    pollster::block_on(t.run(12)).unwrap();
    assert_eq!(t.history(), &before);
}

#[test]
fn recovering_on_another_backend_replays_from_the_last_validation() {
    let uninterrupted = short_run(1, 5);
    let mut t = short_run(1, 5);
    // Validations ran at steps 5 and 10 (every 5 steps, and the epoch's end).
    assert_eq!(t.recover(Box::new(CpuBackend::new(2))), 10);
    assert_eq!(t.history().steps.losses[0].len(), 10);
    assert_eq!(t.history(), uninterrupted.history(), "the checkpoint is the state after step 10");
    t.reset();
    pollster::block_on(t.run(7)).unwrap();
    assert_eq!(t.recover(Box::new(CpuBackend::new(1))), 5, "resumes from the step-5 validation");
    assert_eq!(t.history().evals.len(), 1);
    pollster::block_on(t.run(12)).unwrap();
    let bits = |t: &Trainer| t.history().steps.losses.iter().flatten().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&t), bits(&uninterrupted), "the replayed steps differ from the original run");
    assert_eq!(t.history().evals, uninterrupted.history().evals);
    t.reset();
    assert_eq!(t.recover(Box::new(CpuBackend::new(1))), 0, "no validation yet: back to step 0");
}

#[test]
fn bad_settings_are_refused_with_a_reason() {
    let data = Arc::new(noise(100, 1));
    let inits = [Initializer::Zeros];
    let try_config = |c: TrainConfig| {
        Trainer::new(Box::new(CpuBackend::new(1)), Arc::clone(&data), &inits, c).err().map(|e| e.to_string())
    };
    let cases = [
        (TrainConfig { lr: -1.0, ..Default::default() }, "learning rate"),
        (TrainConfig { dropout: 1.0, ..Default::default() }, "dropout"),
        (TrainConfig { epochs: 0, ..Default::default() }, "epochs"),
        (TrainConfig { val_fraction: 1.0, ..Default::default() }, "validation"),
        (TrainConfig { hidden: vec![256, 0], ..Default::default() }, "hidden layer"),
    ];
    for (config, reason) in cases {
        let message = try_config(config).expect("refused");
        assert!(message.contains(reason), "{message}");
    }
    let none = Trainer::new(Box::new(CpuBackend::new(1)), data, &[] as &[Initializer], TrainConfig::default());
    assert!(none.err().unwrap().to_string().contains("at least one initializer"));
}
