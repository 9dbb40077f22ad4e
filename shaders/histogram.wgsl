// Per model, the count of its len values in each of count (at most 64) equal-width bins over
// [lo, hi) of the value or of its symlog (with data_range, [lo, hi] is instead the model's
// smallest and largest finite value, found first in the same workgroup), then the count of
// non-finite values, at out[offset + model * stride]. One workgroup per model, counting in
// workgroup atomics.
struct Params {
    models: u32,
    len: u32,
    count: u32,
    symlog: u32,
    lo: f32,
    hi: f32,
    offset: u32,
    stride: u32,
    data_range: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

// 64 bins and the non-finite count.
var<workgroup> counts: array<atomic<u32>, 65>;
// The data range's tree: each thread's finite minimum and maximum.
var<workgroup> lows: array<f32, 256>;
var<workgroup> highs: array<f32, 256>;

// LOG10_2 as Rust's std::f32::consts rounds it.
const LOG10_2: f32 = 0.301029995663981195213738894724493027;

// The bins' width, over `scale`: computed once per workgroup and read back from workgroup
// memory, out of reach of the fold of x / ((hi − lo) / count) into x · count · 1/(hi − lo)
// that NVIDIA's compiler made, whose reciprocal of a range near f32's largest is flushed to
// zero.
var<workgroup> width: f32;
var<workgroup> scale: f32;

// The twin of backend::reduce::bin_of, operation for operation but for `scale`, so that the two
// differ only where WGSL's division and log2 round differently from the CPU's (next to a bin
// edge). GPUs divide by multiplying with an approximate reciprocal, which is flushed to zero
// for a divisor beyond 2^126 (NVIDIA: every value in bin 0): a width beyond 2^64 and its
// numerator are first scaled down by 2^64, which is exact and leaves the quotient as it was.
fn bin_of(v: f32, lo: f32) -> u32 {
    var t = v;
    if P.symlog != 0u {
        // backend::reduce::symlog with SYMLOG_FLOOR = 1e-3. sign(0) is 0 where Rust's signum
        // is ±1, but it multiplies log2(1) = 0 either way.
        t = sign(v) * log2(1.0 + abs(v) / 1e-3) * LOG10_2;
    }
    let at = floor((t - lo) * scale / width);
    // Rust's `as usize` saturates: NaN (hi = lo) and below-range to bin 0, above-range (∞
    // included) to the last bin.
    if is_nan(at) || at < 0.0 {
        return 0u;
    }
    if at >= f32(P.count - 1u) {
        return P.count - 1u;
    }
    return u32(at);
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
    let model = wg.x;
    if lid <= P.count {
        atomicStore(&counts[lid], 0u);
    }
    workgroupBarrier();
    let base = model * P.len;
    var lo = P.lo;
    var hi = P.hi;
    if P.data_range != 0u {
        // min and max are exact, so the range is the CPU's (reduce::moments) bit for bit.
        var low = infinity();
        var high = -infinity();
        for (var i = lid; i < P.len; i += 256u) {
            let v = x[base + i];
            if is_finite(v) {
                low = min(low, v);
                high = max(high, v);
            }
        }
        lows[lid] = low;
        highs[lid] = high;
        workgroupBarrier();
        for (var half = 128u; half > 0u; half >>= 1u) {
            if lid < half {
                lows[lid] = min(lows[lid], lows[lid + half]);
                highs[lid] = max(highs[lid], highs[lid + half]);
            }
            workgroupBarrier();
        }
        lo = lows[0];
        hi = highs[0];
    }
    if lid == 0u {
        let w = (hi - lo) / f32(P.count);
        scale = select(1.0, 0x1p-64f, w > 0x1p64f);
        width = w * scale;
    }
    workgroupBarrier();
    for (var i = lid; i < P.len; i += 256u) {
        let v = x[base + i];
        atomicAdd(&counts[select(P.count, bin_of(v, lo), is_finite(v))], 1u);
    }
    workgroupBarrier();
    if lid <= P.count {
        out[P.offset + model * P.stride + lid] = f32(atomicLoad(&counts[lid]));
    }
}
