//! The reductions behind every statistic the views show ([`super::ViewOps`]), written once on
//! slices: the CPU backend runs these, and each GPU kernel (`shaders/moments.wgsl`,
//! `histogram.wgsl`, `dead_units.wgsl`, `fingerprints.wgsl`, `confusion.wgsl`,
//! `columns.wgsl`) is tested against them. A model's values are `[rows][cols]`, row-major.
//! `crate::stats` decodes their results.

use super::Bins;

/// Floats [`moments`] writes per model: `[Σ(d − c), Σ(d − c)², min d, max d, non-finite
/// count, c]`.
pub const MOMENTS: usize = 6;

/// Values below this magnitude share [`symlog`]'s bins near zero.
pub const SYMLOG_FLOOR: f32 = 1e-3;

/// `sign(x) · log10(1 + |x| / 10⁻³)`: about `log10|x| + 3` for |x| ≫ 10⁻³, so that the
/// tiny, the healthy (~1) and the exploding (~10⁶, all-ones' logits) share one axis.
pub fn symlog(x: f32) -> f32 {
    // log2 and a constant, as the kernel computes it (WGSL has no log10).
    x.signum() * (1.0 + x.abs() / SYMLOG_FLOOR).log2() * std::f32::consts::LOG10_2
}

/// `[Σ(d − c), Σ(d − c)², min d, max d, non-finite count, c]` over the finite `d = x − y`
/// (`d = x` without `y`), where the shift `c` is the first `d` if finite, else 0; min and max
/// are +∞ and −∞ when no value is finite. Sums in f32 over blocks of 1,024 values, added up
/// in f64 (the GPU's are f32 in a tree).
///
/// The shift keeps the spread exact where it is small next to the mean (all-ones' weights
/// after some steps: mean 1, std 10⁻³): `Σd²/n − mean²` in f32 would lose it entirely.
pub fn moments(x: &[f32], y: Option<&[f32]>) -> [f32; MOMENTS] {
    let first = match y {
        Some(y) => x.first().zip(y.first()).map(|(a, b)| a - b),
        None => x.first().copied(),
    };
    let shift = first.filter(|c| c.is_finite()).unwrap_or(0.0);
    let mut acc = Lanes::new();
    // Blocks the compiler can vectorize: f32 partial sums over a block, added up in f64.
    let mut diff = [0.0f32; BLOCK];
    for (b, block) in x.chunks(BLOCK).enumerate() {
        match y {
            Some(y) => {
                let d = &mut diff[..block.len()];
                d.iter_mut().zip(block.iter().zip(&y[b * BLOCK..])).for_each(|(d, (a, b))| *d = a - b);
                acc.add_block(d, shift);
            }
            None => acc.add_block(block, shift),
        }
    }
    acc.finish(shift)
}

/// Values per block of f32 partial sums in [`moments`], and the lanes of each.
const BLOCK: usize = 1024;
const LANES: usize = 8;

/// [`moments`]' accumulators: per lane, the block's f32 sums, minimum, maximum and count of
/// non-finite values; f64 totals across blocks.
struct Lanes {
    sum: f64,
    sq: f64,
    min: [f32; LANES],
    max: [f32; LANES],
    bad: [u32; LANES],
}

impl Lanes {
    fn new() -> Lanes {
        Lanes { sum: 0.0, sq: 0.0, min: [f32::INFINITY; LANES], max: [f32::NEG_INFINITY; LANES], bad: [0; LANES] }
    }

    fn add_block(&mut self, block: &[f32], shift: f32) {
        let (mut sum, mut sq) = ([0.0f32; LANES], [0.0f32; LANES]);
        let mut add = |lane: usize, d: f32| {
            let ok = d.is_finite();
            let e = if ok { d - shift } else { 0.0 };
            sum[lane] += e;
            sq[lane] += e * e;
            self.bad[lane] += u32::from(!ok);
            // Comparisons, not f32::min (whose NaN rule keeps this loop from vectorizing): a
            // non-finite d fails both, or is ±∞ and is excluded by `ok`.
            self.min[lane] = if ok && d < self.min[lane] { d } else { self.min[lane] };
            self.max[lane] = if ok && d > self.max[lane] { d } else { self.max[lane] };
        };
        let lanes = block.chunks_exact(LANES);
        let rest = lanes.remainder();
        for group in lanes {
            let group: &[f32; LANES] = group.try_into().unwrap_or(&[0.0; LANES]);
            group.iter().enumerate().for_each(|(lane, &d)| add(lane, d));
        }
        rest.iter().enumerate().for_each(|(lane, &d)| add(lane, d));
        self.sum += sum.iter().map(|&s| s as f64).sum::<f64>();
        self.sq += sq.iter().map(|&s| s as f64).sum::<f64>();
    }

    fn finish(self, shift: f32) -> [f32; MOMENTS] {
        let min = self.min.into_iter().fold(f32::INFINITY, f32::min);
        let max = self.max.into_iter().fold(f32::NEG_INFINITY, f32::max);
        [self.sum as f32, self.sq as f32, min, max, self.bad.iter().sum::<u32>() as f32, shift]
    }
}

/// The bin `x` falls in (values outside `[lo, hi)` in the end bins), or `None` if it is not
/// finite.
pub fn bin_of(x: f32, bins: &Bins) -> Option<usize> {
    if !x.is_finite() {
        return None;
    }
    let t = if bins.symlog { symlog(x) } else { x };
    // Divided by the bin's width, not multiplied by the reciprocal of the range: for a range
    // near f32::MAX that reciprocal is subnormal, and GPUs may flush it to zero.
    let at = ((t - bins.lo) / ((bins.hi - bins.lo) / bins.count as f32)).floor();
    Some(if at.is_nan() || at < 0.0 { 0 } else { (at as usize).min(bins.count - 1) })
}

/// The count in each of `bins.count` bins, then the count of non-finite values.
pub fn histogram(x: &[f32], bins: &Bins) -> Vec<f32> {
    let bins = if bins.data_range {
        let [_, _, lo, hi, _, _] = moments(x, None);
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
/// floats: equal units have equal fingerprints; different ones collide only by chance (FNV-1a
/// alone misses some sign patterns, which the multiply–xorshift mix catches). The top 24
/// bits of each, which depend on every input bit.
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
/// A label outside the classes is skipped, as the kernel does (the data loader refuses them).
pub fn confusion(logits: &[f32], labels: &[f32], classes: usize, counts: &mut [f32]) {
    for (z, &label) in logits.chunks(classes).zip(labels).filter(|(_, l)| (**l as usize) < classes) {
        let predicted = argmax(z).0;
        counts[label as usize * classes + predicted] += 1.0;
    }
}

/// The first `take` columns of `x` (`[rows][cols]`), one after another: `out[c][r] = x[r][c]`.
pub fn columns(x: &[f32], cols: usize, take: usize) -> Vec<f32> {
    (0..take).flat_map(|c| x.iter().skip(c).step_by(cols).copied()).collect()
}

/// Index and value of the largest element; the first one wins ties (the GPU does the same).
/// Softmax cross-entropy's correct count, the confusion matrix and the gallery's predictions
/// all pick a class with it.
pub fn argmax(z: &[f32]) -> (usize, f32) {
    let mut best = (0, z[0]);
    for (i, &v) in z.iter().enumerate().skip(1) {
        if v > best.1 {
            best = (i, v);
        }
    }
    best
}
