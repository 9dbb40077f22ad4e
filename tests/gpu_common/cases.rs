//! Every GPU kernel against its CPU twin (the reference), written once and run by two thin
//! runners: natively by tests/gpu_kernels.rs (Mesa's lavapipe in CI) and in a browser's
//! WebGPU by tests/web_gpu.rs (headless Chromium on SwiftShader). A case is an async function
//! of the two backends: it makes the same calls on both, on seeded random inputs and on shapes
//! that are not multiples of any tile or workgroup, and compares what they read back.
//!
//! # Tolerances
//!
//! One policy for every case on every adapter; ε is `f32::EPSILON` (2⁻²³, twice the unit
//! roundoff), and a bound is per element: `|gpu − cpu| ≤ bound`.
//! - **Exact** where both compute the same correctly rounded result or only move data:
//!   dropout masks and ReLU's zeros (the same hash on both), one multiplication (ReLU's
//!   backward pass), labels, correct counts, untouched outputs, call order.
//! - **Sums of n terms** in different orders (matrix products, column sums):
//!   [`sum_bound`], `2·n·ε·Σ|terms|` from the classic forward-error bound of a sum, with
//!   `Σ|terms|` computed per element by the CPU from the inputs' absolute values.
//! - **A few operations per element**, at most one of them a division or square root:
//!   [`FEW_OPS`], 4ε relative. `+ − ×` are correctly rounded in WGSL as on the CPU, but
//!   division and `sqrt` may be 2.5 ulp off and a compiler may fuse a multiply-add.
//! - **exp and log** (softmax cross-entropy): a few ulp off in WGSL, and the workgroup adds
//!   rows in a tree instead of in order: [`LOSS_SUM`], [`softmax_gradient`].
//! - The optimizers' updates: [`MULTIPLY_SUBTRACT`], [`adam_moment`], [`ADAM_UPDATE`].

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use weight_init_lab::backend::{Activation, AdamStep, Backend, Buf, Dropout, Gemm, SgdStep, Shape};

// The reductions' cases, in a file of their own.
#[path = "reduction_cases.rs"]
mod reductions;
pub use reductions::*;

/// Hands the name of every case to `$runner`, a runner's macro that declares one test per
/// case, named as the case.
macro_rules! kernel_cases {
    ($runner:ident) => {
        $runner! {
            gemm_matches_cpu_in_every_form,
            bias_act_matches_cpu_with_identical_dropout_masks,
            dropout_mask_is_bit_identical_on_a_large_layer,
            act_backward_matches_cpu_for_every_activation,
            col_sum_matches_cpu,
            softmax_xent_matches_cpu,
            adam_and_sgd_match_cpu,
            gather_matches_cpu,
            fill_write_copy_keep_call_order,
            thousands_of_calls_between_reads_stay_in_order,
            moments_match_cpu,
            histogram_matches_cpu,
            dead_units_match_cpu,
            fingerprints_match_cpu,
            confusion_matches_cpu,
            columns_match_cpu,
        }
    };
}

const EPS: f32 = f32::EPSILON;

/// `|gpu − cpu| ≤ abs + rel·|cpu|`.
#[derive(Clone, Copy)]
struct Within {
    abs: f32,
    rel: f32,
}

/// A few operations per element, at most one a division or square root (bias + ReLU +
/// dropout's division, `byte / 255`): 4 ulp.
const FEW_OPS: Within = Within { abs: 0.0, rel: 4.0 * EPS };
/// tanh and the sigmoid: an exponential, which WGSL allows 3 + 2·|x| ulp off (|x| ≤ 18 in
/// `shaders/common.wgsl`'s formulas), then a division.
const EXPONENTIAL: Within = Within { abs: f32::MIN_POSITIVE, rel: 48.0 * EPS };
/// `param − lr·grad`: one rounding for each operation, or one in all if fused: 2 ulp.
const MULTIPLY_SUBTRACT: Within = Within { abs: 0.0, rel: 2.0 * EPS };
/// Adam's moments, `β·m + (1 − β)·g` and `β·v + (1 − β)·g²`: [`FEW_OPS`] of the terms'
/// sizes rather than of the result's, since the two terms of m can nearly cancel (a GPU that
/// fuses the multiply-add rounds once where the CPU rounds twice: ~1 ulp of the larger term).
fn adam_moment(beta: f32, previous: f32, grad_term: f32) -> f32 {
    FEW_OPS.rel * (beta * previous.abs() + (1.0 - beta) * grad_term.abs()) + f32::MIN_POSITIVE
}
/// Adam's parameter update: [`MULTIPLY_SUBTRACT`], plus the step's own error (a division and
/// a square root, a few ulp of a step of about lr = 1e-3, so far below 1e-7).
const ADAM_UPDATE: Within = Within { abs: 1e-7, ..MULTIPLY_SUBTRACT };
/// Per-model loss sums over rows: exp and log a few ulp off, summed in a different order.
const LOSS_SUM: Within = Within { abs: 1e-5, rel: 1e-5 };

