//! The seeded train/validation split and the per-epoch batch order. Both depend only on the
//! data seed, so every model of a comparison — and every rerun — sees the same batches.

use rand::seq::SliceRandom;

use crate::seeds::SeedTree;

/// Indices into the training file: the images trained on and the ones held out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    pub train: Vec<u32>,
    pub val: Vec<u32>,
}

/// Shuffles `0..count` and holds the last `val_count` out for validation.
pub fn split(count: usize, val_count: usize, seed: u64) -> Split {
    let mut all: Vec<u32> = (0..count as u32).collect();
    all.shuffle(&mut SeedTree::new(seed).split());
    let val = all.split_off(count.saturating_sub(val_count));
    Split { train: all, val }
}

/// Batch `in_epoch` (0-based) of an epoch's `order` in batches of `batch_size`: the last one
/// may be short. One definition for training and for replaying a step.
pub fn batch_of(order: &[u32], in_epoch: usize, batch_size: usize) -> &[u32] {
    &order[in_epoch * batch_size..((in_epoch + 1) * batch_size).min(order.len())]
}

/// The training indices in the order of epoch `epoch`, a fresh shuffle for each epoch.
pub fn epoch_order(train: &[u32], seed: u64, epoch: usize) -> Vec<u32> {
    let mut order = train.to_vec();
    order.shuffle(&mut SeedTree::new(seed).epoch_order(epoch));
    order
}
