// The scale sweep: models whose first weights are U[−g/√n, g/√n) for gains g from 1e-3 to 1e2
// (`gain:G`), and a chart of their validation accuracy against g on a log axis, with every
// other model of the run at its equivalent gain (the session's `run.gains`) and the lesson's
// initializers marked where their catalog `gain` puts them. The pure parts (the slider's
// log mapping, the slider's model in the list, which points the chart draws) are unit-tested.
import { f32Text } from './custom-inits.js';
import { formatPercent, isFiniteNumber } from './format.js';
import { styleOf } from './palette.js';

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
const X_RANGE = [1.2e-4, 300];
const DECADES = [1e-3, 1e-2, 1e-1, 1, 10, 100];
const plotX = (gain) => (gain === 0 ? ZERO_AT : gain);

/**
 * The chart's columns: `xs` (increasing), the sweep's accuracies in % at them (`sweep`, null
 * where no sweep model sits), and one column per other model (`others`).
 */
export function chartColumns(points) {
  const placed = points.filter((p) => isFiniteNumber(p.gain) && p.gain >= 0);
  const xs = [...new Set(placed.map((p) => plotX(p.gain)))].sort((a, b) => a - b);
  const column = (list) => xs.map((x) => {
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
const gainText = (g) => (g === 0 ? '0' : tick.format(g));

/** The x axis's labels for uPlot's `splits`: the stand-in for g = 0 reads "0"; a tick uPlot
 * thins out on a narrow chart comes as null and stays unlabelled (not "0"). */
export const gainTicks = (splits) => splits.map((v) => (v == null ? null : v === ZERO_AT ? '0' : gainText(v)));

export class SweepView {
  /** `chart` is the chart's element, `summary` its sentence; `uPlotReady` resolves to uPlot. */
  constructor(chart, summary, uPlotReady) {
    Object.assign(this, { el: chart, summary, uPlot: null, plot: null, key: '', data: null, style: { lineWidth: 2, height: 280 } });
    uPlotReady.then((uPlot) => {
      this.uPlot = uPlot;
      if (this.data) this.draw();
    }, () => {}); // the page's charts already say why the library is missing
    new ResizeObserver(() => this.plot?.setSize({ width: this.width(), height: this.style.height })).observe(chart);
  }

  setStyle(style) {
    this.style = { ...this.style, ...style };
    this.key = '';
    if (this.data) this.draw();
  }

  /** Draws `sweep` (sweepPoints) for `models` ([{id, color, dash}]) with the lesson's `marks`. */
  show(models, sweep, marks) {
    this.data = { models, sweep, marks, columns: chartColumns(sweep.points) };
    this.summary.textContent = sentence(sweep);
    this.el.dataset.step = sweep.step ?? '';
    this.el.dataset.live = String(sweep.live);
    this.draw();
  }

  width() {
    return Math.max(240, this.el.clientWidth);
  }

  draw() {
    if (!this.uPlot) return;
    const { models, sweep, marks, columns } = this.data;
    const colour = (id) => models.find((m) => m.id === id)?.color ?? '#111827';
    const key = JSON.stringify([columns.others.map((o) => [o.id, colour(o.id)]), sweep.live, marks, this.style]);
    if (key !== this.key || !this.plot) {
      this.key = key;
      this.plot?.destroy();
      this.plot = new this.uPlot(this.options(columns, sweep, marks, colour), [[]], this.el);
    }
    this.plot.setData([columns.xs, columns.sweep, ...columns.others.map((o) => o.values)]);
  }

  options(columns, sweep, marks, colour) {
    const { lineWidth } = this.style;
    const value = (u, v) => (v == null ? '—' : `${v.toFixed(1)} %`);
    const sweepLabel = sweep.live ? `gain g models (live: ${sweep.images}-image subset)` : 'gain g models (full validation)';
    return {
      width: this.width(),
      height: this.style.height,
      // y: up to 100 %, from a round number under the lowest point, so a sweep whose
      // points all lie between 70 and 90 % shows its peak.
      scales: { x: { time: false, distr: 3, log: 10, range: () => X_RANGE }, y: { range: (u, min) => [min == null ? 0 : Math.max(0, Math.floor((min - 5) / 10) * 10), 100] } },
      series: [
        { label: 'g', value: (u, v) => (v == null ? '—' : v === ZERO_AT ? '0' : gainText(v)) },
        { label: sweepLabel, stroke: '#111827', width: lineWidth, spanGaps: true, value, points: { show: true, size: 9 }, ...(sweep.live ? { dash: [6, 5] } : {}) },
        ...columns.others.map((o) => ({ label: o.label, stroke: colour(o.id), width: 0, value, points: { show: true, size: 11, width: 3, fill: '#fff' } })),
      ],
      axes: [
        { label: 'gain g (log scale): weights U[−g/√n, g/√n)', splits: () => [ZERO_AT, ...DECADES], values: (u, splits) => gainTicks(splits) },
        { label: 'validation accuracy %', size: 60 },
      ],
      cursor: { drag: { x: false, y: false } },
      legend: { live: false }, // a key to the marks; the numbers are in the sentence under it
      hooks: { draw: [(u) => drawGuides(u, marks)] },
    };
  }
}

/** The sweep's reading in words: the best gain, and what the chart's ends mean. */
function sentence(sweep) {
  if (!sweep.points.length) return 'The sweep chart fills in at the first validation pass.';
  const at = sweep.live ? `live, on ${sweep.images} validation images at step ${sweep.step}` : `full validation at step ${sweep.step}`;
  const best = sweep.best ? `Best so far: g = ${gainText(sweep.best.gain)} (${sweep.best.label}) at ${formatPercent(sweep.best.accuracy, 1)}` : 'No model has a finite accuracy yet';
  return `${best} — ${at}.`;
}

/** Along the plot: the lesson's initializers as labelled ticks at their gain (each label runs
 * down its tick, so close gains such as 1 and 1.73 stay readable), and the words "too small /
 * right / too large" under the three stretches of the axis. */
function drawGuides(u, marks) {
  const { ctx, bbox } = u;
  const px = devicePixelRatio || 1;
  ctx.save();
  ctx.font = `${Math.round(12 * px)}px system-ui, sans-serif`;
  for (const m of marks) {
    const x = u.valToPos(m.x, 'x', true);
    ctx.strokeStyle = styleOf(m.id).color; // the initializer's own colour, on or off
    ctx.lineWidth = 2 * px;
    ctx.setLineDash([4 * px, 4 * px]);
    ctx.beginPath();
    ctx.moveTo(x, bbox.top);
    ctx.lineTo(x, bbox.top + bbox.height);
    ctx.stroke();
    ctx.save();
    ctx.fillStyle = '#111827';
    ctx.translate(x + 3 * px, bbox.top + 4 * px);
    ctx.rotate(Math.PI / 2);
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.translate(0, -15 * px); // to the tick's right side
    ctx.fillText(m.label, 0, 0);
    ctx.restore();
  }
  ctx.setLineDash([]);
  ctx.textAlign = 'center';
  ctx.font = `italic ${Math.round(13 * px)}px system-ui, sans-serif`;
  ctx.fillStyle = '#4b5563';
  const y = bbox.top + bbox.height - 8 * px;
  for (const [g, words] of [[0.01, '← too small'], [1, 'right'], [30, 'too large →']]) ctx.fillText(words, u.valToPos(g, 'x', true), y);
  ctx.restore();
}
