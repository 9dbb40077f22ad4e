//! Failures explained as results, beside divergence: the named states of a model's signal —
//! weights no gradient reaches, layers whose every ReLU is dead — exact on the probe batch,
//! the same on the CPU and the GPU, and in the same words as the page's.

#[allow(dead_code)] // only `open_gpu` is used here
mod gpu_common;

use std::sync::Arc;

use weight_init_lab::backend::Backend;
use weight_init_lab::backend::cpu::CpuBackend;
use weight_init_lab::data::{self, Dataset};
use weight_init_lab::train::{ModelSpec, NamedState, TrainConfig, Trainer};

/// The first 3,000 images of the real Fashion-MNIST training file (24 steps an epoch).
fn real_subset() -> Arc<Dataset> {
    let d = data::load_dir(&data::resolve_dir(None)).expect("the Fashion-MNIST files").train;
    let pixels = d.pixels[..3000 * d.pixels_per_image()].to_vec();
    Arc::new(Dataset { pixels, labels: d.labels[..3000].to_vec(), ..d })
}

/// All-zeros (ReLU), weights all negative (every first-layer sum of the non-negative pixels
/// is negative), all-zeros with tanh, and He's rule, in the lesson's 784 → 256 → 128 → 10.
const IDS: [&str; 4] = ["zeros", "uniform:-1:-0.5", "zeros@tanh", "he-normal"];

fn trainer(backend: Box<dyn Backend>) -> Trainer {
    let models: Vec<ModelSpec> = IDS.iter().map(|id| ModelSpec::parse(id).unwrap()).collect();
    Trainer::new(backend, real_subset(), &models, TrainConfig { epochs: 1, ..TrainConfig::default() }).unwrap()
}

fn states(t: &mut Trainer) -> Vec<Vec<NamedState>> {
    pollster::block_on(t.signal()).unwrap().into_iter().map(|s| s.states).collect()
}

/// What each of `IDS` is in: with zero (or dead) outputs below it, no weight matrix gets a
/// gradient (even the output layer's: its inputs are 0); with ReLU, relu(0) = 0 makes every
/// hidden unit dead; tanh(0) = 0 too but is not dead; He's rule trains.
fn expected() -> Vec<Vec<NamedState>> {
    let stuck = vec![NamedState::NoGradient { up_to: 3 }, NamedState::DeadRelus { layers: vec![1, 2] }];
    vec![stuck.clone(), stuck, vec![NamedState::NoGradient { up_to: 3 }], vec![]]
}

#[test]
fn stuck_models_are_named_at_step_0_and_after_training_and_a_reset_clears_them() {
    let mut t = trainer(Box::new(CpuBackend::new(0)));
    assert!(t.states().iter().all(Vec::is_empty), "nothing before the signal is measured");
    assert_eq!(states(&mut t), expected());
    assert_eq!(t.states(), expected(), "the trainer keeps the latest, for the table and the JSON");
    // Adam moves no weight whose gradient is exactly 0: the states are the run's to the end.
    pollster::block_on(t.run(24)).unwrap();
    assert_eq!(states(&mut t), expected());
    t.reset();
    assert!(t.states().iter().all(Vec::is_empty), "reset clears them until measured again");
}

#[test]
fn the_gpu_names_the_same_states() {
    let Some(gpu) = gpu_common::open_gpu() else {
        return;
    };
    assert_eq!(states(&mut trainer(Box::new(gpu))), expected());
}

/// The CLI's words (`Display`) for the cases the page's `stateWords` is tested against, each
/// case's state spelled as the wire and `--json` spell it.
#[test]
fn the_words_are_the_pages() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/unit/named-state-words.json");
    let cases: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for case in cases {
        let spelled = &case["state"];
        let state = match spelled["kind"].as_str() {
            Some("no_gradient") => NamedState::NoGradient { up_to: spelled["up_to"].as_u64().unwrap() as usize },
            Some("dead_relus") => NamedState::DeadRelus {
                layers: spelled["layers"].as_array().unwrap().iter().map(|l| l.as_u64().unwrap() as usize).collect(),
            },
            other => panic!("unknown kind {other:?}"),
        };
        assert_eq!(&serde_json::to_value(&state).unwrap(), spelled);
        assert_eq!(state.to_string(), case["words"].as_str().unwrap());
    }
}
