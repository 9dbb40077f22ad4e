// @ts-check
// The scale sweep's chart: validation accuracy against the gain g on a log axis (the pure
// parts, which points and where, are in model/sweep.js), with the lesson's initializers marked
// at their catalog gain and the words "too small / right / too large" under the axis.
import { formatPercent } from '../model/format.js';
import { chartColumns, DECADES, gainText, gainTicks, X_RANGE, ZERO_AT } from '../model/sweep.js';
import { styleOf } from './palette.js';

export class SweepView {
  /** `chart` is the chart's element, `summary` its sentence; `uPlotReady` resolves to uPlot. */
  constructor(chart, summary, uPlotReady) {
    this.el = chart;
    this.summary = summary;
    this.uPlot = null;
    this.plot = null;
    this.key = '';
    this.data = null;
    this.style = { lineWidth: 2, height: 280 };
    uPlotReady.then(
      (uPlot) => {
        this.uPlot = uPlot;
        if (this.data) this.draw();
      },
      () => {},
    ); // the page's charts already say why the library is missing
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
    const value = (_u, v) => (v == null ? '—' : `${v.toFixed(1)} %`);
    const sweepLabel = sweep.live ? `gain g models (live: ${sweep.images}-image subset)` : 'gain g models (full validation)';
    return {
      width: this.width(),
      height: this.style.height,
      // y: up to 100 %, from a round number under the lowest point, so a sweep whose
      // points all lie between 70 and 90 % shows its peak.
      scales: {
        x: { time: false, distr: 3, log: 10, range: () => X_RANGE },
        y: { range: (_u, min) => [min == null ? 0 : Math.max(0, Math.floor((min - 5) / 10) * 10), 100] },
      },
      series: [
        { label: 'g', value: (_u, v) => (v == null ? '—' : v === ZERO_AT ? '0' : gainText(v)) },
        {
          label: sweepLabel,
          stroke: '#111827',
          width: lineWidth,
          spanGaps: true,
          value,
          points: { show: true, size: 9 },
          ...(sweep.live ? { dash: [6, 5] } : {}),
        },
        ...columns.others.map((o) => ({
          label: o.label,
          stroke: colour(o.id),
          width: 0,
          value,
          points: { show: true, size: 11, width: 3, fill: '#fff' },
        })),
      ],
      axes: [
        { label: 'gain g (log scale): weights U[−g/√n, g/√n)', splits: () => [ZERO_AT, ...DECADES], values: (_u, splits) => gainTicks(splits) },
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
  const best = sweep.best
    ? `Best so far: g = ${gainText(sweep.best.gain)} (${sweep.best.label}) at ${formatPercent(sweep.best.accuracy, 1)}`
    : 'No model has a finite accuracy yet';
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
  for (const [g, words] of [
    [0.01, '← too small'],
    [1, 'right'],
    [30, 'too large →'],
  ])
    ctx.fillText(words, u.valToPos(g, 'x', true), y);
  ctx.restore();
}
