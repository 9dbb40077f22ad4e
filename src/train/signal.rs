//! The signal through the layers, the view that explains why the rules exist: each hidden
//! layer's output std and each weight matrix's gradient RMS on a fixed probe batch (dropout
//! off), and the mean-field prediction of the std from the initial weights alone.
//!
//! The prediction is the variance recursion of LeCun et al. (1998), Glorot & Bengio (2010) and
//! He et al. (2015), `Var(z_l) = n_{l−1} · E[w_l²] · E[h_{l−1}²] + E[b_l²]`, under the
//! wide-layer (mean-field) approximation of Poole et al. (2016): each pre-activation `z_l` is
//! Gaussian with that variance, so `E[h_l²] = E[φ(z_l)²]` and the output std
//! `√(E[φ(z)²] − E[φ(z)]²)` are computed exactly by quadrature for any activation — ReLU's
//! `E[φ²] = Var(z)/2` is the "c = ½" of He et al., tanh's `≈ Var(z)` near 0 and `→ 1` when
//! saturated. It assumes centred weights independent of the inputs; for weights whose mean is
//! not small beside their spread (all-ones, U[0, 1)) no prediction is made (NaN).

use std::ops::Range;

use serde::Serialize;

use super::{NamedState, PROBE_ROWS, TrainError, Trainer};
use crate::backend::reduce::MOMENTS;
use crate::backend::{Activation, Region, Shape};
use crate::data::Dataset;
use crate::init::LayerInit;
use crate::model::MlpShape;
use crate::stats::{self, Summary};

/// One model's signal at a step.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub struct Signal {
    /// Per hidden layer (input side first): the std of its output over the probe batch, all
    /// units and images pooled. NaN once not finite.
    pub act_std: Vec<f32>,
    /// Per weight matrix (the hidden layers', then the output layer's): the RMS of the mean
    /// loss's gradient on the probe batch.
    pub grad_rms: Vec<f32>,
    /// Per hidden layer: the mean-field prediction of `act_std` from the initial weights
    /// (NaN where the weights are not centred, or it overflows).
    pub theory_std: Vec<f32>,
    /// What the probe pass shows exactly: weights that no gradient reaches, layers of dead
    /// ReLUs ([`NamedState`]); empty for a model that has neither, or whose pass is not finite.
    pub states: Vec<NamedState>,
}

/// A weight mean larger than this share of the weights' RMS is "not centred".
const CENTRED: f64 = 0.1;

impl Trainer {
    /// Every model's signal now, in run order: one forward and backward pass of the probe
    /// batch per architecture, reduced on the backend. The training state (parameters,
    /// optimizer moments) is untouched; the input batch, the layers' outputs, the gradients
    /// and the validation sums are overwritten, as the next step or pass overwrites them.
    pub async fn signal(&mut self) -> Result<Vec<Signal>, TrainError> {
        let probe = &self.split.val[..PROBE_ROWS.min(self.split.val.len())];
        let rows = probe.len();
        let mut signals: Vec<Option<Signal>> = vec![None; self.models.len()];
        let b = self.backend.as_mut();
        for group in &self.groups {
            let (stack, n) = (&group.stack, group.models.len());
            let (layers, hidden) = (stack.shape.layers(), stack.shape.hidden_layers());
            b.gather(self.data, probe, stack.x, stack.labels);
            stack.forward(b, rows, None);
            b.fill(group.eval_stats, 0.0);
            stack.loss(b, rows, group.eval_stats, 0, true);
            stack.backward(b, rows, None);
            let at = |row: usize| Region { offset: row * n * MOMENTS, stride: MOMENTS };
            for l in 0..hidden {
                b.moments(stack.output(l), None, stack.act_shape(rows, l), group.views.signal, at(l));
            }
            for l in 0..layers {
                let (fan_in, fan_out) = stack.shape.dims(l);
                let ws = Shape { models: n, rows: fan_in, cols: fan_out };
                b.moments(stack.weights(l).1, None, ws, group.views.signal, at(hidden + l));
            }
            let moments = b.read(group.views.signal).await?;
            for (i, &m) in group.models.iter().enumerate() {
                let of = |row: usize| &moments[(row * n + i) * MOMENTS..];
                let summary = |row: usize, len: usize| Summary::of(of(row), len);
                let zero = |rows: Range<usize>| rows.map(|row| stats::all_zero(of(row))).collect::<Vec<_>>();
                signals[m] = Some(Signal {
                    act_std: (0..hidden).map(|l| summary(l, rows * stack.shape.dims(l).1).std).collect(),
                    grad_rms: (0..layers)
                        .map(|l| {
                            let (fan_in, fan_out) = stack.shape.dims(l);
                            summary(hidden + l, fan_in * fan_out).rms
                        })
                        .collect(),
                    theory_std: self.theory[m].clone(),
                    states: NamedState::find(stack.shape.activation, &zero(0..hidden), &zero(hidden..hidden + layers)),
                });
            }
        }
        let signals: Vec<Signal> = signals.into_iter().map(|s| s.expect("every model is in a group")).collect();
        if self.step == 0 {
            self.start_signal = Some(signals.clone());
        }
        self.states = signals.iter().map(|s| s.states.clone()).collect();
        Ok(signals)
    }
}

