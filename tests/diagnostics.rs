//! The views' statistics tell the lesson's story, and each equals a direct computation from
//! the tensors it summarizes (read back whole here, which the trainer never does).

use std::collections::HashSet;
use std::sync::Arc;

use weight_init_lab::backend::cpu::CpuBackend;
use weight_init_lab::backend::reduce;
use weight_init_lab::backend::{Bins, Buf, Region, Shape, TrainOps, ViewOps};
use weight_init_lab::data::{self, CLASSES, Dataset};
use weight_init_lab::init::Initializer;
use weight_init_lab::stats::LayerStats;
use weight_init_lab::train::{TrainConfig, Trainer};

fn fashion() -> Arc<Dataset> {
    let sets =
        data::load_dir(&data::resolve_dir(None)).expect("the Fashion-MNIST files (scripts/setup.sh installs them)");
    Arc::new(sets.train)
}

fn trainer(inits: &[Initializer], config: TrainConfig) -> Trainer {
    Trainer::new(Box::new(CpuBackend::new(0)), fashion(), inits, config).unwrap()
}

fn read(t: &mut Trainer, buf: Buf) -> Vec<f32> {
    pollster::block_on(t.parts().0.read(buf)).unwrap()
}

/// Layer `l`'s weights `[models][fan_in][fan_out]`, its weight gradient and its biases.
fn layer(t: &mut Trainer, l: usize) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
    let ((w, dw), (b, _)) = {
        let (_, stack) = t.parts();
        (stack.weights(l), stack.biases(l))
    };
    (read(t, w), read(t, dw), read(t, b))
}

fn rms(v: &[f32]) -> f32 {
    (v.iter().map(|&x| x as f64 * x as f64).sum::<f64>() / v.len() as f64).sqrt() as f32
}

fn close(got: f32, want: f32, rel: f32) -> bool {
    (got - want).abs() <= rel * want.abs().max(1e-12)
}

#[test]
fn a_data_range_histogram_counts_every_value_once_with_its_range() {
    let mut cpu = CpuBackend::new(1);
    let x = cpu.alloc(8);
    cpu.write(x, &[0.0, 1.0, 2.0, 3.0, f32::NAN, f32::INFINITY, 3.0, 5.0]);
    let out = cpu.alloc(7);
    let bins = Bins { lo: 0.0, hi: 0.0, count: 5, symlog: false, data_range: true };
    cpu.histogram(x, Shape { models: 1, rows: 2, cols: 4 }, bins, out, Region { offset: 1, stride: 6 });
    let counts = pollster::block_on(cpu.read(out)).unwrap();
    // Range [0, 5]: one bin per unit, 5 in the last; NaN and ∞ apart; the offset kept.
    assert_eq!(counts, vec![0.0, 1.0, 1.0, 1.0, 2.0, 1.0, 2.0]);
}

#[test]
fn diagnostics_tell_the_story_and_equal_a_direct_computation() {
    let inits = [Initializer::Zeros, Initializer::Ones, Initializer::GeneralRuleUniform];
    let mut t = trainer(&inits, TrainConfig::default());
    let d = pollster::block_on(t.diagnostics()).unwrap();
    let (zeros, ones, rule) = (&d.layers[0], &d.layers[1], &d.layers[2]);
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

    // The general rule's first layer, directly: mean, std, histogram over its own range,
    // distinct units by their bits.
    let (w, _, b) = layer(&mut t, 0);
    let per = 784 * 256;
    let w2 = &w[2 * per..3 * per];
    let mean = w2.iter().map(|&x| x as f64).sum::<f64>() / per as f64;
    let std = (w2.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / per as f64).sqrt();
    assert!(close(rule[0].weight_mean, mean as f32, 1e-3) && close(rule[0].weight_std, std as f32, 1e-5));
    let (lo, hi) = w2.iter().fold((f32::MAX, f32::MIN), |(a, b), &x| (a.min(x), b.max(x)));
    assert_eq!((rule[0].weights.min, rule[0].weights.max), (lo, hi));
    let bins = rule[0].weights.counts.len();
    let mut counts = vec![0u32; bins];
    for &x in w2 {
        counts[(((x - lo) / (hi - lo)) * bins as f32).floor().min(bins as f32 - 1.0) as usize] += 1;
    }
    assert_eq!(rule[0].weights.counts, counts);
    let units: HashSet<Vec<u32>> =
        (0..256).map(|u| (0..784).map(|i| w2[i * 256 + u].to_bits()).chain([b[512 + u].to_bits()]).collect()).collect();
    assert_eq!(rule[0].distinct_units, units.len());

    // Tiles: all-zeros blank, the rule's the first 64 columns of W1, quantized.
    assert_eq!((d.tiles.units, d.tiles.rows, d.tiles.cols), (64, 28, 28));
    assert_eq!(d.tiles.models[0].scale, 0.0);
    assert!(d.tiles.models[0].weights.iter().all(|&q| q == 0));
    let ones_tiles = &d.tiles.models[1].weights;
    assert!(ones_tiles.iter().all(|&q| q as i8 == 127), "all-ones: identical full-scale tiles");
    let scale = lo.abs().max(hi.abs());
    assert_eq!(d.tiles.models[2].scale, scale);
    for (unit, pixel) in [(0, 0), (5, 300), (63, 783)] {
        let q = d.tiles.models[2].weights[unit * 784 + pixel] as i8 as f32;
        assert!((q / 127.0 * scale - w2[pixel * 256 + unit]).abs() <= scale / 254.0 + 1e-7, "tile {unit} {pixel}");
    }

    // The gallery: two validation images of each class, a prediction from every model.
    let data = fashion();
    assert!(t.gallery().iter().all(|i| t.split().val.contains(i)), "gallery images are validation images");
    let mut per_class = [0; CLASSES];
    t.gallery().iter().for_each(|&i| per_class[data.labels[i as usize] as usize] += 1);
    assert_eq!(per_class, [2; CLASSES]);
    assert_eq!(d.gallery.len(), 3);
    assert!(d.gallery.iter().all(|p| p.len() == 20 && p.iter().all(|&c| (c as usize) < CLASSES)));
}

