//! Custom initializer parameters: every one that can be honoured parses and round-trips;
//! every one that cannot is refused with the id, what is wrong and what was expected, by
//! `Initializer::parse`, by `Initializer::check` and by the trainer; never trained as
//! something else.

use std::sync::Arc;

use weight_init_lab::backend::cpu::CpuBackend;
use weight_init_lab::data::Dataset;
use weight_init_lab::init::{InitError, Initializer, MAX_NORMAL_STD};
use weight_init_lab::train::{TrainConfig, Trainer};

fn problem(id: &str) -> String {
    match Initializer::parse(id) {
        Err(InitError::BadParameter { id: named, problem }) => {
            assert_eq!(named, id.trim(), "the error names the id as written");
            problem
        }
        other => panic!("`{id}`: expected a bad parameter, got {other:?}"),
    }
}

#[test]
fn parameters_that_can_be_honoured_parse() {
    use Initializer::*;
    let cases = [
        ("constant:0", Constant(0.0)),
        ("constant:-2.5", Constant(-2.5)),
        ("constant:1e-3", Constant(0.001)),
        ("constant:3e38", Constant(3e38)),
        ("constant:1e-45", Constant(1e-45)),
        ("uniform:-0.1:0.1", CustomUniform { low: -0.1, high: 0.1 }),
        ("uniform:.5:1.", CustomUniform { low: 0.5, high: 1.0 }),
        ("uniform:+1:2E1", CustomUniform { low: 1.0, high: 20.0 }),
        ("uniform:-1.7e38:1.7e38", CustomUniform { low: -1.7e38, high: 1.7e38 }),
        ("uniform:1e38:3e38", CustomUniform { low: 1e38, high: 3e38 }),
        ("uniform:0:1e-45", CustomUniform { low: 0.0, high: 1e-45 }),
        ("normal:0.05", CustomNormal { std: 0.05 }),
        ("normal:1e-30", CustomNormal { std: 1e-30 }),
        ("normal:2e37", CustomNormal { std: 2e37 }),
        ("  normal:1  ", CustomNormal { std: 1.0 }),
        ("gain:0.3", Gain(0.3)),
        ("gain:1e-20", Gain(1e-20)),
        ("gain:1e6", Gain(1e6)),
    ];
    for (id, want) in cases {
        let got = Initializer::parse(id).unwrap_or_else(|e| panic!("`{id}`: {e}"));
        assert_eq!(got, want, "{id}");
        assert_eq!(got.check(), Ok(()));
        assert_eq!(Initializer::parse(&got.id()), Ok(got), "the id round-trips");
        // Every weight is finite and inside the distribution's support.
        let w = got.init_layer(64, 64, 1, 0).weights;
        assert!(w.iter().all(|x| x.is_finite()), "{id}: non-finite weights");
        if let CustomUniform { low, high } = got {
            assert!(w.iter().all(|&x| low <= x && x <= high), "{id}");
            assert!(w.iter().any(|&x| x != w[0]) || high - low < 1e-40, "{id}: a uniform drew a constant");
        }
    }
}

