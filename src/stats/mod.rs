//! What the views show of the networks' insides, and how it is decoded from the backends'
//! reductions ([`crate::backend::ViewOps`], each defined in [`crate::backend::reduce`]):
//! per-layer diagnostics at a step (weight and activation histograms, dead ReLUs, how many
//! neurons are still distinct), layer health over time (gradient RMS, update-to-weight ratio,
//! activation statistics and histograms), and the first layer's weights as images. Only these
//! small results are read back, never whole weight matrices.

use std::collections::HashSet;

use serde::Serialize;

use crate::backend::Bins;
use crate::backend::reduce::MOMENTS;

/// Bins of equal width over `[min, max]` (each model's own finite range); NaN and ±∞ are
/// counted apart.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub struct Histogram {
    pub min: f32,
    pub max: f32,
    pub counts: Vec<u32>,
    pub non_finite: u32,
}

/// Mean, standard deviation and root mean square of the finite values of a
/// [`crate::backend::reduce::moments`] result over `len` values. All NaN if any value is not
/// finite: a statistic of a diverged layer would only look healthy.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    pub mean: f32,
    pub std: f32,
    pub rms: f32,
}

impl Summary {
    pub fn of(moments: &[f32], len: usize) -> Summary {
        let [sum, sq, _, _, bad, shift] = moments_of(moments);
        if bad > 0.0 || len == 0 {
            return Summary { mean: f32::NAN, std: f32::NAN, rms: f32::NAN };
        }
        // About the shift c: mean = c + Σe/n and var = Σe²/n − (Σe/n)², with e = d − c.
        let (n, c) = (len as f64, shift as f64);
        let (mean_e, mean_sq_e) = (sum as f64 / n, sq as f64 / n);
        let var = (mean_sq_e - mean_e * mean_e).max(0.0);
        let mean = c + mean_e;
        Summary { mean: mean as f32, std: var.sqrt() as f32, rms: (var + mean * mean).sqrt() as f32 }
    }
}

/// Whether every value of a [`crate::backend::reduce::moments`] result is exactly 0 — its
/// min and max, not its sums, whose squares underflow to 0 for values that are not — or
/// `None` where some value is not finite.
pub fn all_zero(moments: &[f32]) -> Option<bool> {
    let [_, _, min, max, non_finite, _] = moments_of(moments);
    (non_finite == 0.0).then_some(min == 0.0 && max == 0.0)
}

fn moments_of(values: &[f32]) -> [f32; MOMENTS] {
    let mut m = [0.0; MOMENTS];
    m.copy_from_slice(&values[..MOMENTS]);
    m
}

fn counts(values: &[f32]) -> Vec<u32> {
    values.iter().map(|&c| c as u32).collect()
}

impl Histogram {
    /// From a histogram reduction with `data_range` (`bins + 1` counts) and the moments of the
    /// same values (their min and max).
    pub fn decode(moments: &[f32], counts_and_bad: &[f32]) -> Histogram {
        let [_, _, min, max, _, _] = moments_of(moments);
        let (bins, bad) = counts_and_bad.split_at(counts_and_bad.len() - 1);
        let (min, max) = if min <= max { (min, max) } else { (0.0, 0.0) }; // no finite value
        Histogram { min, max, counts: counts(bins), non_finite: bad[0] as u32 }
    }
}

/// One model's layer at one step, on a fixed probe batch of validation images, dropout off.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub struct LayerStats {
    pub weights: Histogram,
    pub weight_mean: f32,
    pub weight_std: f32,
    /// The layer's outputs on the probe batch (after ReLU for hidden layers; logits last).
    pub outputs: Histogram,
    pub output_mean: f32,
    pub output_std: f32,
    /// Share of the layer's units that output 0 for every probe image (hidden ReLU layers; 0 for
    /// other layers, whose units cannot die so).
    pub dead_fraction: f32,
    /// How many of the layer's units differ from each other (incoming weights and bias):
    /// all-zeros and all-ones start with one, and without dropout keep one.
    pub distinct_units: usize,
    pub units: usize,
}

/// Where a layer's numbers lie in a diagnostics read-back, per model: moments of the weights,
/// moments of the outputs, the dead units.
pub const DIAG_WEIGHTS: usize = 0;
pub const DIAG_OUTPUTS: usize = MOMENTS;
pub const DIAG_DEAD: usize = 2 * MOMENTS;
pub const DIAG_FLOATS: usize = 2 * MOMENTS + 1;

impl LayerStats {
    /// Decodes one model's layer: `diag` its [`DIAG_FLOATS`] values, `weight_hist` and
    /// `output_hist` its two histograms (counts then non-finite), `fingerprints` two floats
    /// per unit; `weights` and `outputs` are how many values each covers; `counts_dead`
    /// whether the layer's dead units mean anything (hidden ReLU layers; else 0).
    pub fn decode(
        diag: &[f32],
        (weight_hist, output_hist): (&[f32], &[f32]),
        fingerprints: &[f32],
        (weights, outputs): (usize, usize),
        counts_dead: bool,
    ) -> LayerStats {
        let w = Summary::of(&diag[DIAG_WEIGHTS..], weights);
        let o = Summary::of(&diag[DIAG_OUTPUTS..], outputs);
        let units = fingerprints.len() / 2;
        let distinct: HashSet<[u32; 2]> = fingerprints.chunks(2).map(|f| [f[0].to_bits(), f[1].to_bits()]).collect();
        LayerStats {
            weights: Histogram::decode(&diag[DIAG_WEIGHTS..], weight_hist),
            weight_mean: w.mean,
            weight_std: w.std,
            outputs: Histogram::decode(&diag[DIAG_OUTPUTS..], output_hist),
            output_mean: o.mean,
            output_std: o.std,
            dead_fraction: if counts_dead { diag[DIAG_DEAD] / units as f32 } else { 0.0 },
            distinct_units: distinct.len(),
            units,
        }
    }
}

