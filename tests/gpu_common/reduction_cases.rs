//! The reductions behind the views (`moments`, `histogram`, `dead_units`, `fingerprints`,
//! `confusion`, `columns`) against their CPU twins, in the scheme and with the tolerance
//! policy of cases.rs. Each case has several models, shapes that are not multiples of the
//! 256-wide workgroups, and (for the per-model reductions) a [`Region`] with an offset and a
//! stride wider than needed, whose gaps must stay 0.
//!
//! # Tolerances
//!
//! - **Exact**: counts (non-finite values, dead units, confusion cells), min and max (a
//!   comparison rounds nothing), fingerprints (integer hashes of the bits), `columns` (a copy)
//!   and every float outside the written regions.
//! - **Σd and Σd²**: [`sum_bound`] with `Σ|d|` and `Σd²` as magnitudes: the GPU adds in f32
//!   in a tree, the CPU in f64 (its own error is far below the bound).
//! - **Histogram counts**: a value may land in the neighbouring bin only if its exact position
//!   `(t − lo) / (hi − lo) · count`, computed in f64, is within [`EDGE`] of the edge between
//!   the two (WGSL's division and log2 may be a few ulp off the CPU's). So each bin's count may
//!   differ by at most the number of values that near its two edges, the finite total not at
//!   all, and the non-finite count is exact.

use super::*;
use std::collections::HashSet;
use weight_init_lab::backend::reduce::{MOMENTS, SYMLOG_FLOOR};
use weight_init_lab::backend::{Bins, Region};

/// Bin widths from an edge within which a value may change bins between CPU and GPU: 2⁻¹².
/// The position's error is a few ulp of t (≤ 12 for symlog, log2 being 3 ulp in WGSL) over
/// bins ≥ 0.1 wide, about 10⁻⁵ bin widths; this leaves a factor of 20 of margin.
const EDGE: f64 = 1.0 / 4096.0;

/// The floats a reduction writes `width` per model at `at`, and a buffer long enough for
/// them plus a tail.
fn region_len(models: usize, at: Region, width: usize) -> usize {
    at.offset + (models - 1) * at.stride + width + 3
}

/// Each model's `width` floats at `at`, after checking every float outside them is still 0.
fn regions(what: &str, out: &[f32], models: usize, at: Region, width: usize) -> Vec<Vec<f32>> {
    let written =
        |i: usize| i >= at.offset && (i - at.offset) / at.stride < models && (i - at.offset) % at.stride < width;
    for (i, &v) in out.iter().enumerate() {
        assert!(written(i) || v == 0.0, "{what}: float {i} outside the regions is {v}");
    }
    (0..models).map(|m| out[at.offset + m * at.stride..][..width].to_vec()).collect()
}

/// Puts NaN, ±∞ and a model with no finite value at all into `x` (models of `per_model`).
fn sprinkle_non_finite(x: &mut [f32], per_model: usize, rng: &mut ChaCha8Rng) {
    for _ in 0..x.len() / 50 {
        let i = rng.random_range(0..x.len());
        x[i] = [f32::NAN, f32::INFINITY, f32::NEG_INFINITY][i % 3];
    }
    let last = x.len() - per_model;
    for (i, v) in x[last..].iter_mut().enumerate() {
        *v = [f32::NAN, f32::INFINITY, f32::NEG_INFINITY][i % 3];
    }
}

