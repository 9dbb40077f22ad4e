// @ts-check
// First-layer weights as images: for each model, the incoming weights of the first 64 neurons
// of hidden layer 1, each drawn as the 28×28 picture it multiplies (red positive, blue
// negative, white zero, symmetric around 0 at ± the layer's largest |w|), with the number of
// distinct neurons and what to see. The session sends the weights as int8 bytes
// (`diagnostics.tiles`: w ≈ q/127 · scale); this module decodes and draws. The pure parts
// (decoding, distinct tiles, the pixels) are unit-tested under Node (tests/unit/tiles.test.mjs).

import { formatNumber } from '../model/format.js';
import { diverging, lookupTable } from './colormap.js';
import { el, swatch } from './dom.js';

const COLUMNS = 8;
const GAP = 1; // px between tiles, in the page's background grey

/** A tile buffer's bytes as the int8 they are. */
export const int8 = (bytes) => new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);

/** Model `m`'s weights: {scale, weights: Float32Array(units·rows·cols)}, w = q/127 · scale. */
export function decodeTiles(tiles, m) {
  const { scale, weights } = tiles.models[m];
  return { scale, weights: Float32Array.from(int8(weights), (q) => (q / 127) * scale) };
}

/**
 * How many of the `units` tiles in `bytes` differ (byte for byte) from every one before: each
 * tile hashed (FNV-1a), and compared byte for byte only with the earlier tiles of its hash.
 */
