//! The x86-64 kernel: a 6×16 tile in twelve AVX registers, one fused multiply-add per
//! register and term (the tile BLIS uses for Haswell-class cores: 12 accumulators, 2 B
//! vectors and a broadcast A value out of 16 registers).

use std::arch::x86_64::*;

use super::{Out, Tile, write_edge};

pub(super) struct Avx2;

/// Whether this CPU runs the kernel (std caches the answer).
pub(super) fn available() -> bool {
    is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma")
}

const MR: usize = 6;
const NR: usize = 16;

impl Tile for Avx2 {
    const MR: usize = MR;
    const NR: usize = NR;
    /// A packed B panel of 256 terms is 16 KiB: it stays in L1 while every A panel passes.
    const KC: usize = 256;

    unsafe fn tile(kc: usize, a: *const f32, b: *const f32, c: Out, rows: usize, cols: usize, accumulate: bool) {
        // SAFETY: the caller checked `available()`; the rest is its contract.
        unsafe { tile(kc, a, b, c, rows, cols, accumulate) }
    }
}

#[target_feature(enable = "avx2,fma")]
#[allow(clippy::too_many_arguments)]
unsafe fn tile(kc: usize, a: *const f32, b: *const f32, c: Out, rows: usize, cols: usize, add: bool) {
    let mut acc = [[_mm256_setzero_ps(); 2]; MR];
    for p in 0..kc {
        // SAFETY: the packed panels hold kc terms of MR and NR floats.
        unsafe {
            let b0 = _mm256_loadu_ps(b.add(p * NR));
            let b1 = _mm256_loadu_ps(b.add(p * NR + 8));
            for (i, row) in acc.iter_mut().enumerate() {
                let ai = _mm256_broadcast_ss(&*a.add(p * MR + i));
                row[0] = _mm256_fmadd_ps(ai, b0, row[0]);
                row[1] = _mm256_fmadd_ps(ai, b1, row[1]);
            }
        }
    }
    if rows == MR && cols == NR && c.cs == 1 {
        for (i, row) in acc.iter().enumerate() {
            // SAFETY: the whole tile lies inside C.
            unsafe {
                let out = c.at(i, 0).ptr;
                for (half, &v) in row.iter().enumerate() {
                    let o = out.add(half * 8);
                    let v = if add { _mm256_add_ps(_mm256_loadu_ps(o), v) } else { v };
                    _mm256_storeu_ps(o, v);
                }
            }
        }
    } else {
        let mut edge = [0.0f32; MR * NR];
        for (i, row) in acc.iter().enumerate() {
            for (half, &v) in row.iter().enumerate() {
                // SAFETY: 8 floats fit at (i, 8·half) of the tile.
                unsafe { _mm256_storeu_ps(edge.as_mut_ptr().add(i * NR + half * 8), v) };
            }
        }
        // SAFETY: C's rows × cols corner is writable.
        unsafe { write_edge(&edge, NR, c, rows, cols, add) };
    }
}
