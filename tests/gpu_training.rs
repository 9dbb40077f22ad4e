//! Whole training steps on the GPU against the CPU reference: the same seed gives the same
//! initial weights, batches and dropout masks on both, so the trajectories differ only by
//! float rounding (summation order, exp/log/sqrt a few ulp apart), which the checks bound.

mod gpu_common;

use std::sync::Arc;

use gpu_common::*;
use weight_init_lab::backend::Buf;
use weight_init_lab::backend::cpu::CpuBackend;
use weight_init_lab::data::{self, Dataset};
use weight_init_lab::init::Initializer;
use weight_init_lab::model::Stack;
use weight_init_lab::train::{TrainConfig, Trainer};

/// The first `count` images of the real Fashion-MNIST training file.
fn real_subset(count: usize) -> Dataset {
    let sets = data::load_dir(&data::resolve_dir(None)).expect("the Fashion-MNIST files");
    let d = sets.train;
    let pixels = d.pixels[..count * d.pixels_per_image()].to_vec();
    Dataset { pixels, labels: d.labels[..count].to_vec(), ..d }
}

/// The same run on the CPU and on the GPU, `steps` steps each.
fn train_both(inits: &[Initializer], steps: usize) -> Option<(Trainer, Trainer)> {
    let gpu = open_gpu()?;
    // 2,400 training images (24 steps an epoch) and 600 validation images.
    let data = Arc::new(real_subset(3000));
    let config = TrainConfig { epochs: 5, ..TrainConfig::default() };
    let mut cpu = Trainer::new(Box::new(CpuBackend::new(0)), Arc::clone(&data), inits, config.clone()).unwrap();
    let mut gpu = Trainer::new(Box::new(gpu), Arc::clone(&data), inits, config).unwrap();
    assert_eq!(pollster::block_on(cpu.run(steps)).unwrap(), steps);
    assert_eq!(pollster::block_on(gpu.run(steps)).unwrap(), steps);
    Some((cpu, gpu))
}

/// A buffer of the stack, read from both trainers, split per model: `[(cpu, gpu)]`.
fn per_model(cpu: &mut Trainer, gpu: &mut Trainer, pick: impl Fn(&Stack) -> Buf) -> Vec<(Vec<f32>, Vec<f32>)> {
    let read_buf = |t: &mut Trainer| {
        let (backend, stack) = t.parts();
        let buf = pick(stack);
        read(backend, buf)
    };
    let (want, got) = (read_buf(cpu), read_buf(gpu));
    let models = cpu.parts().1.models;
    let chunk = want.len() / models;
    want.chunks(chunk).zip(got.chunks(chunk)).map(|(w, g)| (w.to_vec(), g.to_vec())).collect()
}

fn max_abs(v: impl Iterator<Item = f32>) -> f32 {
    v.map(f32::abs).fold(0.0, f32::max)
}

#[test]
fn one_training_step_matches_cpu() {
    // Six models, the all-ones one with activations in the hundreds of thousands.
    let inits = [
        Initializer::GeneralRuleUniform,
        Initializer::Zeros,
        Initializer::Ones,
        Initializer::XavierNormal,
        Initializer::HeUniform,
        Initializer::PytorchDefault,
    ];
    let Some((mut cpu, mut gpu)) = train_both(&inits, 1) else {
        return;
    };
    // The first loss is a forward pass from identical weights: 1e-5 relative (observed ≤ 2e-6
    // on lavapipe; the all-zeros model's 2.3026 comes from 10 equal logits).
    for (m, init) in inits.iter().enumerate() {
        let (want, got) = (cpu.history().steps.losses[m][0], gpu.history().steps.losses[m][0]);
        assert!((got - want).abs() <= 1e-5 * want.abs() + 1e-5, "{init:?}: first loss gpu {got} vs cpu {want}");
    }
    let lr = cpu.config().lr;
    let params = [|s: &Stack, l| s.weights(l), |s: &Stack, l| s.biases(l)];
    for (l, pick) in (0..3).flat_map(|l| params.map(|p| (l, p))) {
        let grads = per_model(&mut cpu, &mut gpu, |s| pick(s, l).1);
        let values = per_model(&mut cpu, &mut gpu, |s| pick(s, l).0);
        for (m, ((gw, gg), (pw, pg))) in grads.iter().zip(&values).enumerate() {
            // Gradients: within 1e-4 of the model's largest gradient entry (observed ≤ 3e-6);
            // they are sums over the batch in different orders.
            let scale = max_abs(gw.iter().copied());
            let noise = 1e-4 * scale + 1e-7;
            let diff = max_abs(gw.iter().zip(gg).map(|(w, g)| w - g));
            assert!(diff <= noise, "layer {l} gradient, {:?}: {diff:e} of {scale:e}", inits[m]);
            // Parameters after the first Adam step, which moves each by lr·g/(|g| + ε) ≈ ±lr:
            // within 1% of lr (observed < 0.1%), except where the gradient itself is within
            // rounding noise of zero and the step's size is noise too: there within 2·lr,
            // the most Adam's first step can move both ways.
            for (i, (w, g)) in pw.iter().zip(pg).enumerate() {
                let bound = if gw[i].abs() <= noise { 2.0 * lr } else { 0.01 * lr };
                assert!(
                    (w - g).abs() <= bound * (1.0 + 1e-3),
                    "layer {l}, {:?}, parameter {i}: gpu {g} vs cpu {w} (gradient {})",
                    inits[m],
                    gw[i]
                );
            }
        }
    }
}