pub async fn moments_match_cpu(cpu: &mut dyn Backend, gpu: &mut dyn Backend) {
    let at = Region { offset: 7, stride: MOMENTS + 4 };
    for s in [Shape { models: 4, rows: 37, cols: 53 }, Shape { models: 3, rows: 3, cols: 5 }] {
        let per_model = s.rows * s.cols;
        let mut r = rng(s.len() as u64);
        let (mut x, y) = (uniform(&mut r, s.len(), -2.0, 3.0), uniform(&mut r, s.len(), -1.0, 1.0));
        sprinkle_non_finite(&mut x, per_model, &mut r);
        for minus in [false, true] {
            // With y: finite operands whose difference overflows to ∞ (without, x² would).
            let (mut x, mut y) = (x.clone(), y.clone());
            if minus {
                (x[1], y[1]) = (3e38, -3e38);
            }
            let len = region_len(s.models, at, MOMENTS);
            let (want, got) = on_both(cpu, gpu, async |be| {
                let (xb, yb, out) = (tensor(be, &x), tensor(be, &y), be.alloc(len));
                be.moments(xb, minus.then_some(yb), s, out, at);
                read(be, out).await
            })
            .await;
            let what = format!("moments {s:?}, minus {minus}");
            let (want, got) =
                (regions(&what, &want, s.models, at, MOMENTS), regions(&what, &got, s.models, at, MOMENTS));
            for m in 0..s.models {
                let shift = want[m][5];
                let d: Vec<f32> = (m * per_model..(m + 1) * per_model)
                    .map(|i| if minus { x[i] - y[i] } else { x[i] })
                    .filter(|d| d.is_finite())
                    .map(|d| d - shift)
                    .collect();
                let (abs_sum, sq_sum) = (d.iter().map(|d| d.abs()).sum::<f32>(), d.iter().map(|d| d * d).sum::<f32>());
                let (w, g) = (&want[m], &got[m]);
                assert!((g[0] - w[0]).abs() <= sum_bound(d.len(), abs_sum), "{what} Σd, model {m}: {g:?} vs {w:?}");
                assert!((g[1] - w[1]).abs() <= sum_bound(d.len(), sq_sum), "{what} Σd², model {m}: {g:?} vs {w:?}");
                assert_eq!(g[2..], w[2..], "{what}: min, max, non-finite count, shift of model {m}");
            }
            assert_eq!(got[s.models - 1][2..], [f32::INFINITY, f32::NEG_INFINITY, per_model as f32, 0.0], "{what}");
        }
    }
}

/// Each value's exact position in `bins`, in bin widths from `lo`, or `None` if not finite.
fn position(v: f32, bins: &Bins) -> Option<f64> {
    let v = v as f64;
    let t = if bins.symlog { v.signum() * (1.0 + v.abs() / SYMLOG_FLOOR as f64).log10() } else { v };
    v.is_finite().then(|| (t - bins.lo as f64) / (bins.hi as f64 - bins.lo as f64) * bins.count as f64)
}

/// How much each bin's count may differ: the values within [`EDGE`] of its inner edges.
fn histogram_slack(x: &[f32], bins: &Bins) -> Vec<usize> {
    // With `data_range` the bins span the values' own finite range, which both find exactly.
    let finite = || x.iter().copied().filter(|v| v.is_finite());
    let (lo, hi) = (finite().fold(f32::INFINITY, f32::min), finite().fold(f32::NEG_INFINITY, f32::max));
    let bins = &if bins.data_range { Bins { lo, hi, data_range: false, ..*bins } } else { *bins };
    let mut near = vec![0; bins.count + 1]; // near[k]: values at the edge between bins k − 1 and k
    for p in x.iter().filter_map(|&v| position(v, bins)) {
        let k = p.round();
        if (p - k).abs() <= EDGE && k >= 1.0 && k < bins.count as f64 {
            near[k as usize] += 1;
        }
    }
    (0..bins.count).map(|b| near[b] + near[b + 1]).collect()
}

