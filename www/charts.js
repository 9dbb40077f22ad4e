// The two live charts (uPlot): training loss per batch and validation accuracy, one series
// per model in its initializer's colour. Points are appended as the worker reports them and
// drawn at most once per frame; a diverged model's NaN/∞ arrives as null and shows as a gap.
import uPlot from '../vendor/uplot/uPlot.esm.js';

const HEIGHT = 280;

const fmtLoss = (v) => {
  if (v == null) return '—';
  const a = Math.abs(v);
  return a >= 1000 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(3);
};
const fmtPercent = (v) => (v == null ? '—' : `${v.toFixed(1)} %`);

export class Charts {
  constructor(lossEl, accuracyEl, log) {
    this.el = { loss: lossEl, accuracy: accuracyEl };
    this.models = [];
    this.total = 1;
    this.log = log;
    this.plots = {};
    this.frame = 0;
    this.clear();
    const resize = new ResizeObserver(() => this.fit());
    resize.observe(lossEl);
    resize.observe(accuracyEl);
  }

  /** New models (`[{id, label, color}]`) and run length: empties and rebuilds both charts. */
  setModels(models, totalSteps) {
    this.models = models;
    this.total = Math.max(1, totalSteps);
    this.clear();
    this.build();
  }

  setLog(log) {
    this.log = log;
    if (this.plots.loss) this.build();
  }

  clear() {
    const empty = () => this.models.map(() => []);
    this.loss = [[], ...empty()];
    this.accuracy = [[], ...empty()];
    this.draw();
  }

  /** Appends a worker `progress` message: {from_step, losses[model][], evals[]}. */
  append({ from_step: from, losses, evals }) {
    const count = losses[0]?.length ?? 0;
    for (let i = 0; i < count; i++) {
      this.loss[0].push(from + i + 1);
      losses.forEach((series, m) => this.loss[m + 1].push(series[i]));
    }
    for (const e of evals) {
      this.accuracy[0].push(e.step);
      e.accuracy.forEach((a, m) => this.accuracy[m + 1].push(a == null ? null : 100 * a));
    }
    this.draw();
  }

  /** What the charts hold, for tests and for people reading the console. */
  snapshot() {
    const series = (data) => this.models.map((model, m) => ({ id: model.id, values: [...data[m + 1]] }));
    return { loss: series(this.loss), accuracy: series(this.accuracy) };
  }

  build() {
    for (const plot of Object.values(this.plots)) plot.destroy();
    // The legend reads out the hovered step, and the latest values when nothing is hovered.
    const readout = (fmt) => (u, v, series, idx) => fmt(idx == null ? u.data[series].at(-1) : v);
    const series = (fmt) => [
      { label: 'step', value: readout((v) => v ?? '—') },
      ...this.models.map((m) => ({ label: m.label, stroke: m.color, width: 2, value: readout(fmt) })),
    ];
    const x = { time: false, range: () => [0, this.total] };
    const axes = (yLabel) => [{ label: 'step' }, { label: yLabel, size: 70 }];
    this.plots.loss = new uPlot(
      {
        width: this.width('loss'),
        height: HEIGHT,
        scales: { x, y: this.log ? { distr: 3, log: 10 } : { auto: true } },
        series: series(fmtLoss),
        axes: axes('loss'),
        cursor: { drag: { x: false, y: false } },
      },
      this.loss,
      this.el.loss,
    );
    this.plots.accuracy = new uPlot(
      {
        width: this.width('accuracy'),
        height: HEIGHT,
        scales: { x, y: { range: [0, 100] } },
        series: series(fmtPercent).map((s, i) => (i === 0 ? s : { ...s, points: { show: true, size: 7 } })),
        axes: axes('accuracy %'),
        cursor: { drag: { x: false, y: false } },
      },
      this.accuracy,
      this.el.accuracy,
    );
  }

  width(name) {
    return Math.max(240, this.el[name].clientWidth);
  }

  fit() {
    for (const [name, plot] of Object.entries(this.plots)) plot.setSize({ width: this.width(name), height: HEIGHT });
  }

  /** Redraws once per frame however many messages arrive. */
  draw() {
    if (this.frame || !this.plots.loss) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.plots.loss.setData(this.loss);
      this.plots.accuracy.setData(this.accuracy);
    });
  }
}
