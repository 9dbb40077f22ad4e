//! The CPU matrix product (`backend::gemm`, directly and through `CpuBackend::gemm`) against a
//! plain triple loop in f64, on edge sizes (1, tile sizes ± 1, more terms than one packed
//! block), every transpose, strided and shared operands, and the lesson's shapes — every case
//! with every kernel of the build that this CPU has (`gemm::Kernel::ALL`; one it lacks is
//! skipped with a printed line), so that an AVX-512 machine tests the AVX2 kernel too.
//!
//! Natively with `cargo test --test gemm` (x86-64: AVX-512, AVX2+FMA, matrixmultiply). In
//! headless Chromium (the runner of .cargo/config.toml), with the simd128 kernel and
//! matrixmultiply: `cargo test --target wasm32-unknown-unknown --test gemm` for the config's
//! `+simd128` build, and with `RUSTFLAGS="-C target-feature=+simd128,+relaxed-simd"` for the
//! relaxed-SIMD one (fused multiply-adds); `cargo xtask test --suite wasm` runs both.
//!
//! Tolerance, the same for every kernel and build: any order of summing k products in f32 is
//! within `γ_k·Σ_p |a_ip||b_pj|` of the exact value, `γ_k = k·u/(1 − k·u)`, `u = ε/2` (Higham,
//! *Accuracy and Stability of Numerical Algorithms*, 2nd ed., §3.1); fused or not, every order
//! passes `k·ε·Σ|a||b|` (ε = 2⁻²³), and a wrong index or a missing term does not.

use std::task::{Context, Poll, Waker};

use weight_init_lab::backend::cpu::CpuBackend;
use weight_init_lab::backend::dropout::hash;
use weight_init_lab::backend::gemm::{self, Kernel, View};
use weight_init_lab::backend::{Buf, Gemm, TrainOps};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
// In a worker, where the page's engine runs its products.
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_dedicated_worker);

#[cfg(target_arch = "wasm32")]
macro_rules! say { ($($t:tt)*) => { wasm_bindgen_test::console_log!($($t)*) } }
#[cfg(not(target_arch = "wasm32"))]
macro_rules! say { ($($t:tt)*) => { println!($($t)*) } }

/// Runs `case` with each kernel of this build that the CPU has, and says which ran.
fn each_kernel(case: impl Fn(Kernel)) {
    for &kernel in Kernel::ALL {
        if kernel.available() {
            case(kernel);
            let build = if cfg!(target_feature = "relaxed-simd") { ", in a relaxed-SIMD build" } else { "" };
            say!("ran with {kernel:?}{build}");
        } else {
            say!("skipped {kernel:?}: this CPU lacks it");
        }
    }
}

/// `len` values in [-1, 1), the same for the same `seed`.
fn values(len: usize, seed: u32) -> Vec<f32> {
    (0..len).map(|i| hash(i as u32 ^ seed.wrapping_mul(0x9e37_79b9)) as f32 / 2f32.powi(31) - 1.0).collect()
}

/// A stored matrix and how to read it as `rows × cols` (transposed when `trans`).
struct Operand {
    data: Vec<f32>,
    rows: usize,
    cols: usize,
    trans: bool,
}

impl Operand {
    fn new(rows: usize, cols: usize, trans: bool, seed: u32) -> Self {
        Operand { data: values(rows * cols, seed), rows, cols, trans }
    }

    fn view(&self) -> View {
        let (rs, cs) = if self.trans { (1, self.rows as isize) } else { (self.cols as isize, 1) };
        View { ptr: self.data.as_ptr(), rs, cs }
    }

    fn get(&self, i: usize, j: usize) -> f64 {
        let at = if self.trans { j * self.rows + i } else { i * self.cols + j };
        self.data[at] as f64
    }
}

/// Checks `c` (row stride `rsc`) against the triple loop, element by element.
fn check(a: &Operand, b: &Operand, c: &[f32], rsc: usize, what: &str) {
    let (m, k, n) = (a.rows, a.cols, b.cols);
    for i in 0..m {
        for j in 0..n {
            let (exact, magnitude) = (0..k).fold((0.0, 0.0), |(s, t), p| {
                let ab = a.get(i, p) * b.get(p, j);
                (s + ab, t + ab.abs())
            });
            let bound = k as f64 * f32::EPSILON as f64 * magnitude;
            let got = c[i * rsc + j] as f64;
            assert!((got - exact).abs() <= bound, "{what}: C[{i}][{j}] = {got}, exact {exact}, bound {bound}");
        }
    }
}

