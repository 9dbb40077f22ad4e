// @ts-check
// The signal through the layers: how spread out each hidden layer's outputs are (their std)
// and how large each weight matrix's gradient is, on a fixed probe batch, per model — from
// step 0, before any training, so that a deep network's fate shows before Train is pressed.
// Two small log-scale charts side by side (x = the layer), one line with dots per model in its
// colour, and on the activation chart each model's mean-field prediction as a wide, pale dashed
// line of the same colour; under them the notes on a signal that diverged or vanished and
// a table of the first, middle and last layer's numbers. The session sends a `signal` event
// after the run is built, after each full validation pass and after a reset; this draws the
// latest (model/signal.js has the pure parts).
import { powerOfTen } from '../model/health-series.js';
import { logAxis, signalColumns, signalNotes, signalReadout, signalWhen } from '../model/signal.js';
import { el, swatch } from './dom.js';

/** @typedef {{id: string, label: string, color: string, dash?: number[] | null, recipe?: string}} Model */
/** @typedef {{step: number, models: import('../engine/wire').Signal[]}} SignalState */

const HEIGHT = 220;
const THEORY_DASH = [4, 3]; // times the line width
const tick = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

// The two charts: which field each draws, and its x axis' name.
const CHARTS = {
  act: { field: 'act_std', x: 'hidden layer' },
  grad: { field: 'grad_rms', x: 'weight matrix (the last: the output layer)' },
};

/** What the lines are, and when they were measured. */
const caption = (/** @type {number} */ step) =>
  `Lines with dots: measured ${signalWhen(step)}, on a fixed batch of validation images with dropout off. ` +
  "Wide, pale dashed lines: the mean-field prediction from the initial weights' variance and the activation (each layer taken as " +
  `infinitely wide, so its inputs are Gaussian)${step === 0 ? '' : '; it stays where the initial weights put it while training moves the measured ones'}.`;

export class SignalView {
  /**
   * `root` holds `.signal-step`, `.signal-key`, `.signal-charts` with `[data-signal-chart]`
   * figures (each with a `.signal-plot`), `.signal-caption`, `.signal-notes` and
   * `.signal-table`; `uPlotReady` resolves to uPlot.
   * @param {HTMLElement} root
   * @param {Promise<any>} uPlotReady
   */
  constructor(root, uPlotReady) {
    this.root = root;
    this.figures = Object.fromEntries(
      [.../** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll('[data-signal-chart]'))].map((f) => [f.dataset.signalChart, f]),
    );
    /** @type {Model[]} */
    this.models = [];
    /** @type {SignalState | null} */
    this.signal = null;
    this.style = { lineWidth: 2, height: HEIGHT };
    this.plots = {};
    this.uPlot = null;
    uPlotReady.then(
      (uPlot) => {
        this.uPlot = uPlot;
        this.draw();
      },
      () => {}, // charts.js says why the charts are missing
    );
    new ResizeObserver(() => {
      for (const [name, plot] of Object.entries(this.plots)) plot.setSize({ width: this.width(name), height: this.style.height });
    }).observe(root.querySelector('.signal-charts'));
  }

  /** Line width and plot height: thicker and taller in projector mode. */
  setStyle(/** @type {{lineWidth: number}} */ { lineWidth }) {
    this.style = { lineWidth, height: lineWidth > 2 ? HEIGHT + 40 : HEIGHT };
    this.draw();
  }

  /** Shows `signal` (the state's latest, or null) for `models`, when either changed. */
  show(/** @type {Model[]} */ models, /** @type {SignalState | null} */ signal) {
    if (models === this.models && signal === this.signal) return;
    this.models = models;
    this.signal = signal;
    this.draw();
  }

  width(/** @type {string} */ name) {
    return Math.max(220, this.figures[name].querySelector('.signal-plot').clientWidth);
  }

  draw() {
    const { signal, models } = this;
    const shown = signal && signal.models.length === models.length ? signal : null;
    this.root.querySelector('.signal-step').textContent = shown ? signalWhen(shown.step) : models.length ? 'measuring…' : '';
    this.root.dataset.step = shown ? String(shown.step) : '';
    this.root.querySelector('.signal-caption').textContent = shown ? caption(shown.step) : '';
    this.key();
    this.notes(shown);
    this.table(shown);
    if (!this.uPlot) return;
    // Rebuilt whole: a signal comes at most once per validation pass.
    for (const [name, def] of Object.entries(CHARTS)) {
      this.plots[name]?.destroy();
      const columns = signalColumns(shown?.models ?? [], /** @type {'act_std' | 'grad_rms'} */ (def.field));
      const options = this.options(name, def, columns, shown ? models : []);
      this.plots[name] = new this.uPlot(options, this.data(columns), this.figures[name].querySelector('.signal-plot'));
    }
  }

  /** uPlot's data: x, then per model (activations) its prediction and its measured values. */
  data(/** @type {ReturnType<typeof signalColumns>} */ { xs, measured, theory }) {
    return [xs, ...measured.flatMap((values, m) => (theory ? [theory[m], values] : [values]))];
  }

  /** The chart `name` of `models` (the run's, or none before its signal has come). */
  options(name, def, /** @type {ReturnType<typeof signalColumns>} */ { xs, measured, theory }, /** @type {Model[]} */ models) {
    const { lineWidth } = this.style;
    const values = [...measured, ...(theory ?? [])].flat().filter((v) => v !== null);
    const axis = logAxis(Math.min(...values), Math.max(...values), Math.max(3, Math.floor(this.style.height / 40)));
    const series = models.flatMap((m) => {
      const line = {
        label: `${m.label}, measured`,
        stroke: m.color,
        width: lineWidth,
        ...(m.dash ? { dash: m.dash } : {}),
        points: { show: true, size: lineWidth + 4, fill: m.color },
      };
      // A wide, pale dashed band under the measured line, so that both show where they agree.
      const predicted = {
        label: `${m.label}, mean-field prediction`,
        stroke: `${m.color}66`,
        width: lineWidth + 4,
        dash: THEORY_DASH.map((d) => d * lineWidth),
        points: { show: false },
      };
      return theory ? [predicted, line] : [line];
    });
    const layers = xs.length;
    // At most about ten numbers: the first, every n-th not crowding either end, and the last.
    const every = Math.max(1, Math.ceil(layers / 10));
    const ticks = xs.filter((x) => x === 1 || x === layers || (x % every === 0 && x > 1 + every / 2 && x < layers - every / 2));
    return {
      width: this.width(name),
      height: this.style.height,
      legend: { show: false }, // the key above both charts names the models and the dashes
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: false, range: () => /** @type {[number, number]} */ ([0.5, Math.max(1, layers) + 0.5]) },
        y: { distr: 3, log: 10, range: () => /** @type {[number, number]} */ ([10 ** axis.lo, 10 ** axis.hi]) },
      },
      series: [{}, ...series],
      axes: [
        {
          label: def.x,
          splits: () => ticks,
          values: (_u, splits) => splits.map((v) => tick.format(v)),
        },
        {
          label: name === 'act' ? 'activation std (log)' : 'gradient RMS (log)',
          size: 62,
          splits: () => axis.ticks.map((k) => 10 ** k),
          filter: (_u, splits) => splits, // every split is a chosen decade: label each
          values: (_u, splits) => splits.map((v) => (v == null ? '' : powerOfTen(Math.round(Math.log10(v))))),
        },
      ],
    };
  }