/// One model's layer during training, sampled every few steps: the numbers CS231n, d2l §5.4
/// and Glorot & Bengio (2010) watch.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub struct LayerHealth {
    /// √(mean dW²) of the weight gradient on that step's batch.
    pub grad_rms: f32,
    /// ‖ΔW‖ / ‖W‖ of that step's update (CS231n: about 1e-3 is healthy); NaN while W is all 0.
    pub update_ratio: f32,
    /// Mean and standard deviation of the layer's outputs on the probe images.
    pub act_mean: f32,
    pub act_std: f32,
    /// Share of units that output 0 for every probe image (hidden ReLU layers; NaN for others).
    pub dead_fraction: f32,
    /// The outputs in the run's health bins (`Bins`, symlog), and the non-finite ones.
    pub histogram: Vec<u32>,
    pub non_finite: u32,
}

/// Where a layer's numbers lie in a health sample, per model: moments of the weight gradient,
/// of the update, of the weights after it and of the outputs; the dead units; the histogram.
pub const HEALTH_GRAD: usize = 0;
pub const HEALTH_UPDATE: usize = MOMENTS;
pub const HEALTH_WEIGHTS: usize = 2 * MOMENTS;
pub const HEALTH_OUTPUTS: usize = 3 * MOMENTS;
pub const HEALTH_DEAD: usize = 4 * MOMENTS;
pub const HEALTH_HISTOGRAM: usize = 4 * MOMENTS + 1;

/// Floats per model and layer of a health sample with `bins` histogram bins.
pub const fn health_floats(bins: usize) -> usize {
    HEALTH_HISTOGRAM + bins + 1
}

impl LayerHealth {
    /// Decodes one model's layer from its [`health_floats`] values; `weights` and `outputs`
    /// are how many values the weight and output reductions covered, `units` the layer's width;
    /// `counts_dead` whether its dead units mean anything (hidden ReLU layers; else NaN).
    pub fn decode(
        v: &[f32],
        bins: &Bins,
        (weights, outputs, units): (usize, usize, usize),
        counts_dead: bool,
    ) -> LayerHealth {
        let grad = Summary::of(&v[HEALTH_GRAD..], weights);
        let update = Summary::of(&v[HEALTH_UPDATE..], weights);
        let after = Summary::of(&v[HEALTH_WEIGHTS..], weights);
        let out = Summary::of(&v[HEALTH_OUTPUTS..], outputs);
        let hist = &v[HEALTH_HISTOGRAM..HEALTH_HISTOGRAM + bins.count + 1];
        LayerHealth {
            grad_rms: grad.rms,
            update_ratio: if after.rms > 0.0 { update.rms / after.rms } else { f32::NAN },
            act_mean: out.mean,
            act_std: out.std,
            dead_fraction: if counts_dead { v[HEALTH_DEAD] / units as f32 } else { f32::NAN },
            histogram: counts(&hist[..bins.count]),
            non_finite: hist[bins.count] as u32,
        }
    }
}

/// The first layer's incoming weights of its first `units` hidden units, per model, as
/// `rows × cols` images: int8 bytes `q` with `w ≈ q / 127 · scale`, where `scale` is the
/// largest |w| of that model's whole first layer (0 when it is all zeros).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub struct Tiles {
    pub units: usize,
    pub rows: usize,
    pub cols: usize,
    pub models: Vec<ModelTiles>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub struct ModelTiles {
    pub scale: f32,
    /// `units × rows × cols` int8 values as bytes.
    #[cfg_attr(feature = "wire-types", ts(type = "Uint8Array"))]
    pub weights: serde_bytes::ByteBuf,
}

impl ModelTiles {
    /// Quantizes `weights` (one model's `units × pixels`) against `scale` (non-finite weights,
    /// of a diverged model, as 0).
    pub fn quantize(weights: &[f32], scale: f32) -> ModelTiles {
        let q = |w: f32| {
            if scale > 0.0 && w.is_finite() { (w / scale * 127.0).round().clamp(-127.0, 127.0) as i8 } else { 0 }
        };
        ModelTiles {
            scale,
            weights: serde_bytes::ByteBuf::from(weights.iter().map(|&w| q(w) as u8).collect::<Vec<u8>>()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::reduce::moments;

    /// Values of ±1e-30 square to 0 in f32, so their RMS reads 0; `all_zero` is not fooled.
    #[test]
    fn all_zero_is_exact() {
        assert_eq!(all_zero(&moments(&[0.0, -0.0, 0.0], None)), Some(true));
        let tiny = moments(&[1e-30, -1e-30], None);
        assert_eq!(Summary::of(&tiny, 2).rms, 0.0);
        assert_eq!(all_zero(&tiny), Some(false));
        assert_eq!(all_zero(&moments(&[0.0, f32::NAN], None)), None);
    }
}
