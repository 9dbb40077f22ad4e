// @ts-check
// The two live charts (uPlot): training loss per batch and validation accuracy, one series
// per model in its initializer's colour, drawn from the page's state (reducer.js) at most
// once per frame; a diverged model's values are null and show as a gap.
import { DIVERGED, formatLoss } from '../model/format.js';
import { drawAccuracyOverlays, drawDivergenceMarks, drawKnowsNothing } from './overlays.js';

const HEIGHT = 280;

const fmtLoss = (v) => (v == null ? '—' : formatLoss(v));
const fmtPercent = (v) => (v == null ? '—' : `${v.toFixed(1)} %`);
// Axis numbers as the rest of the page writes them (format.js), whatever the browser's locale.
const tick = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
const ticks = (_u, splits) => splits.map((v) => (v == null ? '' : tick.format(v)));

/** The browser's language tag if Intl accepts it, else 'en-US'. */
function usableLanguage() {
  try {
    return Intl.getCanonicalLocales(navigator.language)[0] ?? 'en-US';
  } catch {
    return 'en-US'; // e.g. "C", which WebKitGTK reports in a C.UTF-8 locale
  }
}

// uPlot builds an Intl.NumberFormat from navigator.language as its module loads, and a tag
// Intl rejects throws a RangeError there. So the page gives it a valid tag first, and loads
// it on its own (not as a static import): if the chart library cannot load, the page still
// trains and says why the charts are missing.
/** @type {typeof import('uplot') | null} */
let uPlot = null;
const uPlotLoaded = (async () => {
  const language = usableLanguage();
  if (navigator.language !== language) {
    Object.defineProperty(navigator, 'language', { value: language, configurable: true });
  }
  const url = '../../vendor/uplot/uPlot.esm.js'; // served by dist/ from node_modules/uplot
  uPlot = (await import(url)).default;
})();

/** The chart library, once loaded (the health view's small multiples use it too). */
export const uPlotReady = uPlotLoaded.then(() => uPlot);

export class Charts {
  /**
   * `onError(message)` is told if the chart library cannot start.
   * @param {HTMLElement} lossEl
   * @param {HTMLElement} accuracyEl
   * @param {boolean} log
   * @param {(message: string) => void} [onError]
   */
  constructor(lossEl, accuracyEl, log, onError = () => {}) {
    this.el = { loss: lossEl, accuracy: accuracyEl };
    this.models = [];
    this.total = 1;
    this.log = log;
    this.style = { lineWidth: 2, height: HEIGHT };
    this.plots = {};
    this.data = { loss: [[]], accuracy: [[]] };
    // Drawn over the plots (overlays.js): the "knows nothing" loss, the accuracy chart's full
    // validation passes and running training accuracy, and each diverged curve's ✕ (`ends`).
    this.overlays = { lnClasses: null, classes: 10, full: [], train: null, showTrain: true, ends: { loss: [], accuracy: [] } };
    this.frame = 0;
    const resize = new ResizeObserver(() => this.fit());
    resize.observe(lossEl);
    resize.observe(accuracyEl);
    uPlotLoaded.then(
      () => this.build(),
      (err) => {
        const message = `The charts could not start: ${err?.name ?? 'Error'}: ${err?.message ?? err}`;
        for (const el of [lossEl, accuracyEl]) el.textContent = message;
        onError(message);
      },
    );
  }

  setLog(log) {
    this.log = log;
    if (this.plots.loss) this.build();
  }

  /** Line width (px) and plot height (px): thicker and shorter in projector mode. */
  setStyle(style) {
    this.style = { ...this.style, ...style };
    if (this.plots.loss) this.build();
  }

  /** What is drawn over the plots: {lnClasses, classes} (the catalog's), {full} (per accuracy
   * point, whether it was a full validation pass), {train} (the running training accuracy,
   * {steps, series} in %), {showTrain}, {ends} ({loss, accuracy}: per model, where its curve
   * ends with a ✕, divergence.js `divergenceMarks`). */
  setOverlays(patch) {
    this.overlays = { ...this.overlays, ...patch };
    this.draw(true);
  }

  /** Shows `models` (`[{id, label, color, dash}]`) over `total` steps with the state's `loss` and
   * `accuracy` ({steps, series}); rebuilds only when the models or the run length change. */
  show(models, total, loss, accuracy) {
    const key = (list) => list.map((m) => `${m.id} ${m.color} ${m.dash}`).join();
    if (key(models) !== key(this.models) || Math.max(1, total) !== this.total || !this.plots.loss) {
      this.models = models;
      this.total = Math.max(1, total);
      this.build();
    }
    this.data = { loss: [loss.steps, ...loss.series], accuracy: [accuracy.steps, ...accuracy.series] };
    this.draw();
  }