  /** The models' colours and recipes, and what the line styles mean, once above both charts. */
  key() {
    const items = this.models.map((m) =>
      el('li', {}, swatch(m.color), el('span', { textContent: m.label }), m.recipe ? el('span', { className: 'note', textContent: m.recipe }) : ''),
    );
    this.root.querySelector('.signal-key').replaceChildren(...items);
  }

  /** What the charts leave out: where a model diverged or its signal vanished, and its named states. */
  notes(/** @type {SignalState | null} */ signal) {
    const items = signal
      ? this.models.flatMap((m, i) => signalNotes(signal.models[i]).map((note) => el('li', {}, swatch(m.color), `${m.label}: ${note}`)))
      : [];
    this.root.querySelector('.signal-notes').replaceChildren(...items);
  }

  /** The numbers for a reader without the charts: first, middle and last layer per model
   * (the layers' numbers in the header when every model has as many, else in each cell). */
  table(/** @type {SignalState | null} */ signal) {
    const table = /** @type {HTMLTableElement} */ (this.root.querySelector('.signal-table'));
    const depths = new Set(signal?.models.map((s) => s.act_std.length));
    const same = depths.size === 1 ? signal.models[0] : null;
    const heads = same
      ? signalReadout(same).act.map(({ layer }) => `hidden layer ${layer}`)
      : ['first', 'middle', 'last'].map((w) => `${w} hidden layer`);
    heads.forEach((text, i) => {
      table.tHead.rows[0].cells[i + 1].textContent = text;
    });
    const actCell = ({ layer, measured, theory }) =>
      el(
        'td',
        {},
        el('strong', { textContent: measured }),
        el('span', { className: 'note', textContent: `${same ? '' : `layer ${layer} · `}predicted ${theory}` }),
      );
    const rows = signal
      ? this.models.map((m, i) => {
          const { act, grad } = signalReadout(signal.models[i]);
          const tr = el(
            'tr',
            {},
            el('th', { scope: 'row' }, swatch(m.color), m.label),
            ...act.map(actCell),
            el('td', { textContent: `${grad[0]} → ${grad[1]}` }),
          );
          tr.dataset.init = m.id;
          return tr;
        })
      : [];
    table.tBodies[0].replaceChildren(...rows);
  }
}
