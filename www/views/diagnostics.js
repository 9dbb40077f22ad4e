// @ts-check
// The "why" panel: for the chosen layer, one card per model with its weight and activation
// histograms and the few numbers that explain its curve — identical neurons, dead ReLUs,
// exploding or vanishing activations. The session pushes them (a `diagnostics` event, computed
// on a fixed batch of 500 validation images with dropout off); this module only draws.
//
// The state's diagnostics are `{step, layers}` with `layers[model][layer]` a
// `stats::LayerStats`: {weights: {min, max, counts[], non_finite}, weight_std, outputs: {…},
// output_mean, output_std, dead_fraction, distinct_units, units}; a diverged model's numbers
// are NaN, ∞ or null. Models may differ in depth: each has its own number of layers, and a
// layer a model lacks gets a card that says so.

import { formatNumber, isFiniteNumber, formatShare as percent } from '../model/format.js';
import { fitCanvas, keepSharp } from './canvas.js';
import { el, swatch } from './dom.js';
import { LayerPicker } from './layer-picker.js';

const BAR_GAP = 1; // CSS px

/** What a student should read from one layer's numbers, in a sentence or two. */
function verdict(s, hidden) {
  const parts = [];
  if (s.weights.non_finite > 0) {
    return `${s.weights.non_finite} weights overflowed: the network diverged, and nothing it computes means anything.`;
  }
  if (s.units > 1 && s.distinct_units === 1) {
    parts.push(`All ${s.units} neurons are copies of one: they get the same update and stay identical.`);
  }
  // The engine counts dead units of hidden ReLU layers only (0 elsewhere).
  if (hidden && s.dead_fraction === 1) parts.push('Every ReLU outputs 0 for every image: no signal, no gradient.');
  else if (hidden && s.dead_fraction >= 0.5) parts.push(`${percent(s.dead_fraction)} of the ReLUs are dead.`);
  const size = Math.hypot(s.output_mean, s.output_std);
  if (!isFiniteNumber(size)) parts.push('The activations overflowed: the network diverged.');
  else if (size > 100) parts.push('The activations are huge: each layer multiplies their scale.');
  else if (!hidden && size > 10) {
    parts.push(`The logits are large (std ${formatNumber(s.output_std)}): the softmax is saturated, so confident mistakes cost a lot of loss.`);
  } else if (size < 0.01 && !(hidden && s.dead_fraction === 1)) parts.push('The activations vanish.');
  return parts.length ? parts.join(' ') : 'Every neuron is different and the activations keep a healthy scale.';
}

/** Draws a histogram's bars in `color` (height ∝ √count, so thin tails stay visible), at the
 * canvas's CSS size and the device's pixels. */
function drawHistogram(canvas, hist, color) {
  const { ctx, width, height } = fitCanvas(canvas, { width: 240, height: 64 });
  const top = Math.max(0, ...hist.counts);
  if (top === 0) return;
  // Every value equal (all-zeros, all-ones): one bar in the middle, not one at the left edge.
  const counts = hist.min === hist.max ? [hist.counts.reduce((a, b) => a + b, 0)] : hist.counts;
  const slot = hist.min === hist.max ? width / hist.counts.length : width / counts.length;
  const left = hist.min === hist.max ? (width - slot) / 2 : 0;
  ctx.fillStyle = color;
  counts.forEach((c, i) => {
    if (c === 0) return;
    const h = Math.max(1, Math.sqrt(c / top) * (height - 2));
    ctx.fillRect(left + i * slot, height - h, Math.max(1, slot - BAR_GAP), h);
  });
  ctx.fillStyle = '#9ca3af';
  ctx.fillRect(0, height - 1, width, 1);
}

function rangeText(hist) {
  const extra = hist.non_finite ? ` · ${hist.non_finite} diverged` : '';
  if (hist.min === hist.max) return [`all = ${formatNumber(hist.min)}${extra}`, ''];
  return [formatNumber(hist.min), `${formatNumber(hist.max)}${extra}`];
}

function histogramFigure(title, hist, color) {
  const canvas = el('canvas');
  canvas.setAttribute('role', 'img');
  const [low, high] = rangeText(hist);
  canvas.setAttribute('aria-label', `${title} histogram, ${high ? `from ${low} to ${high}` : low}`);
  // Drawn now (at a guess of its size: it is not in the page yet), and again once it has a
  // box and whenever that box or the pixel ratio changes.
  const paint = () => drawHistogram(canvas, hist, color);
  paint();
  keepSharp(canvas, paint);
  return el(
    'figure',
    {},
    el('figcaption', { textContent: title }),
    canvas,
    el('div', { className: 'range' }, el('span', { textContent: low }), el('span', { textContent: high })),
  );
}

function fact(name, label, value, definition = '') {
  const term = definition ? el('dfn', { title: definition, textContent: label }) : label;
  const row = el('div', {}, el('dt', {}, term), el('dd', { textContent: value }));
  row.dataset.fact = name;
  return row;
}

