//! The GPU backend inside a browser's WebGPU (headless Chromium with SwiftShader in CI),
//! checked against the CPU backend in the same worker: the matrix product in its forms,
//! bias + ReLU + dropout, softmax cross-entropy, Adam and SGD, gather, column sums and ReLU's
//! backward pass. Run with
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web_gpu`
//! (webdriver.json holds Chromium's WebGPU flags). Tolerances as in tests/gpu_kernels.rs.
#![cfg(target_arch = "wasm32")]

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};
use weight_init_lab::backend::cpu::CpuBackend;
use weight_init_lab::backend::gpu::GpuBackend;
use weight_init_lab::backend::{Activation, AdamStep, Backend, Buf, Dropout, Gemm, Shape};

// A worker, like the app's: WebGPU there is reached through WorkerNavigator.
wasm_bindgen_test_configure!(run_in_dedicated_worker);

struct Inputs {
    a: Vec<f32>,
    b: Vec<f32>,
    logits: Vec<f32>,
    labels: Vec<f32>,
    grad: Vec<f32>,
}

const G: Gemm = Gemm { models: 2, m: 37, n: 53, k: 29, trans_a: false, trans_b: false, shared_a: false };
const S: Shape = Shape { models: 2, rows: 37, cols: 10 };
const ADAM: AdamStep =
    AdamStep { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, bias_correction1: 0.1, bias_correction2: 0.001 };

fn inputs() -> Inputs {
    let mut r = ChaCha8Rng::seed_from_u64(5);
    let mut u = |len: usize, scale: f32| (0..len).map(|_| r.random_range(-scale..scale)).collect::<Vec<f32>>();
    // Large enough for every product below, which reads a prefix.
    let (a, b) = (u(G.models * 53 * 53, 1.0), u(G.models * 53 * 53, 1.0));
    let (logits, grad) = (u(S.len(), 5.0), u(1000, 0.1));
    let labels = (0..S.rows).map(|i| (i * 7 % 10) as f32).collect();
    Inputs { a, b, logits, labels, grad }
}

async fn read(be: &mut dyn Backend, buf: Buf) -> Vec<f32> {
    be.read(buf).await.expect("read back")
}

fn tensor(be: &mut dyn Backend, data: &[f32]) -> Buf {
    let buf = be.alloc(data.len());
    be.write(buf, data);
    buf
}

/// Every output of the checked ops, in a fixed order, from one backend.
async fn run(be: &mut dyn Backend, x: &Inputs) -> Vec<Vec<f32>> {
    let mut outs = Vec::new();
    let (a, b) = (tensor(be, &x.a), tensor(be, &x.b));
    for g in [G, Gemm { trans_a: true, ..G }, Gemm { trans_b: true, ..G }, Gemm { models: 3, shared_a: true, ..G }] {
        let c = be.alloc(g.models * g.m * g.n);
        be.gemm(&g, a, b, c);
        outs.push(read(be, c).await);
    }
    let z = tensor(be, &x.logits);
    let bias = be.alloc(S.models * S.cols);
    be.bias_act(z, bias, S, Activation::Relu, Some(Dropout { p: 0.2, seed: 9, stream: 1 }));
    outs.push(read(be, z).await);

    let (logits, labels) = (tensor(be, &x.logits), tensor(be, &x.labels));
    let (grad, stats) = (be.alloc(S.len()), be.alloc(2 * S.models));
    be.softmax_xent(logits, labels, S, Some(grad), stats, 0);
    outs.push(read(be, grad).await);
    outs.push(read(be, stats).await);

    let len = x.grad.len();
    let (p, g, m, v) = (tensor(be, &x.grad), tensor(be, &x.grad), be.alloc(len), be.alloc(len));
    be.adam(p, g, m, v, len, &ADAM);
    outs.push(read(be, p).await);
    let q = tensor(be, &x.grad);
    be.sgd(q, g, len, 0.5);
    outs.push(read(be, q).await);

    // Bytes packed four to a word on the GPU: 37-byte images straddle the words.
    let images: Vec<u8> = (0..20 * 37).map(|i| (i * 31 % 256) as u8).collect();
    let classes: Vec<u8> = (0..20).map(|i| (i * 3 % 10) as u8).collect();
    let data = be.upload_data(&images, &classes, 37);
    let (xs, ls) = (be.alloc(7 * 37), be.alloc(7));
    be.gather(data, &[19, 0, 5, 5, 12, 1, 18], xs, ls);
    outs.push(read(be, xs).await);
    outs.push(read(be, ls).await);

    let sums = be.alloc(S.models * S.cols);
    be.col_sum(logits, S, sums);
    outs.push(read(be, sums).await);
    let (g, out) = (tensor(be, &x.logits), tensor(be, &x.grad[..S.len()]));
    be.relu_backward(g, out, S, 1.25);
    outs.push(read(be, g).await);
    outs
}

fn assert_close(what: &str, got: &[f32], want: &[f32], atol: f32, rtol: f32) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        let bound = atol + rtol * w.abs();
        assert!((g - w).abs() <= bound, "{what}[{i}]: gpu {g} vs cpu {w}");
    }
}

#[wasm_bindgen_test]
async fn gpu_ops_match_cpu_in_the_browser() {
    let mut gpu = GpuBackend::new().await.expect("a WebGPU adapter (Chromium needs --enable-unsafe-webgpu)");
    console_log!("GPU backend: {}", gpu.name());
    let x = inputs();
    let want = run(&mut CpuBackend::new(1), &x).await;
    let got = run(&mut gpu, &x).await;
    // Products: twice k·ε·Σ|a||b| ≤ k·ε·k for inputs in [-1, 1].
    let k = G.k as f32;
    for (i, (g, w)) in got[..4].iter().zip(&want[..4]).enumerate() {
        assert_close(&format!("gemm {i}"), g, w, 2.0 * k * k * f32::EPSILON, 0.0);
    }
    let zeros = |v: &[f32]| v.iter().map(|&x| x == 0.0).collect::<Vec<_>>();
    assert_eq!(zeros(&got[4]), zeros(&want[4]), "ReLU and dropout zeros");
    assert_close("bias_act", &got[4], &want[4], 0.0, 4.0 * f32::EPSILON);
    assert_close("softmax gradient", &got[5], &want[5], 4e-6 / S.rows as f32, 0.0);
    assert_close("loss sums", &got[6], &want[6], 1e-5, 1e-5);
    assert_close("adam", &got[7], &want[7], 1e-7, 2.0 * f32::EPSILON);
    assert_close("sgd", &got[8], &want[8], 1e-7, 2.0 * f32::EPSILON);
    assert_close("gathered pixels", &got[9], &want[9], 0.0, 4.0 * f32::EPSILON);
    assert_eq!(got[10], want[10], "gathered labels");
    assert_close("col_sum", &got[11], &want[11], S.rows as f32 * 5.0 * f32::EPSILON, 0.0);
    assert_eq!(got[12], want[12], "relu_backward");
}
