//! Initializer specs: any text either parses into an initializer whose parameters can be
//! honoured (it checks, round-trips through its id, and fills a layer with finite weights) or
//! is refused with an error; and any hand-built custom initializer `check` accepts fills a
//! layer with finite weights, so `check` lets nothing through that cannot be drawn.
#![no_main]

use libfuzzer_sys::fuzz_target;
use weight_init_lab::init::Initializer;

fn fills_finite(init: Initializer) {
    let layer = init.init_layer(3, 4, 7, 0);
    assert!(layer.weights.iter().chain(&layer.bias).all(|w| w.is_finite()), "{init:?}: {layer:?}");
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        match Initializer::parse(text) {
            Ok(init) => {
                assert_eq!(init.check(), Ok(()));
                assert_eq!(Initializer::parse(&init.id()), Ok(init));
                fills_finite(init);
            }
            Err(err) => assert!(!err.to_string().is_empty()),
        }
    }
    // One kind byte and two f32s from the raw bytes.
    if let [kind, a0, a1, a2, a3, b0, b1, b2, b3, ..] = *data {
        let (a, b) = (f32::from_le_bytes([a0, a1, a2, a3]), f32::from_le_bytes([b0, b1, b2, b3]));
        let init = match kind % 3 {
            0 => Initializer::Constant(a),
            1 => Initializer::CustomUniform { low: a, high: b },
            _ => Initializer::CustomNormal { std: a },
        };
        if init.check().is_ok() {
            fills_finite(init);
        }
    }
});
