// Per model and column c of x [rows][cols] (unit c's incoming weights) followed by
// bias[model][c]: the twin of backend::reduce::fingerprint, two 24-bit hashes of the values' bits
// in order, as exact floats at out[(model * cols + c) * 2 + {0, 1}]. One invocation per unit:
// each hash is a chain over the unit's values, so a unit cannot be split.
struct Params {
    models: u32,
    rows: u32,
    cols: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

// FNV-1a and a multiply–xorshift step; u32 multiplication wraps as wrapping_mul does.
fn hash_step(h: vec2<u32>, bits: u32) -> vec2<u32> {
    let h1 = (h.x ^ bits) * 0x01000193u;
    var h2 = (h.y ^ bits) * 0x85ebca6bu;
    h2 ^= h2 >> 15u;
    return vec2<u32>(h1, h2);
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
    let unit = flat_index(wg, groups, local);
    if unit >= P.models * P.cols {
        return;
    }
    let model = unit / P.cols;
    let col = unit % P.cols;
    let base = model * P.rows * P.cols + col;
    var h = vec2<u32>(0x811c9dc5u, 0x9e3779b9u);
    for (var row = 0u; row < P.rows; row++) {
        h = hash_step(h, bitcast<u32>(x[base + row * P.cols]));
    }
    h = hash_step(h, bitcast<u32>(bias[unit]));
    // The top 24 bits, exact in f32.
    out[unit * 2u] = f32(h.x >> 8u);
    out[unit * 2u + 1u] = f32(h.y >> 8u);
}
