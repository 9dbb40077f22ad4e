//! The wasm kernel: a 4×8 tile in eight v128 accumulators. Engines map v128 onto the 16 SSE
//! registers of x86-64 (V8, SpiderMonkey) or 32 NEON ones; without a fused multiply-add each
//! term needs a product register besides the accumulators, the two B vectors and the A
//! broadcast, so larger tiles spill. With relaxed SIMD (`+relaxed-simd`) the multiply-add is
//! `f32x4.relaxed_madd`: fused where the hardware can, on one machine always the same way.

use std::arch::wasm32::*;

use super::{Out, Tile, write_edge};

pub(super) struct Simd128;

const MR: usize = 4;
const NR: usize = 8;
const VECS: usize = NR / 4;

impl Tile for Simd128 {
    const MR: usize = MR;
    const NR: usize = NR;
    /// A packed B panel of 256 terms is 8 KiB: it stays in L1 while every A panel passes.
    const KC: usize = 256;

    unsafe fn tile(kc: usize, a: *const f32, b: *const f32, c: Out, rows: usize, cols: usize, accumulate: bool) {
        let mut acc = [[f32x4_splat(0.0); VECS]; MR];
        for p in 0..kc {
            // SAFETY: the packed panels hold kc terms of MR and NR floats.
            unsafe {
                let bv: [v128; VECS] = std::array::from_fn(|v| v128_load(b.add(p * NR + 4 * v) as *const v128));
                for (i, row) in acc.iter_mut().enumerate() {
                    let ai = v128_load32_splat(a.add(p * MR + i) as *const u32);
                    for (r, &bj) in row.iter_mut().zip(&bv) {
                        *r = madd(ai, bj, *r);
                    }
                }
            }
        }
        if rows == MR && cols == NR && c.cs == 1 {
            for (i, row) in acc.iter().enumerate() {
                // SAFETY: the whole tile lies inside C.
                unsafe {
                    let out = c.at(i, 0).ptr;
                    for (v, &x) in row.iter().enumerate() {
                        let o = out.add(4 * v) as *mut v128;
                        v128_store(o, if accumulate { f32x4_add(v128_load(o), x) } else { x });
                    }
                }
            }
        } else {
            let mut edge = [0.0f32; MR * NR];
            for (i, row) in acc.iter().enumerate() {
                for (v, &x) in row.iter().enumerate() {
                    // SAFETY: 4 floats fit at (i, 4·v) of the tile.
                    unsafe { v128_store(edge.as_mut_ptr().add(i * NR + 4 * v) as *mut v128, x) };
                }
            }
            // SAFETY: C's rows × cols corner is writable.
            unsafe { write_edge(&edge, NR, c, rows, cols, accumulate) };
        }
    }
}

/// `a·b + c`, fused where relaxed SIMD is enabled and the hardware has it.
#[inline(always)]
fn madd(a: v128, b: v128, c: v128) -> v128 {
    #[cfg(target_feature = "relaxed-simd")]
    {
        f32x4_relaxed_madd(a, b, c)
    }
    #[cfg(not(target_feature = "relaxed-simd"))]
    {
        f32x4_add(f32x4_mul(a, b), c)
    }
}