pub async fn histogram_matches_cpu(cpu: &mut dyn Backend, gpu: &mut dyn Backend) {
    let s = Shape { models: 3, rows: 41, cols: 29 };
    let per_model = s.rows * s.cols;
    let mut r = rng(23);
    // Linear bins 1/8 wide, with values on the edges exactly and far beyond both ends (1e38
    // puts the position past f32's range: the last bin, as Rust's saturating cast does).
    let mut linear = uniform(&mut r, s.len(), -3.0, 3.0);
    for (i, v) in linear.iter_mut().step_by(7).enumerate() {
        *v = -2.0 + (i % 33) as f32 * 0.125;
    }
    (linear[3], linear[4]) = (1e38, -1e38);
    // Symlog bins over magnitudes from 10⁻⁶ to 10⁹ of either sign, with ±0 and f32::MAX.
    let sign = |i: usize| if i.is_multiple_of(2) { 1.0 } else { -1.0 };
    let mut symlog: Vec<f32> = (0..s.len()).map(|i| sign(i) * 10f32.powf(r.random_range(-6.0..9.0))).collect();
    (symlog[0], symlog[1], symlog[2]) = (0.0, -0.0, f32::MAX);
    let (mut own_range, mut small) = (linear.clone(), uniform(&mut r, s.len(), -0.05, 0.05));
    for (x, bins) in [
        (&mut linear, Bins { lo: -2.0, hi: 2.0, count: 32, symlog: false, data_range: false }),
        (&mut symlog, Bins { lo: -4.0, hi: 10.0, count: 47, symlog: true, data_range: false }),
        // Each model's own range (the diagnostics' histograms): ±1e38 and the edges in it.
        (&mut own_range, Bins { lo: 0.0, hi: 0.0, count: 40, symlog: false, data_range: true }),
        (&mut small, Bins { lo: 0.0, hi: 0.0, count: 40, symlog: false, data_range: true }),
    ] {
        sprinkle_non_finite(x, per_model, &mut r);
        let x: &[f32] = x;
        let at = Region { offset: 5, stride: bins.count + 4 };
        let width = bins.count + 1;
        let (want, got) = on_both(cpu, gpu, async |be| {
            let (xb, out) = (tensor(be, x), be.alloc(region_len(s.models, at, width)));
            be.histogram(xb, s, bins, out, at);
            read(be, out).await
        })
        .await;
        let what = format!("histogram {bins:?}");
        let (want, got) = (regions(&what, &want, s.models, at, width), regions(&what, &got, s.models, at, width));
        for m in 0..s.models {
            let slack = histogram_slack(&x[m * per_model..][..per_model], &bins);
            let (w, g) = (&want[m], &got[m]);
            for b in 0..bins.count {
                assert!((g[b] - w[b]).abs() <= slack[b] as f32, "{what}, model {m}, bin {b}: {g:?} vs {w:?}");
            }
            assert_eq!(g.iter().sum::<f32>(), per_model as f32, "{what}, model {m}: total");
            assert_eq!(g[bins.count], w[bins.count], "{what}, model {m}: non-finite count");
        }
    }
}

pub async fn dead_units_match_cpu(cpu: &mut dyn Backend, gpu: &mut dyn Backend) {
    // 301 columns: some invocations take two.
    let s = Shape { models: 3, rows: 37, cols: 301 };
    let mut x = uniform(&mut rng(29), s.len(), -1.0, 1.0);
    let mut column = |m: usize, c: usize, value: &dyn Fn(usize) -> f32| {
        (0..s.rows).for_each(|row| x[(m * s.rows + row) * s.cols + c] = value(row));
    };
    for m in 0..s.models {
        // Dead: negative, exact zeros of both signs, −∞ — a different number per model.
        for c in (m..s.cols).step_by(9 + m) {
            column(m, c, &|row| [-0.5, 0.0, -0.0, f32::NEG_INFINITY][(row + c) % 4]);
        }
        // Alive however negative the rest: one NaN, one tiny positive value.
        column(m, 1 + m, &|row| if row == 20 { f32::NAN } else { -1.0 });
        column(m, 4 + m, &|row| if row == s.rows - 1 { f32::MIN_POSITIVE } else { 0.0 });
    }
    let at = Region { offset: 3, stride: 4 };
    let (want, got) = on_both(cpu, gpu, async |be| {
        let (xb, out) = (tensor(be, &x), be.alloc(region_len(s.models, at, 1)));
        be.dead_units(xb, s, out, at);
        read(be, out).await
    })
    .await;
    let (want, got) = (regions("dead units", &want, s.models, at, 1), regions("dead units", &got, s.models, at, 1));
    assert_eq!(got, want);
    // The crafted dead columns; a random one is dead with probability 2⁻³⁷.
    let crafted: Vec<Vec<f32>> = (0..s.models).map(|m| vec![(s.cols - m).div_ceil(9 + m) as f32]).collect();
    assert_eq!(want, crafted);
}