/// The gradient of the mean loss, `(softmax − onehot) / rows`, at most `1/rows` in size: a
/// few ulp of exp at that scale.
fn softmax_gradient(rows: usize) -> Within {
    Within { abs: 4e-6 / rows as f32, rel: 0.0 }
}

/// The bound for a sum of `terms` terms whose absolute values add up to `magnitude`: the
/// classic forward-error bound puts each summation order (fused multiply-adds included)
/// within γₙ·magnitude ≈ n·ε/2·magnitude of the exact sum; this allows n·ε·magnitude for
/// each of the two orders, a factor 2 of margin. The smallest normal number covers results
/// flushed to zero.
fn sum_bound(terms: usize, magnitude: f32) -> f32 {
    2.0 * terms as f32 * EPS * magnitude + f32::MIN_POSITIVE
}

/// `|got − want| ≤ bound(i)` for every element.
fn assert_within(what: &str, got: &[f32], want: &[f32], bound: impl Fn(usize) -> f32) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        let b = bound(i);
        assert!((g - w).abs() <= b, "{what}[{i}]: gpu {g} vs cpu {w}, |diff| {} > {b}", (g - w).abs());
    }
}

fn assert_close(what: &str, got: &[f32], want: &[f32], tolerance: Within) {
    assert_within(what, got, want, |i| tolerance.abs + tolerance.rel * want[i].abs());
}

/// `(want, got)`: what `run` returns on the CPU and on the GPU.
async fn on_both<T>(cpu: &mut dyn Backend, gpu: &mut dyn Backend, run: impl AsyncFn(&mut dyn Backend) -> T) -> (T, T) {
    (run(cpu).await, run(gpu).await)
}

pub async fn read(be: &mut dyn Backend, buf: Buf) -> Vec<f32> {
    be.read(buf).await.expect("read back")
}

/// A buffer holding `data`.
pub fn tensor(be: &mut dyn Backend, data: &[f32]) -> Buf {
    let buf = be.alloc(data.len());
    be.write(buf, data);
    buf
}

fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

fn uniform(rng: &mut ChaCha8Rng, len: usize, low: f32, high: f32) -> Vec<f32> {
    (0..len).map(|_| rng.random_range(low..high)).collect()
}

fn abs(v: &[f32]) -> Vec<f32> {
    v.iter().map(|x| x.abs()).collect()
}

pub async fn gemm_matches_cpu_in_every_form(cpu: &mut dyn Backend, gpu: &mut dyn Backend) {
    let f = |m, n, k| Gemm { models: 1, m, n, k, trans_a: false, trans_b: false, shared_a: false };
    let mut forms = Vec::new();
    // Odd shapes in all four transposition forms, one model, several, and several sharing A.
    for (trans_a, trans_b) in [(false, false), (true, false), (false, true), (true, true)] {
        forms.push(Gemm { trans_a, trans_b, ..f(37, 53, 29) });
        forms.push(Gemm { models: 3, trans_a, trans_b, ..f(37, 53, 29) });
    }
    forms.extend([
        Gemm { models: 3, shared_a: true, ..f(37, 53, 29) },
        // The lesson's first layer for two models sharing the batch: X · W1.
        Gemm { models: 2, shared_a: true, ..f(100, 256, 784) },
        // Its weight gradient, Xᵀ · δ1, and a later layer's input gradient, δ · Wᵀ.
        Gemm { models: 2, trans_a: true, shared_a: true, ..f(784, 256, 100) },
        Gemm { models: 3, trans_b: true, ..f(100, 256, 128) },
        Gemm { models: 4, ..f(1, 1, 1) },
        Gemm { models: 2, trans_a: true, ..f(65, 130, 17) },
    ]);
    for g in forms {
        let a_len = if g.shared_a { g.m * g.k } else { g.models * g.m * g.k };
        let b_len = g.models * g.k * g.n;
        let mut r = rng(g.m as u64 * 1000 + g.n as u64);
        let (a, b) = (uniform(&mut r, a_len, -1.0, 1.0), uniform(&mut r, b_len, -1.0, 1.0));
        let product = async |be: &mut dyn Backend, a: &[f32], b: &[f32]| {
            let (a, b, c) = (tensor(be, a), tensor(be, b), be.alloc(g.models * g.m * g.n));
            be.gemm(&g, a, b, c);
            read(be, c).await
        };
        let (want, got) = on_both(cpu, gpu, async |be| product(be, &a, &b).await).await;
        let magnitude = product(cpu, &abs(&a), &abs(&b)).await;
        assert_within(&format!("{g:?}"), &got, &want, |i| sum_bound(g.k, magnitude[i]));
    }
}

