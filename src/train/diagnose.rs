//! The per-layer diagnostics at a step, on a fixed probe batch of validation images with
//! dropout off: histograms, dead ReLUs and distinct neurons per layer, the first layer's
//! weights as images, and every model's prediction for the gallery's images. Everything is
//! reduced on the backend; only the results are read back.

use super::views::{DATA_BINS, HISTOGRAM_BINS, TILE_UNITS};
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
        let (models, shape) = (self.inits.len(), self.stack.shape.clone());
        let layers = shape.layers();
        let probe = &self.split.val[..PROBE_ROWS.min(self.split.val.len())];
        let (b, v) = (self.backend.as_mut(), &self.views);
        b.gather(self.data, probe, self.stack.x, self.stack.labels);
        self.stack.forward(b, probe.len(), None);
        let hist_floats = HISTOGRAM_BINS + 1;
        let hist_at =
            |l: usize, which: usize| Region { offset: (l * 2 + which) * models * hist_floats, stride: hist_floats };
        for l in 0..layers {
            let (fan_in, fan_out) = shape.dims(l);
            let (w, bias) = (self.stack.weights(l).0, self.stack.biases(l).0);
            let ws = Shape { models, rows: fan_in, cols: fan_out };
            let out = (self.stack.output(l), self.stack.act_shape(probe.len(), l));
            let at = |field: usize| Region { offset: l * models * DIAG_FLOATS + field, stride: DIAG_FLOATS };
            b.moments(w, None, ws, v.diag, at(DIAG_WEIGHTS));
            b.moments(out.0, None, out.1, v.diag, at(DIAG_OUTPUTS));
            b.dead_units(out.0, out.1, v.diag, at(DIAG_DEAD));
            b.histogram(w, ws, DATA_BINS, v.histograms, hist_at(l, 0));
            b.histogram(out.0, out.1, DATA_BINS, v.histograms, hist_at(l, 1));
            b.fingerprints(w, bias, ws, v.fingerprints[l]);
        }
        let (inputs, hidden) = shape.dims(0);
        let units = TILE_UNITS.min(hidden);
        b.columns(self.stack.weights(0).0, Shape { models, rows: inputs, cols: hidden }, units, v.tiles);
        let diag = b.read(v.diag).await?;
        let hists = b.read(v.histograms).await?;
        let mut fingerprints = Vec::new();
        for &buf in &v.fingerprints {
            fingerprints.push(b.read(buf).await?);
        }
        let tiles = b.read(v.tiles).await?;
        let mut stats = vec![Vec::new(); models];
        for l in 0..layers {
            let (fan_in, fan_out) = shape.dims(l);
            for (m, layer_stats) in stats.iter_mut().enumerate() {
                let hist = |which| &hists[hist_at(l, which).offset + m * hist_floats..][..hist_floats];
                layer_stats.push(LayerStats::decode(
                    &diag[(l * models + m) * DIAG_FLOATS..][..DIAG_FLOATS],
                    (hist(0), hist(1)),
                    &fingerprints[l][m * fan_out * 2..][..fan_out * 2],
                    (fan_in * fan_out, probe.len() * fan_out),
                    l + 1 < layers,
                ));
            }
        }
        let tiles = Tiles {
            units,
            rows: self.dataset.rows,
            cols: self.dataset.cols,
            models: (0..models)
                .map(|m| {
                    let [min, max] = [2, 3].map(|k| diag[m * DIAG_FLOATS + DIAG_WEIGHTS + k].abs());
                    let scale = if min.is_finite() && max.is_finite() { min.max(max) } else { 0.0 };
                    ModelTiles::quantize(&tiles[m * units * inputs..][..units * inputs], scale)
                })
                .collect(),
        };
        let gallery = self.predict_gallery().await?;
        Ok(Diagnostics { layers: stats, tiles, gallery })
    }

    /// Each model's predicted class for each gallery image.
    async fn predict_gallery(&mut self) -> Result<Vec<Vec<u8>>, TrainError> {
        let (models, rows) = (self.inits.len(), self.gallery.len());
        if rows == 0 {
            return Ok(vec![Vec::new(); models]);
        }
        let b = self.backend.as_mut();
        b.gather(self.data, &self.gallery, self.stack.x, self.stack.labels);
        self.stack.forward(b, rows, None);
        let logits = self.stack.output(self.stack.shape.layers() - 1);
        b.copy(logits, self.views.gallery, 0, models * rows * CLASSES);
        let z = b.read(self.views.gallery).await?;
        Ok((0..models)
            .map(|m| (0..rows).map(|r| argmax(&z[(m * rows + r) * CLASSES..][..CLASSES]).0 as u8).collect())
            .collect())
    }
}
