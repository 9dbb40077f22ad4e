//! The per-layer diagnostics tell the lesson's story at initialization.

use weight_init_lab::backend::cpu::CpuBackend;
use weight_init_lab::data;
use weight_init_lab::init::Initializer;
use weight_init_lab::stats::{Histogram, LayerStats};
use weight_init_lab::train::{TrainConfig, Trainer};

#[test]
fn histograms_count_every_value_once() {
    let h = Histogram::of(&[0.0, 1.0, 2.0, 3.0, f32::NAN, f32::INFINITY, 3.0], 3);
    assert_eq!((h.min, h.max, h.non_finite), (0.0, 3.0, 2));
    assert_eq!(h.counts, vec![1, 1, 3]);
    let flat = Histogram::of(&[5.0; 4], 8);
    assert_eq!(flat.counts.iter().sum::<u32>(), 4);
}

#[test]
fn zeros_has_one_neuron_per_layer_and_ones_explodes() {
    let sets =
        data::load_dir(&data::resolve_dir(None)).expect("the Fashion-MNIST files (scripts/setup.sh installs them)");
    let inits = [Initializer::Zeros, Initializer::Ones, Initializer::GeneralRuleUniform];
    let mut t = Trainer::new(Box::new(CpuBackend::new(0)), sets.train.into(), &inits, TrainConfig::default()).unwrap();
    let d = pollster::block_on(t.diagnostics()).unwrap();
    let (zeros, ones, rule) = (&d[0], &d[1], &d[2]);
    assert_eq!(zeros.len(), 3);
    for (l, units) in [(0, 256), (1, 128)] {
        assert_eq!((zeros[l].distinct_units, zeros[l].units), (1, units), "zeros layer {l}");
        assert_eq!(zeros[l].dead_fraction, 1.0, "zeros: every ReLU outputs 0");
        assert_eq!(ones[l].distinct_units, 1, "ones layer {l}");
        assert_eq!(rule[l].distinct_units, units, "general rule layer {l}");
        assert!(rule[l].dead_fraction < 0.5, "general rule layer {l}: {}", rule[l].dead_fraction);
        assert_eq!(rule[l].outputs.counts.iter().sum::<u32>() as usize, 500 * units);
    }
    // Each all-ones layer multiplies the activations' scale by its fan-in.
    assert!(ones[1].output_mean > 1e4 && ones[2].output_mean > 1e6, "{} {}", ones[1].output_mean, ones[2].output_mean);
    assert!(rule[2].output_std < 2.0, "general rule logits std {}", rule[2].output_std);
}

/// A layer whose weights all overflowed says so: its statistics are NaN ("diverged" on the
/// page), never a clean-looking 0.
#[test]
fn a_diverged_layer_has_no_statistics_that_look_healthy() {
    let weights = vec![f32::NAN; 6];
    let s = LayerStats::of(&weights, &[0.0, 0.0], &[0.0; 4], true, 10);
    assert!(s.weight_std.is_nan() && s.weight_mean.is_nan(), "{s:?}");
    assert_eq!(s.weights.non_finite, 6);
}