/// A layer whose weights all overflowed says so: its statistics are NaN ("diverged" on the
/// page), never a clean-looking 0.
#[test]
fn a_diverged_layer_has_no_statistics_that_look_healthy() {
    let x = vec![f32::NAN; 6];
    let diag: Vec<f32> =
        reduce::moments(&x, None).into_iter().chain(reduce::moments(&[0.0; 4], None)).chain([0.0]).collect();
    let bins = Bins { lo: 0.0, hi: 0.0, count: 10, symlog: false, data_range: true };
    let (wh, oh) = (reduce::histogram(&x, &bins), reduce::histogram(&[0.0; 4], &bins));
    let s = LayerStats::decode(&diag, (&wh, &oh), &[0.0; 4], (6, 4), true);
    assert!(s.weight_std.is_nan() && s.weight_mean.is_nan(), "{s:?}");
    assert_eq!(s.weights.non_finite, 6);
}

#[test]
fn confusion_rows_count_each_class_of_the_validation_set() {
    let config = TrainConfig { epochs: 1, ..TrainConfig::default() };
    let mut t = trainer(&[Initializer::Zeros, Initializer::GeneralRuleUniform], config);
    pollster::block_on(t.run(30)).unwrap();
    let point = pollster::block_on(t.evaluate()).unwrap();
    let data = fashion();
    let mut per_class = [0u32; CLASSES];
    for &i in &t.split().val {
        per_class[data.labels[i as usize] as usize] += 1;
    }
    for (m, confusion) in point.confusion.iter().enumerate() {
        for (class, row) in confusion.chunks(CLASSES).enumerate() {
            assert_eq!(row.iter().sum::<u32>(), per_class[class], "model {m} class {class}");
        }
        let correct: u32 = (0..CLASSES).map(|c| confusion[c * CLASSES + c]).sum();
        assert!(close(correct as f32 / 12_000.0, point.accuracy[m], 1e-6), "the diagonal is the accuracy");
    }
    // All-zeros predicts one class for every image: one column holds everything.
    assert_eq!(point.confusion[0].iter().filter(|&&c| c > 0).count(), CLASSES);
}

#[test]
fn live_validation_gives_early_points_on_a_fixed_subset() {
    let config = TrainConfig { epochs: 1, ..TrainConfig::default() };
    let mut t = trainer(&[Initializer::GeneralRuleUniform], config);
    pollster::block_on(t.run(100)).unwrap();
    let live: Vec<(usize, usize)> = t.history().live_evals.iter().map(|p| (p.step, p.images)).collect();
    assert_eq!(live, vec![(10, 2000), (25, 2000), (50, 2000), (100, 2000)]);
    assert!(t.history().evals.is_empty(), "no full pass before the epoch ends");
    assert!(t.history().live_evals.iter().all(|p| p.subset && p.confusion.is_empty()));
    let first = &t.history().live_evals[0];
    assert!(first.accuracy[0] > 0.3, "the rule learns within 10 steps: {}", first.accuracy[0]);
}

#[test]
fn layer_health_equals_a_direct_computation_of_its_step() {
    let inits = [Initializer::Zeros, Initializer::GeneralRuleUniform];
    let mut t = trainer(&inits, TrainConfig { live_validation: 0, ..TrainConfig::default() });
    t.sample_health_every(50);
    pollster::block_on(t.run(49)).unwrap();
    let before: Vec<_> = (0..3).map(|l| layer(&mut t, l).0).collect();
    pollster::block_on(t.run(1)).unwrap();
    let sample = t.take_new_health().pop().expect("a sample after step 50");
    assert_eq!(sample.step, 50);
    for l in 0..3 {
        let (after, grad, _) = layer(&mut t, l);
        let per = after.len() / 2;
        let rule = &sample.layers[1][l];
        let update: Vec<f32> = after[per..].iter().zip(&before[l][per..]).map(|(a, b)| a - b).collect();
        let ratio = rms(&update) / rms(&after[per..]);
        assert!(close(rule.update_ratio, ratio, 1e-3), "layer {l}: {} vs {ratio}", rule.update_ratio);
        assert!((1e-4..1e-1).contains(&rule.update_ratio), "layer {l}: the 1/√n rule's update ratio");
        assert!(close(rule.grad_rms, rms(&grad[per..]), 1e-4), "layer {l} grad rms");
        let zeros = &sample.layers[0][l];
        if l < 2 {
            assert_eq!((zeros.grad_rms, zeros.dead_fraction), (0.0, 1.0), "all-zeros' layer {l} never learns");
            assert!(zeros.update_ratio.is_nan(), "no weights, no ratio");
        }
        assert_eq!(rule.histogram.iter().sum::<u32>() + rule.non_finite, 100 * [256, 128, 10][l]);
    }
}
