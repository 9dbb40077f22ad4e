// @ts-check
// Heat maps over the run: x = the health samples in order (the run's progress). The strip of
// one layer's output histogram: y = its bins (run.health_bins, a symlog axis labelled in
// powers of ten), colour = log(1 + count) from white (no values) to dark red (the most); a
// healthy layer is a steady band, all-ones climbs to 10⁵ and beyond, all-zeros is one line
// at 0. The deep-network overview (health.js) draws its layers × samples with drawGrid too.
// Draws only; the numbers come from the session.

import { formatCount } from '../model/format.js';
import { binTicks } from '../model/health-series.js';
import { fitCanvas } from './canvas.js';
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
  const hists = bins ? samples.map((s) => s.layers[m]?.[layer]?.histogram ?? new Uint32Array(bins.count)) : [];
  const top = Math.max(0, ...hists.map((h) => Math.max(0, ...h)));
  const maxTicks = (plotHeight) => Math.max(3, Math.floor(plotHeight / (big ? 24 : 18)));
  return drawGrid(canvas, {
    columns: hists.length,
    rows: bins?.count ?? 0,
    colourAt: (x, b) => SHADES[Math.round(255 * countShade(hists[x][b] ?? 0, top))],
    yTicks: (plotHeight) => binTicks(bins, maxTicks(plotHeight)).map(({ t, label }) => ({ at: (t - bins.lo) / (bins.hi - bins.lo), label })),
    steps: samples.map((s) => s.step),
    big,
  });
}

/**
 * Draws a heat map into `canvas` at its CSS size, in device pixels (canvas.js): `columns` ×
 * `rows` cells, column x's row y (0 the bottom) in the packed colour `colourAt(x, y)`, scaled
 * up without smoothing; the y axis' `yTicks(plotHeight)` ({at: 0 bottom … 1 top, label}) and
 * the first and last of `steps` (one per column) under it; `big` is the projector's type. Returns the columns drawn.
 * @param {HTMLCanvasElement} canvas
 * @param {{columns: number, rows: number, colourAt: (x: number, y: number) => number,
 *   yTicks: (plotHeight: number) => {at: number, label: string}[], steps: number[], big?: boolean}} grid
 */
export function drawGrid(canvas, { columns, rows, colourAt, yTicks, steps, big = false }) {
  const { ctx, width: cssWidth, height: cssHeight } = fitCanvas(canvas);
  const plot = { x: MARGIN.left, y: MARGIN.top, w: cssWidth - MARGIN.left - MARGIN.right, h: cssHeight - MARGIN.top - MARGIN.bottom };
  ctx.strokeStyle = '#9ca3af';
  ctx.strokeRect(plot.x - 0.5, plot.y - 0.5, plot.w + 1, plot.h + 1);
  if (!columns || !rows) return 0;

  // One pixel per cell, the top row first.
  const image = new ImageData(columns, rows);
  const pixels32 = new Uint32Array(image.data.buffer);
  for (let x = 0; x < columns; x++) {
    for (let y = 0; y < rows; y++) pixels32[(rows - 1 - y) * columns + x] = colourAt(x, y);
  }
  const pixels = scratch();
  pixels.width = columns;
  pixels.height = rows;
  pixels.getContext('2d').putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  const drawn = (plot.w * columns) / Math.max(MIN_COLUMNS, columns);
  ctx.drawImage(pixels, plot.x, plot.y, drawn, plot.h);

  // The y axis, and the first and last step.
  ctx.fillStyle = '#111827';
  ctx.font = `${big ? 16 : 12}px system-ui, sans-serif`;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const { at, label } of yTicks(plot.h)) {
    const y = plot.y + plot.h * (1 - at);
    ctx.fillText(label, plot.x - 6, y);
    ctx.fillRect(plot.x - 4, Math.round(y), 4, 1);
  }
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  ctx.fillText(`step ${formatCount(steps[0])}`, plot.x, plot.y + plot.h + 4);
  if (columns > 1) {
    ctx.textAlign = 'right';
    const end = Math.min(plot.x + plot.w, Math.max(plot.x + drawn, plot.x + (big ? 210 : 150)));
    ctx.fillText(`step ${formatCount(steps.at(-1))}`, end, plot.y + plot.h + 4);
  }
  return columns;
}
