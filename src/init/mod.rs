//! Every initializer of the lab: its lesson name, a one-line formula, the fan it uses, and
//! one function that fills a layer. Weights are stored `[fan_in][fan_out]` (the layer
//! computes `x · W`), so "n" in the lesson's 1/√n is `fan_in`.

use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal, StandardNormal, Uniform};

use crate::seeds::SeedTree;

mod parse;
pub(crate) use parse::show;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Initializer {
    Zeros,
    Ones,
    Uniform01,
    CenteredUniform,
    GeneralRuleUniform,
    GeneralRuleNormal,
    PytorchDefault,
    XavierUniform,
    XavierNormal,
    HeUniform,
    HeNormal,
    LecunNormal,
    Orthogonal,
    Constant(f32),
    CustomUniform {
        low: f32,
        high: f32,
    },
    CustomNormal {
        std: f32,
    },
    /// The general rule scaled by a gain: `U[−g/√n, g/√n)`, for the scale sweep.
    Gain(f32),
}

/// The largest σ `normal:STD` accepts: rand_distr's standard normal draws |z| < 12.3 (its
/// ziggurat tail, fed 53-bit uniforms), so σ·z stays a finite f32 with room to spare.
pub const MAX_NORMAL_STD: f32 = f32::MAX / 16.0;

/// Why an initializer id or its parameters cannot be used.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum InitError {
    #[error("unknown initializer `{0}`; known: {known}", known = known_ids())]
    Unknown(String),
    #[error("initializer `{id}`: {problem}")]
    BadParameter { id: String, problem: String },
}

impl InitError {
    /// The initializer id refused.
    pub fn id(&self) -> Option<&str> {
        match self {
            InitError::Unknown(id) | InitError::BadParameter { id, .. } => Some(id),
        }
    }
}

fn known_ids() -> String {
    let mut ids: Vec<String> = Initializer::all().iter().map(Initializer::id).collect();
    ids.extend(["constant:C", "uniform:A:B", "normal:STD", "gain:G"].map(String::from));
    ids.join(", ")
}

/// One layer's freshly initialized parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerInit {
    /// `[fan_in][fan_out]`, row-major.
    pub weights: Vec<f32>,
    pub bias: Vec<f32>,
}

impl Initializer {
    /// The lesson's six, in its order.
    pub fn lesson() -> Vec<Initializer> {
        use Initializer::*;
        vec![Zeros, Ones, Uniform01, CenteredUniform, GeneralRuleUniform, GeneralRuleNormal]
    }

    /// Every named initializer: the lesson's six, then the modern ones.
    pub fn all() -> Vec<Initializer> {
        use Initializer::*;
        let mut all = Self::lesson();
        all.extend([PytorchDefault, XavierUniform, XavierNormal, HeUniform, HeNormal, LecunNormal, Orthogonal]);
        all
    }

    /// A short stable name, for the CLI, URLs and files.
    pub fn id(&self) -> String {
        use Initializer::*;
        match self {
            Zeros => "zeros".into(),
            Ones => "ones".into(),
            Uniform01 => "uniform".into(),
            CenteredUniform => "centered".into(),
            GeneralRuleUniform => "general-rule".into(),
            GeneralRuleNormal => "normal".into(),
            PytorchDefault => "pytorch-default".into(),
            XavierUniform => "xavier-uniform".into(),
            XavierNormal => "xavier-normal".into(),
            HeUniform => "he-uniform".into(),
            HeNormal => "he-normal".into(),
            LecunNormal => "lecun-normal".into(),
            Orthogonal => "orthogonal".into(),
            Constant(c) => format!("constant:{}", show(*c)),
            CustomUniform { low, high } => format!("uniform:{}:{}", show(*low), show(*high)),
            CustomNormal { std } => format!("normal:{}", show(*std)),
            Gain(g) => format!("gain:{}", show(*g)),
        }
    }

    /// The name the lesson (or the literature) uses.
    pub fn label(&self) -> String {
        use Initializer::*;
        match self {
            Zeros => "All Zeros".into(),
            Ones => "All Ones".into(),
            Uniform01 => "Uniform [0, 1)".into(),
            CenteredUniform => "Centered [−0.5, 0.5)".into(),
            GeneralRuleUniform => "General rule [−y, y)".into(),
            GeneralRuleNormal => "Normal(0, y)".into(),
            PytorchDefault => "PyTorch default".into(),
            XavierUniform => "Xavier/Glorot uniform".into(),
            XavierNormal => "Xavier/Glorot normal".into(),
            HeUniform => "He/Kaiming uniform".into(),
            HeNormal => "He/Kaiming normal".into(),
            LecunNormal => "LeCun normal".into(),
            Orthogonal => "Orthogonal".into(),
            Constant(c) => format!("Constant {}", show(*c)),
            CustomUniform { low, high } => format!("Uniform [{}, {})", show(*low), show(*high)),
            CustomNormal { std } => format!("Normal(0, {})", show(*std)),
            Gain(g) => format!("Gain {} × 1/√n", show(*g)),
        }
    }

