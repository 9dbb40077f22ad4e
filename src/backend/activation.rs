//! The hidden layers' activation functions, each with its derivative written in terms of its
//! *output* (what the forward pass keeps), on scalars: what the CPU backend runs and the twin
//! of `activate` and `activation_slope` in `shaders/common.wgsl`, which must compute the same
//! formulas in the same order.

use serde::{Deserialize, Serialize};

/// The negative slope of [`Activation::LeakyRelu`], as PyTorch's `nn.LeakyReLU()` default.
pub const LEAKY_SLOPE: f32 = 0.01;

/// An elementwise activation `y = φ(z)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(not(target_arch = "wasm32"), derive(clap::ValueEnum))]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub enum Activation {
    /// `max(z, 0)` (Nair & Hinton 2010): the lesson's.
    #[default]
    Relu,
    /// `z` for `z > 0`, else [`LEAKY_SLOPE`]`·z` (Maas et al. 2013).
    LeakyRelu,
    /// The hyperbolic tangent: odd, slope 1 at 0, saturating at ±1 (Glorot & Bengio 2010).
    Tanh,
    /// The logistic `1 / (1 + e^−z)`: slope ¼ at 0, output mean ½ (Glorot & Bengio 2010).
    Sigmoid,
    /// The identity: a deep *linear* network, and the output layer's logits.
    Linear,
}

impl Activation {
    /// Every activation, in the order the page lists them.
    pub const ALL: [Activation; 5] =
        [Activation::Relu, Activation::LeakyRelu, Activation::Tanh, Activation::Sigmoid, Activation::Linear];

    /// The name in settings, URLs and the CLI: `relu`, `leaky-relu`, `tanh`, `sigmoid`, `linear`.
    pub fn id(self) -> &'static str {
        match self {
            Activation::Relu => "relu",
            Activation::LeakyRelu => "leaky-relu",
            Activation::Tanh => "tanh",
            Activation::Sigmoid => "sigmoid",
            Activation::Linear => "linear",
        }
    }

    /// The name for people.
    pub fn label(self) -> &'static str {
        match self {
            Activation::Relu => "ReLU",
            Activation::LeakyRelu => "leaky ReLU (0.01)",
            Activation::Tanh => "tanh",
            Activation::Sigmoid => "sigmoid",
            Activation::Linear => "linear (identity)",
        }
    }

    /// The activation named `id` ([`Self::id`]), if any.
    pub fn from_id(id: &str) -> Option<Activation> {
        Self::ALL.into_iter().find(|a| a.id() == id)
    }

    /// The number `shaders/common.wgsl`'s `activate` switches on.
    pub fn code(self) -> u32 {
        self as u32
    }

    /// `φ(z)`.
    pub fn apply(self, z: f32) -> f32 {
        match self {
            Activation::Relu => z.max(0.0),
            Activation::LeakyRelu => {
                if z > 0.0 {
                    z
                } else {
                    LEAKY_SLOPE * z
                }
            }
            Activation::Tanh => tanh(z),
            Activation::Sigmoid => sigmoid(z),
            Activation::Linear => z,
        }
    }

    /// `φ'(z)` from the output `y = φ(z)` alone, which is all the backward pass keeps:
    /// 1 − y² for tanh, y(1 − y) for the sigmoid; ReLU's slope at 0 is taken as 0 and leaky
    /// ReLU's as [`LEAKY_SLOPE`], as PyTorch does.
    pub fn slope_from_output(self, y: f32) -> f32 {
        match self {
            Activation::Relu => {
                if y > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::LeakyRelu => {
                if y > 0.0 {
                    1.0
                } else {
                    LEAKY_SLOPE
                }
            }
            // Clamped: an output taken back from dropout's scale may be an ulp past ±1 or 1.
            Activation::Tanh => (1.0 - y * y).max(0.0),
            Activation::Sigmoid => (y * (1.0 - y)).max(0.0),
            Activation::Linear => 1.0,
        }
    }
}

/// tanh with the same formula on every device (a GPU's built-in `tanh` may lose all its
/// relative precision near 0, where a vanishing signal lives, or overflow far from it): Cephes'
/// single-precision polynomial below |z| = 0.625 (about 1 ulp), `1 − 2/(e^{2|z|} + 1)` above,
/// and ±1 beyond |z| = 9, where tanh is within 1 ulp of 1 in f32 (it rounds to 1 from 9.01).
pub fn tanh(z: f32) -> f32 {
    let a = z.abs();
    if a < 0.625 {
        let s = z * z;
        let p = (((-5.704_988_7e-3 * s + 2.063_909e-2) * s - 5.373_971_6e-2) * s + 1.333_144_2e-1) * s - 3.333_328e-1;
        return p * s * z + z;
    }
    let t = if a > 9.0 { 1.0 } else { 1.0 - 2.0 / ((2.0 * a).exp() + 1.0) };
    t.copysign(z)
}

/// The logistic function, as `1 / (1 + e^−z)` for z ≥ 0 and `e^z / (1 + e^z)` below, so the
/// exponential never overflows.
pub fn sigmoid(z: f32) -> f32 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Our tanh against the standard library's in f64, from tiny to saturated inputs.
    #[test]
    fn tanh_is_within_a_few_ulp_everywhere() {
        let mut z = 1e-30f32;
        while z < 20.0 {
            for x in [z, -z] {
                let want = (x as f64).tanh();
                let got = tanh(x) as f64;
                let ulp = (want.abs() as f32).max(f32::MIN_POSITIVE) as f64 * f32::EPSILON as f64;
                assert!((got - want).abs() <= 3.0 * ulp, "tanh({x}) = {got}, want {want}");
            }
            z *= 1.07;
        }
        assert_eq!(tanh(0.0), 0.0);
    }

    #[test]
    fn sigmoid_is_accurate_and_never_overflows() {
        for x in [-200.0f32, -30.0, -1.0, -1e-6, 0.0, 1e-6, 1.0, 30.0, 200.0] {
            let want = 1.0 / (1.0 + (-(x as f64)).exp());
            let got = sigmoid(x) as f64;
            assert!((got - want).abs() <= 4.0 * want * f32::EPSILON as f64 + 1e-45, "sigmoid({x}) = {got}");
        }
    }

    /// Each slope from the output against a central difference of `apply`.
    #[test]
    fn slopes_match_finite_differences() {
        for act in Activation::ALL {
            for z in [-3.0f32, -0.7, -0.01, 0.02, 0.4, 2.5] {
                let h = 1e-3f64;
                let f = |x: f64| act.apply(x as f32) as f64;
                let numeric = (f(z as f64 + h) - f(z as f64 - h)) / (2.0 * h);
                let analytic = act.slope_from_output(act.apply(z)) as f64;
                assert!((numeric - analytic).abs() < 2e-3, "{act:?} at {z}: {analytic} vs {numeric}");
            }
        }
    }

    #[test]
    fn ids_round_trip() {
        for act in Activation::ALL {
            assert_eq!(Activation::from_id(act.id()), Some(act));
            assert_eq!(serde_json::to_string(&act).unwrap(), format!("\"{}\"", act.id()));
        }
    }
}
