//! The reductions behind the views against direct computations written here, independent of
//! `backend::reduce`: on the CPU backend, and on the GPU backend too when this machine has an
//! adapter (tests/gpu_kernels.rs compares the two backends closely; these check what the
//! numbers mean).

mod gpu_common;

use gpu_common::{open_gpu, read};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{HashMap, HashSet};
use weight_init_lab::backend::cpu::CpuBackend;
use weight_init_lab::backend::reduce::{MOMENTS, symlog};
use weight_init_lab::backend::{Backend, Bins, Buf, Region, Shape};
use weight_init_lab::stats::Summary;

/// Runs `check` on the CPU backend, then on the GPU backend if there is one.
fn on_each_backend(check: impl Fn(&mut dyn Backend)) {
    check(&mut CpuBackend::new(1));
    if let Some(mut gpu) = open_gpu() {
        check(&mut gpu);
    }
}

fn tensor(be: &mut dyn Backend, data: &[f32]) -> Buf {
    let buf = be.alloc(data.len());
    be.write(buf, data);
    buf
}

fn uniform(seed: u64, len: usize, low: f32, high: f32) -> Vec<f32> {
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    (0..len).map(|_| r.random_range(low..high)).collect()
}

/// One model's value at `row`, `col` of `[models][rows][cols]`.
fn at(x: &[f32], s: Shape, m: usize, row: usize, col: usize) -> f32 {
    x[(m * s.rows + row) * s.cols + col]
}

