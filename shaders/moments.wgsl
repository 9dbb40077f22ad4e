// Per model, over its len values d = x - minus (d = x without has_minus):
// [sum (d - c), sum (d - c)^2, min d, max d, non-finite count, c] of the finite d at
// out[offset + model * stride], where the shift c is the model's first d if finite, else 0
// (backend::reduce::moments: it keeps a spread small next to the mean).
// One workgroup per model: each invocation takes values lid, lid + 256, …, then the workgroup
// combines the partials in a tree (sums in f32, so they differ from the CPU's f64 sums by
// rounding; min, max and the count are exact).
struct Params {
    models: u32,
    len: u32,
    has_minus: u32,
    offset: u32,
    stride: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> minus: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

var<workgroup> sum_part: array<f32, 256>;
var<workgroup> sq_part: array<f32, 256>;
var<workgroup> min_part: array<f32, 256>;
var<workgroup> max_part: array<f32, 256>;
var<workgroup> bad_part: array<u32, 256>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
    let model = wg.x;
    let base = model * P.len;
    var sum = 0.0;
    var sq = 0.0;
    // ±∞ when no value is finite, as on the CPU.
    var lo = infinity();
    var hi = -infinity();
    var bad = 0u;
    var first = x[base];
    if P.has_minus != 0u {
        first -= minus[base];
    }
    let shift = select(0.0, first, is_finite(first));
    for (var i = lid; i < P.len; i += 256u) {
        var d = x[base + i];
        if P.has_minus != 0u {
            d -= minus[base + i];
        }
        if !is_finite(d) {
            bad += 1u;
            continue;
        }
        let e = d - shift;
        sum += e;
        sq += e * e;
        lo = min(lo, d);
        hi = max(hi, d);
    }
    sum_part[lid] = sum;
    sq_part[lid] = sq;
    min_part[lid] = lo;
    max_part[lid] = hi;
    bad_part[lid] = bad;
    workgroupBarrier();
    for (var half = 128u; half > 0u; half >>= 1u) {
        if lid < half {
            sum_part[lid] += sum_part[lid + half];
            sq_part[lid] += sq_part[lid + half];
            min_part[lid] = min(min_part[lid], min_part[lid + half]);
            max_part[lid] = max(max_part[lid], max_part[lid + half]);
            bad_part[lid] += bad_part[lid + half];
        }
        workgroupBarrier();
    }
    if lid == 0u {
        let o = P.offset + model * P.stride;
        out[o] = sum_part[0];
        out[o + 1u] = sq_part[0];
        out[o + 2u] = min_part[0];
        out[o + 3u] = max_part[0];
        out[o + 4u] = f32(bad_part[0]);
        out[o + 5u] = shift;
    }
}
