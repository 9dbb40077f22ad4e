//! Every GPU kernel against its CPU twin (the reference), on seeded random inputs and on
//! shapes that are not multiples of any tile. Natively this runs on whatever adapter wgpu
//! finds (Mesa's lavapipe in CI). Each check states its tolerance and why.

mod gpu_common;

use gpu_common::*;
use rand::RngExt;
use weight_init_lab::backend::cpu::CpuBackend;
use weight_init_lab::backend::{Activation, AdamStep, Backend, Dropout, Gemm, Shape};

/// Runs `case` (which allocates, writes, computes and reads) on the CPU and on the GPU.
fn on_both<T>(case: impl Fn(&mut dyn Backend) -> T) -> Option<(T, T)> {
    let mut gpu = open_gpu()?;
    let want = case(&mut CpuBackend::new(1));
    Some((want, case(&mut gpu)))
}

#[test]
fn name_shows_adapter_and_api() {
    let Some(gpu) = open_gpu() else { return };
    let name = gpu.name();
    eprintln!("GPU backend: {name}");
    assert!(name.contains(" · "), "{name}");
}

#[test]
fn gemm_matches_cpu_in_every_form() {
    let f = |m, n, k| Gemm { models: 1, m, n, k, trans_a: false, trans_b: false, shared_a: false };
    let mut cases = Vec::new();
    // Odd shapes in all four transposition forms, one model and several.
    for (trans_a, trans_b) in [(false, false), (true, false), (false, true), (true, true)] {
        cases.push(Gemm { trans_a, trans_b, ..f(37, 53, 29) });
        cases.push(Gemm { models: 3, trans_a, trans_b, ..f(37, 53, 29) });
    }
    cases.extend([
        // The lesson's first layer for two models sharing the batch: X · W1.
        Gemm { models: 2, shared_a: true, ..f(100, 256, 784) },
        // Its weight gradient, Xᵀ · δ1, and a later layer's input gradient, δ · Wᵀ.
        Gemm { models: 2, trans_a: true, shared_a: true, ..f(784, 256, 100) },
        Gemm { models: 3, trans_b: true, ..f(100, 256, 128) },
        Gemm { models: 4, ..f(1, 1, 1) },
        Gemm { models: 2, trans_a: true, ..f(65, 130, 17) },
    ]);
    for g in cases {
        let a_len = if g.shared_a { g.m * g.k } else { g.models * g.m * g.k };
        let b_len = g.models * g.k * g.n;
        let mut r = rng(g.m as u64 * 1000 + g.n as u64);
        let (a, b) = (uniform(&mut r, a_len, -1.0, 1.0), uniform(&mut r, b_len, -1.0, 1.0));
        let product = |be: &mut dyn Backend, a: &[f32], b: &[f32]| {
            let (a, b, c) = (tensor(be, a), tensor(be, b), be.alloc(g.models * g.m * g.n));
            be.gemm(&g, a, b, c);
            read(be, c)
        };
        let Some((want, got)) = on_both(|be| product(be, &a, &b)) else {
            return;
        };
        // Tolerance: the classic forward-error bound of a k-term dot product, k·ε·Σ|a||b|,
        // for each of the two summation orders (the CPU's blocked FMA kernels and the tiles).
        let abs = |v: &[f32]| v.iter().map(|x| x.abs()).collect::<Vec<_>>();
        let magnitude = product(&mut CpuBackend::new(1), &abs(&a), &abs(&b));
        let bound = |i: usize| 2.0 * g.k as f32 * f32::EPSILON * magnitude[i] + f32::MIN_POSITIVE;
        assert_within(&format!("{g:?}"), &got, &want, bound);
    }
}

#[test]
fn bias_act_matches_cpu_with_identical_dropout_masks() {
    let s = Shape { models: 3, rows: 37, cols: 53 };
    let mut r = rng(7);
    let (z, bias) = (uniform(&mut r, s.len(), -1.0, 1.0), uniform(&mut r, s.models * s.cols, -0.5, 0.5));
    let dropout = Some(Dropout { p: 0.2, seed: 12345, stream: 7 });
    for (act, dropout) in [
        (Activation::Relu, dropout),
        (Activation::Relu, None),
        (Activation::Identity, dropout),
        (Activation::Identity, None),
    ] {
        let Some((want, got)) = on_both(|be| {
            let (zb, bb) = (tensor(be, &z), tensor(be, &bias));
            be.bias_act(zb, bb, s, act, dropout);
            read(be, zb)
        }) else {
            return;
        };
        // The masks (and ReLU's zeros) must agree exactly: both draw from dropout::keep's hash.
        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
            assert_eq!(*g == 0.0, *w == 0.0, "{act:?} {dropout:?}: zero pattern differs at {i}");
        }
        // Values: one add, one max, one division; WGSL allows division 2.5 ulp off.
        assert_close(&format!("{act:?} {dropout:?}"), &got, &want, 0.0, 4.0 * f32::EPSILON);
    }
}

