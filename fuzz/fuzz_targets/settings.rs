//! Training settings as the page sends them (JSON) against a data set's shape: parsing and
//! `TrainConfig::validate` (what `Trainer::new` runs first) never panic, and settings it accepts
//! keep every promise the trainer relies on before allocating.
#![no_main]

use libfuzzer_sys::fuzz_target;
use weight_init_lab::init::Initializer;
use weight_init_lab::train::{MAX_STEPS, MEMORY_LIMIT, TrainConfig};

fuzz_target!(|data: &[u8]| {
    // Seven bytes of data-set shape and model count, then the settings.
    let [i0, i1, i2, i3, p0, p1, models, ref json @ ..] = *data else { return };
    let images = u32::from_le_bytes([i0, i1, i2, i3]) as usize;
    let pixels = u16::from_le_bytes([p0, p1]) as usize;
    let inits = vec![Initializer::HeNormal; models as usize % 16];
    let Ok(json) = std::str::from_utf8(json) else { return };
    let Ok(config) = serde_json::from_str::<TrainConfig>(json) else { return };
    let memory = config.memory_estimate(inits.len(), images, pixels);
    if config.validate(&inits, images, pixels).is_ok() {
        let val = config.val_count(images);
        assert!(val >= 1 && val < images, "{config:?}");
        let train = images - val;
        assert!((1..=train).contains(&config.batch_size), "{config:?}");
        assert!(train.div_ceil(config.batch_size) * config.epochs <= MAX_STEPS, "{config:?}");
        assert!(memory.total() <= MEMORY_LIMIT, "{config:?}");
        assert!(config.lr.is_finite() && config.lr > 0.0 && (0.0..1.0).contains(&config.dropout));
        assert!(!inits.is_empty() && pixels > 0 && !config.hidden.contains(&0));
    }
});
