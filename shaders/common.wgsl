// Prepended to every kernel. The dropout hash is the twin of src/backend/dropout.rs and must
// stay bit-identical to it: the CPU and the GPU draw the same masks.

// "lowbias32" (Chris Wellons); u32 multiplication wraps in WGSL, as wrapping_mul does in Rust.
fn hash(x0: u32) -> u32 {
    var x = x0;
    x ^= x >> 16u;
    x *= 0x7feb352du;
    x ^= x >> 15u;
    x *= 0x846ca68bu;
    x ^= x >> 16u;
    return x;
}

// A uniform number in [0, 1) with 24 random bits: exact in f32, so the comparison with p is too.
fn dropout_uniform(seed: u32, stream: u32, index: u32) -> f32 {
    let h = hash(index ^ hash(seed ^ hash(stream)));
    return f32(h >> 8u) * (1.0 / 16777216.0);
}

fn dropout_keep(seed: u32, stream: u32, index: u32, p: f32) -> bool {
    return dropout_uniform(seed, stream, index) >= p;
}

// Element kernels run 256 invocations per workgroup on a 2-D grid, because one dimension
// holds at most 65,535 workgroups (the default limit).
fn flat_index(wg: vec3<u32>, groups: vec3<u32>, local: u32) -> u32 {
    return (wg.y * groups.x + wg.x) * 256u + local;
}

// Finite or not by the bit pattern (an exponent of all ones is ∞ or NaN): a compiler may assume
// floats are finite and fold `x != x` away, but not an integer test.
fn is_finite(v: f32) -> bool {
    return (bitcast<u32>(v) & 0x7f800000u) != 0x7f800000u;
}

fn is_nan(v: f32) -> bool {
    return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u;
}

// +∞, from a `var`: a constant expression must be finite in WGSL, so no constant can hold it.
fn infinity() -> f32 {
    var bits = 0x7f800000u;
    return bitcast<f32>(bits);
}
