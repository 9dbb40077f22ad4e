//! The buffers the views' reductions write to, allocated once with the model stack (the
//! CPU backend's buffers live as long as it does), and the fixed images they look at.

use super::{EVAL_ROWS, PROBE_ROWS, STATS_SLOTS};
use crate::backend::reduce::MOMENTS;
use crate::backend::{Activation, Bins, Buf, TrainOps};
use crate::data::{CLASSES, Dataset};
use crate::model::MlpShape;
use crate::stats::{DIAG_FLOATS, health_floats};

/// Histogram bins of the diagnostics (each model's own range) and of layer health (fixed).
pub(super) const HISTOGRAM_BINS: usize = 40;
/// First-layer units drawn as images.
pub(super) const TILE_UNITS: usize = 64;
/// Validation images of the prediction gallery: this many of each class.
const GALLERY_PER_CLASS: usize = 2;
/// Validation images the health samples look at (one forward pass, dropout off).
pub(super) const HEALTH_ROWS: usize = 100;

/// Layer health's bins: the symlog axis (≈ log10|x| + 3) from 10⁻³ to 10⁷, where all-ones'
/// logits go; from 0 for outputs that are never negative (ReLU's, the sigmoid's), else both
/// signs (the logits, tanh, leaky ReLU, linear).
pub fn health_bins(nonnegative: bool) -> Bins {
    Bins { lo: if nonnegative { 0.0 } else { -10.0 }, hi: 10.0, count: HISTOGRAM_BINS, symlog: true, data_range: false }
}

/// Whether layer `l` of `shape` has dead units to count: a hidden ReLU layer (a unit that
/// outputs 0 for every probe image passes no gradient; a leaky unit always does).
pub(super) fn counts_dead(shape: &MlpShape, l: usize) -> bool {
    l < shape.hidden_layers() && shape.activation == Activation::Relu
}

/// The diagnostics' bins: each model's own range.
pub(super) const DATA_BINS: Bins = Bins { lo: 0.0, hi: 0.0, count: HISTOGRAM_BINS, symlog: false, data_range: true };

pub(super) struct ViewBufs {
    /// `[models][classes²]` of a full validation pass.
    pub confusion: Buf,
    /// `[STATS_SLOTS][layers][models][health_floats]`: the samples not read back yet.
    pub health: Buf,
    /// Per layer, the weights before a sampled step's update; allocated once health is
    /// sampled ([`ViewBufs::keep_before`]).
    pub before: Vec<Buf>,
    /// `[layers][models][DIAG_FLOATS]`.
    pub diag: Buf,
    /// `[layers][weights, outputs][models][HISTOGRAM_BINS + 1]`.
    pub histograms: Buf,
    /// Per layer, `[models][units][2]`.
    pub fingerprints: Vec<Buf>,
    /// `[models][TILE_UNITS][inputs]`.
    pub tiles: Buf,
    /// `[models][gallery images][classes]`: the gallery's logits.
    pub gallery: Buf,
    /// `[hidden outputs, then weight gradients][models][MOMENTS]`: the signal's moments.
    pub signal: Buf,
}

impl ViewBufs {
    pub fn new(backend: &mut dyn TrainOps, shape: &MlpShape, models: usize) -> ViewBufs {
        let layers = shape.layers();
        let widths = (0..layers).map(|l| shape.dims(l).1);
        ViewBufs {
            confusion: backend.alloc(models * CLASSES * CLASSES),
            health: backend.alloc(STATS_SLOTS * layers * models * health_floats(HISTOGRAM_BINS)),
            before: Vec::new(),
            diag: backend.alloc(layers * models * DIAG_FLOATS),
            histograms: backend.alloc(layers * 2 * models * (HISTOGRAM_BINS + 1)),
            fingerprints: widths.map(|units| backend.alloc(models * units * 2)).collect(),
            tiles: backend.alloc(models * TILE_UNITS.min(shape.dims(0).1) * shape.sizes[0]),
            gallery: backend.alloc(models * GALLERY_PER_CLASS * CLASSES * CLASSES),
            signal: backend.alloc(2 * layers * models * MOMENTS),
        }
    }
}

impl ViewBufs {
    /// Allocates the weights' copy for the update ratio, if not yet there: a whole copy of
    /// every layer, so only runs that sample layer health have it.
    pub fn keep_before(&mut self, backend: &mut dyn TrainOps, shape: &MlpShape, models: usize) {
        if self.before.is_empty() {
            self.before =
                (0..shape.layers()).map(|l| backend.alloc(models * shape.dims(l).0 * shape.dims(l).1)).collect();
        }
    }
}

/// The gallery's images: the first validation images of each class, `GALLERY_PER_CLASS` of
/// each where the set has them, in validation order.
pub(super) fn gallery(val: &[u32], dataset: &Dataset) -> Vec<u32> {
    let picks = dataset.first_of_each_class(val.iter().map(|&i| i as usize), GALLERY_PER_CLASS);
    picks.into_iter().map(|i| i as u32).collect()
}

// A probe batch must fit the stack's rows.
const _: () = assert!(PROBE_ROWS <= EVAL_ROWS && HEALTH_ROWS <= EVAL_ROWS);
