// @ts-check
// A chart's series in bounded memory however long the run: every point while there are at
// most MAX_POINTS, then min/max buckets (two points per bucket, at its first and last x: its
// lowest and highest value of each model), doubling the bucket width (in points) whenever the
// points would pass MAX_POINTS. So a
// chart's memory and drawing cost stay bounded, and a spike or a divergence stays visible.
// Pure: every function returns a new chart. Exact values stay in the table and the exports.
import { finiteOrNull } from './format.js';

export const MAX_POINTS = 4000;

/** An empty chart of `models` series: `steps` (x) and `series[model]` (y; null is a gap). */
export function emptyChart(models) {
  return { stride: 1, steps: [], series: Array.from({ length: models }, () => []), open: null };
}

/** The points to draw: the closed ones, and the bucket still filling. */
export function points(chart) {
  if (!chart.open) return { steps: chart.steps, series: chart.series };
  const [steps, series] = closeBucket(chart.open);
  return { steps: chart.steps.concat(steps), series: chart.series.map((s, m) => s.concat(series[m])) };
}

/** `chart` with `values[model][i]` appended at `steps[i]` (increasing). */
export function append(chart, steps, values) {
  let next = { ...chart, steps: [...chart.steps], series: chart.series.map((s) => [...s]) };
  steps.forEach((step, i) => {
    next = add(
      next,
      step,
      values.map((v) => finiteOrNull(v[i])),
    );
  });
  return next;
}

/** `chart` with every point after `step` dropped (a bucket reaching past it goes whole). */
export function upTo(chart, step) {
  // A bucket is its two points (first and last x): it goes whole when its last one is past.
  const keep = chart.steps.findIndex((s, i) => s > step || (chart.stride > 1 && i % 2 === 0 && chart.steps[i + 1] > step));
  const open = chart.open && chart.open.end <= step ? chart.open : null;
  if (keep < 0) return { ...chart, open };
  return { ...chart, steps: chart.steps.slice(0, keep), series: chart.series.map((s) => s.slice(0, keep)), open: null };
}

// Mutates `chart`, a private copy made by `append`.
function add(chart, step, ys) {
  if (chart.stride === 1) {
    chart.steps.push(step);
    for (const [m, s] of chart.series.entries()) s.push(ys[m]);
    return chart.steps.length > MAX_POINTS ? coarsen(chart) : chart;
  }
  const open = chart.open ?? { start: step, count: 0, min: ys.map(() => null), max: ys.map(() => null) };
  chart.open = {
    start: open.start,
    end: step,
    count: open.count + 1,
    min: open.min.map((v, m) => lower(v, ys[m])),
    max: open.max.map((v, m) => higher(v, ys[m])),
  };
  if (chart.open.count < chart.stride) return chart;
  const [steps, series] = closeBucket(chart.open);
  chart.steps.push(...steps);
  for (const [m, s] of chart.series.entries()) s.push(...series[m]);
  chart.open = null;
  return chart.steps.length > MAX_POINTS ? coarsen(chart) : chart;
}

/** Two points for a bucket: its minimum at its first x, its maximum at its last. */
function closeBucket(open) {
  return [[open.start, open.end], open.min.map((low, m) => [low, open.max[m]])];
}

/** Doubles the bucket width (exact points become buckets of 4 steps, buckets merge in pairs);
 * steps short of a whole bucket start the new open bucket. */
function coarsen(chart) {
  const stride = chart.stride === 1 ? 4 : chart.stride * 2;
  const next = { stride, steps: [], series: chart.series.map(() => []), open: null };
  for (const segment of segments(chart)) {
    const open = next.open ?? { start: segment.start, count: 0, min: segment.min.map(() => null), max: segment.max.map(() => null) };
    next.open = {
      start: open.start,
      end: segment.end,
      count: open.count + segment.count,
      min: open.min.map((v, m) => lower(v, segment.min[m])),
      max: open.max.map((v, m) => higher(v, segment.max[m])),
    };
    if (next.open.count >= stride) {
      const [steps, series] = closeBucket(next.open);
      next.steps.push(...steps);
      for (const [m, out] of next.series.entries()) out.push(...series[m]);
      next.open = null;
    }
  }
  return next;
}

/** The closed points as segments {start, end (their x), count (points), min[model], max[model]}. */
function* segments(chart) {
  const pair = chart.stride > 1;
  for (let i = 0; i < chart.steps.length; i += pair ? 2 : 1) {
    yield {
      start: chart.steps[i],
      end: chart.steps[pair ? i + 1 : i],
      count: chart.stride,
      min: chart.series.map((s) => s[i]),
      max: chart.series.map((s) => s[pair ? i + 1 : i]),
    };
  }
}

const lower = (a, b) => (a === null ? b : b === null ? a : Math.min(a, b));
const higher = (a, b) => (a === null ? b : b === null ? a : Math.max(a, b));
