//! Per-layer diagnostics that show *why* an initializer works or fails: weight and
//! activation histograms, the share of dead ReLUs, and how many hidden neurons are still
//! different from each other (all-zeros and all-ones start with one).

pub mod reduce;

use std::collections::HashSet;

use serde::Serialize;

/// Bins of equal width over `[min, max]`; values that are NaN or ±∞ are counted apart.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Histogram {
    pub min: f32,
    pub max: f32,
    pub counts: Vec<u32>,
    pub non_finite: u32,
}

impl Histogram {
    pub fn of(values: &[f32], bins: usize) -> Histogram {
        let finite = || values.iter().copied().filter(|v| v.is_finite());
        let min = finite().fold(f32::INFINITY, f32::min);
        let max = finite().fold(f32::NEG_INFINITY, f32::max);
        let mut counts = vec![0u32; bins];
        let non_finite = values.len() as u32 - finite().count() as u32;
        if min > max {
            return Histogram { min: 0.0, max: 0.0, counts, non_finite };
        }
        let width = (max - min) as f64 / bins as f64;
        for v in finite() {
            let bin = if width > 0.0 { ((v - min) as f64 / width) as usize } else { 0 };
            counts[bin.min(bins - 1)] += 1;
        }
        Histogram { min, max, counts, non_finite }
    }
}

/// Mean and standard deviation of the finite values (NaN if there are none).
fn mean_std(values: &[f32]) -> (f32, f32) {
    let (mut n, mut sum, mut sq) = (0.0f64, 0.0f64, 0.0f64);
    for &v in values.iter().filter(|v| v.is_finite()) {
        n += 1.0;
        sum += v as f64;
        sq += (v as f64) * (v as f64);
    }
    if n == 0.0 {
        return (f32::NAN, f32::NAN); // every value diverged (NaN.max(0.0) would say 0)
    }
    let mean = sum / n;
    (mean as f32, (sq / n - mean * mean).max(0.0).sqrt() as f32)
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerStats {
    pub weights: Histogram,
    pub weight_mean: f32,
    pub weight_std: f32,
    /// The layer's outputs on the probe batch (after ReLU for hidden layers; logits last).
    pub outputs: Histogram,
    pub output_mean: f32,
    pub output_std: f32,
    /// Share of the layer's units that output 0 for every probe image (hidden layers).
    pub dead_fraction: f32,
    /// How many of the layer's units differ from each other (incoming weights and bias).
    pub distinct_units: usize,
    pub units: usize,
}

impl LayerStats {
    /// Statistics of one model's layer: `weights` `[fan_in][fan_out]`, `bias` `[fan_out]`,
    /// `outputs` `[rows][fan_out]`.
    pub fn of(weights: &[f32], bias: &[f32], outputs: &[f32], hidden: bool, bins: usize) -> LayerStats {
        let units = bias.len();
        let (weight_mean, weight_std) = mean_std(weights);
        let (output_mean, output_std) = mean_std(outputs);
        let dead = (0..units).filter(|&u| outputs.iter().skip(u).step_by(units).all(|&o| o == 0.0)).count();
        let distinct: HashSet<Vec<u32>> = (0..units)
            .map(|u| weights.iter().skip(u).step_by(units).chain([&bias[u]]).map(|w| w.to_bits()).collect())
            .collect();
        LayerStats {
            weights: Histogram::of(weights, bins),
            weight_mean,
            weight_std,
            outputs: Histogram::of(outputs, bins),
            output_mean,
            output_std,
            dead_fraction: if hidden { dead as f32 / units as f32 } else { 0.0 },
            distinct_units: distinct.len(),
            units,
        }
    }
}
