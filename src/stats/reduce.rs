//! The reductions behind every statistic the views show, written once on slices: the CPU
//! backend runs these, and each GPU kernel (`shaders/moments.wgsl`, `histogram.wgsl`,
//! `dead_units.wgsl`, `fingerprints.wgsl`, `confusion.wgsl`) is tested against them.
//! A model's values are `[rows][cols]`, row-major.

use crate::backend::Bins;

/// Floats [`moments`] writes per model: `[Σd, Σd², min d, max d, non-finite count]`.
pub const MOMENTS: usize = 5;

/// Values below this magnitude share [`symlog`]'s bins near zero.
pub const SYMLOG_FLOOR: f32 = 1e-3;

/// `sign(x) · log10(1 + |x| / 10⁻³)`: about `log10|x| + 3` for |x| ≫ 10⁻³, so that the
/// tiny, the healthy (~1) and the exploding (~10⁶, all-ones' logits) share one axis.
pub fn symlog(x: f32) -> f32 {
    // log2 and a constant, as the kernel computes it (WGSL has no log10).
    x.signum() * (1.0 + x.abs() / SYMLOG_FLOOR).log2() * std::f32::consts::LOG10_2
}

/// `[Σd, Σd², min d, max d, non-finite count]` over the finite `d = x − y` (`d = x` without
/// `y`); min and max are +∞ and −∞ when no value is finite. Sums in f64.
pub fn moments(x: &[f32], y: Option<&[f32]>) -> [f32; MOMENTS] {
    let (mut sum, mut sq, mut min, mut max, mut bad) = (0.0f64, 0.0f64, f32::INFINITY, f32::NEG_INFINITY, 0u32);
    for (i, &v) in x.iter().enumerate() {
        let d = y.map_or(v, |y| v - y[i]);
        if !d.is_finite() {
            bad += 1;
            continue;
        }
        sum += d as f64;
        sq += (d as f64) * (d as f64);
        min = min.min(d);
        max = max.max(d);
    }
    [sum as f32, sq as f32, min, max, bad as f32]
}

/// The bin `x` falls in (values outside `[lo, hi)` in the end bins), or `None` if it is not
/// finite.
pub fn bin_of(x: f32, bins: &Bins) -> Option<usize> {
    if !x.is_finite() {
        return None;
    }
    let t = if bins.symlog { symlog(x) } else { x };
    let at = ((t - bins.lo) / (bins.hi - bins.lo) * bins.count as f32).floor();
    Some(if at.is_nan() || at < 0.0 { 0 } else { (at as usize).min(bins.count - 1) })
}

/// The count in each of `bins.count` bins, then the count of non-finite values.
pub fn histogram(x: &[f32], bins: &Bins) -> Vec<f32> {
    let bins = if bins.data_range {
        let [_, _, lo, hi, _] = moments(x, None);
        Bins { lo, hi, data_range: false, ..*bins }
    } else {
        *bins
    };
    let mut counts = vec![0.0f32; bins.count + 1];
    for &v in x {
        counts[bin_of(v, &bins).unwrap_or(bins.count)] += 1.0;
    }
    counts
}

/// How many of the `cols` columns are ≤ 0 in every row: the ReLUs that are dead on this batch.
pub fn dead_units(x: &[f32], cols: usize) -> f32 {
    (0..cols).filter(|&c| x.iter().skip(c).step_by(cols).all(|&v| v <= 0.0)).count() as f32
}

/// Two 24-bit hashes of a unit's incoming weights and bias (their bits, in order), as exact
/// floats: equal units have equal fingerprints, different ones almost surely not (two in 2⁴⁸).
/// FNV-1a and a multiply–xorshift mix; the top 24 bits, which depend on every input bit.
pub fn fingerprint(values: impl IntoIterator<Item = f32>) -> [f32; 2] {
    let (mut h1, mut h2) = (0x811c_9dc5u32, 0x9e37_79b9u32);
    for v in values {
        let b = v.to_bits();
        h1 = (h1 ^ b).wrapping_mul(0x0100_0193);
        h2 = (h2 ^ b).wrapping_mul(0x85eb_ca6b);
        h2 ^= h2 >> 15;
    }
    [(h1 >> 8) as f32, (h2 >> 8) as f32]
}

/// Adds each row's prediction (the first largest logit, as softmax cross-entropy counts a
/// correct one) against its label to `counts[label][predicted]` (`classes × classes`).
pub fn confusion(logits: &[f32], labels: &[f32], classes: usize, counts: &mut [f32]) {
    for (z, &label) in logits.chunks(classes).zip(labels) {
        let predicted = crate::backend::cpu::argmax(z).0;
        counts[label as usize * classes + predicted] += 1.0;
    }
}
