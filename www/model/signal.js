// @ts-check
// The signal view's pure parts (views/signal.js): the `signal` event's numbers as chart
// columns, the notes on a model whose signal diverged or vanished, the few numbers its table
// reads out and the decades its log axes label. No DOM: unit-tested under Node
// (tests/unit/depth.test.mjs).
import { formatNumber, isFiniteNumber } from './format.js';
import { stateWords } from './named-states.js';

/** @typedef {import('../engine/wire').Signal} Signal */

/** When the signal was measured, in words. */
export const signalWhen = (/** @type {number} */ step) => (step === 0 ? 'at step 0, before training' : `after step ${step}`);

/**
 * One chart's columns: x = 1 … the longest model's count, and per model its `field` per layer
 * (measured) and, for act_std, `theory_std` beside it; a value a log axis cannot draw (0, NaN,
 * ∞) or a layer the model lacks is null, a gap.
 * @param {Signal[]} models
 * @param {'act_std' | 'grad_rms'} field
 * @returns {{xs: number[], measured: (number | null)[][], theory: (number | null)[][] | null}}
 */
export function signalColumns(models, field) {
  const length = Math.max(0, ...models.map((m) => m[field].length));
  const xs = Array.from({ length }, (_, i) => i + 1);
  const column = (values) => xs.map((_, i) => drawable(values[i]));
  return {
    xs,
    measured: models.map((m) => column(m[field])),
    theory: field === 'act_std' ? models.map((m) => column(m.theory_std)) : null,
  };
}

const drawable = (v) => (isFiniteNumber(v) && v > 0 ? v : null);

/**
 * What the charts cannot draw for one model, in words (empty if nothing): where its signal
 * diverged (NaN or ∞), where its activations vanished (a std of exactly 0: every unit gives
 * the same output), its named states (weights no gradient reaches, dead ReLUs: the engine's,
 * named-states.js), where it has no prediction.
 * @param {Signal} s
 * @returns {string[]}
 */
export function signalNotes(s) {
  const notes = [];
  const firstBad = (values, bad) => values.findIndex(bad) + 1;
  const diverged = firstBad(s.act_std, (v) => !isFiniteNumber(v));
  const vanished = firstBad(s.act_std, (v) => v === 0);
  const gradDiverged = firstBad(s.grad_rms, (v) => !isFiniteNumber(v));
  if (diverged) notes.push(`diverged: the activations overflow from hidden layer ${diverged} on`);
  else if (gradDiverged) notes.push(`diverged: the gradient overflows at weight matrix ${gradDiverged}`);
  if (vanished) notes.push(`signal vanished: every unit gives the same output from hidden layer ${vanished} on (std 0)`);
  notes.push(...s.states.map(stateWords));
  const unpredicted = firstBad(s.theory_std, (v) => !isFiniteNumber(v));
  if (unpredicted && !diverged) {
    notes.push(`no mean-field prediction from hidden layer ${unpredicted} on: the theory takes weights centred on 0 (or its value overflows)`);
  }
  return notes;
}

/**
 * The numbers a reader gets without the charts: the activation std (measured and predicted)
 * at a model's first, middle and last hidden layer, and the gradient RMS of its first and
 * last (output) weight matrix, formatted.
 * @param {Signal} s
 */
export function signalReadout(s) {
  const layers = s.act_std.length;
  const at = (layer) => ({ layer, measured: formatNumber(s.act_std[layer - 1]), theory: formatNumber(s.theory_std[layer - 1]) });
  return {
    act: [at(1), at(Math.ceil(layers / 2)), at(layers)],
    grad: [formatNumber(s.grad_rms[0]), formatNumber(s.grad_rms.at(-1))],
  };
}

/**
 * A log axis from `min` to `max`: whole decades around them (`lo`, `hi`: exponents; −1 to 1
 * when there is nothing to draw) and the exponents to label, every
 * n-th decade so that at most `maxTicks` are, 1 (10⁰) among them when it is in range.
 * @returns {{lo: number, hi: number, ticks: number[]}}
 */
export function logAxis(min, max, maxTicks = 6) {
  if (!(min > 0 && max > 0)) return { lo: -1, hi: 1, ticks: [-1, 0, 1] };
  // A tenth of a decade's room, so that a dot on a decade is not cut in half at the edge.
  const lo = Math.floor(Math.log10(min) - 0.1);
  const hi = Math.ceil(Math.log10(max) + 0.1);
  let every = 1;
  while (Math.floor(hi / every) - Math.ceil(lo / every) + 1 > maxTicks) every++;
  const ticks = [];
  for (let k = Math.ceil(lo / every) * every; k <= hi; k += every) ticks.push(k);
  return { lo, hi, ticks };
}
