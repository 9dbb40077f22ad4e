// @ts-check
// Layer health over time: for the layer chosen, small multiples with one line per model —
// gradient RMS, update-to-weight ratio, activation mean and std, dead ReLUs — and one heat
// map strip per model of the layer's outputs over time (heatmap.js). The session sends a
// `health` sample every few steps while this section is shown (watch {health: true}); the
// state keeps them bounded (health-series.js); this module only draws. Models may differ in
// depth: a layer a model lacks reads "—". (A deep run's overview of every layer at once is
// depth-map.js.)

import { formatNumber, formatShare, isFiniteNumber } from '../model/format.js';
import { binTicks, healthSeries, log10OrNull, positiveOrNull, powerOfTen, symlog, symlogLabel } from '../model/health-series.js';
import { keepSharp } from './canvas.js';
import { uPlotReady } from './charts.js';
import { el, swatch } from './dom.js';
import { drawStrip } from './heatmap.js';
import { LayerPicker } from './layer-picker.js';
import { drawGuideLine } from './overlays.js';

const HEIGHT = 160;
// Whole steps on the x axis (samples come every 10 steps).
const STEP_INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000];
const tick = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
const symlogOrNull = (v) => (isFiniteNumber(v) ? symlog(v) : null);
const isDecade = (v) => v > 0 && Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9;

/** What to say of a value a chart cannot draw (0 on a log axis, a ratio of all-zero weights). */
const undrawn = {
  grad_rms: (v) => (v === 0 ? '0: no gradient' : null),
  update_ratio: (v, s) => (!isFiniteNumber(v) && isFiniteNumber(s.grad_rms) ? 'none: its weights are all 0' : null),
};

// The small multiples: the field each draws, how (map to the y value), its y scale and ticks.
const CHARTS = {
  grad: {
    field: 'grad_rms',
    map: positiveOrNull,
    scale: { distr: 3, log: 10 },
    values: (_u, splits) => splits.map((v) => (isDecade(v) ? powerOfTen(Math.round(Math.log10(v))) : '')),
    format: formatNumber,
  },
  ratio: {
    field: 'update_ratio',
    map: log10OrNull,
    scale: { range: (_u, min, max) => [Math.min(-4, Math.floor(min ?? -4)), Math.max(-2, Math.ceil(max ?? -2))] },
    incrs: [1, 2, 3, 5, 10],
    values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? powerOfTen(v) : '')),
    guide: { at: -3, label: '10⁻³: healthy' },
    format: formatNumber,
  },
  mean: { field: 'act_mean', map: symlogOrNull, symlog: true, format: formatNumber },
  std: { field: 'act_std', map: symlogOrNull, symlog: true, format: formatNumber },
  dead: {
    field: 'dead_fraction',
    map: (v) => (isFiniteNumber(v) ? 100 * v : null),
    scale: { range: [0, 100] },
    values: (_u, splits) => splits.map((v) => `${tick.format(v)} %`),
    format: formatShare,
    reluOnly: true, // the engine counts dead units of hidden ReLU layers only
  },
};

// A symlog y axis (values already through symlog): 0 and powers of ten, labelled as such.
const SYMLOG_AXIS = {
  scale: { range: (_u, min, max) => [Math.min(0, min ?? 0), Math.max(symlog(1), max ?? 0)] },
  splits: (_u, _axis, min, max) => binTicks({ lo: min, hi: max, symlog: true }, 5).map((t) => t.t),
  values: (_u, splits) => splits.map(symlogLabel),
};

export class HealthView {
  /** `root` holds `.layer-select` (the layer picker), `.health-key`, `[data-health-chart]`
   * figures (each with `.health-plot` and `.health-readout`), `.health-strips` and
   * `.health-step`; `onLayer(n)` gets the layer (1-based) a person picks. */
  constructor(root, onLayer) {
    this.root = root;
    this.figures = Object.fromEntries([...root.querySelectorAll('[data-health-chart]')].map((f) => [f.dataset.healthChart, f]));
    this.models = [];
    this.health = null;
    this.bins = [];
    this.layer = 1;
    this.style = { lineWidth: 2, big: false };
    this.plots = {};
    this.picker = new LayerPicker(root.querySelector('.layer-select'), onLayer);
    // The strips, drawn again (all at once) as their boxes or the pixel ratio change.
    this.paintStrips = () => this.strips(this.layerIndex());
    new ResizeObserver(() => this.fit()).observe(root.querySelector('.health-charts'));
    uPlotReady.then(
      (uPlot) => {
        this.uPlot = uPlot;
        this.build();
      },
      () => {},
    ); // charts.js says why the charts are missing
  }

  setLayer(layer) {
    if (layer === this.layer) return;
    this.layer = layer;
    this.build();
  }

  /** Line width and type size: thicker and larger in projector mode. */
  setStyle({ lineWidth }) {
    this.style = { lineWidth, big: lineWidth > 2 };
    this.build();
  }

  /** Shows `health` (the state's samples) of `models` with the run's histogram `bins`. */
  show(models, health, bins) {
    if (models === this.models && health === this.health && bins === this.bins) return;
    const rebuild = models !== this.models;
    Object.assign(this, { models, health, bins });
    if (rebuild) this.build();
    else this.paint();
  }

  /** Each model's weight matrices: as the run says, else as its samples have them. */
  counts() {
    const sample = this.health?.samples[0];
    return this.models.map((m, i) => m.layers ?? sample?.layers[i]?.length ?? this.bins.length);
  }

  /** The 0-based layer shown, within the layers the run has (the picker shows it). */
  layerIndex() {
    return this.picker.show(this.counts(), this.layer) - 1;
  }

