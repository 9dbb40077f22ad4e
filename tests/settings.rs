//! Settings are checked against the data before anything is allocated: each setting out of
//! range is refused naming it, its value and what it must be, a run that would not fit in
//! memory is refused with the estimate, and a run counts the images it actually trained.

use std::sync::Arc;

use weight_init_lab::backend::cpu::CpuBackend;
use weight_init_lab::data::Dataset;
use weight_init_lab::init::Initializer;
use weight_init_lab::session::{Event, SessionError};
use weight_init_lab::train::{
    MAX_STEPS, MEMORY_LIMIT, MemoryEstimate, ModelSpec, Optimizer, TrainConfig, TrainError, Trainer,
};

/// `count` 28×28 images, all black, labels cycling through the classes.
fn blank(count: usize) -> Arc<Dataset> {
    Arc::new(Dataset {
        pixels: vec![0; count * 784],
        labels: (0..count).map(|i| (i % 10) as u8).collect(),
        rows: 28,
        cols: 28,
    })
}

fn refusal(config: TrainConfig, models: usize, images: usize) -> String {
    let inits = vec![Initializer::GeneralRuleUniform; models];
    match config.validate(&inits, images, 784) {
        Ok(()) => panic!("{config:?} on {images} images was accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_batch_larger_than_the_training_images_names_both_numbers() {
    let cases = [
        (
            60_000,
            60_000,
            "the batch size (60000) is larger than the 48000 training images (60000 images, 12000 held out for validation); use at most 48000",
        ),
        (
            48_001,
            60_000,
            "the batch size (48001) is larger than the 48000 training images (60000 images, 12000 held out for validation); use at most 48000",
        ),
        (
            1_000_000_000,
            60_000,
            "the batch size (1000000000) is larger than the 48000 training images (60000 images, 12000 held out for validation); use at most 48000",
        ),
        (
            usize::MAX,
            60_000,
            "the batch size (18446744073709551615) is larger than the 48000 training images (60000 images, 12000 held out for validation); use at most 48000",
        ),
        (
            82,
            101,
            "the batch size (82) is larger than the 81 training images (101 images, 20 held out for validation); use at most 81",
        ),
    ];
    for (batch_size, images, want) in cases {
        let message = refusal(TrainConfig { batch_size, ..TrainConfig::default() }, 1, images);
        assert_eq!(message, format!("invalid setting: {want}"));
    }
    // Exactly the training images is one full batch per epoch.
    let config = TrainConfig { batch_size: 48_000, ..TrainConfig::default() };
    assert!(config.validate(&[Initializer::Zeros], 60_000, 784).is_ok());
}

#[test]
fn each_setting_out_of_range_is_named() {
    let d = TrainConfig::default;
    let cases = [
        (TrainConfig { epochs: 0, ..d() }, "epochs (0) must be at least 1"),
        (TrainConfig { batch_size: 0, ..d() }, "the batch size (0) must be at least 1"),
        (TrainConfig { lr: 0.0, ..d() }, "the learning rate must be a positive number, not 0"),
        (TrainConfig { lr: f32::NAN, ..d() }, "the learning rate must be a positive number, not NaN"),
        (TrainConfig { lr: f32::INFINITY, ..d() }, "the learning rate must be a positive number, not inf"),
        (TrainConfig { dropout: -0.1, ..d() }, "the dropout probability must be in [0, 1), not -0.1"),
        (TrainConfig { dropout: f32::NAN, ..d() }, "the dropout probability must be in [0, 1), not NaN"),
        (TrainConfig { hidden: vec![0], ..d() }, "hidden layers: a hidden layer of 0 units (0): each needs 1 to 1024"),
        (
            TrainConfig { hidden: [vec![5; 20], vec![0]].concat(), ..d() },
            "hidden layers: a hidden layer of 0 units (5x20,0): each needs 1 to 1024 units",
        ),
        (TrainConfig { hidden: vec![1025], ..d() }, "hidden layers: a hidden layer of 1025 units (1025): each needs"),
        (TrainConfig { hidden: vec![], ..d() }, "hidden layers: at least one hidden layer is needed (1 to 32)"),
        (TrainConfig { hidden: vec![256; 33], ..d() }, "hidden layers: 33 hidden layers (256x33) are more than the 32"),
        (TrainConfig { momentum: 1.0, optimizer: Optimizer::Sgd, ..d() }, "the momentum must be in [0, 1), not 1"),
        (TrainConfig { momentum: -0.5, optimizer: Optimizer::Sgd, ..d() }, "the momentum must be in [0, 1), not -0.5"),
        (TrainConfig { momentum: 0.9, ..d() }, "momentum (0.9) is SGD's; Adam keeps its own"),
        (TrainConfig { val_fraction: 0.0, ..d() }, "holding out 0 of 60000 images"),
        (TrainConfig { val_fraction: f32::NAN, ..d() }, "holding out NaN of 60000 images"),
        (TrainConfig { val_fraction: 1e-9, ..d() }, "holding out 0.000000001 of 60000 images"),
        (TrainConfig { val_fraction: 0.99999999, ..d() }, "holding out 1 of 60000 images"),
        (TrainConfig { val_fraction: -0.5, ..d() }, "holding out -0.5 of 60000 images"),
    ];
    for (config, want) in cases {
        let message = refusal(config.clone(), 1, 60_000);
        assert!(message.starts_with(&format!("invalid setting: {want}")), "{message}\nwanted: {want}");
        // The error names its setting as data too, by the field's name on the wire, whose
        // value is the one that differs from the lesson's.
        let Err(TrainError::Config { setting: Some(setting), init: None, .. }) =
            config.validate(&[Initializer::GeneralRuleUniform], 60_000, 784)
        else {
            panic!("{message}: no setting named")
        };
        let (wire, lesson) = (serde_json::to_value(&config).unwrap(), serde_json::to_value(d()).unwrap());
        assert_ne!(wire[setting], lesson[setting], "{message}: names `{setting}`, which is the lesson's");
    }
    assert_eq!(
        refusal(TrainConfig { val_fraction: 0.5, batch_size: 1, ..d() }, 1, 1),
        "invalid setting: holding out 0.5 of 1 images for validation leaves no training or no validation images \
         (the share must be in (0, 1) and leave at least one image on each side)"
    );
    assert_eq!(
        TrainConfig::default().validate(&[] as &[Initializer], 60_000, 784).unwrap_err().to_string(),
        "invalid setting: choose at least one initializer"
    );
    assert_eq!(
        TrainConfig::default().validate(&[Initializer::Zeros], 60_000, 0).unwrap_err().to_string(),
        "invalid setting: the images have no pixels"
    );
}

/// A setting a model's id overrides is that model's problem: `inits`, with its id.
#[test]
fn a_models_own_bad_setting_names_the_model() {
    let config = TrainConfig { optimizer: Optimizer::Sgd, momentum: 0.9, ..TrainConfig::default() };
    let models = [ModelSpec::parse("xavier-normal").unwrap(), ModelSpec::parse("he-normal@adam+momentum=0.5").unwrap()];
    match config.validate(&models, 60_000, 784) {
        Err(TrainError::Config { setting: Some("inits"), init: Some(id), message }) => {
            assert_eq!(id, "he-normal@adam+momentum=0.5");
            assert!(message.contains("model `he-normal@adam+momentum=0.5`: momentum is SGD's"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    // The run's own momentum is SGD's: a model made Adam by its id does not inherit it.
    let adam = [ModelSpec::parse("he-normal@adam").unwrap()];
    assert!(config.validate(&adam, 60_000, 784).is_ok());
}

#[test]
fn more_steps_than_a_run_can_count_are_refused() {
    // 48,000 training images in batches of 1: 48,000 steps an epoch.
    let config = |epochs| TrainConfig { epochs, batch_size: 1, ..TrainConfig::default() };
    assert!(config(MAX_STEPS / 48_000).validate(&[Initializer::Zeros], 60_000, 784).is_ok());
    for epochs in [MAX_STEPS / 48_000 + 1, 1 << 40, usize::MAX] {
        let message = refusal(config(epochs), 1, 60_000);
        assert_eq!(
            message,
            format!(
                "invalid setting: {epochs} epochs of 48000 steps (48000 training images in batches of 1) are more \
                 than the 2147483647 steps a run can count; train fewer epochs or use larger batches"
            )
        );
    }
}

#[test]
fn the_memory_estimate_counts_parameters_activations_and_data() {
    let lesson = TrainConfig::default();
    // 784·256 + 256 + 256·128 + 128 + 128·10 + 10 = 235,146 parameters per model.
    let e = lesson.memory_estimate(6, 60_000, 784);
    assert_eq!(
        e,
        MemoryEstimate {
            parameters: 6 * 235_146 * 8 * 4,
            // Validation passes of 1,000 rows are the largest: input and labels, then outputs and
            // gradients of 256 + 128 + 10 units per model.
            activations: (1000 * 785 + 2 * 6 * 1000 * 394) * 4,
            data: 60_000 * 785,
        }
    );
    assert_eq!(e.total(), 45_148_032 + 22_052_000 + 47_100_000);
    // Batches above the validation's 1,000 rows take their place.
    let big = TrainConfig { batch_size: 5000, ..lesson.clone() }.memory_estimate(1, 0, 784);
    assert_eq!(big.activations, (5000 * 785 + 2 * 5000 * 394) * 4);
    // Sizes no machine holds saturate rather than wrap around.
    let huge = TrainConfig { hidden: vec![usize::MAX, usize::MAX], ..lesson.clone() };
    assert_eq!(huge.memory_estimate(13, 60_000, 784).total(), u64::MAX);
}

#[test]
fn a_run_that_would_not_fit_in_memory_is_refused_with_the_estimate() {
    let d = TrainConfig::default;
    let cases = [
        // The deepest, widest models, many of them; one with a batch that makes its
        // activations huge; and a batch within the data but huge activations.
        // Each is named after its larger part, so that the page marks the field to change.
        (TrainConfig { hidden: vec![1024; 32], ..d() }, 13, 60_000, "hidden"),
        (TrainConfig { hidden: vec![1024; 32], batch_size: 20_000, ..d() }, 1, 60_000, "batch_size"),
        (TrainConfig { batch_size: 1_000_000, ..d() }, 13, 1_300_000, "batch_size"),
    ];
    for (config, models, images, named) in cases {
        let message = refusal(config.clone(), models, images);
        let total = config.memory_estimate(models, images, 784).total();
        assert!(total > MEMORY_LIMIT);
        assert!(message.starts_with("invalid setting: the run would allocate about "), "{message}");
        assert!(message.contains("— more than the 4.0 GiB limit: "), "{message}");
        assert!(message.contains(&format!("optimizer state of {models} model(s) (hidden layers ")), "{message}");
        assert!(message.len() < 600, "{message}");
        assert!(message.contains(&format!("(batch size {})", config.batch_size)), "{message}");
        assert!(message.ends_with("lower the batch size, the hidden layer sizes or the number of models"));
        let Err(TrainError::Config { setting: Some(setting), .. }) =
            config.validate(&vec![Initializer::Zeros; models], images, 784)
        else {
            panic!("{message}: no setting named")
        };
        assert_eq!(setting, named, "{message}");
    }
    // Models whose own widths are the bulk: the largest of them is named, by its id.
    let models: Vec<ModelSpec> =
        ["zeros", "he-normal@1024x32", "he-normal@1024x31", "he-normal@1024x30", "he-normal@1024x32+tanh"]
            .iter()
            .map(|id| ModelSpec::parse(id).unwrap())
            .collect();
    match d().validate(&models, 60_000, 784) {
        Err(TrainError::Config { setting: Some("inits"), init: Some(id), message }) => {
            assert_eq!(id, "he-normal@1024x32", "{message}");
            assert!(message.contains("state of 5 model(s)"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        refusal(TrainConfig { hidden: vec![1024; 32], batch_size: 20_000, ..d() }, 1, 60_000),
        "invalid setting: the run would allocate about 6.0 GiB — more than the 4.0 GiB limit: 1017.8 MiB for the \
         parameters and optimizer state of 1 model(s) (hidden layers 1024x32), 4.9 GiB for batches of 20000 rows \
         through them (batch size 20000), 44.9 MiB for the data; lower the batch size, the hidden layer sizes or \
         the number of models"
    );
}

#[test]
fn the_trainer_refuses_before_allocating() {
    // A batch of 10⁹ used to abort the process while allocating; a huge layer likewise.
    let data = blank(200);
    for config in [
        TrainConfig { batch_size: 1_000_000_000, ..TrainConfig::default() },
        TrainConfig { hidden: vec![1 << 40], batch_size: 10, ..TrainConfig::default() },
    ] {
        let result = Trainer::new(Box::new(CpuBackend::new(1)), Arc::clone(&data), &[Initializer::Zeros], config);
        assert!(result.err().expect("refused").to_string().starts_with("invalid setting: "));
    }
}

#[test]
fn samples_trained_counts_the_last_partial_batch_as_it_was() {
    // 250 images, 50 held out: 200 training images in batches of 64 → 64, 64, 64, 8.
    let config = TrainConfig { epochs: 2, batch_size: 64, hidden: vec![8], ..TrainConfig::default() };
    let mut t = Trainer::new(Box::new(CpuBackend::new(1)), blank(250), &[Initializer::HeNormal], config).unwrap();
    assert_eq!(t.steps_per_epoch(), 4);
    let mut seen = vec![t.samples_trained()];
    while !t.is_finished() {
        pollster::block_on(t.run(1)).unwrap();
        seen.push(t.samples_trained());
    }
    assert_eq!(seen, [0, 64, 128, 192, 200, 264, 328, 392, 400]);
    t.reset();
    assert_eq!(t.samples_trained(), 0);
    // One batch of all the training images.
    let config = TrainConfig { epochs: 3, batch_size: 200, hidden: vec![8], ..TrainConfig::default() };
    let mut t = Trainer::new(Box::new(CpuBackend::new(1)), blank(250), &[Initializer::Zeros], config).unwrap();
    pollster::block_on(t.run(usize::MAX)).unwrap();
    assert_eq!((t.steps_done(), t.samples_trained()), (3, 600));
}

#[test]
fn a_refused_initializer_is_named_by_its_id_in_the_error_event() {
    // Refused as it is read (an unknown name, a ≥ b) or as the run is checked (σ ≤ 0, gain 0).
    for id in ["nope", "uniform:1:0", "normal:-1", "gain:0", "constant:1e39"] {
        let error = match Initializer::parse(id) {
            Err(e) => SessionError::from(e),
            Ok(init) => match TrainConfig::default().validate(&[Initializer::Zeros, init], 60_000, 784) {
                Err(e) => SessionError::from(e),
                Ok(()) => panic!("{id} was accepted"),
            },
        };
        let Event::Error { setting, init, message, .. } = error.event() else { panic!("not an error event") };
        assert_eq!((setting.as_deref(), init.as_deref()), (Some("inits"), Some(id)), "{message}");
    }
}