/// `E[x²]` of the probe images' pixels as the network sees them (in [0, 1]).
pub(super) fn input_power(dataset: &Dataset, probe: &[u32]) -> f64 {
    let ppi = dataset.pixels_per_image();
    let (mut sum, mut count) = (0.0f64, 0usize);
    for &i in probe {
        let image = &dataset.pixels[i as usize * ppi..(i as usize + 1) * ppi];
        sum += image.iter().map(|&p| (p as f64 / 255.0).powi(2)).sum::<f64>();
        count += ppi;
    }
    if count == 0 { 0.0 } else { sum / count as f64 }
}

/// The mean-field prediction of each hidden layer's output std for a model of `shape` with
/// initial parameters `params` (see the module's docs), given the inputs' `E[x²]`.
pub(super) fn theory_std(shape: &MlpShape, params: &[LayerInit], input_power: f64) -> Vec<f32> {
    let mut power = input_power;
    (0..shape.hidden_layers())
        .map(|l| {
            let w = &params[l].weights;
            let mean = w.iter().map(|&v| v as f64).sum::<f64>() / w.len() as f64;
            let w2 = w.iter().map(|&v| (v as f64).powi(2)).sum::<f64>() / w.len() as f64;
            let b2 = params[l].bias.iter().map(|&v| (v as f64).powi(2)).sum::<f64>() / params[l].bias.len() as f64;
            if mean.abs() > CENTRED * w2.sqrt() {
                power = f64::NAN;
            }
            let variance = shape.dims(l).0 as f64 * w2 * power + b2;
            let (m1, m2) = gaussian_moments(shape.activation, variance);
            power = m2;
            // NaN (no prediction) stays NaN: `f64::max` would turn it into 0.
            let variance = m2 - m1 * m1;
            if variance.is_nan() { f32::NAN } else { variance.max(0.0).sqrt() as f32 }
        })
        .collect()
}

/// `(E[φ(z)], E[φ(z)²])` for `z ~ N(0, variance)`, by Simpson's rule over ±10 standard
/// deviations (the tails beyond hold under 1e-22 of the mass). NaN where the variance is not
/// finite.
pub(super) fn gaussian_moments(act: Activation, variance: f64) -> (f64, f64) {
    if !variance.is_finite() {
        return (f64::NAN, f64::NAN);
    }
    const STEPS: usize = 800;
    let (lo, h) = (-10.0, 20.0 / STEPS as f64);
    let sd = variance.max(0.0).sqrt();
    let (mut m1, mut m2) = (0.0, 0.0);
    for k in 0..=STEPS {
        let u = lo + k as f64 * h;
        let weight = if k == 0 || k == STEPS {
            1.0
        } else if k % 2 == 1 {
            4.0
        } else {
            2.0
        };
        let density = (-0.5 * u * u).exp() / (2.0 * std::f64::consts::PI).sqrt();
        let y = act.apply((sd * u) as f32) as f64;
        m1 += weight * density * y;
        m2 += weight * density * y * y;
    }
    (m1 * h / 3.0, m2 * h / 3.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The closed forms the recursion is known by.
    #[test]
    fn gaussian_moments_match_closed_forms() {
        let v = 2.5;
        let (m1, m2) = gaussian_moments(Activation::Relu, v);
        assert!((m2 - v / 2.0).abs() < 1e-6 * v, "ReLU: E[φ²] = Var/2, got {m2}");
        assert!((m1 - (v / (2.0 * std::f64::consts::PI)).sqrt()).abs() < 1e-6);
        let (m1, m2) = gaussian_moments(Activation::Linear, v);
        assert!(m1.abs() < 1e-9 && (m2 - v).abs() < 1e-6);
        // tanh: ≈ Var near 0, → 1 when saturated; the sigmoid's mean is ½.
        let (_, small) = gaussian_moments(Activation::Tanh, 1e-8);
        assert!((small / 1e-8 - 1.0).abs() < 1e-3, "{small}");
        assert!(gaussian_moments(Activation::Tanh, 1e6).1 > 0.99);
        assert!((gaussian_moments(Activation::Sigmoid, 1.0).0 - 0.5).abs() < 1e-6);
        assert!(gaussian_moments(Activation::Relu, f64::INFINITY).0.is_nan());
    }

    /// No prediction for weights that are not centred (all-ones), here and in every layer
    /// after; a centred layer's prediction is He's √(n·Var(w)·E[x²]/2)-based ReLU std.
    #[test]
    fn the_prediction_is_nan_for_uncentred_weights() {
        let shape = MlpShape::new(4, &[3, 3], 2);
        let layer = |w: f32, fan_in: usize, fan_out: usize| LayerInit {
            weights: (0..fan_in * fan_out).map(|i| if i % 2 == 0 { w } else { -w }).collect(),
            bias: vec![0.0; fan_out],
        };
        let ones = LayerInit { weights: vec![1.0; 12], bias: vec![0.0; 3] };
        let theory = theory_std(&shape, &[ones, layer(0.5, 3, 3), layer(0.5, 3, 2)], 1.0);
        assert!(theory.iter().all(|t| t.is_nan()), "{theory:?}");
        // Centred: Var(z) = 4 · 0.25 · 1 = 1, so the ReLU output std is √(½ − 1/2π).
        let theory = theory_std(&shape, &[layer(0.5, 4, 3), layer(0.5, 3, 3), layer(0.5, 3, 2)], 1.0);
        let want = (0.5 - 1.0 / (2.0 * std::f64::consts::PI)).sqrt() as f32;
        assert!((theory[0] - want).abs() < 1e-5, "{theory:?}");
    }
}