  /** Whether model `m`'s layer `l` is a hidden ReLU layer (the lesson's ReLU until the run
   * names the model's activation). */
  reluAt(m, l) {
    return this.counts()[m] > l + 1 && (this.models[m].activation ?? 'relu') === 'relu';
  }

  build() {
    this.key();
    if (!this.uPlot) return this.paint();
    for (const plot of Object.values(this.plots)) plot.destroy();
    this.plots = {};
    for (const [name, def] of Object.entries(CHARTS)) {
      const figure = this.figures[name];
      const l = this.layerIndex();
      figure.hidden = def.reluOnly && !this.models.some((_, m) => this.reluAt(m, l));
      if (figure.hidden) continue;
      const axis = def.symlog ? SYMLOG_AXIS : def;
      const font = `${this.style.big ? 15 : 12}px system-ui, sans-serif`;
      this.plots[name] = new this.uPlot(
        {
          width: this.width(figure),
          height: this.style.big ? HEIGHT + 20 : HEIGHT,
          legend: { show: false },
          cursor: { drag: { x: false, y: false }, sync: { key: 'health' } },
          scales: { x: { time: false }, y: axis.scale ?? { auto: true } },
          series: [
            {},
            ...this.models.map((m) => ({
              label: m.label,
              stroke: m.color,
              width: this.style.lineWidth,
              ...(m.dash ? { dash: m.dash } : {}),
              points: { show: false },
            })),
          ],
          axes: [
            { font, incrs: STEP_INCRS, space: 50, values: (_u, splits) => splits.map((v) => tick.format(v)) },
            {
              font,
              size: this.style.big ? 70 : 56,
              values: axis.values,
              ...(axis.splits ? { splits: axis.splits } : {}),
              ...(def.incrs ? { incrs: def.incrs } : {}),
            },
          ],
          hooks: def.guide ? { draw: [(u) => drawGuideLine(u, def.guide.at, def.guide.label, this.style.big)] } : {},
        },
        [[], ...this.models.map(() => [])],
        figure.querySelector('.health-plot'),
      );
    }
    this.paint();
  }

  width(figure) {
    return Math.max(200, figure.querySelector('.health-plot').clientWidth);
  }

  fit() {
    for (const [name, plot] of Object.entries(this.plots)) plot.setSize({ width: this.width(this.figures[name]), height: plot.height });
    this.paint();
  }

  /** The models' colours, once above all the small multiples. */
  key() {
    this.root.querySelector('.health-key').replaceChildren(...this.models.map((m) => el('li', {}, swatch(m.color), m.label)));
  }

  /** Draws the layer's charts, readouts and strips now: the page calls `show` at most once per
   * frame, within its frame budget. */
  paint() {
    const health = this.health;
    const l = this.layerIndex();
    const last = health?.samples.at(-1);
    this.root.querySelector('.health-step').textContent = last ? `${health.samples.length} samples, up to step ${last.step}` : '';
    this.root.dataset.layer = String(l + 1);
    this.root.dataset.samples = String(health?.samples.length ?? 0);
    for (const [name, def] of Object.entries(CHARTS)) {
      const figure = this.figures[name];
      if (figure.hidden) continue;
      if (health && this.plots[name]) {
        const { steps, series } = healthSeries(health, l, def.field, def.map);
        this.plots[name].setData([steps, ...series]);
      }
      this.readout(figure, def, last, l);
    }
    this.strips(l);
  }

  /** The latest value of each model under its chart: the numbers to read ("—" for a layer
   * the model lacks, or the dead share of a layer that is not a hidden ReLU layer). */
  readout(figure, def, last, l) {
    const items = last
      ? this.models.map((m, i) => {
          const s = last.layers[i]?.[l];
          const v = s?.[def.field];
          const absent = !s || (def.reluOnly && !this.reluAt(i, l));
          const text = absent ? '—' : (undrawn[def.field]?.(v, s) ?? def.format(v));
          return el('li', {}, swatch(m.color), `${m.label}: `, el('strong', { textContent: text }));
        })
      : [];
    figure.querySelector('.health-readout').replaceChildren(...items);
  }

  /** One heat map strip per model of the layer's outputs over time (binned as the run's
   * deepest model's layer `l`, or as the logits for a model's output layer). */
  strips(l) {
    const box = this.root.querySelector('.health-strips');
    const key = this.models.map((m) => `${m.id} ${m.color}`).join();
    if (box.dataset.models !== key) {
      box.dataset.models = key;
      box.replaceChildren(
        ...this.models.map((m) => {
          const canvas = el('canvas', { className: 'health-strip' });
          canvas.setAttribute('role', 'img');
          keepSharp(canvas, this.paintStrips);
          const figure = el('figure', {}, el('figcaption', {}, swatch(m.color), m.label), canvas, el('p', { className: 'note strip-note' }));
          figure.dataset.init = m.id;
          return figure;
        }),
      );
    }
    const samples = this.health?.samples ?? [];
    const counts = this.counts();
    [...box.children].forEach((figure, m) => {
      const canvas = figure.querySelector('canvas');
      const model = this.models[m];
      const has = counts[m] > l;
      const output = counts[m] === l + 1;
      const bins = output ? this.bins.at(-1) : this.bins[l];
      canvas.dataset.samples = String(drawStrip(canvas, has ? samples : [], m, l, bins, this.style.big));
      const last = samples.at(-1)?.layers[m]?.[l];
      const what = output ? 'logits' : `${model.activationName ?? 'ReLU'} outputs`;
      canvas.setAttribute('aria-label', `${model.label}: histogram of layer ${l + 1}'s ${what} over ${samples.length} samples`);
      figure.querySelector('.strip-note').textContent = !has
        ? `— this network has no layer ${l + 1}`
        : last?.non_finite
          ? `${last.non_finite} values diverged (not drawn)`
          : '';
    });
  }
}