    /// The weight formula in one line (n = fan_in, m = fan_out), and what happens to biases.
    pub fn formula(&self) -> String {
        use Initializer::*;
        let rule = match self {
            Zeros => "w = 0".into(),
            Ones => "w = 1".into(),
            Uniform01 => "w ~ U[0, 1)".into(),
            CenteredUniform => "w ~ U[−0.5, 0.5)".into(),
            GeneralRuleUniform => "w ~ U[−y, y), y = 1/√n".into(),
            GeneralRuleNormal => "w ~ N(0, y²), y = 1/√n".into(),
            PytorchDefault => "w, b ~ U[−1/√n, 1/√n) (kaiming_uniform, a = √5)".into(),
            XavierUniform => "w ~ U[−a, a), a = √(6/(n+m))".into(),
            XavierNormal => "w ~ N(0, 2/(n+m))".into(),
            HeUniform => "w ~ U[−a, a), a = √(6/n) (ReLU gain √2)".into(),
            HeNormal => "w ~ N(0, 2/n) (ReLU gain √2)".into(),
            LecunNormal => "w ~ N(0, 1/n) truncated at ±2σ and rescaled".into(),
            Orthogonal => "W = Q of the QR of a Gaussian matrix (gain 1)".into(),
            Constant(c) => format!("w = {}", show(*c)),
            CustomUniform { low, high } => format!("w ~ U[{}, {})", show(*low), show(*high)),
            CustomNormal { std } => format!("w ~ N(0, {}²)", show(*std)),
            Gain(g) => format!("w ~ U[−g/√n, g/√n), g = {}", show(*g)),
        };
        match self {
            PytorchDefault => rule,
            _ => format!("{rule}; b = 0"),
        }
    }

    /// The root mean square of the weights it draws for a layer of `fan_in` (n) inputs and
    /// `fan_out` (m) outputs, exactly (the distributions' second moments; an orthogonal
    /// matrix with n ≥ m has unit columns, so n·m weights sum to m squares).
    pub fn weight_rms(&self, fan_in: usize, fan_out: usize) -> f32 {
        let (n, m) = (fan_in as f64, fan_out as f64);
        // E[w²] of U[a, b) is (a² + ab + b²) / 3.
        let uniform = |a: f64, b: f64| ((a * a + a * b + b * b) / 3.0).sqrt();
        use Initializer::*;
        let rms = match *self {
            Zeros => 0.0,
            Ones => 1.0,
            Constant(c) => (c as f64).abs(),
            Uniform01 => uniform(0.0, 1.0),
            CenteredUniform => uniform(-0.5, 0.5),
            GeneralRuleUniform | PytorchDefault => uniform(-1.0, 1.0) / n.sqrt(),
            GeneralRuleNormal | LecunNormal => 1.0 / n.sqrt(),
            XavierUniform | XavierNormal => (2.0 / (n + m)).sqrt(),
            HeUniform | HeNormal => (2.0 / n).sqrt(),
            Orthogonal => 1.0 / n.max(m).sqrt(),
            CustomUniform { low, high } => uniform(low as f64, high as f64),
            CustomNormal { std } => std as f64,
            Gain(g) => g as f64 * uniform(-1.0, 1.0) / n.sqrt(),
        };
        rms as f32
    }

    /// The gain `g` of the scale sweep (`U[−g/√n, g/√n)`) whose weights have the same root
    /// mean square as this initializer's in a layer of `fan_in` inputs: where it sits on the
    /// sweep's "too small / right / too large" axis (the general rule is 1, all-zeros 0).
    pub fn equivalent_gain(&self, fan_in: usize, fan_out: usize) -> f32 {
        self.weight_rms(fan_in, fan_out) / Initializer::Gain(1.0).weight_rms(fan_in, fan_out)
    }