  build() {
    if (!uPlot) return; // the constructor builds once it has loaded
    for (const plot of Object.values(this.plots)) plot.destroy();
    // The legend reads out the hovered step, and the latest values when nothing is hovered; a
    // gap where there is a step is a diverged model's NaN or ∞.
    const readout = (fmt) => (u, v, series, idx) => {
      const value = idx == null ? u.data[series].at(-1) : v;
      const stepped = idx == null ? u.data[0].length > 0 : u.data[0][idx] != null;
      return value == null && stepped && series > 0 ? DIVERGED : fmt(value);
    };
    const series = (fmt) => [
      { label: 'step', value: readout((v) => v ?? '—') },
      ...this.models.map((m) => ({
        label: m.label,
        stroke: m.color,
        width: this.style.lineWidth,
        ...(m.dash ? { dash: m.dash } : {}),
        value: readout(fmt),
      })),
    ];
    /** @type {import('uplot').Scale} */
    const x = { time: false, range: () => /** @type {[number, number]} */ ([0, this.total]) };
    const axes = (yLabel) => [
      { label: 'step', values: ticks },
      { label: yLabel, size: 70, values: ticks },
    ];
    const empty = /** @type {import('uplot').AlignedData} */ ([[], ...this.models.map(() => [])]);
    this.plots.loss = new uPlot(
      {
        width: this.width('loss'),
        height: this.style.height,
        scales: { x, y: this.log ? { distr: 3, log: 10 } : { auto: true } },
        series: series(fmtLoss),
        axes: axes('loss'),
        cursor: { drag: { x: false, y: false } },
        hooks: {
          draw: [
            (u) => drawKnowsNothing(u, this.overlays, this.style),
            (u) => drawDivergenceMarks(u, this.models, this.overlays.ends.loss, this.style),
          ],
        },
      },
      empty,
      this.el.loss,
    );
    this.plots.accuracy = new uPlot(
      {
        width: this.width('accuracy'),
        height: this.style.height,
        scales: { x, y: { range: [0, 100] } },
        // Small dots: every validation point (the live ones too); full passes get a large dot.
        series: series(fmtPercent).map((s, i) => (i === 0 ? s : { ...s, points: { show: true, size: 5 } })),
        axes: axes('accuracy %'),
        cursor: { drag: { x: false, y: false } },
        hooks: {
          draw: [
            (u) => drawAccuracyOverlays(u, this.models, this.overlays, this.style),
            (u) => drawDivergenceMarks(u, this.models, this.overlays.ends.accuracy, this.style),
          ],
        },
      },
      empty,
      this.el.accuracy,
    );
    for (const plot of Object.values(this.plots)) keyboardLegend(plot);
    this.draw();
  }

  width(name) {
    return Math.max(240, this.el[name].clientWidth);
  }

  fit() {
    for (const [name, plot] of Object.entries(this.plots)) plot.setSize({ width: this.width(name), height: this.style.height });
  }

  /** Redraws once per frame however many events arrive; `overlaysOnly` keeps the data. */
  draw(overlaysOnly = false) {
    this.redrawOnly = (this.frame ? this.redrawOnly : true) && overlaysOnly;
    if (this.frame || !this.plots.loss) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      for (const name of ['loss', 'accuracy']) {
        if (this.redrawOnly) this.plots[name].redraw(false);
        else this.plots[name].setData(this.data[name]);
      }
    });
  }
}

/**
 * Makes the legend's series entries keyboard switches: Tab reaches each, Enter or Space shows or
 * hides its curve (as a click does), and its state is announced (role switch, aria-checked).
 */
function keyboardLegend(plot) {
  const rows = plot.root.querySelectorAll('.u-legend .u-series');
  rows.forEach((row, i) => {
    if (i === 0) return; // the step readout
    const sync = () => row.setAttribute('aria-checked', String(plot.series[i].show));
    row.tabIndex = 0;
    row.setAttribute('role', 'switch');
    row.setAttribute('aria-label', `${plot.series[i].label}: show curve`);
    sync();
    row.addEventListener('click', () => queueMicrotask(sync));
    row.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault();
      plot.setSeries(i, { show: !plot.series[i].show });
      sync();
    });
  });
}