pub async fn bias_act_matches_cpu_with_identical_dropout_masks(cpu: &mut dyn Backend, gpu: &mut dyn Backend) {
    let s = Shape { models: 3, rows: 37, cols: 53 };
    let mut r = rng(7);
    // Inputs across every branch of tanh and the sigmoid (|z| up to 12, tiny ones too).
    let mut z = uniform(&mut r, s.len(), -12.0, 12.0);
    z.iter_mut().step_by(5).for_each(|v| *v *= 1e-6);
    z.iter_mut().skip(1).step_by(5).for_each(|v| *v /= 12.0);
    let bias = uniform(&mut r, s.models * s.cols, -0.5, 0.5);
    let dropout = Some(Dropout { p: 0.2, seed: 12345, stream: 7 });
    for act in Activation::ALL {
        for dropout in [dropout, None] {
            let (want, got) = on_both(cpu, gpu, async |be| {
                let (zb, bb) = (tensor(be, &z), tensor(be, &bias));
                be.bias_act(zb, bb, s, act, dropout);
                read(be, zb).await
            })
            .await;
            if act == Activation::Relu || dropout.is_some() {
                for (i, (g, w)) in got.iter().zip(&want).enumerate() {
                    assert_eq!(*g == 0.0, *w == 0.0, "{act:?} {dropout:?}: zero pattern differs at {i}");
                }
            }
            let tolerance = if matches!(act, Activation::Tanh | Activation::Sigmoid) { EXPONENTIAL } else { FEW_OPS };
            assert_close(&format!("{act:?} {dropout:?}"), &got, &want, tolerance);
        }
    }
}

pub async fn dropout_mask_is_bit_identical_on_a_large_layer(cpu: &mut dyn Backend, gpu: &mut dyn Backend) {
    // The lesson's first hidden layer for two models: every mask bit compared.
    let s = Shape { models: 2, rows: 100, cols: 256 };
    let dropout = Some(Dropout { p: 0.2, seed: 0xdead_beef, stream: 3 });
    let (want, got) = on_both(cpu, gpu, async |be| {
        let (z, bias) = (tensor(be, &vec![1.0; s.len()]), be.alloc(s.models * s.cols));
        be.bias_act(z, bias, s, Activation::Linear, dropout);
        read(be, z).await
    })
    .await;
    let mask = |v: &[f32]| v.iter().map(|&x| x != 0.0).collect::<Vec<_>>();
    assert_eq!(mask(&got), mask(&want));
    let kept = mask(&got).iter().filter(|&&k| k).count() as f32 / s.len() as f32;
    assert!((kept - 0.8).abs() < 0.01, "keep rate {kept}");
}

pub async fn act_backward_matches_cpu_for_every_activation(cpu: &mut dyn Backend, gpu: &mut dyn Backend) {
    let s = Shape { models: 2, rows: 37, cols: 53 };
    let mut r = rng(11);
    let grad = uniform(&mut r, s.len(), -1.0, 1.0);
    let dropout = Dropout { p: 0.2, seed: 99, stream: 4 };
    for act in Activation::ALL {
        // Outputs the activation can give: (−1, 1) for tanh, (0, 1) for the sigmoid; some
        // exact zeros, as ReLU and dropout leave.
        let (lo, hi) = if act == Activation::Sigmoid { (0.0, 1.0) } else { (-1.0, 1.0) };
        let mut out = uniform(&mut r, s.len(), lo, hi);
        out.iter_mut().step_by(7).for_each(|v| *v = 0.0);
        for dropout in [Some(dropout), None] {
            let (want, got) = on_both(cpu, gpu, async |be| {
                let (g, o) = (tensor(be, &grad), tensor(be, &out));
                be.act_backward(g, o, s, act, dropout);
                read(be, g).await
            })
            .await;
            // A slope such as 1 − y² may be one fused multiply-add on the GPU: a few ulp of
            // its terms (≤ 1 in size), times the gradient and dropout's scale.
            let scale = dropout.map_or(1.0, |d| d.scale());
            assert_within(&format!("{act:?} {dropout:?}"), &got, &want, |i| {
                FEW_OPS.rel * (want[i].abs() + grad[i].abs() * scale)
            });
            for (i, (g, w)) in got.iter().zip(&want).enumerate() {
                assert_eq!(*g == 0.0, *w == 0.0, "{act:?} {dropout:?}: zero pattern differs at {i}");
            }
        }
    }
}