#[test]
fn dropout_mask_is_bit_identical_on_a_large_layer() {
    // The lesson's first hidden layer for two models: every mask bit compared.
    let s = Shape { models: 2, rows: 100, cols: 256 };
    let dropout = Some(Dropout { p: 0.2, seed: 0xdead_beef, stream: 3 });
    let Some((want, got)) = on_both(|be| {
        let (z, bias) = (tensor(be, &vec![1.0; s.len()]), be.alloc(s.models * s.cols));
        be.bias_act(z, bias, s, Activation::Identity, dropout);
        read(be, z)
    }) else {
        return;
    };
    let mask = |v: &[f32]| v.iter().map(|&x| x != 0.0).collect::<Vec<_>>();
    assert_eq!(mask(&got), mask(&want));
    let kept = mask(&got).iter().filter(|&&k| k).count() as f32 / s.len() as f32;
    assert!((kept - 0.8).abs() < 0.01, "keep rate {kept}");
}

#[test]
fn relu_backward_matches_cpu_exactly() {
    let s = Shape { models: 2, rows: 37, cols: 53 };
    let mut r = rng(11);
    let (grad, out) = (uniform(&mut r, s.len(), -1.0, 1.0), uniform(&mut r, s.len(), -1.0, 1.0));
    let Some((want, got)) = on_both(|be| {
        let (g, o) = (tensor(be, &grad), tensor(be, &out));
        be.relu_backward(g, o, s, 1.25);
        read(be, g)
    }) else {
        return;
    };
    // One multiplication per element, correctly rounded on both: exact.
    assert_eq!(got, want);
}

#[test]
fn col_sum_matches_cpu() {
    let s = Shape { models: 3, rows: 301, cols: 53 };
    let x = uniform(&mut rng(13), s.len(), -1.0, 1.0);
    let Some((want, got)) = on_both(|be| {
        let (xb, out) = (tensor(be, &x), be.alloc(s.models * s.cols));
        be.col_sum(xb, s, out);
        read(be, out)
    }) else {
        return;
    };
    // Same summation order on both (rows from 0), so equal up to a compiler's reassociation:
    // bound rows·ε·Σ|x| ≤ 301·ε·301.
    assert_close("col_sum", &got, &want, s.rows as f32 * f32::EPSILON * s.rows as f32, 0.0);
}

#[test]
fn softmax_xent_matches_cpu() {
    // 300 rows > 256 invocations, so some invocations take two rows.
    for (rows, with_grad) in [(37, true), (300, true), (100, false)] {
        let s = Shape { models: 3, rows, cols: 10 };
        let mut r = rng(rows as u64);
        let mut logits = uniform(&mut r, s.len(), -5.0, 5.0);
        // Tied rows: all equal (argmax 0) and a tie between classes 3 and 7 (argmax 3).
        logits[..10].fill(0.5);
        logits[10..20].fill(-1.0);
        logits[13] = 2.0;
        logits[17] = 2.0;
        let mut labels: Vec<f32> = (0..rows).map(|_| r.random_range(0..10u32) as f32).collect();
        labels[0] = 0.0;
        labels[1] = 3.0;
        // Two slots already holding numbers: the kernel must add into slot 1 only.
        let initial: Vec<f32> = (0..2 * s.models * 2).map(|i| i as f32 + 0.5).collect();
        let Some(((want_stats, want_grad), (got_stats, got_grad))) = on_both(|be| {
            let (z, l, stats) = (tensor(be, &logits), tensor(be, &labels), tensor(be, &initial));
            let grad = with_grad.then(|| be.alloc(s.len()));
            be.softmax_xent(z, l, s, grad, stats, 1);
            (read(be, stats), grad.map(|g| read(be, g)))
        }) else {
            return;
        };
        // Slot 0 untouched and correct counts exact; loss sums to 1e-5 relative (exp/log are a
        // few ulp off in WGSL, and the workgroup sums in a tree instead of row by row).
        assert_eq!(&got_stats[..2 * s.models], &want_stats[..2 * s.models]);
        for model in 0..s.models {
            let at = (s.models + model) * 2;
            assert_close("loss sum", &got_stats[at..at + 1], &want_stats[at..at + 1], 1e-5, 1e-5);
            assert_eq!(got_stats[at + 1], want_stats[at + 1], "correct count, model {model}");
        }
        if let (Some(got), Some(want)) = (got_grad, want_grad) {
            // Gradient entries are at most 1/rows in size; a few ulp of exp at that scale.
            assert_close("gradient", &got, &want, 4e-6 / rows as f32, 0.0);
        }
    }
}

