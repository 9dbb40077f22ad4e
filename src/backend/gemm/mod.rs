//! The CPU backend's matrix product `C = A·B` on strided views, for the lesson's small shapes
//! (per model m ≤ 784, k ≤ 784, n ≤ 256): packed register-tile kernels of our own for x86-64
//! (AVX-512 or AVX2+FMA, chosen at run time) and for wasm simd128 (with relaxed SIMD's fused
//! multiply-add when the build enables it), and `matrixmultiply` everywhere else. Each kernel
//! this CPU has can also be run by name ([`Kernel`], [`sgemm_with`]): `tests/gemm.rs` checks
//! every one against the reference, natively and in both wasm builds.
//!
//! Why ours: `cargo bench --bench gemm` (one thread, the eight products of a training step,
//! medians of 7, ours ÷ matrixmultiply 0.3.11 in the same run) on the 2-core AMD EPYC (Zen 5)
//! build machine, where matrixmultiply itself picks its AVX-512 kernel:
//! - AVX-512, 12×32 tile: 190–244 GFLOP/s on the big products, ×1.05–1.17 (one run ×0.94 on
//!   H1ᵀ·δ2, others ×1.01); the 10-wide ones ×1.27–1.38.
//! - AVX2+FMA, 6×16 tile (AVX-512 switched off in both, matrixmultiply built with
//!   `MMTEST_FEATURE=avx2,fma`): 108–124 GFLOP/s, ×1.08–1.15; 10-wide ×1.02–1.23.
//! - wasm simd128, 4×8 tile, Node 20: 42–46 GFLOP/s, ×1.04–1.28; 10-wide ×0.92–1.09. With
//!   relaxed SIMD: 47–54 GFLOP/s, ×1.27–1.41; 10-wide ×0.99–1.23 (matrixmultiply fused too).
//!   6×8 and 8×8 tiles ran ×0.7–1.0 (the engine spills), 4×16 and 5×12 ×0.5–1.3.
//!
//! The two products that lose (the 10-wide gradient in wasm, 3 µs a step) are not worth a
//! second path: ours runs everywhere it exists.
//!
//! The loop nest is GotoBLAS's (Goto & van de Geijn, "Anatomy of high-performance matrix
//! multiplication", ACM TOMS 34(3), 2008) without the outer blocks these sizes do not need: for
//! each block of `KC` terms of the sum, A is packed into panels of `MR` rows; then each panel of
//! `NR` columns of B is packed (it stays in L1) and multiplied by every A panel in an `MR×NR`
//! tile of registers. Every element of C sums its terms in the same order wherever its tile
//! lies, so splitting C into row blocks across threads never changes a bit.

#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod avx512;
mod pack;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128;

use std::cell::RefCell;

/// A read-only strided matrix view: element `(i, j)` is at `ptr + i·rs + j·cs`.
#[derive(Clone, Copy, Debug)]
pub struct View {
    pub ptr: *const f32,
    pub rs: isize,
    pub cs: isize,
}

impl View {
    /// The view that starts at element `(i, j)`.
    fn at(self, i: usize, j: usize) -> View {
        View { ptr: self.ptr.wrapping_offset(i as isize * self.rs + j as isize * self.cs), ..self }
    }

    /// The transposed matrix.
    fn t(self) -> View {
        View { rs: self.cs, cs: self.rs, ..self }
    }
}

/// A writable strided matrix: element `(i, j)` is at `ptr + i·rs + j·cs`.
#[derive(Clone, Copy, Debug)]
struct Out {
    ptr: *mut f32,
    rs: isize,
    cs: isize,
}

impl Out {
    /// The matrix that starts at element `(i, j)`.
    fn at(self, i: usize, j: usize) -> Out {
        Out { ptr: self.ptr.wrapping_offset(i as isize * self.rs + j as isize * self.cs), ..self }
    }

    fn t(self) -> Out {
        Out { rs: self.cs, cs: self.rs, ..self }
    }
}

