// @ts-check
// A histogram over time as a heat map strip: x = the health samples in order (the run's
// progress), y = the bins of one layer's output histogram (run.health_bins, a symlog axis
// labelled in powers of ten), colour = log(1 + count) from white (no values) to dark red
// (the most). A healthy layer is a steady band; all-ones climbs to 10⁵ and beyond, all-zeros
// is one line at 0. Draws only; the counts come from the session.

import { formatCount } from '../model/format.js';
import { binTicks } from '../model/health-series.js';
import { countShade, lookupTable, sequential } from './colormap.js';

const MIN_COLUMNS = 50; // the first samples are wide columns, not one stretched across
const MARGIN = { left: 58, bottom: 22, top: 6, right: 6 }; // CSS px

// The heat map's shades, from white (no values) to dark red (the most), in 256 steps.
const SHADES = lookupTable(sequential, 256);

const scratch = () => (globalThis.OffscreenCanvas ? new OffscreenCanvas(1, 1) : document.createElement('canvas'));

/**
 * Draws model `m`'s histograms of layer `layer` (0-based) from `samples` ([{step, layers}])
 * binned by `bins` ({lo, hi, count, symlog}) into `canvas`, at its CSS size; `big` is the
 * projector's type. Returns the number of samples drawn.
 */
export function drawStrip(canvas, samples, m, layer, bins, big = false) {
  const px = globalThis.devicePixelRatio || 1;
  const [cssWidth, cssHeight] = [canvas.clientWidth || 400, canvas.clientHeight || 150];
  // A canvas's size is set only when it changes: setting it reallocates the backing store.
  const [width, height] = [Math.round(cssWidth * px), Math.round(cssHeight * px)];
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const ctx = canvas.getContext('2d');
  ctx.setTransform(px, 0, 0, px, 0, 0);
  ctx.clearRect(0, 0, cssWidth, cssHeight);
  const plot = { x: MARGIN.left, y: MARGIN.top, w: cssWidth - MARGIN.left - MARGIN.right, h: cssHeight - MARGIN.top - MARGIN.bottom };
  ctx.strokeStyle = '#9ca3af';
  ctx.strokeRect(plot.x - 0.5, plot.y - 0.5, plot.w + 1, plot.h + 1);
  if (!bins || !samples.length) return 0;

  // One pixel per sample and bin, the highest bin on top, scaled up without smoothing.
  const hists = samples.map((s) => s.layers[m]?.[layer]?.histogram ?? new Uint32Array(bins.count));
  const top = Math.max(0, ...hists.map((h) => Math.max(0, ...h)));
  const image = new ImageData(samples.length, bins.count);
  const pixels32 = new Uint32Array(image.data.buffer);
  for (const [x, hist] of hists.entries()) {
    for (let b = 0; b < bins.count; b++) {
      pixels32[(bins.count - 1 - b) * samples.length + x] = SHADES[Math.round(255 * countShade(hist[b] ?? 0, top))];
    }
  }
  const pixels = scratch();
  pixels.width = samples.length;
  pixels.height = bins.count;
  pixels.getContext('2d').putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  const drawn = (plot.w * samples.length) / Math.max(MIN_COLUMNS, samples.length);
  ctx.drawImage(pixels, plot.x, plot.y, drawn, plot.h);

  // The value axis, in powers of ten, and the first and last step.
  ctx.fillStyle = '#111827';
  ctx.font = `${big ? 16 : 12}px system-ui, sans-serif`;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const maxTicks = Math.max(3, Math.floor(plot.h / (big ? 24 : 18)));
  for (const { t, label } of binTicks(bins, maxTicks)) {
    const y = plot.y + plot.h * (1 - (t - bins.lo) / (bins.hi - bins.lo));
    ctx.fillText(label, plot.x - 6, y);
    ctx.fillRect(plot.x - 4, Math.round(y), 4, 1);
  }
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  ctx.fillText(`step ${formatCount(samples[0].step)}`, plot.x, plot.y + plot.h + 4);
  if (samples.length > 1) {
    ctx.textAlign = 'right';
    const end = Math.min(plot.x + plot.w, Math.max(plot.x + drawn, plot.x + (big ? 210 : 150)));
    ctx.fillText(`step ${formatCount(samples.at(-1).step)}`, end, plot.y + plot.h + 4);
  }
  return samples.length;
}