#[test]
fn hundred_steps_follow_the_cpu_trajectory() {
    let inits = [Initializer::GeneralRuleUniform, Initializer::Zeros, Initializer::HeNormal];
    let Some((cpu, gpu)) = train_both(&inits, 100) else {
        return;
    };
    let (want, got) = (cpu.history(), gpu.history());
    for (m, init) in inits.iter().enumerate() {
        let (w, g) = (&want.steps.losses[m], &got.steps.losses[m]);
        assert_eq!((w.len(), g.len()), (100, 100));
        // Rounding differences grow along a trajectory (Adam amplifies them through tiny
        // gradients) but stay far below the differences the lesson is about: every batch
        // loss within 0.05 (observed ≤ 0.011), the mean of the last 20 within 1%.
        let worst = max_abs(w.iter().zip(g).map(|(a, b)| a - b));
        assert!(worst <= 0.05, "{init:?}: batch losses differ by up to {worst}");
        let tail = |v: &[f32]| v[80..].iter().sum::<f32>() / 20.0;
        let (tw, tg) = (tail(w), tail(g));
        assert!((tw - tg).abs() <= 0.01 * tw, "{init:?}: last 20 losses average cpu {tw} gpu {tg}");
    }
    // Validation after each of the four epochs: within 1% accuracy (6 of 600 images;
    // observed ≤ 1 image).
    assert_eq!(want.evals.len(), 4);
    for (e, f) in want.evals.iter().zip(&got.evals) {
        let worst = max_abs(e.accuracy.iter().zip(&f.accuracy).map(|(a, b)| a - b));
        assert!(worst <= 0.01, "step {}: validation accuracy cpu {:?} gpu {:?}", e.step, e.accuracy, f.accuracy);
    }
}

/// A run whose tensors do not fit the GPU's largest binding is refused before training, with
/// the limit named; chosen automatically, the session trains it on the CPU and says why; asked
/// for by name, it refuses.
#[test]
fn a_run_too_large_for_the_gpu_is_refused_or_moved_to_the_cpu() {
    use weight_init_lab::session::{BackendKind, Devices, Event, Session};
    let Some(mut gpu) = open_gpu() else { return };
    // 4 MiB per binding: the activations of 6 models on a validation batch of 1,000 images
    // (6 × 1,000 × 256 floats, 5.9 MiB) do not fit, nor do their first layers (4.6 MiB).
    gpu.limit_bindings(4 << 20);
    let data = Arc::new(real_subset(1000));
    let inits = Initializer::lesson();
    let refused = Trainer::new(Box::new(gpu.sibling()), Arc::clone(&data), &inits, TrainConfig::default());
    let message = refused.err().expect("refused").to_string();
    assert!(message.contains("5.9 MiB (6 models × 1000 rows × 256 units)") && message.contains("4.0 MiB"), "{message}");
    // Two models fit (2.0 MiB at most).
    let fits = Trainer::new(Box::new(gpu.sibling()), Arc::clone(&data), &inits[..2], TrainConfig::default());
    assert!(fits.is_ok());

    let run = |devices: Devices| {
        let mut session = Session::new(devices, Box::new(|| 0.0), 100.0);
        session.use_data(Arc::clone(&data), "subset".into(), true, None);
        session.configure(inits.clone(), TrainConfig::default());
        let result = pollster::block_on(session.tick());
        (result, session.take_events())
    };
    let limited = gpu.sibling();
    let auto = Devices::with_gpu(1, move || Box::new(limited.sibling()), "a small GPU".into());
    let (result, events) = run(auto);
    assert!(result.is_ok());
    let backend = events.iter().find_map(|e| match e {
        Event::Backend { kind, reason, .. } => Some((*kind, reason.clone())),
        _ => None,
    });
    let (kind, reason) = backend.expect("a backend event");
    assert_eq!(kind, BackendKind::Cpu);
    assert!(reason.contains("largest buffer of 4.0 MiB") && reason.contains("training on the CPU"), "{reason}");

    let limited = gpu.sibling();
    let required = Devices::with_gpu(1, move || Box::new(limited.sibling()), "asked for".into()).requiring_gpu();
    let (result, _) = run(required);
    let message = result.expect_err("refused when the GPU was asked for").to_string();
    assert!(message.contains("largest buffer of 4.0 MiB"), "{message}");
}