    /// Initial parameters of layer `layer` (`fan_in` → `fan_out`) under `seed`: weights
    /// `[fan_in][fan_out]` and biases `[fan_out]`. The stream depends on the initializer and
    /// the layer only, so a model's weights do not change when other initializers are
    /// switched on or off.
    ///
    /// # Panics
    /// If `fan_in` is 0, or [`check`](Self::check) refuses the initializer: a hand-built
    /// custom one is never silently replaced by another distribution.
    pub fn init_layer(&self, fan_in: usize, fan_out: usize, seed: u64, layer: usize) -> LayerInit {
        let mut rng = SeedTree::new(seed).weights(&self.id(), layer);
        let len = fan_in * fan_out;
        let n = fan_in as f32;
        let m = fan_out as f32;
        if let Err(err) = self.check() {
            panic!(
                "{err} (check initializers with `Initializer::check` before filling layers, as `Trainer::new` does)"
            );
        }
        use Initializer::*;
        let weights = match *self {
            Zeros => vec![0.0; len],
            Ones => vec![1.0; len],
            Constant(c) => vec![c; len],
            Uniform01 => uniform(&mut rng, len, 0.0, 1.0),
            CenteredUniform => uniform(&mut rng, len, -0.5, 0.5),
            GeneralRuleUniform | PytorchDefault => uniform(&mut rng, len, -n.sqrt().recip(), n.sqrt().recip()),
            CustomUniform { low, high } => uniform(&mut rng, len, low, high),
            GeneralRuleNormal => normal(&mut rng, len, n.sqrt().recip()),
            CustomNormal { std } => normal(&mut rng, len, std),
            Gain(g) => uniform(&mut rng, len, -g / n.sqrt(), g / n.sqrt()),
            XavierUniform => {
                let a = (6.0 / (n + m)).sqrt();
                uniform(&mut rng, len, -a, a)
            }
            XavierNormal => normal(&mut rng, len, (2.0 / (n + m)).sqrt()),
            HeUniform => uniform(&mut rng, len, -(6.0 / n).sqrt(), (6.0 / n).sqrt()),
            HeNormal => normal(&mut rng, len, (2.0 / n).sqrt()),
            LecunNormal => truncated_normal(&mut rng, len, (1.0 / n).sqrt()),
            Orthogonal => orthogonal(&mut rng, fan_in, fan_out),
        };
        let bias = match self {
            PytorchDefault => uniform(&mut rng, fan_out, -n.sqrt().recip(), n.sqrt().recip()),
            _ => vec![0.0; fan_out],
        };
        LayerInit { weights, bias }
    }
}

// The ranges and σ below are valid: `check` passed and fan_in ≥ 1 (see `init_layer`).
fn uniform(rng: &mut ChaCha8Rng, len: usize, low: f32, high: f32) -> Vec<f32> {
    let dist = Uniform::new(low, high).unwrap_or_else(|e| panic!("U[{low}, {high}): {e}"));
    dist.sample_iter(rng).take(len).collect()
}

fn normal(rng: &mut ChaCha8Rng, len: usize, std: f32) -> Vec<f32> {
    let dist = Normal::new(0.0, std).unwrap_or_else(|e| panic!("N(0, {std}²): {e}"));
    dist.sample_iter(rng).take(len).collect()
}

/// Normal draws outside ±2σ are redrawn; dividing σ by the truncated unit normal's std
/// (0.8796…) keeps the requested variance, as in JAX's and Keras's `lecun_normal`.
fn truncated_normal(rng: &mut ChaCha8Rng, len: usize, std: f32) -> Vec<f32> {
    const TRUNCATED_STD: f32 = 0.879_625_7;
    (0..len)
        .map(|_| {
            loop {
                let z: f32 = StandardNormal.sample(rng);
                if z.abs() <= 2.0 {
                    break z * std / TRUNCATED_STD;
                }
            }
        })
        .collect()
}

/// A `[rows][cols]` matrix whose columns (if rows ≥ cols) or rows are orthonormal:
/// Gram–Schmidt (twice, in f64, for stability) on Gaussian vectors, which is the Q of their
/// QR decomposition with R's diagonal made positive — PyTorch's `orthogonal_`.
fn orthogonal(rng: &mut ChaCha8Rng, rows: usize, cols: usize) -> Vec<f32> {
    let (count, dim) = (rows.min(cols), rows.max(cols));
    let mut vs: Vec<Vec<f64>> = Vec::with_capacity(count);
    for _ in 0..count {
        let mut v: Vec<f64> = StandardNormal.sample_iter(&mut *rng).take(dim).collect();
        for _ in 0..2 {
            for u in &vs {
                let d: f64 = v.iter().zip(u).map(|(a, b)| a * b).sum();
                v.iter_mut().zip(u).for_each(|(a, b)| *a -= d * b);
            }
        }
        let norm = v.iter().map(|a| a * a).sum::<f64>().sqrt();
        v.iter_mut().for_each(|a| *a /= norm);
        vs.push(v);
    }
    let mut out = vec![0.0f32; rows * cols];
    for (i, v) in vs.iter().enumerate() {
        for (j, &x) in v.iter().enumerate() {
            // Vector i is column i when rows ≥ cols, row i otherwise.
            let at = if rows >= cols { j * cols + i } else { i * cols + j };
            out[at] = x as f32;
        }
    }
    out
}
