//! The x86-64 AVX-512 kernel: a 12×32 tile in 24 of the 32 zmm registers, one fused
//! multiply-add per register and term, the A value broadcast from memory into the FMA.

use std::arch::x86_64::*;

use super::{Out, Tile, write_edge};

pub(super) struct Avx512;

/// Tile rows, and vectors of 16 columns.
const MR: usize = 12;
const V: usize = 2;

/// Whether this CPU runs the kernel (std caches the answer).
pub(super) fn available() -> bool {
    is_x86_feature_detected!("avx512f")
}

impl Tile for Avx512 {
    const MR: usize = MR;
    const NR: usize = 16 * V;
    /// A packed B panel of 256 terms is 32 KiB: it stays in L1 while every A panel passes.
    const KC: usize = 256;

    unsafe fn tile(kc: usize, a: *const f32, b: *const f32, c: Out, rows: usize, cols: usize, accumulate: bool) {
        // SAFETY: the caller checked `available()`; the rest is its contract.
        unsafe { tile(kc, a, b, c, rows, cols, accumulate) }
    }
}

#[target_feature(enable = "avx512f")]
#[allow(clippy::too_many_arguments)]
unsafe fn tile(kc: usize, a: *const f32, b: *const f32, c: Out, rows: usize, cols: usize, add: bool) {
    let nr = 16 * V;
    let mut acc = [[_mm512_setzero_ps(); V]; MR];
    for p in 0..kc {
        // SAFETY: the packed panels hold kc terms of MR and NR floats.
        unsafe {
            let bv: [__m512; V] = std::array::from_fn(|v| _mm512_loadu_ps(b.add(p * nr + 16 * v)));
            for (i, row) in acc.iter_mut().enumerate() {
                let ai = _mm512_set1_ps(*a.add(p * MR + i));
                for (r, &bj) in row.iter_mut().zip(&bv) {
                    *r = _mm512_fmadd_ps(ai, bj, *r);
                }
            }
        }
    }
    if rows == MR && cols == nr && c.cs == 1 {
        for (i, row) in acc.iter().enumerate() {
            // SAFETY: the whole tile lies inside C.
            unsafe {
                let out = c.at(i, 0).ptr;
                for (half, &v) in row.iter().enumerate() {
                    let o = out.add(half * 16);
                    let v = if add { _mm512_add_ps(_mm512_loadu_ps(o), v) } else { v };
                    _mm512_storeu_ps(o, v);
                }
            }
        }
    } else {
        let mut edge = [[0.0f32; 16 * V]; MR];
        for (i, row) in acc.iter().enumerate() {
            for (half, &v) in row.iter().enumerate() {
                // SAFETY: 16 floats fit at (i, 16·half) of the tile.
                unsafe { _mm512_storeu_ps(edge[i].as_mut_ptr().add(half * 16), v) };
            }
        }
        // SAFETY: C's rows × cols corner is writable.
        unsafe { write_edge(edge.as_flattened(), nr, c, rows, cols, add) };
    }
}