/// The views' numbers computed on the GPU tell the same story as the CPU's after the same
/// steps: the trajectories differ only by rounding, so the counts agree exactly and the
/// statistics within a percent.
#[test]
fn diagnostics_and_layer_health_match_cpu() {
    let inits = [Initializer::Zeros, Initializer::Ones, Initializer::GeneralRuleUniform];
    let Some(gpu) = open_gpu() else { return };
    let data = Arc::new(real_subset(3000));
    let config = TrainConfig { epochs: 1, dropout: 0.0, ..TrainConfig::default() };
    let make = |backend: Box<dyn weight_init_lab::backend::Backend>| {
        let mut t = Trainer::new(backend, Arc::clone(&data), &inits, config.clone()).unwrap();
        t.sample_health_every(10);
        t
    };
    let (mut cpu, mut gpu) = (make(Box::new(CpuBackend::new(0))), make(Box::new(gpu)));
    let mut results = Vec::new();
    for t in [&mut cpu, &mut gpu] {
        pollster::block_on(t.run(20)).unwrap();
        results.push((pollster::block_on(t.diagnostics()).unwrap(), t.take_new_health()));
    }
    let ((want, want_health), (got, got_health)) = (&results[0], &results[1]);
    for (m, (w, g)) in want.layers.iter().zip(&got.layers).enumerate() {
        for (l, (w, g)) in w.iter().zip(g).enumerate() {
            let what = format!("model {m} layer {l}");
            // All-ones without dropout: one neuron per hidden layer on both.
            assert_eq!(g.distinct_units, w.distinct_units, "{what}");
            assert_eq!(g.dead_fraction, w.dead_fraction, "{what}");
            assert_eq!(g.weights.counts.iter().sum::<u32>(), w.weights.counts.iter().sum::<u32>(), "{what}");
            let (gs, ws) = (g.output_std, w.output_std);
            assert!((gs - ws).abs() <= 1e-2 * ws.abs() + 1e-6, "{what}: std {gs} vs {ws}");
        }
    }
    assert_eq!(want.layers[1][0].distinct_units, 1, "all-ones stays one neuron without dropout");
    assert_eq!(want.tiles.models[0].weights, got.tiles.models[0].weights, "all-zeros' tiles");
    assert_eq!(want.tiles.models[1].weights, got.tiles.models[1].weights, "all-ones' tiles");
    assert_eq!(want_health.len(), 2);
    for (w, g) in want_health.iter().zip(got_health) {
        let (w, g) = (&w.layers[2][0], &g.layers[2][0]);
        assert!((g.update_ratio / w.update_ratio - 1.0).abs() < 1e-2, "{} vs {}", g.update_ratio, w.update_ratio);
        assert!((g.grad_rms / w.grad_rms - 1.0).abs() < 1e-2, "{} vs {}", g.grad_rms, w.grad_rms);
        assert_eq!(g.histogram.iter().sum::<u32>(), w.histogram.iter().sum::<u32>());
    }
}

