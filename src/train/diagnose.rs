//! The per-layer diagnostics at a step, on a fixed probe batch of validation images with
//! dropout off: histograms, dead ReLUs and distinct neurons per layer, the first layer's
//! weights as images, and every model's prediction for the gallery's images. Everything is
//! reduced on the backend; only the results are read back.

use super::views::{DATA_BINS, HISTOGRAM_BINS, TILE_UNITS, counts_dead};
use super::{PROBE_ROWS, TrainError, Trainer};
use crate::backend::reduce::argmax;
use crate::backend::{Region, Shape};
use crate::data::CLASSES;
use crate::stats::{DIAG_DEAD, DIAG_FLOATS, DIAG_OUTPUTS, DIAG_WEIGHTS, LayerStats, ModelTiles, Tiles};

/// What the "Why?" views show at a step.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub struct Diagnostics {
    /// `[model][layer]`.
    pub layers: Vec<Vec<LayerStats>>,
    pub tiles: Tiles,
    /// `[model][image]`: the class each model predicts for each gallery image.
    pub gallery: Vec<Vec<u8>>,
}

impl Trainer {
    /// The diagnostics of every model now.
    pub async fn diagnostics(&mut self) -> Result<Diagnostics, TrainError> {
        let models = self.models.len();
        let probe = &self.split.val[..PROBE_ROWS.min(self.split.val.len())];
        let inputs = self.dataset.pixels_per_image();
        // One tile count for every model: the narrowest first layer's.
        let units = self.groups.iter().map(|g| TILE_UNITS.min(g.stack.shape.dims(0).1)).min().unwrap_or(0);
        let mut stats = vec![Vec::new(); models];
        let mut tiles = vec![None; models];
        let hist_floats = HISTOGRAM_BINS + 1;
        let b = self.backend.as_mut();
        for group in &self.groups {
            let (stack, v, n) = (&group.stack, &group.views, group.models.len());
            let (shape, layers) = (&stack.shape, stack.shape.layers());
            b.gather(self.data, probe, stack.x, stack.labels);
            stack.forward(b, probe.len(), None);
            let hist_at =
                |l: usize, which: usize| Region { offset: (l * 2 + which) * n * hist_floats, stride: hist_floats };
            for l in 0..layers {
                let (fan_in, fan_out) = shape.dims(l);
                let (w, bias) = (stack.weights(l).0, stack.biases(l).0);
                let ws = Shape { models: n, rows: fan_in, cols: fan_out };
                let out = (stack.output(l), stack.act_shape(probe.len(), l));
                let at = |field: usize| Region { offset: l * n * DIAG_FLOATS + field, stride: DIAG_FLOATS };
                b.moments(w, None, ws, v.diag, at(DIAG_WEIGHTS));
                b.moments(out.0, None, out.1, v.diag, at(DIAG_OUTPUTS));
                b.dead_units(out.0, out.1, v.diag, at(DIAG_DEAD));
                b.histogram(w, ws, DATA_BINS, v.histograms, hist_at(l, 0));
                b.histogram(out.0, out.1, DATA_BINS, v.histograms, hist_at(l, 1));
                b.fingerprints(w, bias, ws, v.fingerprints[l]);
            }
            let hidden = shape.dims(0).1;
            b.columns(stack.weights(0).0, Shape { models: n, rows: inputs, cols: hidden }, units, v.tiles);
            let diag = b.read(v.diag).await?;
            let hists = b.read(v.histograms).await?;
            let mut fingerprints = Vec::new();
            for &buf in &v.fingerprints {
                fingerprints.push(b.read(buf).await?);
            }
            let columns = b.read(v.tiles).await?;
            for (i, &m) in group.models.iter().enumerate() {
                for l in 0..layers {
                    let (fan_in, fan_out) = shape.dims(l);
                    let hist = |which| &hists[hist_at(l, which).offset + i * hist_floats..][..hist_floats];
                    stats[m].push(LayerStats::decode(
                        &diag[(l * n + i) * DIAG_FLOATS..][..DIAG_FLOATS],
                        (hist(0), hist(1)),
                        &fingerprints[l][i * fan_out * 2..][..fan_out * 2],
                        (fan_in * fan_out, probe.len() * fan_out),
                        counts_dead(shape, l),
                    ));
                }
                let [min, max] = [2, 3].map(|k| diag[i * DIAG_FLOATS + DIAG_WEIGHTS + k].abs());
                let scale = if min.is_finite() && max.is_finite() { min.max(max) } else { 0.0 };
                tiles[m] = Some(ModelTiles::quantize(&columns[i * units * inputs..][..units * inputs], scale));
            }
        }
        let tiles = Tiles {
            units,
            rows: self.dataset.rows,
            cols: self.dataset.cols,
            models: tiles.into_iter().map(|t| t.expect("every model is in a group")).collect(),
        };
        let gallery = self.predict_gallery().await?;
        Ok(Diagnostics { layers: stats, tiles, gallery })
    }

    /// Each model's predicted class for each gallery image.
    async fn predict_gallery(&mut self) -> Result<Vec<Vec<u8>>, TrainError> {
        let rows = self.gallery.len();
        let mut predictions = vec![Vec::new(); self.models.len()];
        if rows == 0 {
            return Ok(predictions);
        }
        let b = self.backend.as_mut();
        for group in &self.groups {
            let stack = &group.stack;
            b.gather(self.data, &self.gallery, stack.x, stack.labels);
            stack.forward(b, rows, None);
            let logits = stack.output(stack.shape.layers() - 1);
            b.copy(logits, group.views.gallery, 0, group.models.len() * rows * CLASSES);
            let z = b.read(group.views.gallery).await?;
            for (i, &m) in group.models.iter().enumerate() {
                predictions[m] = (0..rows).map(|r| argmax(&z[(i * rows + r) * CLASSES..][..CLASSES]).0 as u8).collect();
            }
        }
        Ok(predictions)
    }
}
