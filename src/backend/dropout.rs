//! The dropout mask as a pure function of (seed, stream, element index): a counter-based
//! hash, so the CPU and the GPU (`shaders/common.wgsl` has its twin) draw identical masks
//! and nothing has to be uploaded per step.

/// "lowbias32", an integer hash with good avalanche (Chris Wellons, hash-prospector).
pub fn hash(mut x: u32) -> u32 {
    x ^= x >> 16;
    x = x.wrapping_mul(0x7feb_352d);
    x ^= x >> 15;
    x = x.wrapping_mul(0x846c_a68b);
    x ^= x >> 16;
    x
}

/// A uniform number in [0, 1) with 24 random bits, exactly representable in `f32`.
pub fn uniform(seed: u32, stream: u32, index: u32) -> f32 {
    let h = hash(index ^ hash(seed ^ hash(stream)));
    (h >> 8) as f32 * (1.0 / 16_777_216.0)
}

/// Whether dropout with drop probability `p` keeps this element.
pub fn keep(seed: u32, stream: u32, index: u32, p: f32) -> bool {
    uniform(seed, stream, index) >= p
}