#[test]
fn moments_give_the_mean_and_standard_deviation() {
    let s = Shape { models: 2, rows: 30, cols: 41 };
    let (x, y) = (uniform(1, s.len(), 1.0, 3.0), uniform(2, s.len(), -1.0, 1.0));
    on_each_backend(|be| {
        let at = Region { offset: 2, stride: MOMENTS };
        let (xb, yb, out) = (tensor(be, &x), tensor(be, &y), be.alloc(2 + 2 * MOMENTS));
        be.moments(xb, Some(yb), s, out, at);
        let out = read(be, out);
        let n = (s.rows * s.cols) as f64;
        for (m, got) in out[2..].chunks(MOMENTS).enumerate() {
            let d: Vec<f64> = (m * s.rows * s.cols..(m + 1) * s.rows * s.cols).map(|i| (x[i] - y[i]) as f64).collect();
            let mean = d.iter().sum::<f64>() / n;
            let std = (d.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
            // The textbook formulas about the shift c: mean = c + Σe/n, var = Σe²/n − (Σe/n)².
            let mean_e = got[0] as f64 / n;
            let (got_mean, got_std) = (got[5] as f64 + mean_e, (got[1] as f64 / n - mean_e * mean_e).sqrt());
            assert!((got_mean - mean).abs() < 1e-5, "{}: mean {got_mean} vs {mean}", be.name());
            assert!((got_std - std).abs() < 1e-4, "{}: std {got_std} vs {std}", be.name());
            let (lo, hi) = d.iter().fold((f64::MAX, f64::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
            assert_eq!((got[2] as f64, got[3] as f64, got[4]), (lo, hi, 0.0), "{}", be.name());
            assert_eq!(got[5] as f64, d[0], "the shift is the first value");
        }
    });
}

/// All-ones' weights after a few Adam steps: mean 1, spread 10⁻³ over 200,000 values. Sums of
/// d² in f32 would bury the spread in rounding; about the shift it comes out right.
#[test]
fn a_spread_small_next_to_the_mean_keeps_its_size() {
    let s = Shape { models: 1, rows: 784, cols: 256 };
    let x: Vec<f32> = uniform(5, s.len(), -1.0, 1.0).iter().map(|u| 1.0 + 1e-3 * u).collect();
    let std = 1e-3 / 3f64.sqrt(); // of U[−1, 1), scaled
    on_each_backend(|be| {
        let (xb, out) = (tensor(be, &x), be.alloc(MOMENTS));
        be.moments(xb, None, s, out, Region { offset: 0, stride: MOMENTS });
        let summary = Summary::of(&read(be, out), s.len());
        assert!((summary.std as f64 / std - 1.0).abs() < 0.01, "{}: std {} vs {std}", be.name(), summary.std);
        assert!((summary.mean - 1.0).abs() < 1e-5, "{}: mean {}", be.name(), summary.mean);
    });
}

#[test]
fn histogram_counts_every_value_once() {
    let s = Shape { models: 3, rows: 17, cols: 23 };
    let mut x = uniform(3, s.len(), -5.0, 5.0);
    x[0] = f32::NAN;
    x[1] = f32::INFINITY;
    on_each_backend(|be| {
        for bins in [
            Bins { lo: -2.0, hi: 2.0, count: 8, symlog: false, data_range: false },
            Bins { lo: -3.0, hi: 4.0, count: 48, symlog: true, data_range: false },
        ] {
            let width = bins.count + 1;
            let (xb, out) = (tensor(be, &x), be.alloc(s.models * width));
            be.histogram(xb, s, bins, out, Region { offset: 0, stride: width });
            for (m, counts) in read(be, out).chunks(width).enumerate() {
                assert_eq!(counts.iter().sum::<f32>(), (s.rows * s.cols) as f32, "{}: {bins:?}", be.name());
                assert_eq!(counts[bins.count], if m == 0 { 2.0 } else { 0.0 }, "{}: non-finite", be.name());
            }
        }
        // Values in the middle of linear bins [-2, 2) by 0.5, and beyond either end.
        let values = [-9.0, -1.75, -1.25, -1.2, 0.25, 1.75, 7.0];
        let (xb, out) = (tensor(be, &values), be.alloc(9));
        let bins = Bins { lo: -2.0, hi: 2.0, count: 8, symlog: false, data_range: false };
        be.histogram(xb, Shape { models: 1, rows: 1, cols: values.len() }, bins, out, Region { offset: 0, stride: 9 });
        assert_eq!(read(be, out), [2.0, 2.0, 0.0, 0.0, 1.0, 0.0, 0.0, 2.0, 0.0], "{}", be.name());
    });
}

#[test]
fn symlog_is_monotone_and_about_log10_plus_3() {
    let mut previous = f32::NEG_INFINITY;
    for i in -2000..=2000 {
        let x = (i as f32 / 100.0).sinh() * 1e-3; // dense near 0, out to ±4.85e5
        let t = symlog(x);
        assert!(t >= previous, "symlog({x}) = {t} < {previous}");
        assert_eq!(symlog(-x), -t, "odd at {x}");
        previous = t;
    }
    assert_eq!(symlog(0.0), 0.0);
    for x in [1.0f32, 10.0, 1e3, 1e6, 1e9] {
        let want = x.log10() + 3.0;
        assert!((symlog(x) - want).abs() < 1e-3 * want.max(1.0), "symlog({x}) = {} vs {want}", symlog(x));
    }
}

#[test]
fn dead_units_are_the_columns_never_positive() {
    let s = Shape { models: 2, rows: 4, cols: 6 };
    #[rustfmt::skip]
    let x = [
        // Model 0: columns 0 (zeros), 2 (negative) and 5 (−0.0 and −∞) are dead; 1 has one
        // positive value, 3 a NaN, 4 is positive.
        0.0, -1.0, -1.0, -1.0, 1.0, -0.0,
        0.0, -1.0, -2.0, f32::NAN, 1.0, f32::NEG_INFINITY,
        0.0, 1e-30, -3.0, -1.0, 1.0, -0.0,
        0.0, -1.0, -4.0, -1.0, 1.0, -0.0,
        // Model 1: every column is dead.
        -1.0, -1.0, -1.0, -1.0, -1.0, -1.0,
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        -1.0, -1.0, -1.0, -1.0, -1.0, -1.0,
        -1.0, -1.0, -1.0, -1.0, -1.0, -1.0,
    ];
    on_each_backend(|be| {
        let (xb, out) = (tensor(be, &x), be.alloc(5));
        be.dead_units(xb, s, out, Region { offset: 1, stride: 3 });
        assert_eq!(read(be, out), [0.0, 3.0, 0.0, 0.0, 6.0], "{}", be.name());
    });
}

#[test]
fn equal_units_and_only_they_have_equal_fingerprints() {
    let s = Shape { models: 2, rows: 20, cols: 60 };
    let mut r = ChaCha8Rng::seed_from_u64(5);
    // Few distinct values, and many copied columns: units that collide by construction.
    let mut w: Vec<f32> = (0..s.len()).map(|_| r.random_range(0..3) as f32 * 0.5).collect();
    let mut bias: Vec<f32> = (0..s.models * s.cols).map(|_| r.random_range(0..2) as f32).collect();
    for m in 0..s.models {
        for c in 1..s.cols {
            if r.random_range(0..3) == 0 {
                let from = r.random_range(0..c);
                (0..s.rows).for_each(|row| w[(m * s.rows + row) * s.cols + c] = at(&w, s, m, row, from));
                bias[m * s.cols + c] = bias[m * s.cols + from];
            }
        }
    }
    on_each_backend(|be| {
        let (wb, bb, out) = (tensor(be, &w), tensor(be, &bias), be.alloc(s.models * s.cols * 2));
        be.fingerprints(wb, bb, s, out);
        let out = read(be, out);
        for m in 0..s.models {
            let unit = |c: usize| -> Vec<u32> {
                (0..s.rows).map(|row| at(&w, s, m, row, c).to_bits()).chain([bias[m * s.cols + c].to_bits()]).collect()
            };
            let fingerprint = |c: usize| (out[(m * s.cols + c) * 2].to_bits(), out[(m * s.cols + c) * 2 + 1].to_bits());
            let units: HashSet<Vec<u32>> = (0..s.cols).map(unit).collect();
            let fingerprints: HashSet<_> = (0..s.cols).map(fingerprint).collect();
            assert_eq!(fingerprints.len(), units.len(), "{}: model {m}", be.name());
            assert!(units.len() < s.cols - 5, "too few duplicates to test: {}", units.len());
            // Same unit, same fingerprint; both halves 24-bit integers.
            let mut seen = HashMap::new();
            for c in 0..s.cols {
                assert_eq!(*seen.entry(unit(c)).or_insert(fingerprint(c)), fingerprint(c), "{}", be.name());
                let (h1, h2) = (out[(m * s.cols + c) * 2], out[(m * s.cols + c) * 2 + 1]);
                assert!([h1, h2].iter().all(|h| h.fract() == 0.0 && (0.0..16_777_216.0).contains(h)));
            }
        }
    });
}

#[test]
fn confusion_rows_count_each_label() {
    let s = Shape { models: 2, rows: 300, cols: 10 };
    let logits = uniform(6, s.len(), -3.0, 3.0);
    let mut r = ChaCha8Rng::seed_from_u64(7);
    let labels: Vec<f32> = (0..s.rows).map(|_| r.random_range(0..10) as f32).collect();
    on_each_backend(|be| {
        let (z, l, out) = (tensor(be, &logits), tensor(be, &labels), be.alloc(s.models * 100));
        // Twice: the counts add up.
        be.confusion(z, l, s, out);
        be.confusion(z, l, s, out);
        let out = read(be, out);
        for m in 0..s.models {
            let mut want = vec![0.0f32; 100];
            for (row, &label) in labels.iter().enumerate() {
                let z: Vec<f32> = (0..10).map(|c| at(&logits, s, m, row, c)).collect();
                let top = z.iter().cloned().fold(f32::MIN, f32::max);
                let predicted = z.iter().position(|&v| v == top).unwrap_or(0);
                want[label as usize * 10 + predicted] += 2.0;
            }
            assert_eq!(out[m * 100..][..100], want[..], "{}: model {m}", be.name());
            for label in 0..10 {
                let count = labels.iter().filter(|&&l| l == label as f32).count();
                assert_eq!(out[m * 100 + label * 10..][..10].iter().sum::<f32>(), 2.0 * count as f32);
            }
        }
    });
}

#[test]
fn columns_are_a_transposition() {
    let s = Shape { models: 2, rows: 7, cols: 5 };
    let x: Vec<f32> = (0..s.len()).map(|i| i as f32).collect();
    on_each_backend(|be| {
        let (xb, out) = (tensor(be, &x), be.alloc(s.models * 3 * s.rows));
        be.columns(xb, s, 3, out);
        let out = read(be, out);
        for m in 0..s.models {
            for c in 0..3 {
                let unit: Vec<f32> = (0..s.rows).map(|row| at(&x, s, m, row, c)).collect();
                assert_eq!(out[(m * 3 + c) * s.rows..][..s.rows], unit[..], "{}", be.name());
            }
        }
    });
}