#[test]
fn adam_and_sgd_match_cpu() {
    let len = 1000; // not a multiple of the 256-wide workgroups
    let mut r = rng(17);
    let (param, grad) = (uniform(&mut r, len, -1.0, 1.0), uniform(&mut r, len, -0.1, 0.1));
    let (m, v) = (uniform(&mut r, len, -0.01, 0.01), uniform(&mut r, len, 0.0, 1e-4));
    let t = 3;
    let step = AdamStep {
        lr: 1e-3,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
        bias_correction1: 1.0 - 0.9f32.powi(t),
        bias_correction2: 1.0 - 0.999f32.powi(t),
    };
    let Some((want, got)) = on_both(|be| {
        let (p, g, mb, vb) = (tensor(be, &param), tensor(be, &grad), tensor(be, &m), tensor(be, &v));
        be.adam(p, g, mb, vb, len, &step);
        let sgd_p = tensor(be, &param);
        be.sgd(sgd_p, g, len, 0.05);
        [p, mb, vb, sgd_p].map(|b| read(be, b))
    }) else {
        return;
    };
    // m and v: two products and a sum each, possibly fused on the GPU: a few ulp. The
    // parameter moves by ~lr; sqrt and division may be 2.5 ulp off, which is ~1e-9 of it.
    assert_close("adam m", &got[1], &want[1], 1e-12, 4.0 * f32::EPSILON);
    assert_close("adam v", &got[2], &want[2], 1e-15, 4.0 * f32::EPSILON);
    assert_close("adam param", &got[0], &want[0], 1e-7, 2.0 * f32::EPSILON);
    assert_close("sgd param", &got[3], &want[3], 0.0, 2.0 * f32::EPSILON);
}

#[test]
fn gather_matches_cpu() {
    let (count, pixels) = (50, 37); // 37-byte images straddle the packed u32 words
    let mut r = rng(19);
    let images: Vec<u8> = (0..count * pixels).map(|_| r.random_range(0..=255u8)).collect();
    let labels: Vec<u8> = (0..count).map(|_| r.random_range(0..10u8)).collect();
    let first: Vec<u32> = (0..23).map(|_| r.random_range(0..count as u32)).collect();
    let second: Vec<u32> = (0..count as u32).rev().collect();
    // More indices than the index ring first holds, so it has to grow.
    let large: Vec<u32> = (0..20_000).map(|i| (i * 7 % count) as u32).collect();
    let Some((want, got)) = on_both(|be| {
        let data = be.upload_data(&images, &labels, pixels);
        // Two gathers recorded before any read: each must see its own indices.
        let mut outs = Vec::new();
        for indices in [&first, &second, &large] {
            let (x, l) = (be.alloc(indices.len() * pixels), be.alloc(indices.len()));
            be.gather(data, indices, x, l);
            outs.push((x, l));
        }
        outs.into_iter().flat_map(|(x, l)| [read(be, x), read(be, l)]).collect::<Vec<_>>()
    }) else {
        return;
    };
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        // byte / 255 on the GPU may be 2.5 ulp off; labels are exact small integers.
        assert_close(&format!("gather output {i}"), g, w, 0.0, 4.0 * f32::EPSILON);
    }
}

#[test]
fn fill_write_copy_keep_call_order() {
    let Some((want, got)) = on_both(|be| {
        let (a, b) = (be.alloc(10), be.alloc(300));
        be.fill(b, -2.0);
        be.write(a, &[1.0, 2.0, 3.0]);
        be.copy(a, b, 5, 4);
        // A product in between: it must see `a` as written above, not as rewritten below.
        let (w, c) = (tensor(be, &[2.0]), be.alloc(10));
        let g = Gemm { models: 1, m: 10, n: 1, k: 1, trans_a: false, trans_b: false, shared_a: false };
        be.gemm(&g, a, w, c);
        be.write(a, &[7.0]);
        [read(be, a), read(be, b), read(be, c)]
    }) else {
        return;
    };
    assert_eq!(got, want);
}

#[test]
fn thousands_of_calls_between_reads_stay_in_order() {
    // More calls than the parameter ring has slots, so recording submits on its own mid-way.
    let Some((want, got)) = on_both(|be| {
        let (p, g) = (be.alloc(1000), tensor(be, &vec![1.0; 1000]));
        for i in 0..2500 {
            be.sgd(p, g, 1000, if i % 2 == 0 { 1.0 } else { 0.5 });
        }
        read(be, p)
    }) else {
        return;
    };
    assert_eq!(got, want);
}

#[test]
fn a_sibling_shares_the_device_but_not_the_buffers() {
    let Some(mut first) = open_gpu() else { return };
    let a = tensor(&mut first, &[1.0, 2.0, 3.0]);
    let mut second = first.sibling();
    let b = tensor(&mut second, &[4.0, 5.0]);
    second.fill(b, 7.0);
    assert_eq!(read(&mut second, b), vec![7.0, 7.0]);
    assert_eq!(read(&mut first, a), vec![1.0, 2.0, 3.0]);
    // Dropping the first backend frees only its own buffers.
    drop(first);
    let g = Gemm { models: 1, m: 1, n: 1, k: 2, trans_a: false, trans_b: false, shared_a: false };
    let (x, w, y) = (tensor(&mut second, &[1.0, 2.0]), tensor(&mut second, &[3.0, 4.0]), second.alloc(1));
    second.gemm(&g, x, w, y);
    assert_eq!(read(&mut second, y), vec![11.0]);
}
