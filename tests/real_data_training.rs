//! A short run on the real Fashion-MNIST: the lesson's effects show within 150 steps.

use weight_init_lab::backend::cpu::CpuBackend;
use weight_init_lab::data;
use weight_init_lab::init::Initializer;
use weight_init_lab::train::{TrainConfig, Trainer};

fn mean(xs: &[f32]) -> f32 {
    xs.iter().sum::<f32>() / xs.len() as f32
}

#[test]
fn loss_falls_for_the_general_rule_and_zeros_stays_flat() {
    let sets =
        data::load_dir(&data::resolve_dir(None)).expect("the Fashion-MNIST files (scripts/setup.sh installs them)");
    let inits = [Initializer::GeneralRuleUniform, Initializer::Zeros, Initializer::Ones];
    let config = TrainConfig { eval_every: 150, ..TrainConfig::default() };
    let mut t = Trainer::new(Box::new(CpuBackend::new(0)), sets.train.into(), &inits, config).unwrap();
    assert_eq!(t.total_steps(), 960, "48,000 training images in batches of 100, 2 epochs");
    pollster::block_on(t.run(150)).unwrap();

    let h = t.history();
    let (rule, zeros, ones) = (&h.steps.losses[0], &h.steps.losses[1], &h.steps.losses[2]);
    assert_eq!(rule.len(), 150);
    assert!(mean(&rule[130..]) < 0.8 && mean(&rule[..10]) > 1.5, "general rule: {:?} … {:?}", &rule[..3], &rule[140..]);
    assert!(zeros.iter().all(|&l| (l - std::f32::consts::LN_10).abs() < 0.02), "zeros left 2.30: {zeros:?}");
    assert!(mean(&ones[..20]) > 100.0, "all ones should start with losses in the hundreds or more");

    let eval = h.evals.last().unwrap();
    assert_eq!(eval.step, 150);
    assert!(eval.accuracy[0] > 0.70, "general rule validation accuracy {}", eval.accuracy[0]);
    assert!((eval.accuracy[1] - 0.1).abs() < 0.02, "zeros validation accuracy {}", eval.accuracy[1]);

    // All zeros: every hidden neuron of a layer stays identical (here: exactly zero).
    let (backend, stack) = t.parts();
    let (w1, _) = stack.weights(0);
    let w1 = pollster::block_on(backend.read(w1)).unwrap();
    let zeros_w1 = &w1[784 * 256..2 * 784 * 256];
    assert!(zeros_w1.iter().all(|&w| w == zeros_w1[0]), "all-zeros hidden neurons became different");
}
