//! Packing: copying a block of A or B into the order the kernel reads it, one contiguous
//! stream per panel, zero-padded to whole tiles. Each copy walks the source along its
//! contiguous direction (row-major or transposed), so both layouts read memory in order.

use super::View;

/// Packs `m` rows × `kc` columns of `a` into panels of `mr` rows: panel `r` holds, for each
/// term `p`, the `mr` values `a[r·mr + i][p]` (zero for rows past `m`).
///
/// # Safety
/// `a` views at least `m × kc` readable elements; `out` holds `⌈m/mr⌉·mr·kc` floats.
pub(super) unsafe fn rows(out: &mut [f32], mr: usize, m: usize, kc: usize, a: View) {
    for (panel, i0) in (0..m).step_by(mr).enumerate() {
        let dst = &mut out[panel * mr * kc..][..mr * kc];
        let live = mr.min(m - i0);
        // SAFETY: every (i0 + i, p) read lies inside the m × kc block.
        unsafe { interleave(dst, mr, live, a.at(i0, 0), a.rs, a.cs) };
    }
}

/// Packs `kc` rows × `cols` columns of `b` into one panel `nr` wide: for each term `p`, the
/// `nr` values `b[p][j]` (zero for columns past `cols`).
///
/// # Safety
/// `b` views at least `kc × cols` readable elements; `out` holds `nr·kc` floats.
pub(super) unsafe fn columns(out: &mut [f32], nr: usize, kc: usize, cols: usize, b: View) {
    // SAFETY: every (p, j) read lies inside the kc × cols block.
    unsafe { interleave(&mut out[..nr * kc], nr, cols, b, b.cs, b.rs) };
}

/// `dst[p·width + lane] = src(lane, p)` for `lane < live`, zero for the other lanes, where
/// `src(lane, p)` is at `lane·lane_stride + p·step_stride` from `src.ptr`.
///
/// # Safety
/// Every `src(lane, p)` with `lane < live`, `p < dst.len() / width` is readable.
unsafe fn interleave(dst: &mut [f32], width: usize, live: usize, src: View, lane_stride: isize, step_stride: isize) {
    if live < width {
        dst.fill(0.0);
    }
    for (p, out) in dst.chunks_exact_mut(width).enumerate() {
        let step = src.ptr.wrapping_offset(p as isize * step_stride);
        if lane_stride == 1 {
            // SAFETY: lanes 0..live of step p are readable and contiguous.
            out[..live].copy_from_slice(unsafe { std::slice::from_raw_parts(step, live) });
        } else {
            // Writing in order and reading `live` streams, each along its cache lines.
            for (lane, o) in out[..live].iter_mut().enumerate() {
                // SAFETY: (lane, p) is readable.
                *o = unsafe { *step.offset(lane as isize * lane_stride) };
            }
        }
    }
}
