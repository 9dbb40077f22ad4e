//! The published experiments on why initialization rules exist, as runs of the lab: each a
//! set of models and settings that the page offers as a button and a link, the CLI as
//! `compare --preset ID`, and the tests run (at a size that keeps them fast) to check that
//! the lab lands on the same side of every line as the sources. Sources and a PyTorch
//! reference run of each: `docs/depth-experiments.md`.

use serde::Serialize;

use crate::backend::Activation;
use crate::train::{Optimizer, TrainConfig};

/// One experiment: its models (ids as `ModelSpec::parse` reads them) and settings, and what
/// to look for, in words for students.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub struct Preset {
    pub id: String,
    pub title: String,
    pub inits: Vec<String>,
    pub config: TrainConfig,
    /// Two or three sentences on what to look for.
    pub summary: String,
}

/// One epoch of the 48,000 training images in batches of 100, no dropout, plain SGD: the
/// reference runs' recipe.
fn sgd_epoch(hidden: Vec<usize>, activation: Activation, lr: f32) -> TrainConfig {
    TrainConfig {
        epochs: 1,
        batch_size: 100,
        lr,
        optimizer: Optimizer::Sgd,
        dropout: 0.0,
        hidden,
        activation,
        ..TrainConfig::default()
    }
}

fn preset(id: &str, title: &str, inits: &[&str], config: TrainConfig, summary: &str) -> Preset {
    Preset {
        id: id.into(),
        title: title.into(),
        inits: inits.iter().map(|&i| i.into()).collect(),
        config,
        summary: summary.into(),
    }
}

/// Every preset, in the order a lesson takes them.
pub fn all() -> Vec<Preset> {
    let he_net = || sgd_epoch(vec![256; 30], Activation::Relu, 0.01);
    vec![
        preset(
            "he-2015",
            "30 ReLU layers: Xavier stalls, He trains (He et al. 2015)",
            &["xavier-normal", "he-normal"],
            he_net(),
            "Xavier's variance, 2/(fan-in + fan-out), is half of what ReLU needs, so the signal view \
             shows the output std halving in variance at every layer: about 1/30,000 of He's by layer \
             30, and layer 1's gradient as small. With plain SGD Xavier's loss stays at ln 10 = 2.30 \
             (about 20 % at the end) while He's 2/fan-in keeps every layer near 0.4 and trains to \
             about 75 %.",
        ),
        preset(
            "he-2015-adam",
            "The same 30 layers with Adam: the optimizer hides the bad scale",
            &["xavier-normal", "he-normal"],
            TrainConfig { optimizer: Optimizer::Adam, lr: 0.001, ..he_net() },
            "The same nets and the same signal at step 0, but Adam divides every update by the \
             gradient's own running size, so Xavier's gradients, 10,000 times smaller, move its weights \
             as fast as He's: both end near 65–70 %. This is why the two-layer lesson with Adam shows \
             only the pathological initializers failing.",
        ),
        preset(
            "cs231n-tanh",
            "10 tanh layers of 500: too small collapses, too large saturates (CS231n)",
            &["normal:0.01", "normal:1", "xavier-normal"],
            sgd_epoch(vec![500; 10], Activation::Tanh, 0.1),
            "With N(0, 0.01²) each layer multiplies the std by about 0.01·√500 ≈ 0.22: by layer 10 \
             it is about 1e-7, nothing reaches the output and the loss stays at 2.30 (10 %). With \
             N(0, 1) every unit is pushed to ±1, where tanh is flat: the std is about 1 at every layer, \
             the loss starts near 20 and accuracy stays at chance. Xavier keeps the std between 0.2 and \
             0.4 and reaches about 83 %.",
        ),
        preset(
            "dlai-tanh",
            "4 tanh layers of 300: four initializations (deeplearning.ai)",
            &["zeros", "general-rule", "lecun-normal", "normal:1"],
            sgd_epoch(vec![300; 4], Activation::Tanh, 0.1),
            "Zeros give every unit the same output (0) and gradient, so nothing learns: 10 %. The \
             1/√n rule and N(0, 1/n) keep tanh in its linear range and both reach about 80 %; N(0, 1) \
             saturates the units (std near 1 at every layer), starts with losses near 10 and ends \
             around 50 %.",
        ),
        preset(
            "glorot-sigmoid",
            "5 sigmoid layers: the gradient shrinks toward the input (Glorot & Bengio 2010)",
            &["general-rule", "xavier-uniform"],
            sgd_epoch(vec![500; 5], Activation::Sigmoid, 0.1),
            "The sigmoid's slope is at most ¼ and its outputs are not centred, so the gradient shrinks \
             on its way back: on the gradient chart, layer 1's is thousands of times smaller than the \
             last layer's. Xavier's normalized init gives layer 1 a gradient about 20 times larger \
             than the 1/√n rule's, yet in one epoch of plain SGD neither leaves 2.30 (10 %): what \
             Glorot & Bengio saw with sigmoids.",
        ),
        preset(
            "activation-grid",
            "The activation decides the rule: tanh and ReLU × Xavier and He",
            &["xavier-normal@tanh", "he-normal@tanh", "xavier-normal@relu", "he-normal@relu"],
            sgd_epoch(vec![256; 20], Activation::Relu, 0.01),
            "Twenty layers of 256, plain SGD. Under tanh (slope 1 at 0) both rules keep a signal: \
             Xavier's std drifts down from 0.45 to about 0.14, He's holds near 0.5, and both reach \
             about 80 %. Under ReLU, which silences half the units, Xavier's std falls to about 6e-4 by \
             layer 20 and its loss stays at 2.30, while He's holds near 0.4 and trains: the rule \
             follows the activation.",
        ),
    ]
}

/// The preset `id`, if any.
pub fn find(id: &str) -> Option<Preset> {
    all().into_iter().find(|p| p.id == id)
}