/** A model's card: its name in its colour over `children`. */
function cardOf(model, className, ...children) {
  const article = el('article', { className }, el('h3', {}, swatch(model.color), model.label), ...children);
  article.dataset.init = model.id;
  article.style.borderTopColor = model.color;
  return article;
}

/** A model's card for one layer's stats `s`; `hidden` unless it is the model's output layer. */
function card(model, s, hidden) {
  // The lesson's ReLU until the run names the model's activation.
  const relu = (model.activation ?? 'relu') === 'relu';
  const activation = model.activationName ?? 'ReLU';
  const facts = [
    fact('distinct', 'distinct neurons', `${s.distinct_units} of ${s.units}`, DISTINCT),
    hidden && relu ? fact('dead', 'dead ReLUs', percent(s.dead_fraction)) : null,
    fact('activation-mean', `${hidden ? 'activation' : 'logit'} mean`, formatNumber(s.output_mean)),
    fact('activation-std', `${hidden ? 'activation' : 'logit'} std`, formatNumber(s.output_std)),
    fact('weight-std', 'weight std', formatNumber(s.weight_std)),
  ].filter(Boolean);
  return cardOf(
    model,
    'diag-card',
    el('p', { className: 'verdict', textContent: verdict(s, hidden) }),
    el(
      'div',
      { className: 'hists' },
      histogramFigure('weights', s.weights, model.color),
      histogramFigure(hidden ? `activations (after ${activation})` : 'logits', s.outputs, model.color),
    ),
    el('dl', { className: 'facts' }, ...facts),
  );
}

/** The card of a model that has no layer `layer`: a dash and its own depth. */
const absentCard = (model, layer, layers) =>
  cardOf(
    model,
    'diag-card absent',
    el('p', { className: 'verdict', textContent: `— This network has no layer ${layer}: its ${layers} weight matrices end with the output layer.` }),
  );

const DISTINCT =
  "Neurons of this layer whose incoming weights (and bias) differ from every other neuron's; copies of one count once. Identical neurons compute the same thing.";

/** What the distinct-neuron count shows under `dropout` (the run's rate): the symmetry view. */
export function symmetryText(dropout) {
  if (!(dropout > 0)) {
    return 'Dropout is off: neurons that start identical get identical updates and stay copies of one, so all-ones keeps 1 distinct neuron per layer for the whole run (look for "1 of 256" and "1 of 128").';
  }
  return `Dropout is on (${Math.round(dropout * 100)} %): each step's random mask silences different neurons, so even identical neurons get different updates and the distinct count grows (all-ones: more than 1 after a few steps).`;
}

export class DiagnosticsPanel {
  /** `root` holds `.layer-select` (the layer picker), `.diag-step` and `.diag-cards`;
   * `onLayer(n)` gets the layer (1-based) a person picks. */
  constructor(root, onLayer) {
    this.root = root;
    this.cards = root.querySelector('.diag-cards');
    this.stepText = root.querySelector('.diag-step');
    this.models = [];
    this.message = null;
    this.layer = 0;
    // The symmetry view's reading: what the distinct count shows with dropout on or off.
    this.symmetry = el('p', { className: 'diag-symmetry lead' });
    this.cards.before(this.symmetry);
    this.picker = new LayerPicker(root.querySelector('.layer-select'), onLayer);
  }

  /** Shows `diagnostics` (the state's, or null while none has come) for `models`
   * (`[{id, label, color, layers}]`, `layers` the model's weight matrices where the run said);
   * redraws only when either changed. */
  show(models, diagnostics) {
    if (models === this.models && diagnostics === this.message) return;
    this.models = models;
    this.message = diagnostics;
    this.render();
  }

  /** The run's dropout rate, for the symmetry view's sentence. */
  setDropout(dropout) {
    this.symmetry.textContent = symmetryText(dropout);
    this.symmetry.dataset.dropout = String(dropout);
  }

  setLayer(layer) {
    if (layer === this.layer) return;
    this.layer = layer;
    this.render();
  }

  render() {
    const { message } = this;
    const counts = this.models.map((m, i) => m.layers ?? message?.layers[i]?.length ?? 0);
    const layer = this.picker.show(counts, this.layer);
    if (!message) {
      this.stepText.textContent = this.models.length ? 'computing…' : '';
      this.cards.replaceChildren();
      delete this.cards.dataset.step;
      return;
    }
    const l = layer - 1;
    const first = message.layers.find((layers) => layers[l])?.[l];
    const images = first ? (first.outputs.counts.reduce((a, b) => a + b, 0) + first.outputs.non_finite) / first.units : 0;
    this.stepText.textContent =
      `${message.step === 0 ? 'at step 0, the initial weights' : `after step ${message.step}`} · ` +
      `activations on ${images} validation images, dropout off`;
    this.cards.replaceChildren(
      ...this.models.map((model, m) => {
        const layers = message.layers[m] ?? [];
        return layers[l] ? card(model, layers[l], l < layers.length - 1) : absentCard(model, layer, layers.length);
      }),
    );
    this.cards.dataset.step = String(message.step);
    this.cards.dataset.layer = String(layer);
  }
}
