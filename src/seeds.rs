//! The seed tree: one user-facing seed, and independent streams derived from it for the
//! split, the batch order, each initializer's weights and the dropout masks. Deriving by
//! purpose (not by draw order) keeps a model's weights the same whichever other models run.

pub const SPLIT: u64 = 1;
pub const BATCHES: u64 = 2;
pub const WEIGHTS: u64 = 3;
pub const DROPOUT: u64 = 4;

/// SplitMix64's finalizer: a bijective mix with full avalanche.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The seed of stream `purpose`/`index` under the user's `seed`.
pub fn derive(seed: u64, purpose: u64, index: u64) -> u64 {
    mix(mix(mix(seed) ^ purpose.wrapping_mul(0x9e37_79b9_7f4a_7c15)) ^ index)
}