export function distinctTiles(bytes, units) {
  const size = bytes.length / units;
  /** @type {Map<number, number[]>} hash → the first tile of each distinct content with it */
  const byHash = new Map();
  let distinct = 0;
  const same = (a, b) => {
    for (let i = 0; i < size; i++) if (bytes[a * size + i] !== bytes[b * size + i]) return false;
    return true;
  };
  for (let u = 0; u < units; u++) {
    let h = 0x811c9dc5;
    for (let i = u * size; i < (u + 1) * size; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    const earlier = byHash.get(h) ?? [];
    if (earlier.some((v) => same(u, v))) continue;
    earlier.push(u);
    byHash.set(h, earlier);
    distinct++;
  }
  return distinct;
}

/** The largest difference between any tile and the first, as a share of the colour scale (0–2). */
export function tileSpread(bytes, units) {
  const q = int8(bytes);
  const size = q.length / units;
  let most = 0;
  for (let i = size; i < q.length; i++) most = Math.max(most, Math.abs(q[i] - q[i % size]));
  return most / 127;
}

// The colour of each int8 weight q, at q + 127: diverging(q / 127) for q in −127 … 127.
const WEIGHT_COLOURS = lookupTable((t) => diverging(2 * t - 1), 255);

/** The RGBA pixels of `units` tiles of rows×cols in a grid COLUMNS wide: {width, height, data}. */
export function tileGridPixels(bytes, { units, rows, cols }) {
  const q = int8(bytes);
  const gridRows = Math.ceil(units / COLUMNS);
  const width = COLUMNS * cols + (COLUMNS - 1) * GAP;
  const height = gridRows * rows + (gridRows - 1) * GAP;
  const data = new Uint8ClampedArray(width * height * 4).fill(200); // the gaps: grey
  const pixels = new Uint32Array(data.buffer);
  for (let u = 0; u < units; u++) {
    const [x0, y0] = [(u % COLUMNS) * (cols + GAP), Math.floor(u / COLUMNS) * (rows + GAP)];
    for (let y = 0; y < rows; y++) {
      const from = u * rows * cols + y * cols;
      const at = (y0 + y) * width + x0;
      for (let x = 0; x < cols; x++) pixels[at + x] = WEIGHT_COLOURS[Math.max(-127, q[from + x]) + 127];
    }
  }
  return { width, height, data };
}

/** What a student should see in one model's tiles (`spread`: tileSpread). */
function sentence(scale, distinct, units, step, spread) {
  if (distinct === 1 && scale === 0) {
    return `All ${units} tiles are the same blank square: every weight is 0, so every neuron computes the same thing, gets the same update, and none can learn a feature of its own.`;
  }
  if (distinct === 1) {
    return `All ${units} tiles are the same picture: every neuron starts as a copy of the others, gets the same update, and stays a copy.`;
  }
  if (spread <= 0.03) {
    return `The ${units} tiles are almost the same picture (they differ by at most ${Math.round(spread * 100)} % of the colour scale): the neurons started as copies and have barely moved apart.`;
  }
  return step === 0
    ? `${distinct} different tiles of noise: every neuron starts different, so each can learn its own feature.`
    : `${distinct} different tiles. Where the scale is right (the 1/√n rule) the noise turns, step by step, into clothing-like strokes (outlines, sleeves, soles); where it is too large the tiles stay noise, the updates too small to reshape them.`;
}

/** One model's figure: the tile grid, the distinct-neuron count and the sentence. */
function figure(model, tiles, m, layer1, step) {
  const { scale, weights } = tiles.models[m];
  const distinct = distinctTiles(weights, tiles.units);
  const pixels = tileGridPixels(weights, tiles);
  const canvas = el('canvas', { width: pixels.width, height: pixels.height });
  canvas.getContext('2d').putImageData(new ImageData(pixels.data, pixels.width, pixels.height), 0, 0);
  canvas.setAttribute('role', 'img');
  canvas.setAttribute(
    'aria-label',
    `${model.label}: ${tiles.units} first-layer neurons as 28×28 weight images, ${distinct === 1 ? 'all identical' : `${distinct} different`}`,
  );
  const count = layer1 ? `${layer1.distinct_units} of ${layer1.units}` : '—';
  const node = el(
    'figure',
    { className: 'tiles-card' },
    el('h3', {}, swatch(model.color), model.label),
    canvas,
    el(
      'p',
      { className: 'tiles-facts' },
      el('span', { textContent: 'distinct neurons in layer 1: ' }),
      el('strong', { className: 'tiles-distinct', textContent: count }),
      el('span', { className: 'note', textContent: ` · colour scale ±${formatNumber(scale)}` }),
    ),
    el('figcaption', { textContent: sentence(scale, distinct, tiles.units, step, tileSpread(weights, tiles.units)) }),
  );
  node.dataset.init = model.id;
  node.dataset.distinctTiles = String(distinct);
  node.style.borderTopColor = model.color;
  return node;
}

export class TilesView {
  /** `root` holds `.tiles-step` and `.tiles-grid`. */
  constructor(root) {
    this.root = root;
    this.grid = root.querySelector('.tiles-grid');
    this.stepText = root.querySelector('.tiles-step');
    this.models = [];
    this.message = null;
  }

  /** Shows the tiles of `diagnostics` (the state's, or null) for `models`, when either changed. */
  show(models, diagnostics) {
    if (models === this.models && diagnostics === this.message) return;
    this.models = models;
    this.message = diagnostics;
    const tiles = diagnostics?.tiles;
    if (!tiles) {
      this.stepText.textContent = models.length && !tiles ? 'waiting for the weights…' : '';
      this.grid.replaceChildren();
      return;
    }
    this.stepText.textContent = diagnostics.step === 0 ? 'at step 0, the initial weights' : `after step ${diagnostics.step}`;
    this.grid.replaceChildren(...models.map((model, m) => figure(model, tiles, m, diagnostics.layers[m]?.[0], diagnostics.step)));
    this.grid.dataset.step = String(diagnostics.step);
  }
}

/** For tests: per model, {identical, distinctTiles, scale, distinct (layer 1's distinct neurons), units}. */
export function tilesSummary(diagnostics) {
  const tiles = diagnostics?.tiles;
  if (!tiles) return [];
  return tiles.models.map(({ scale, weights }, m) => {
    const distinct = distinctTiles(weights, tiles.units);
    const layer1 = diagnostics.layers[m]?.[0];
    return {
      step: diagnostics.step,
      identical: distinct === 1,
      distinctTiles: distinct,
      scale,
      distinct: layer1?.distinct_units,
      units: layer1?.units,
    };
  });
}