pub async fn fingerprints_match_cpu(cpu: &mut dyn Backend, gpu: &mut dyn Backend) {
    // 3 × 263 units: more than one workgroup, not a multiple of 256.
    let s = Shape { models: 3, rows: 37, cols: 263 };
    let mut r = rng(31);
    let (mut w, mut bias) = (uniform(&mut r, s.len(), -0.2, 0.2), uniform(&mut r, s.models * s.cols, -0.1, 0.1));
    for m in 0..s.models {
        let unit = |c: usize, row: usize| (m * s.rows + row) * s.cols + c;
        // Duplicates of units 0 and 5 (weights and bias): equal fingerprints.
        for (from, to) in [(0, 7), (0, 100 + m), (5, 262), (5, 6)] {
            (0..s.rows).for_each(|row| w[unit(to, row)] = w[unit(from, row)]);
            bias[m * s.cols + to] = bias[m * s.cols + from];
        }
        // Almost duplicates: the same weights with another bias; 0.0 against −0.0.
        (0..s.rows).for_each(|row| w[unit(9, row)] = w[unit(0, row)]);
        (w[unit(10, 0)], w[unit(11, 0)]) = (0.0, -0.0);
        (0..s.rows).skip(1).for_each(|row| w[unit(11, row)] = w[unit(10, row)]);
        bias[m * s.cols + 11] = bias[m * s.cols + 10];
    }
    let (want, got) = on_both(cpu, gpu, async |be| {
        let (wb, bb, out) = (tensor(be, &w), tensor(be, &bias), be.alloc(s.models * s.cols * 2 + 3));
        be.fingerprints(wb, bb, s, out);
        read(be, out).await
    })
    .await;
    assert_eq!(got, want);
    assert_eq!(got[s.models * s.cols * 2..], [0.0; 3], "past the fingerprints");
    for m in 0..s.models {
        let fp = |c: usize| (got[(m * s.cols + c) * 2], got[(m * s.cols + c) * 2 + 1]);
        assert!(fp(0) == fp(7) && fp(0) == fp(100 + m) && fp(5) == fp(262) && fp(5) == fp(6), "model {m}");
        assert!(fp(0) != fp(9) && fp(10) != fp(11), "model {m}: different units, equal fingerprints");
        let distinct = |v: &[f32]| {
            v[m * s.cols * 2..][..s.cols * 2]
                .chunks(2)
                .map(|h| (h[0].to_bits(), h[1].to_bits()))
                .collect::<HashSet<_>>()
        };
        assert_eq!(distinct(&got).len(), distinct(&want).len(), "model {m}");
        assert_eq!(distinct(&got).len(), s.cols - 4, "model {m}: four duplicates");
    }
}

pub async fn confusion_matches_cpu(cpu: &mut dyn Backend, gpu: &mut dyn Backend) {
    // 301 rows > 256 invocations; 32 classes, the kernel's most.
    for s in [Shape { models: 3, rows: 301, cols: 10 }, Shape { models: 2, rows: 50, cols: 32 }] {
        let mut r = rng(s.rows as u64 + 37);
        let mut logits = uniform(&mut r, s.len(), -5.0, 5.0);
        let labels: Vec<f32> = (0..s.rows).map(|_| r.random_range(0..s.cols as u32) as f32).collect();
        let c = s.cols;
        // Ties (all equal: class 0; classes 3 and 7: class 3) and NaN rows (NaN first never
        // loses, NaN later never wins).
        logits[..c].fill(0.5);
        logits[c..2 * c].fill(-1.0);
        (logits[c + 3], logits[c + 7]) = (2.0, 2.0);
        logits[2 * c] = f32::NAN;
        logits[3 * c + 2] = f32::NAN;
        logits[4 * c..5 * c].fill(f32::NAN);
        // The kernel adds: start from counts already there.
        let initial: Vec<f32> = (0..s.models * c * c).map(|i| (i % 7) as f32).collect();
        let (want, got) = on_both(cpu, gpu, async |be| {
            let (z, l, out) = (tensor(be, &logits), tensor(be, &labels), tensor(be, &initial));
            be.confusion(z, l, s, out);
            read(be, out).await
        })
        .await;
        assert_eq!(got, want, "confusion {s:?}");
        for m in 0..s.models {
            for label in 0..c {
                let row: f32 = (0..c).map(|p| got[(m * c + label) * c + p] - initial[(m * c + label) * c + p]).sum();
                let count = labels.iter().filter(|&&l| l == label as f32).count();
                assert_eq!(row, count as f32, "{s:?}: model {m}, label {label}");
            }
        }
    }
}

pub async fn columns_match_cpu(cpu: &mut dyn Backend, gpu: &mut dyn Backend) {
    let s = Shape { models: 3, rows: 37, cols: 53 };
    let x = uniform(&mut rng(41), s.len(), -1.0, 1.0);
    for taken in [17, s.cols, 1] {
        let len = s.models * taken * s.rows;
        let (want, got) = on_both(cpu, gpu, async |be| {
            let (xb, out) = (tensor(be, &x), be.alloc(len + 3));
            be.columns(xb, s, taken, out);
            read(be, out).await
        })
        .await;
        assert_eq!(got, want, "{taken} columns");
        assert_eq!(got[len..], [0.0; 3], "{taken} columns: past the end");
    }
}
