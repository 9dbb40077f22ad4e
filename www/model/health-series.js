// @ts-check
// The `health` samples of a run in bounded memory, and the axis arithmetic of the health
// view. The session sends a sample every few steps ({step, layers[model][layer]}); the page
// keeps at most MAX_SAMPLES: when full, it drops every other one and from then on keeps only
// samples at least that far apart, so the kept ones stay evenly spaced however long the run.
// Pure, no DOM: unit-tested under Node (tests/unit/health-series.test.mjs).
import { isFiniteNumber } from './format.js';

export const MAX_SAMPLES = 1000;

/** No samples; `gap` is the fewest steps between two kept samples (0 until the first thinning). */
export const emptyHealth = () => ({ gap: 0, samples: [] });

/** Only what the views draw, histograms as compact typed arrays. */
const compact = (s) => ({
  grad_rms: s.grad_rms,
  update_ratio: s.update_ratio,
  act_mean: s.act_mean,
  act_std: s.act_std,
  dead_fraction: s.dead_fraction,
  non_finite: s.non_finite,
  histogram: Uint32Array.from(s.histogram ?? []),
});

/** `health` with the sample of a `health` event; samples at or after its step (a replay) go first. */
export function appendHealth(health, { step, layers }, max = MAX_SAMPLES) {
  let samples = healthUpTo(health, step - 1).samples;
  const last = samples.at(-1);
  if (last && step - last.step < health.gap) return { ...health, samples };
  samples = [...samples, { step, layers: layers.map((model) => model.map(compact)) }];
  if (samples.length <= max) return { ...health, samples };
  const kept = samples.filter((_, i) => i % 2 === 0);
  return { gap: kept[1].step - kept[0].step, samples: kept };
}

/** `health` without the samples after `step` (a recovery replays them). */
export function healthUpTo(health, step) {
  const keep = health.samples.findIndex((s) => s.step > step);
  return keep < 0 ? health : { ...health, samples: health.samples.slice(0, keep) };
}

/** The value to draw on a log axis: positive and finite, else null (a gap). */
export const positiveOrNull = (v) => (isFiniteNumber(v) && v > 0 ? v : null);

/** log10 of a positive, finite value, else null: the update-to-weight ratio's axis. */
export const log10OrNull = (v) => (positiveOrNull(v) === null ? null : Math.log10(v));

/** `{steps, series[model]}` of `field` of `layer` (0-based), each value through `map`. */
export function healthSeries(health, layer, field, map = (v) => (isFiniteNumber(v) ? v : null)) {
  const models = health.samples[0]?.layers.length ?? 0;
  return {
    steps: health.samples.map((s) => s.step),
    series: Array.from({ length: models }, (_, m) => health.samples.map((s) => map(s.layers[m]?.[layer]?.[field]))),
  };
}

/** The latest sample's numbers for each model and layer: `[model][layer]` {step, …}, or []. */
export function latestHealth(health) {
  const last = health.samples.at(-1);
  if (!last) return [];
  return last.layers.map((layers) => layers.map(({ histogram, ...numbers }) => ({ step: last.step, ...numbers })));
}

// ---- the symlog axis of the histograms --------------------------------------------------

/** The bins' floor: values below it share the bins near zero (src/backend/reduce.rs SYMLOG_FLOOR). */
export const SYMLOG_FLOOR = 1e-3;

/** The position of value `x` on a symlog axis: sign(x)·log10(1 + |x|/10⁻³), as the engine bins. */
export const symlog = (x) => Math.sign(x) * Math.log10(1 + Math.abs(x) / SYMLOG_FLOOR);

const SUPERSCRIPT = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

/** 10^k as a student reads it: 0.01, 0.1, 1, 10, 100, then 10³, 10⁻³ beyond. */
export function powerOfTen(k) {
  if (k >= -2 && k <= 2) return String(10 ** k);
  return `10${String(k).replace(/./g, (c) => SUPERSCRIPT[c])}`;
}

/** The label of a symlog position `t` that is 0 or a power of ten: 0, 0.01, 1, −10³… */
export function symlogLabel(t) {
  if (t === 0) return '0';
  const k = Math.round(Math.log10(SYMLOG_FLOOR * (10 ** Math.abs(t) - 1)));
  return `${t < 0 ? '−' : ''}${powerOfTen(k)}`;
}

/**
 * Ticks for bins `{lo, hi, symlog}` (on the binned axis t): on a symlog axis 0 and the powers
 * of ten (±) inside [lo, hi], every `n`-th power so that at most `maxTicks` are labelled; on
 * a linear one lo, the middle and hi. Each is {t, label}, t increasing.
 */
export function binTicks({ lo, hi, symlog: isSymlog }, maxTicks = 6) {
  if (!isSymlog) {
    const fmt = (v) => String(Number(v.toPrecision(3)));
    return [lo, (lo + hi) / 2, hi].map((t) => ({ t, label: fmt(t) }));
  }
  const powers = [];
  for (let k = -2; k <= 12; k++) if (symlog(10 ** k) <= Math.max(Math.abs(lo), Math.abs(hi))) powers.push(k);
  const signs = lo < 0 ? [-1, 1] : [1];
  // Every `every`-th power, k a multiple of it so that 1 (k = 0), the healthy scale, stays.
  let every = 1;
  while (powers.filter((k) => k % every === 0).length * signs.length + 1 > maxTicks) every++;
  const shown = powers.filter((k) => k % every === 0);
  const ticks = [{ t: 0, label: '0' }];
  for (const sign of signs) {
    for (const k of shown) {
      const t = sign * symlog(10 ** k);
      ticks.push({ t, label: symlogLabel(t) });
    }
  }
  return ticks.filter(({ t }) => t >= lo && t <= hi).sort((a, b) => a.t - b.t);
}
