// @ts-check
// The scale sweep's pure parts: models whose first weights are U[−g/√n, g/√n) for gains g from 1e-3 to 1e2
// (`gain:G`), and a chart of their validation accuracy against g on a log axis, with every
// other model of the run at its equivalent gain (the session's `run.gains`) and the lesson's
// initializers marked where their catalog `gain` puts them. The pure parts (the slider's
// log mapping, the slider's model in the list, which points the chart draws) are unit-tested.
import { f32Text } from './custom-ids.js';
import { isFiniteNumber } from './format.js';

// The slider: 10 stops per decade from 1e-3 to 1e2, about even in log g, numbers people read.
const STOPS = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8];
export const SLIDER_MAX = 50;
const FIRST_DECADE = -3;

/** The gain at slider position `position` (0 … SLIDER_MAX). */
export function gainAt(position) {
  const p = Math.min(SLIDER_MAX, Math.max(0, Math.round(position)));
  return Number((STOPS[p % 10] * 10 ** (Math.floor(p / 10) + FIRST_DECADE)).toPrecision(2));
}

/** The slider position whose gain is nearest `gain` on a log scale. */
export function positionOf(gain) {
  if (!(gain > 0)) return 0;
  let best = 0;
  for (let p = 1; p <= SLIDER_MAX; p++) {
    if (Math.abs(Math.log(gainAt(p) / gain)) < Math.abs(Math.log(gainAt(best) / gain))) best = p;
  }
  return best;
}

/** The initializer id of gain `g`, written as the engine writes it. */
export const gainId = (g) => `gain:${f32Text(g)}`;

/** The gain of a `gain:G` id, or null. */
export const gainOfId = (id) => (/^gain:/.test(id) ? Number(id.slice(5)) : null);

/**
 * The chosen ids with the slider's model set to `id`: in place of `previous` where that is
 * chosen, else added at the end (and unchanged when `id` is chosen already).
 */
export function withSliderGain(inits, previous, id) {
  if (inits.includes(id)) return inits;
  const at = previous ? inits.indexOf(previous) : -1;
  return at >= 0 ? inits.map((x, i) => (i === at ? id : x)) : [...inits, id];
}

/**
 * What the sweep chart shows: every model of `run` at its equivalent gain with its accuracy
 * at the latest full validation pass (`evals.full`), or, before the first one, at the latest
 * live pass on the fixed subset (`live: true`). `sweep` marks the `gain:G` models, whose
 * points are joined by a line. `gains` are the session's per model; an id's own gain, or
 * NaN, stands in where the session sent none.
 */
export function sweepPoints(run, evals) {
  const point = evals.full ?? evals.subset;
  if (!point) return { step: null, live: false, images: 0, points: [], best: null };
  const points = run.inits.map((id, m) => ({
    id,
    label: run.labels[m],
    gain: run.gains?.[m] ?? gainOfId(id) ?? NaN,
    accuracy: point.accuracy[m],
    sweep: gainOfId(id) !== null,
  }));
  const ranked = points.filter((p) => isFiniteNumber(p.accuracy) && isFiniteNumber(p.gain));
  const best = ranked.reduce((a, b) => (b.accuracy > a.accuracy ? b : a), ranked[0] ?? null);
  return { step: point.step, live: !evals.full, images: point.images ?? 0, points, best };
}

// All-zeros (g = 0) cannot sit on a log axis: it is drawn at the left edge, labelled "0".
export const ZERO_AT = 2e-4;
export const X_RANGE = [1.2e-4, 300];
export const DECADES = [1e-3, 1e-2, 1e-1, 1, 10, 100];
const plotX = (gain) => (gain === 0 ? ZERO_AT : gain);

/**
 * The chart's columns: `xs` (increasing), the sweep's accuracies in % at them (`sweep`, null
 * where no sweep model sits), and one column per other model (`others`).
 */
export function chartColumns(points) {
  const placed = points.filter((p) => isFiniteNumber(p.gain) && p.gain >= 0);
  const xs = [...new Set(placed.map((p) => plotX(p.gain)))].sort((a, b) => a - b);
  const column = (list) =>
    xs.map((x) => {
      const p = list.find((q) => plotX(q.gain) === x);
      return p && isFiniteNumber(p.accuracy) ? 100 * p.accuracy : null;
    });
  const sweep = placed.filter((p) => p.sweep);
  const others = placed.filter((p) => !p.sweep).map((p) => ({ id: p.id, label: p.label, values: column([p]) }));
  return { xs, sweep: column(sweep), others };
}

/** The lesson's initializers at their catalog `gain`: [{id, label, x}]. */
export function lessonMarks(catalog) {
  return catalog.initializers
    .filter((i) => catalog.lesson_inits.includes(i.id) && isFiniteNumber(i.gain))
    .map((i) => ({ id: i.id, label: i.label, x: plotX(i.gain) }))
    .sort((a, b) => a.x - b.x);
}

const tick = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });
export const gainText = (g) => (g === 0 ? '0' : tick.format(g));

/** The x axis's labels for uPlot's `splits`: the stand-in for g = 0 reads "0"; a tick uPlot
 * thins out on a narrow chart comes as null and stays unlabelled (not "0"). */
export const gainTicks = (splits) => splits.map((v) => (v == null ? null : v === ZERO_AT ? '0' : gainText(v)));