#[test]
fn the_examples_of_each_kind_are_refused_with_the_reason() {
    let max = "3.4028235e38";
    let cases = [
        // Not finite, or beyond f32's range.
        ("constant:inf", "in `constant:C`, C = `inf` is not a finite number".to_string()),
        ("constant:-Infinity", "in `constant:C`, C = `-Infinity` is not a finite number".into()),
        ("uniform:nan:1", "in `uniform:A:B`, A = `nan` is not a finite number".into()),
        ("normal:NaN", "in `normal:STD`, STD = `NaN` is not a finite number".into()),
        ("constant:1e39", format!("in `constant:C`, C = `1e39` is beyond f32's range (±{max})")),
        ("uniform:-1e39:0", format!("in `uniform:A:B`, A = `-1e39` is beyond f32's range (±{max})")),
        (
            "normal:340282357000000000000000000000000000000",
            format!("in `normal:STD`, STD = `340282357000000000000000000000000000000` is beyond f32's range (±{max})"),
        ),
        ("uniform:0:1e-50", "in `uniform:A:B`, B = `1e-50` is too small for f32: it rounds to 0".into()),
        ("normal:0.1e-60", "in `normal:STD`, STD = `0.1e-60` is too small for f32: it rounds to 0".into()),
        // a ≥ b.
        ("uniform:1:0", "the lower bound 1 must be below the upper bound 0".into()),
        ("uniform:0.5:0.5", "the lower bound 0.5 must be below the upper bound 0.5".into()),
        ("uniform:-0:0", "the lower bound -0 must be below the upper bound 0".into()),
        // A width that overflows f32.
        (
            "uniform:-3e38:3e38",
            format!(
                "the width 3e38 − (-3e38) of the range exceeds f32's largest value ({max}): no f32 uniform \
             distribution spans it; narrow the range"
            ),
        ),
        (
            "uniform:-2e38:1.5e38",
            format!(
                "the width 1.5e38 − (-2e38) of the range exceeds f32's largest value ({max}): no f32 uniform \
             distribution spans it; narrow the range"
            ),
        ),
        // σ ≤ 0, and a σ whose draws overflow.
        ("normal:0", "σ = 0 is not a normal distribution (every weight would be 0); use `constant:0` for that".into()),
        (
            "normal:-0.0",
            "σ = 0 is not a normal distribution (every weight would be 0); use `constant:0` for that".into(),
        ),
        ("normal:-1", "the standard deviation must be positive, not -1".into()),
        // A gain outside what the sweep's range can draw from.
        ("gain:0", "the gain must be from 1e-20 to 1000000 (use `zeros` for all-zero weights), not 0".into()),
        ("gain:1e-30", "the gain must be from 1e-20 to 1000000 (use `zeros` for all-zero weights), not 1e-30".into()),
        ("gain:-1", "the gain must be from 1e-20 to 1000000 (use `zeros` for all-zero weights), not -1".into()),
        ("gain:2e6", "the gain must be from 1e-20 to 1000000 (use `zeros` for all-zero weights), not 2000000".into()),
        (
            "normal:3e38",
            format!(
                "σ = 3e38 is too large: normal draws reach beyond ±12σ, past f32's largest value ({max}); σ must be at \
             most 2.1267647e37"
            ),
        ),
        // Empty, missing or extra parts, spaces, not numbers.
        ("constant", "expected `constant:C`: 1 number(s) after `constant:`, found 0".into()),
        ("constant:", "in `constant:C`, C is empty".into()),
        ("uniform:0", "expected `uniform:A:B`: 2 number(s) after `uniform:`, found 1".into()),
        ("uniform::1", "in `uniform:A:B`, A is empty".into()),
        ("uniform:0:", "in `uniform:A:B`, B is empty".into()),
        ("uniform:0:1:2", "expected `uniform:A:B`: 2 number(s) after `uniform:`, found 3".into()),
        ("normal:1:", "expected `normal:STD`: 1 number(s) after `normal:`, found 2".into()),
        ("normal::", "expected `normal:STD`: 1 number(s) after `normal:`, found 2".into()),
        (
            "uniform:0: 1",
            "in `uniform:A:B`, B = ` 1` contains a space; write ids without spaces, e.g. `uniform:-0.1:0.1`".into(),
        ),
        (
            "constant:1 000",
            "in `constant:C`, C = `1 000` contains a space; write ids without spaces, e.g. `uniform:-0.1:0.1`".into(),
        ),
        ("normal:0,1", "in `normal:STD`, STD = `0,1` is not a number".into()),
        ("normal:0x10", "in `normal:STD`, STD = `0x10` is not a number".into()),
        ("constant:1_000", "in `constant:C`, C = `1_000` is not a number".into()),
        ("uniform:−1:1", "in `uniform:A:B`, A = `−1` is not a number".into()),
    ];
    for (id, want) in cases {
        assert_eq!(problem(id), want, "{id}");
        assert_eq!(
            Initializer::parse(id).unwrap_err().to_string(),
            format!("initializer `{}`: {want}", id.trim()),
            "the message names the id"
        );
    }
    assert_eq!(MAX_NORMAL_STD, 2.1267647e37);
    // σ just above the limit, and the limit itself.
    assert!(problem("normal:2.2e37").starts_with("σ = 2.2e37 is too large"));
    assert!(Initializer::parse(&format!("normal:{MAX_NORMAL_STD:e}")).is_ok());
}