/// One product with `kernel` into a C wider than `n`, whose extra columns must stay.
fn product(kernel: Kernel, m: usize, n: usize, k: usize, trans_a: bool, trans_b: bool) {
    let a = Operand::new(m, k, trans_a, (m * 31 + k) as u32);
    let b = Operand::new(k, n, trans_b, (n * 17 + k) as u32 + 1);
    let rsc = n + 3;
    let mut c = vec![f32::NAN; m * rsc];
    // SAFETY: the views cover m × k and k × n; C holds m rows of rsc ≥ n floats; `each_kernel`
    // only passes kernels this CPU has.
    unsafe { gemm::sgemm_with(kernel, m, n, k, a.view(), b.view(), c.as_mut_ptr(), rsc as isize) };
    let what = format!("{kernel:?}: {m}×{k}·{k}×{n} trans_a {trans_a} trans_b {trans_b}");
    check(&a, &b, &c, rsc, &what);
    assert!(c.chunks(rsc).all(|row| row[n..].iter().all(|v| v.is_nan())), "{what}: wrote past column {n}");
}

#[test]
fn edge_sizes_every_transpose() {
    // Around every tile's rows and columns (4, 6, 8, 12, 16, 32) and one packed block of terms
    // (256).
    let sizes = [1, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 15, 16, 17, 31, 32, 33];
    each_kernel(|kernel| {
        for &(ta, tb) in &[(false, false), (true, false), (false, true), (true, true)] {
            for &m in &sizes {
                for &n in &sizes {
                    for k in [1, 2, 7, 16] {
                        product(kernel, m, n, k, ta, tb);
                    }
                }
            }
            for k in [255, 256, 257, 600] {
                product(kernel, 13, 19, k, ta, tb);
            }
        }
    });
}

#[test]
fn empty_sum_zeroes_c() {
    each_kernel(|kernel| product(kernel, 5, 7, 0, false, false));
}

#[test]
fn lesson_shapes() {
    // Forward X·W, backward Xᵀ·δ (trans_a) and δ·Wᵀ (trans_b), batch 100.
    let shapes = [
        (100, 256, 784, false, false),
        (100, 128, 256, false, false),
        (100, 10, 128, false, false),
        (784, 256, 100, true, false),
        (256, 128, 100, true, false),
        (128, 10, 100, true, false),
        (100, 256, 128, false, true),
        (100, 128, 10, false, true),
    ];
    each_kernel(|kernel| shapes.iter().for_each(|&(m, n, k, ta, tb)| product(kernel, m, n, k, ta, tb)));
}

/// Reads a CPU buffer (its future is ready at once).
fn read(cpu: &mut CpuBackend, buf: Buf) -> Vec<f32> {
    let mut future = cpu.read(buf);
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(values) => values.expect("a CPU read"),
        Poll::Pending => panic!("a CPU read is ready at once"),
    }
}

/// A stacked product through the backend on `kernel`, with one shared A or one A per model.
fn backend_product(kernel: Kernel, threads: usize, g: &Gemm) -> (Vec<f32>, Vec<Operand>, Vec<Operand>) {
    let mut cpu = CpuBackend::new(threads).with_gemm_kernel(kernel);
    let a_count = if g.shared_a { 1 } else { g.models };
    let a: Vec<Operand> = (0..a_count).map(|i| Operand::new(g.m, g.k, g.trans_a, 100 + i as u32)).collect();
    let b: Vec<Operand> = (0..g.models).map(|i| Operand::new(g.k, g.n, g.trans_b, 200 + i as u32)).collect();
    let (ab, bb, cb) =
        (cpu.alloc(a_count * g.m * g.k), cpu.alloc(g.models * g.k * g.n), cpu.alloc(g.models * g.m * g.n));
    cpu.write(ab, &a.iter().flat_map(|o| o.data.clone()).collect::<Vec<_>>());
    cpu.write(bb, &b.iter().flat_map(|o| o.data.clone()).collect::<Vec<_>>());
    cpu.gemm(g, ab, bb, cb);
    (read(&mut cpu, cb), a, b)
}

#[test]
fn backend_shared_a_and_threads_agree_bit_for_bit() {
    each_kernel(|kernel| {
        for (shared_a, trans_a, trans_b) in [(true, false, false), (false, true, false), (false, false, true)] {
            let g = Gemm { models: 3, m: 37, n: 21, k: 300, trans_a, trans_b, shared_a };
            let (one, a, b) = backend_product(kernel, 1, &g);
            for (model, c) in one.chunks(g.m * g.n).enumerate() {
                let what = format!("{kernel:?}: {g:?} model {model}");
                check(&a[if shared_a { 0 } else { model }], &b[model], c, g.n, &what);
            }
            // Row blocks over two threads (natively) sum every element in the same order.
            let (two, _, _) = backend_product(kernel, 2, &Gemm { models: 1, ..g });
            let (single, _, _) = backend_product(kernel, 1, &Gemm { models: 1, ..g });
            let bits = |c: &[f32]| c.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&two), bits(&single), "{kernel:?}: {g:?} on two threads");
        }
    });
}