pub async fn col_sum_matches_cpu(cpu: &mut dyn Backend, gpu: &mut dyn Backend) {
    let s = Shape { models: 3, rows: 301, cols: 53 };
    let x = uniform(&mut rng(13), s.len(), -1.0, 1.0);
    let sums = async |be: &mut dyn Backend, x: &[f32]| {
        let (xb, out) = (tensor(be, x), be.alloc(s.models * s.cols));
        be.col_sum(xb, s, out);
        read(be, out).await
    };
    let (want, got) = on_both(cpu, gpu, async |be| sums(be, &x).await).await;
    // Both add the rows in order from 0, but a compiler may reassociate.
    let magnitude = sums(cpu, &abs(&x)).await;
    assert_within("col_sum", &got, &want, |i| sum_bound(s.rows, magnitude[i]));
}

pub async fn softmax_xent_matches_cpu(cpu: &mut dyn Backend, gpu: &mut dyn Backend) {
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
        let ((want_stats, want_grad), (got_stats, got_grad)) = on_both(cpu, gpu, async |be| {
            let (z, l, stats) = (tensor(be, &logits), tensor(be, &labels), tensor(be, &initial));
            let grad = with_grad.then(|| be.alloc(s.len()));
            be.softmax_xent(z, l, s, grad, stats, 1);
            let stats = read(be, stats).await;
            match grad {
                Some(g) => (stats, Some(read(be, g).await)),
                None => (stats, None),
            }
        })
        .await;
        assert_eq!(&got_stats[..2 * s.models], &want_stats[..2 * s.models], "slot 0");
        for model in 0..s.models {
            let at = (s.models + model) * 2;
            assert_close("loss sum", &got_stats[at..at + 1], &want_stats[at..at + 1], LOSS_SUM);
            assert_eq!(got_stats[at + 1], want_stats[at + 1], "correct count, model {model}");
        }
        if let (Some(got), Some(want)) = (got_grad, want_grad) {
            assert_close("gradient", &got, &want, softmax_gradient(rows));
        }
    }
}

pub async fn adam_and_sgd_match_cpu(cpu: &mut dyn Backend, gpu: &mut dyn Backend) {
    let len = 1000; // not a multiple of the 256-wide workgroups
    let mut r = rng(17);
    let (param, grad) = (uniform(&mut r, len, -1.0, 1.0), uniform(&mut r, len, -0.1, 0.1));
    let step = |t: i32| AdamStep {
        lr: 1e-3,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
        bias_correction1: 1.0 - 0.9f32.powi(t),
        bias_correction2: 1.0 - 0.999f32.powi(t),
    };
    // The first step from zero moments (the size of every update is then ≈ lr), and the
    // third from moments under way.
    let moments =
        [(vec![0.0; len], vec![0.0; len]), (uniform(&mut r, len, -0.01, 0.01), uniform(&mut r, len, 0.0, 1e-4))];
    for (t, (m, v)) in [1, 3].into_iter().zip(&moments) {
        let (want, got) = on_both(cpu, gpu, async |be| {
            let (p, g, mb, vb) = (tensor(be, &param), tensor(be, &grad), tensor(be, m), tensor(be, v));
            be.adam(p, g, mb, vb, len, &step(t));
            [read(be, p).await, read(be, mb).await, read(be, vb).await]
        })
        .await;
        assert_within(&format!("adam m, t = {t}"), &got[1], &want[1], |i| adam_moment(0.9, m[i], grad[i]));
        assert_within(&format!("adam v, t = {t}"), &got[2], &want[2], |i| adam_moment(0.999, v[i], grad[i] * grad[i]));
        assert_close(&format!("adam param, t = {t}"), &got[0], &want[0], ADAM_UPDATE);
    }
    let (want, got) = on_both(cpu, gpu, async |be| {
        let (p, g, v) = (tensor(be, &param), tensor(be, &grad), be.alloc(len));
        be.sgd(p, g, v, len, &SgdStep { lr: 0.05, momentum: 0.0 });
        read(be, p).await
    })
    .await;
    assert_close("sgd param", &got, &want, MULTIPLY_SUBTRACT);
    // With momentum, from a velocity under way: v = μ·v + g, then p −= lr·v.
    let velocity = uniform(&mut r, len, -0.1, 0.1);
    let step = SgdStep { lr: 0.05, momentum: 0.9 };
    let (want, got) = on_both(cpu, gpu, async |be| {
        let (p, g, v) = (tensor(be, &param), tensor(be, &grad), tensor(be, &velocity));
        be.sgd(p, g, v, len, &step);
        [read(be, p).await, read(be, v).await]
    })
    .await;
    let v_bound = |i: usize| FEW_OPS.rel * (step.momentum * velocity[i].abs() + grad[i].abs()) + f32::MIN_POSITIVE;
    assert_within("sgd velocity", &got[1], &want[1], v_bound);
    assert_within("sgd momentum param", &got[0], &want[0], |i| {
        MULTIPLY_SUBTRACT.rel * want[0][i].abs() + step.lr * v_bound(i)
    });
}