#[test]
fn unknown_names_are_not_parameter_errors() {
    for id in ["glorot", "Uniform:0:1", "uniform :0:1", "const:1", "normal-0.1", ":", ""] {
        assert!(matches!(Initializer::parse(id), Err(InitError::Unknown(_))), "{id}");
    }
}

#[test]
fn hand_built_initializers_that_cannot_be_honoured_are_refused_not_substituted() {
    use Initializer::*;
    let bad = [
        CustomUniform { low: -3e38, high: 3e38 },
        CustomUniform { low: f32::MIN, high: f32::MAX },
        CustomUniform { low: 1.0, high: 1.0 },
        CustomUniform { low: 2.0, high: 1.0 },
        CustomUniform { low: f32::NEG_INFINITY, high: 0.0 },
        CustomUniform { low: 0.0, high: f32::NAN },
        CustomNormal { std: 0.0 },
        CustomNormal { std: -0.5 },
        CustomNormal { std: f32::INFINITY },
        CustomNormal { std: f32::NAN },
        CustomNormal { std: f32::MAX },
        Constant(f32::NAN),
        Constant(f32::NEG_INFINITY),
    ];
    let data = Arc::new(Dataset { pixels: vec![0; 50 * 784], labels: vec![0; 50], rows: 28, cols: 28 });
    for init in bad {
        let err = init.check().unwrap_err();
        assert!(matches!(err, InitError::BadParameter { ref id, .. } if *id == init.id()), "{init:?}: {err}");
        // The trainer refuses it before allocating anything, with the same reason.
        let config = TrainConfig { batch_size: 10, ..TrainConfig::default() };
        let trainer =
            Trainer::new(Box::new(CpuBackend::new(1)), Arc::clone(&data), &[Initializer::Zeros, init], config);
        let message = trainer.err().expect("refused").to_string();
        assert_eq!(message, format!("invalid setting: {err}"));
        // Filling a layer with it directly is a programming error, never a substitute.
        assert!(std::panic::catch_unwind(|| init.init_layer(4, 4, 0, 0)).is_err(), "{init:?}");
    }
    assert_eq!(
        CustomUniform { low: -3e38, high: 3e38 }.check().unwrap_err().to_string(),
        "initializer `uniform:-3e38:3e38`: \
         the width 3e38 − (-3e38) of the range exceeds f32's largest value (3.4028235e38): no f32 uniform \
         distribution spans it; narrow the range"
    );
}

/// Where each initializer sits on the scale sweep: the RMS of its weights over the general
/// rule's, from the distributions' second moments, and as drawn.
#[test]
fn equivalent_gains_place_the_lesson_on_the_sweep() {
    use Initializer::*;
    let (n, m) = (784, 256);
    for (init, want) in [
        (GeneralRuleUniform, 1.0),
        (Zeros, 0.0),
        (Ones, (3.0f32 * 784.0).sqrt()),
        (GeneralRuleNormal, 3f32.sqrt()),
        (HeNormal, 6f32.sqrt()),
        (Gain(0.3), 0.3),
    ] {
        let got = init.equivalent_gain(n, m);
        assert!((got - want).abs() <= 1e-5 * want.max(1.0), "{}: {got} vs {want}", init.id());
        // The weights drawn have that RMS (to sampling error, 200,704 draws).
        let w = init.init_layer(n, m, 3, 0).weights;
        let rms = (w.iter().map(|&x| x as f64 * x as f64).sum::<f64>() / w.len() as f64).sqrt() as f32;
        assert!((rms - init.weight_rms(n, m)).abs() <= 0.01 * init.weight_rms(n, m), "{}: drawn rms {rms}", init.id());
    }
}
