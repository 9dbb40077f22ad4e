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

// The activations, twins of src/backend/activation.rs (same formulas, same order), switched on
// `Activation::code`: 0 ReLU, 1 leaky ReLU, 2 tanh, 3 sigmoid, 4 linear.
const LEAKY_SLOPE: f32 = 0.01;

// Cephes' polynomial near 0 (a built-in tanh may lose the relative precision a vanishing
// signal needs), 1 − 2/(e^{2|z|} + 1) above, ±1 beyond 9.
fn tanh_twin(z: f32) -> f32 {
    let a = abs(z);
    if a < 0.625 {
        let s = z * z;
        let p = (((-5.7049887e-3 * s + 2.063909e-2) * s - 5.3739716e-2) * s + 1.3331442e-1) * s - 3.333328e-1;
        return p * s * z + z;
    }
    // The formula first and the same test as the CPU's, so that a NaN input stays NaN (not a
    // saturated ±1): WGSL may assume there are no NaNs when it rewrites a comparison.
    var t = 1.0 - 2.0 / (exp(2.0 * a) + 1.0);
    if a > 9.0 {
        t = 1.0;
    }
    return select(t, -t, z < 0.0);
}

fn sigmoid_twin(z: f32) -> f32 {
    if z >= 0.0 {
        return 1.0 / (1.0 + exp(-z));
    }
    let e = exp(z);
    return e / (1.0 + e);
}

fn activate(act: u32, z: f32) -> f32 {
    switch act {
        case 0u: { return max(z, 0.0); }
        case 1u: { return select(LEAKY_SLOPE * z, z, z > 0.0); }
        case 2u: { return tanh_twin(z); }
        case 3u: { return sigmoid_twin(z); }
        default: { return z; }
    }
}

// φ'(z) from the output y = φ(z).
fn activation_slope(act: u32, y: f32) -> f32 {
    switch act {
        case 0u: { return select(0.0, 1.0, y > 0.0); }
        case 1u: { return select(LEAKY_SLOPE, 1.0, y > 0.0); }
        case 2u: { return max(1.0 - y * y, 0.0); }
        case 3u: { return max(y * (1.0 - y), 0.0); }
        default: { return 1.0; }
    }
}
