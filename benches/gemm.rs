//! The lesson's matrix products, one thread: `backend::gemm::sgemm` against `matrixmultiply`
//! in the same run, alternating, medians of 7 rounds; prints GFLOP/s and the ratio.
//! Natively: `cargo bench --bench gemm`. In wasm (Node; add
//! `RUSTFLAGS="-C target-feature=+simd128,+relaxed-simd"` for the fused kernel):
//! `cargo bench --target wasm32-unknown-unknown --bench gemm`.

use weight_init_lab::backend::gemm::{self, View};

#[cfg(target_arch = "wasm32")]
macro_rules! say { ($($t:tt)*) => { wasm_bindgen_test::console_log!($($t)*) } }
#[cfg(not(target_arch = "wasm32"))]
macro_rules! say { ($($t:tt)*) => { println!($($t)*) } }

/// Milliseconds from an arbitrary origin.
fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        #[wasm_bindgen::prelude::wasm_bindgen]
        extern "C" {
            #[wasm_bindgen(js_namespace = performance)]
            fn now() -> f64;
        }
        now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::sync::OnceLock;
        use std::time::Instant;
        static START: OnceLock<Instant> = OnceLock::new();
        START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
    }
}

/// One product `C[m×n] = op(A)·op(B)` with its operands.
struct Case {
    name: &'static str,
    m: usize,
    n: usize,
    k: usize,
    trans_a: bool,
    trans_b: bool,
}

const CASES: [Case; 8] = [
    Case { name: "forward 1: X·W1", m: 100, n: 256, k: 784, trans_a: false, trans_b: false },
    Case { name: "forward 2: H1·W2", m: 100, n: 128, k: 256, trans_a: false, trans_b: false },
    Case { name: "forward 3: H2·W3", m: 100, n: 10, k: 128, trans_a: false, trans_b: false },
    Case { name: "grad W1: Xᵀ·δ1", m: 784, n: 256, k: 100, trans_a: true, trans_b: false },
    Case { name: "grad W2: H1ᵀ·δ2", m: 256, n: 128, k: 100, trans_a: true, trans_b: false },
    Case { name: "grad W3: H2ᵀ·δ3", m: 128, n: 10, k: 100, trans_a: true, trans_b: false },
    Case { name: "grad H1: δ2·W2ᵀ", m: 100, n: 256, k: 128, trans_a: false, trans_b: true },
    Case { name: "grad H2: δ3·W3ᵀ", m: 100, n: 128, k: 10, trans_a: false, trans_b: true },
];

const ROUNDS: usize = 7;

/// Median GFLOP/s of `f` over `ROUNDS` rounds of about 40 ms, interleaved with `g`'s.
fn race(flops: f64, mut f: impl FnMut(), mut g: impl FnMut()) -> (f64, f64) {
    let reps = {
        let t = now_ms();
        f();
        (40.0 / (now_ms() - t).max(0.01)).clamp(1.0, 10_000.0) as usize
    };
    let rate = |h: &mut dyn FnMut()| {
        let t = now_ms();
        (0..reps).for_each(|_| h());
        flops * reps as f64 / ((now_ms() - t).max(0.001) * 1e6)
    };
    let (mut fs, mut gs): (Vec<f64>, Vec<f64>) = (0..ROUNDS).map(|_| (rate(&mut f), rate(&mut g))).unzip();
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    (median(&mut fs), median(&mut gs))
}

/// Prints the table, for the products whose name contains `only`.
fn report(only: &str) {
    say!("{:<18} {:>13} {:>10} {:>15} {:>7}", "product", "m×k·k×n", "gemm GF/s", "matrixmult GF/s", "ratio");
    for case in CASES.iter().filter(|c| c.name.contains(only)) {
        let (m, n, k) = (case.m, case.n, case.k);
        let a: Vec<f32> = (0..m * k).map(|i| (i % 13) as f32 * 0.1 - 0.6).collect();
        let b: Vec<f32> = (0..k * n).map(|i| (i % 7) as f32 * 0.2 - 0.6).collect();
        let mut c = vec![0.0f32; m * n];
        let (rsa, csa) = if case.trans_a { (1, m as isize) } else { (k as isize, 1) };
        let (rsb, csb) = if case.trans_b { (1, k as isize) } else { (n as isize, 1) };
        let (av, bv) = (View { ptr: a.as_ptr(), rs: rsa, cs: csa }, View { ptr: b.as_ptr(), rs: rsb, cs: csb });
        let cp = c.as_mut_ptr();
        // SAFETY: the views cover m × k and k × n; C holds m × n floats.
        let ours = || unsafe { gemm::sgemm(m, n, k, av, bv, cp, n as isize) };
        let theirs = || unsafe {
            matrixmultiply::sgemm(m, k, n, 1.0, av.ptr, rsa, csa, bv.ptr, rsb, csb, 0.0, cp, n as isize, 1)
        };
        let (g, mm) = race(2.0 * (m * n * k) as f64, ours, theirs);
        say!("{:<18} {:>13} {:>10.1} {:>15.1} {:>7.2}", case.name, format!("{m}×{k}·{k}×{n}"), g, mm, g / mm);
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    // `cargo bench --bench gemm -- forward` measures the products named so.
    let only = std::env::args().skip(1).find(|a| !a.starts_with('-')).unwrap_or_default();
    report(&only);
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen_test::wasm_bindgen_test]
fn gemm_speed() {
    report("");
}
