//! The seeded split and batch order, and the initializers' statistics.

use std::collections::HashSet;

use weight_init_lab::data::split::{epoch_order, split};
use weight_init_lab::init::{InitError, Initializer};

#[test]
fn split_is_a_seeded_partition() {
    let a = split(60_000, 12_000, 7);
    assert_eq!((a.train.len(), a.val.len()), (48_000, 12_000));
    let all: HashSet<u32> = a.train.iter().chain(&a.val).copied().collect();
    assert_eq!(all.len(), 60_000, "train and validation overlap or miss images");
    assert_eq!(a, split(60_000, 12_000, 7));
    assert_ne!(a.val, split(60_000, 12_000, 8).val);
}

#[test]
fn every_epoch_is_a_new_shuffle_of_the_same_images() {
    let s = split(1000, 200, 1);
    let (e0, e1) = (epoch_order(&s.train, 1, 0), epoch_order(&s.train, 1, 1));
    assert_ne!(e0, e1);
    assert_eq!(e0, epoch_order(&s.train, 1, 0));
    let (mut a, mut b) = (e0.clone(), s.train.clone());
    a.sort();
    b.sort();
    assert_eq!(a, b);
}

fn moments(xs: &[f32]) -> (f64, f64, f32, f32) {
    let n = xs.len() as f64;
    let mean = xs.iter().map(|&x| x as f64).sum::<f64>() / n;
    let var = xs.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / n;
    let min = xs.iter().copied().fold(f32::INFINITY, f32::min);
    let max = xs.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    (mean, var.sqrt(), min, max)
}

#[test]
fn initializer_statistics_match_their_formulas() {
    use Initializer::*;
    let (n, m) = (784usize, 256usize);
    let y = 1.0 / (n as f64).sqrt();
    let u = |a: f64| a / 3f64.sqrt(); // std of U[-a, a)
    // (initializer, expected mean, expected std, lower bound, upper bound)
    let cases = [
        (Uniform01, 0.5, u(0.5), 0.0, 1.0),
        (CenteredUniform, 0.0, u(0.5), -0.5, 0.5),
        (GeneralRuleUniform, 0.0, u(y), -y, y),
        (PytorchDefault, 0.0, u(y), -y, y),
        (GeneralRuleNormal, 0.0, y, -6.0 * y, 6.0 * y),
        (
            XavierUniform,
            0.0,
            u((6.0 / (n + m) as f64).sqrt()),
            -(6.0 / (n + m) as f64).sqrt(),
            (6.0 / (n + m) as f64).sqrt(),
        ),
        (XavierNormal, 0.0, (2.0 / (n + m) as f64).sqrt(), -1.0, 1.0),
        (HeUniform, 0.0, u((6.0 / n as f64).sqrt()), -(6.0 / n as f64).sqrt(), (6.0 / n as f64).sqrt()),
        (HeNormal, 0.0, (2.0 / n as f64).sqrt(), -1.0, 1.0),
        (LecunNormal, 0.0, y, -2.0 * y / 0.8796, 2.0 * y / 0.8796),
        (Orthogonal, 0.0, (1.0 / n as f64).sqrt(), -1.0, 1.0),
        (CustomNormal { std: 0.05 }, 0.0, 0.05, -1.0, 1.0),
        (CustomUniform { low: -0.1, high: 0.3 }, 0.1, u(0.2), -0.1, 0.3),
    ];
    for (init, mean, std, lo, hi) in cases {
        let w = init.init_layer(n, m, 3, 0).weights;
        assert_eq!(w.len(), n * m);
        let (mu, sd, min, max) = moments(&w);
        // 200k draws: the sample mean is within ~4 standard errors, the std within 2 %.
        assert!((mu - mean).abs() < 4.0 * std / (w.len() as f64).sqrt() + 1e-9, "{init:?}: mean {mu} vs {mean}");
        assert!((sd / std - 1.0).abs() < 0.02, "{init:?}: std {sd} vs {std}");
        assert!(
            min as f64 >= lo - 1e-6 && (max as f64) <= hi + 1e-6,
            "{init:?}: range [{min}, {max}] outside [{lo}, {hi}]"
        );
    }
    for (init, value) in [(Zeros, 0.0), (Ones, 1.0), (Constant(0.25), 0.25)] {
        assert!(init.init_layer(n, m, 3, 0).weights.iter().all(|&w| w == value), "{init:?}");
    }
}

#[test]
fn biases_are_zero_except_pytorch_default() {
    for init in Initializer::all() {
        let b = init.init_layer(256, 128, 1, 1).bias;
        if init == Initializer::PytorchDefault {
            let y = 1.0 / 16.0;
            assert!(b.iter().all(|&v| v.abs() <= y) && b.iter().any(|&v| v != 0.0));
        } else {
            assert!(b.iter().all(|&v| v == 0.0), "{init:?}");
        }
    }
}

#[test]
fn orthogonal_columns_are_orthonormal() {
    for (rows, cols) in [(784, 256), (10, 128)] {
        let w = Initializer::Orthogonal.init_layer(rows, cols, 5, 0).weights;
        let (count, stride_vec, stride_el) = if rows >= cols { (cols, 1, cols) } else { (rows, cols, 1) };
        let dim = rows.max(cols);
        let v = |i: usize, j: usize| w[i * stride_vec + j * stride_el] as f64;
        for a in (0..count).step_by(7) {
            for b in (0..count).step_by(5) {
                let dot: f64 = (0..dim).map(|j| v(a, j) * v(b, j)).sum();
                let want = if a == b { 1.0 } else { 0.0 };
                assert!((dot - want).abs() < 1e-5, "{rows}×{cols}: <{a},{b}> = {dot}");
            }
        }
    }
}

#[test]
fn weights_are_seeded_per_initializer_and_layer() {
    let init = Initializer::GeneralRuleUniform;
    assert_eq!(init.init_layer(50, 20, 9, 0), init.init_layer(50, 20, 9, 0));
    assert_ne!(init.init_layer(50, 20, 9, 0).weights, init.init_layer(50, 20, 10, 0).weights);
    assert_ne!(init.init_layer(50, 20, 9, 0).weights, init.init_layer(50, 20, 9, 1).weights);
    // Two initializers with the same formula still draw from their own streams.
    assert_ne!(init.init_layer(50, 20, 9, 0).weights, Initializer::PytorchDefault.init_layer(50, 20, 9, 0).weights);
}

#[test]
fn ids_round_trip_and_bad_ids_are_explained() {
    for init in Initializer::all().into_iter().chain([
        Initializer::Constant(0.5),
        Initializer::CustomUniform { low: -0.25, high: 0.5 },
        Initializer::CustomNormal { std: 0.01 },
    ]) {
        assert_eq!(Initializer::parse(&init.id()), Ok(init));
        assert!(!init.formula().is_empty() && !init.label().is_empty());
    }
    assert!(matches!(Initializer::parse("glorot"), Err(InitError::Unknown(_))));
    assert!(Initializer::parse("glorot").unwrap_err().to_string().contains("general-rule"));
    assert!(matches!(Initializer::parse("uniform:1:0"), Err(InitError::BadParameter { .. })));
    assert!(matches!(Initializer::parse("normal:x"), Err(InitError::BadParameter { .. })));
    assert!(matches!(Initializer::parse("normal:NaN"), Err(InitError::BadParameter { .. })));
    assert!(matches!(Initializer::parse("constant"), Err(InitError::BadParameter { .. })));
}