/// One of the kernels that run the products. [`sgemm`] runs [`Kernel::chosen`]; [`sgemm_with`]
/// runs any one this CPU has, so that each can be tested against the reference on a machine
/// that would choose another (the AVX2 kernel on an AVX-512 machine).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kernel {
    /// x86-64 with AVX-512F: a 12×32 register tile.
    #[cfg(target_arch = "x86_64")]
    Avx512,
    /// x86-64 with AVX2 and FMA: a 6×16 register tile.
    #[cfg(target_arch = "x86_64")]
    Avx2,
    /// wasm simd128: a 4×8 register tile, with relaxed SIMD's multiply-add in a build with
    /// `+relaxed-simd`.
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    Simd128,
    /// The `matrixmultiply` crate: every target; the fallback where no kernel of ours runs.
    Matrixmultiply,
}

impl Kernel {
    /// Every kernel of this build, the preferred first; the CPU may lack some
    /// ([`Kernel::available`]).
    pub const ALL: &[Kernel] = &[
        #[cfg(target_arch = "x86_64")]
        Kernel::Avx512,
        #[cfg(target_arch = "x86_64")]
        Kernel::Avx2,
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        Kernel::Simd128,
        Kernel::Matrixmultiply,
    ];

    /// Whether this CPU runs the kernel (checked at run time on x86-64; a wasm build's
    /// kernel runs wherever the module validates).
    pub fn available(self) -> bool {
        match self {
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512 => avx512::available(),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 => avx2::available(),
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            Kernel::Simd128 => true,
            Kernel::Matrixmultiply => true,
        }
    }

    /// The kernel [`sgemm`] runs: the first of [`Kernel::ALL`] this CPU has.
    pub fn chosen() -> Kernel {
        Kernel::ALL.iter().copied().find(|k| k.available()).unwrap_or(Kernel::Matrixmultiply)
    }

    /// Columns of C in one register tile.
    fn cols(self) -> usize {
        match self {
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512 => avx512::Avx512::NR,
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 => avx2::Avx2::NR,
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            Kernel::Simd128 => simd128::Simd128::NR,
            Kernel::Matrixmultiply => 16,
        }
    }

    /// Rows of C in one register tile.
    fn rows(self) -> usize {
        match self {
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512 => avx512::Avx512::MR,
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 => avx2::Avx2::MR,
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            Kernel::Simd128 => simd128::Simd128::MR,
            // matrixmultiply's tiles are 8 or 16 rows.
            Kernel::Matrixmultiply => 16,
        }
    }

    /// Rows of C per register tile for an `m×n` product: row blocks of C that are a multiple
    /// of it waste no work on padding.
    pub fn row_tile(self, m: usize, n: usize) -> usize {
        if narrow(m, n) { self.cols() } else { self.rows() }
    }
}

/// Whether C is narrow (the 10 classes) and much taller: then `Cᵀ = Bᵀ·Aᵀ` is computed
/// instead, so that C's many rows fill the kernel's wide tile columns rather than its few
/// columns padding a wide tile (`benches/gemm.rs`: ×1.4–2 on the lesson's 10-wide products).
fn narrow(m: usize, n: usize) -> bool {
    n < 16 && m > n
}

/// `C[m×n] = A[m×k] · B[k×n]` (C overwritten) with [`Kernel::chosen`], C row-major of row
/// stride `rsc`.
///
/// # Safety
/// `a` must view an `m×k` matrix and `b` a `k×n` one, valid for reads; `c` must be valid for
/// writes of `m` rows of `n` floats `rsc` apart and overlap neither.
pub unsafe fn sgemm(m: usize, n: usize, k: usize, a: View, b: View, c: *mut f32, rsc: isize) {
    // SAFETY: the chosen kernel is available; the rest is the caller's contract.
    unsafe { sgemm_with(Kernel::chosen(), m, n, k, a, b, c, rsc) }
}

/// [`sgemm`] with the given kernel.
///
/// # Safety
/// As [`sgemm`], and `kernel.available()`: another kernel's instructions would fault.
#[allow(clippy::too_many_arguments)]
pub unsafe fn sgemm_with(kernel: Kernel, m: usize, n: usize, k: usize, a: View, b: View, c: *mut f32, rsc: isize) {
    let c = Out { ptr: c, rs: rsc, cs: 1 };
    // SAFETY: the caller's contract, transposed or not.
    unsafe {
        if narrow(m, n) { product(kernel, n, m, k, b.t(), a.t(), c.t()) } else { product(kernel, m, n, k, a, b, c) }
    }
}