/// `auto` with a real adapter times real steps of the run on both backends and trains on the
/// faster (lavapipe, a software renderer, loses to the CPU; a real GPU may win), saying both
/// figures.
#[test]
fn auto_trains_on_the_backend_its_trial_found_faster() {
    use weight_init_lab::session::{BackendKind, Devices, Event, Session};
    let Some(gpu) = open_gpu() else { return };
    let devices = Devices::with_gpu(1, move || Box::new(gpu.sibling()), "found".into()).choosing_by_measurement();
    let start = std::time::Instant::now();
    let mut session = Session::new(devices, Box::new(move || start.elapsed().as_secs_f64() * 1000.0), 100.0);
    session.use_data(Arc::new(real_subset(3000)), "subset".into(), true, None);
    session.configure(Initializer::lesson(), TrainConfig::default());
    pollster::block_on(session.tick()).expect("the run is built");
    let chosen = session.take_events().into_iter().find_map(|e| match e {
        Event::Backend { kind, reason, trial, .. } => Some((kind, reason, trial)),
        _ => None,
    });
    let (kind, reason, trial) = chosen.expect("a backend event");
    let trial = trial.expect("a trial");
    println!("{reason} (the trials took {:.2} s)", start.elapsed().as_secs_f64());
    let gpu_ms = trial.gpu_ms_per_step.expect("the GPU trained");
    assert!(trial.models == 6 && trial.cpu_ms_per_step > 0.0 && gpu_ms > 0.0, "{trial:?}");
    assert_eq!(kind == BackendKind::Gpu, gpu_ms < trial.cpu_ms_per_step, "{reason}");
    assert!(reason.contains("ms/step") && reason.contains("faster"), "{reason}");
}

/// Models of different activations, optimizers and depths in one run (so several stacks),
/// with dropout on: every new kernel (each activation's forward and backward pass, SGD with
/// momentum) along a trajectory, and the signal at step 0, against the CPU.
#[test]
fn mixed_architectures_follow_the_cpu() {
    use weight_init_lab::train::{ModelSpec, Optimizer, Signal};
    let Some(gpu) = open_gpu() else { return };
    let ids = [
        "he-normal@tanh+sgd+momentum=0.9+64x6",
        "xavier-normal@sigmoid+lr=0.01",
        "he-normal@leaky-relu+adam",
        "lecun-normal@linear+48/24",
        "he-normal",
        "xavier-normal@64x30+relu",
    ];
    let models: Vec<ModelSpec> = ids.iter().map(|id| ModelSpec::parse(id).unwrap()).collect();
    let data = Arc::new(real_subset(3000));
    let config =
        TrainConfig { epochs: 1, hidden: vec![64, 32], optimizer: Optimizer::Sgd, lr: 0.05, ..TrainConfig::default() };
    let steps = 24; // one epoch of 2,400 images
    let mut runs: Vec<(Vec<Signal>, Trainer)> = Vec::new();
    for backend in [Box::new(CpuBackend::new(0)) as Box<dyn weight_init_lab::backend::Backend>, Box::new(gpu)] {
        let mut t = Trainer::new(backend, Arc::clone(&data), &models, config.clone()).unwrap();
        let signal = pollster::block_on(t.signal()).unwrap();
        assert_eq!(pollster::block_on(t.run(steps)).unwrap(), steps);
        runs.push((signal, t));
    }
    let ((want_signal, cpu), (got_signal, gpu)) = (&runs[0], &runs[1]);
    for (m, id) in ids.iter().enumerate() {
        // Sums over the probe batch in different orders: a relative 1e-3 (observed ≤ 1e-5),
        // and the 30-layer model's vanishing signal too.
        let (w, g) = (&want_signal[m], &got_signal[m]);
        for (what, w, g) in [("act_std", &w.act_std, &g.act_std), ("grad_rms", &w.grad_rms, &g.grad_rms)] {
            assert_eq!(w.len(), g.len());
            let worst = max_abs(w.iter().zip(g).map(|(a, b)| (a - b) / a.abs().max(f32::MIN_POSITIVE)));
            assert!(worst <= 1e-3, "{id}: {what} cpu {w:?} gpu {g:?}");
        }
        assert_eq!(w.theory_std, g.theory_std, "{id}: the prediction is the host's");
        let (w, g) = (&cpu.history().steps.losses[m], &gpu.history().steps.losses[m]);
        let worst = max_abs(w.iter().zip(g).map(|(a, b)| a - b));
        assert!(worst <= 0.02, "{id}: batch losses differ by up to {worst}: cpu {w:?} gpu {g:?}");
    }
    // The 30-layer ReLU model with Xavier's variance: its last layer's std is far below the
    // He model's, on the GPU as on the CPU.
    let last = |s: &Signal| *s.act_std.last().unwrap();
    assert!(last(&got_signal[5]) * 100.0 < last(&got_signal[4]), "{:?}", got_signal[5].act_std);
}
