//! The seed tree: one user-facing seed, and every random stream of a run derived from it *by
//! purpose* (the split, each epoch's batch order, each initializer's weights per layer, the
//! dropout masks of each step and layer), never by draw order. So a model's weights stay the
//! same whichever other models run, and reset or recovery replays a run exactly. This is the
//! only place where a stream is derived.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Purposes: the first level of the tree.
const SPLIT: u64 = 1;
const BATCHES: u64 = 2;
const WEIGHTS: u64 = 3;
const DROPOUT: u64 = 4;

/// Which dropout masks: those of training steps, or those of validation passes (used only
/// when validating with dropout on, as the lesson's published numbers were).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MaskUse {
    Train = 0,
    Eval = 1,
}

/// The masks of one forward pass: layer `l` draws from stream `first_stream + l` of `seed`
/// (see [`crate::backend::dropout::keep`]); every model of a stack shares them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MaskStreams {
    pub seed: u32,
    pub first_stream: u32,
}

/// Every stream of one run, derived from the user's seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeedTree {
    seed: u64,
}

impl SeedTree {
    pub fn new(seed: u64) -> SeedTree {
        SeedTree { seed }
    }

    /// The generator that shuffles the images before the train/validation split.
    pub fn split(&self) -> ChaCha8Rng {
        self.rng(SPLIT, 0)
    }

    /// The generator that orders the training images of epoch `epoch` (0-based).
    pub fn epoch_order(&self, epoch: usize) -> ChaCha8Rng {
        self.rng(BATCHES, epoch as u64)
    }

    /// The generator of layer `layer`'s initial parameters for the initializer with id
    /// `init_id`: it depends on nothing else, so toggling other initializers changes nothing.
    pub fn weights(&self, init_id: &str, layer: usize) -> ChaCha8Rng {
        self.rng(WEIGHTS, fnv1a(init_id) ^ ((layer as u64) << 56))
    }

    /// The dropout masks of training step `step` (0-based) of a network of `layers` layers.
    pub fn train_masks(&self, step: usize, layers: usize) -> MaskStreams {
        self.masks(MaskUse::Train, step, layers)
    }

    /// The dropout masks of validation batch `batch`, counted over the whole run (a pass after
    /// step s over b batches numbers its batches s·b, s·b + 1, …).
    pub fn eval_masks(&self, batch: usize, layers: usize) -> MaskStreams {
        self.masks(MaskUse::Eval, batch, layers)
    }

    fn masks(&self, usage: MaskUse, index: usize, layers: usize) -> MaskStreams {
        MaskStreams {
            // The hash takes 32-bit seeds and streams; wrapping only repeats masks after 2^32
            // streams, far beyond any run.
            seed: derive(self.seed, DROPOUT, usage as u64) as u32,
            first_stream: (index as u32).wrapping_mul(layers as u32),
        }
    }

    fn rng(&self, purpose: u64, index: u64) -> ChaCha8Rng {
        ChaCha8Rng::seed_from_u64(derive(self.seed, purpose, index))
    }
}

/// SplitMix64's finalizer: a bijective mix with full avalanche.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The seed of stream `purpose`/`index` under the user's `seed`.
fn derive(seed: u64, purpose: u64, index: u64) -> u64 {
    mix(mix(mix(seed) ^ purpose.wrapping_mul(0x9e37_79b9_7f4a_7c15)) ^ index)
}

/// A stable 64-bit hash of a name (FNV-1a), so a stream follows an initializer's id.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn streams_differ_by_purpose_index_and_seed() {
        let t = SeedTree::new(7);
        let first = |mut r: ChaCha8Rng| r.random::<u64>();
        let draws = [
            first(t.split()),
            first(t.epoch_order(0)),
            first(t.epoch_order(1)),
            first(t.weights("zeros", 0)),
            first(t.weights("zeros", 1)),
            first(t.weights("ones", 0)),
            first(SeedTree::new(8).split()),
        ];
        for (i, a) in draws.iter().enumerate() {
            for b in &draws[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert_eq!(first(t.weights("ones", 2)), first(SeedTree::new(7).weights("ones", 2)));
    }

    #[test]
    fn masks_of_steps_and_validation_do_not_overlap() {
        let t = SeedTree::new(3);
        assert_ne!(t.train_masks(0, 3).seed, t.eval_masks(0, 3).seed);
        assert_eq!(t.train_masks(5, 3).first_stream, 15);
        assert_eq!(t.train_masks(5, 3).seed, t.train_masks(6, 3).seed);
    }
}
