//! What the page needs before any training: every initializer (in a stable order, which the
//! page uses for colours), the lesson's preset, the data files and the class names. The worker
//! sends it as its `catalog` message; its type is part of the wire (`crate::wire`).

use serde::Serialize;

use crate::backend::Activation;
use crate::data::{CLASSES, DataFile, FASHION_CLASSES, IMAGE_SIDE};
use crate::init::Initializer;
use crate::presets::{self, Preset};
use crate::train::TrainConfig;

/// One initializer as the page offers it.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub struct InitInfo {
    pub id: String,
    pub label: String,
    pub formula: String,
    /// Where its scale sits on the scale sweep's axis (the lesson's first layer).
    pub gain: f32,
}

/// One activation as the page offers it.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub struct ActivationInfo {
    pub id: Activation,
    pub label: String,
}

/// The four files of an MNIST-style data set, as the page fetches them from `data/`.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub struct DataFiles {
    pub train_images: String,
    pub train_labels: String,
    pub test_images: String,
    pub test_labels: String,
}

/// See the module's docs.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub struct Catalog {
    pub initializers: Vec<InitInfo>,
    pub lesson_inits: Vec<String>,
    pub lesson_config: TrainConfig,
    pub data_files: DataFiles,
    pub fashion_classes: Vec<String>,
    /// The scale sweep's gains, one model each.
    pub sweep_gains: Vec<f32>,
    pub classes: usize,
    /// ln(classes): the loss of a network that knows nothing (uniform predictions).
    pub ln_classes: f32,
    pub activations: Vec<ActivationInfo>,
    /// The published experiments on depth, activation and optimizer ([`crate::presets`]).
    pub presets: Vec<Preset>,
}

/// The scale sweep: `gain:G` from far too small to far too large, the general rule at 1.
const SWEEP_GAINS: [f32; 9] = [1e-3, 1e-2, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0];

/// Where an initializer sits on the scale sweep, on the lesson's first layer.
fn lesson_gain(init: &Initializer) -> f32 {
    let fan_out = TrainConfig::default().hidden.first().copied().unwrap_or(CLASSES);
    init.equivalent_gain(IMAGE_SIDE * IMAGE_SIDE, fan_out)
}

impl Catalog {
    /// The catalog of this build.
    pub fn new() -> Catalog {
        let file = |f: DataFile| f.name().to_owned();
        Catalog {
            initializers: Initializer::all()
                .iter()
                .map(|i| InitInfo { id: i.id(), label: i.label(), formula: i.formula(), gain: lesson_gain(i) })
                .collect(),
            lesson_inits: Initializer::lesson().iter().map(Initializer::id).collect(),
            lesson_config: TrainConfig::default(),
            data_files: DataFiles {
                train_images: file(DataFile::TrainImages),
                train_labels: file(DataFile::TrainLabels),
                test_images: file(DataFile::TestImages),
                test_labels: file(DataFile::TestLabels),
            },
            fashion_classes: FASHION_CLASSES.map(String::from).to_vec(),
            sweep_gains: SWEEP_GAINS.to_vec(),
            classes: CLASSES,
            ln_classes: (CLASSES as f32).ln(),
            activations: Activation::ALL.map(|a| ActivationInfo { id: a, label: a.label().into() }).to_vec(),
            presets: presets::all(),
        }
    }
}

impl Default for Catalog {
    fn default() -> Self {
        Catalog::new()
    }
}