/// [`sgemm_with`] with any strides of C.
///
/// # Safety
/// As [`sgemm_with`].
unsafe fn product(kernel: Kernel, m: usize, n: usize, k: usize, a: View, b: View, c: Out) {
    // SAFETY: the caller checked the CPU's features; its contract is ours (and matrixmultiply's).
    unsafe {
        match kernel {
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512 => packed::<avx512::Avx512>(m, n, k, a, b, c),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 => packed::<avx2::Avx2>(m, n, k, a, b, c),
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            Kernel::Simd128 => packed::<simd128::Simd128>(m, n, k, a, b, c),
            Kernel::Matrixmultiply => {
                matrixmultiply::sgemm(m, k, n, 1.0, a.ptr, a.rs, a.cs, b.ptr, b.rs, b.cs, 0.0, c.ptr, c.rs, c.cs)
            }
        }
    }
}

/// A register-tile kernel: `MR×NR` outputs held in registers over a sum of up to `KC` terms.
trait Tile {
    const MR: usize;
    const NR: usize;
    /// Terms of the sum per packed block; a packed B panel (`KC·NR` floats) should fit in L1.
    const KC: usize;

    /// `C[..rows][..cols] (+)= Σ_p a[p·MR + i] · b[p·NR + j]` for `p < kc`: `a` is a packed A
    /// panel, `b` a packed B panel; adds to C when
    /// `accumulate`, else overwrites it. `rows ≤ MR`, `cols ≤ NR`.
    ///
    /// # Safety
    /// The CPU has the kernel's features; `a`, `b` hold `kc` steps; C's tile is writable.
    #[allow(clippy::too_many_arguments)]
    unsafe fn tile(kc: usize, a: *const f32, b: *const f32, c: Out, rows: usize, cols: usize, accumulate: bool);
}

thread_local! {
    /// Packed A and B, kept per thread between products (no allocation per call).
    static PACKED: RefCell<(Vec<f32>, Vec<f32>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// The blocked product with kernel `K`.
///
/// # Safety
/// As [`sgemm`], and the CPU has `K`'s features.
unsafe fn packed<K: Tile>(m: usize, n: usize, k: usize, a: View, b: View, c: Out) {
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        for i in 0..m {
            for j in 0..n {
                // SAFETY: C's m × n elements are writable.
                unsafe { *c.at(i, j).ptr = 0.0 };
            }
        }
        return;
    }
    PACKED.with_borrow_mut(|(pa, pb)| {
        let panels = m.div_ceil(K::MR);
        let kc_max = K::KC.min(k);
        pa.resize(panels * K::MR * kc_max, 0.0);
        pb.resize(K::NR * kc_max, 0.0);
        for p0 in (0..k).step_by(K::KC) {
            let kc = K::KC.min(k - p0);
            // SAFETY: the views stay inside A and B; the buffers were sized above.
            unsafe { pack::rows(pa, K::MR, m, kc, a.at(0, p0)) };
            for j0 in (0..n).step_by(K::NR) {
                let cols = K::NR.min(n - j0);
                // SAFETY: as above.
                unsafe { pack::columns(pb, K::NR, kc, cols, b.at(p0, j0)) };
                for (panel, i0) in (0..m).step_by(K::MR).enumerate() {
                    // SAFETY: the panels hold kc steps; the tile lies inside C.
                    unsafe {
                        K::tile(
                            kc,
                            pa[panel * K::MR * kc..].as_ptr(),
                            pb.as_ptr(),
                            c.at(i0, j0),
                            K::MR.min(m - i0),
                            cols,
                            p0 > 0,
                        )
                    };
                }
            }
        }
    });
}

/// Writes the first `rows × cols` of a full tile (row-major, `nr` wide) to C, adding when
/// `accumulate`: the edges of C, where a whole tile would spill past it, and a transposed C.
///
/// # Safety
/// C's `rows × cols` corner is writable.
unsafe fn write_edge(tile: &[f32], nr: usize, c: Out, rows: usize, cols: usize, accumulate: bool) {
    for (i, row) in tile.chunks_exact(nr).take(rows).enumerate() {
        for (j, &t) in row[..cols].iter().enumerate() {
            // SAFETY: (i, j) lies in C's writable corner.
            unsafe {
                let o = c.at(i, j).ptr;
                *o = if accumulate { *o + t } else { t };
            }
        }
    }
}