pub async fn gather_matches_cpu(cpu: &mut dyn Backend, gpu: &mut dyn Backend) {
    let (count, pixels) = (50, 37); // 37-byte images straddle the packed u32 words
    let mut r = rng(19);
    let images: Vec<u8> = (0..count * pixels).map(|_| r.random_range(0..=255u8)).collect();
    let labels: Vec<u8> = (0..count).map(|_| r.random_range(0..10u8)).collect();
    let first: Vec<u32> = (0..23).map(|_| r.random_range(0..count as u32)).collect();
    let second: Vec<u32> = (0..count as u32).rev().collect();
    // More indices than the index ring first holds, so it has to grow.
    let large: Vec<u32> = (0..20_000).map(|i| (i * 7 % count) as u32).collect();
    let (want, got) = on_both(cpu, gpu, async |be| {
        let data = be.upload_data(&images, &labels, pixels);
        // Gathers recorded before any read: each must see its own indices.
        let mut outs = Vec::new();
        for indices in [&first, &second, &large] {
            let (x, l) = (be.alloc(indices.len() * pixels), be.alloc(indices.len()));
            be.gather(data, indices, x, l);
            outs.push((x, l));
        }
        let mut read_back = Vec::new();
        for (x, l) in outs {
            read_back.push((read(be, x).await, read(be, l).await));
        }
        read_back
    })
    .await;
    for (i, ((got_x, got_l), (want_x, want_l))) in got.iter().zip(&want).enumerate() {
        assert_close(&format!("gathered pixels {i}"), got_x, want_x, FEW_OPS);
        assert_eq!(got_l, want_l, "gathered labels {i}");
    }
}

pub async fn fill_write_copy_keep_call_order(cpu: &mut dyn Backend, gpu: &mut dyn Backend) {
    let (want, got) = on_both(cpu, gpu, async |be| {
        let (a, b) = (be.alloc(10), be.alloc(300));
        be.fill(b, -2.0);
        be.write(a, &[1.0, 2.0, 3.0]);
        be.copy(a, b, 5, 4);
        // A product in between: it must see `a` as written above, not as rewritten below.
        let (w, c) = (tensor(be, &[2.0]), be.alloc(10));
        let g = Gemm { models: 1, m: 10, n: 1, k: 1, trans_a: false, trans_b: false, shared_a: false };
        be.gemm(&g, a, w, c);
        be.write(a, &[7.0]);
        [read(be, a).await, read(be, b).await, read(be, c).await]
    })
    .await;
    assert_eq!(got, want);
}

pub async fn thousands_of_calls_between_reads_stay_in_order(cpu: &mut dyn Backend, gpu: &mut dyn Backend) {
    // More calls than the parameter ring has slots, so recording submits on its own mid-way.
    let (want, got) = on_both(cpu, gpu, async |be| {
        let (p, g, v) = (be.alloc(1000), tensor(be, &vec![1.0; 1000]), be.alloc(1000));
        for i in 0..2500 {
            let momentum = if i % 3 == 0 { 0.5 } else { 0.0 };
            be.sgd(p, g, v, 1000, &SgdStep { lr: if i % 2 == 0 { 1.0 } else { 0.5 }, momentum });
        }
        read(be, p).await
    })
    .await;
    assert_eq!(got, want);
}
