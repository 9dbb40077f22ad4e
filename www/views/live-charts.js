// @ts-check
// The loss and accuracy charts (charts.js) fed from the state: their series, the overlays
// (full validation passes, running training accuracy), the key under the accuracy chart, and
// each chart's latest numbers as a sentence for people who cannot see the curves, and where
// each diverged model stopped (a ✕ ending its curves, and the words under the loss chart).
import { accuracyKey, fullFlags } from '../model/accuracy-marks.js';
import { divergenceMarks, divergenceWords } from '../model/divergence.js';
import { formatLoss, formatPercent } from '../model/format.js';
import { points } from '../model/series.js';
import { byId } from './dom.js';

/** @typedef {import('../model/reducer.js').State} State */
/** @typedef {{id: string, label: string, color: string, dash?: number[] | null}} Model */

export class LiveCharts {
  /** @param {import('./charts.js').Charts} charts */
  constructor(charts) {
    this.charts = charts;
    /** @type {State | null} */
    this.shown = null;
    /** @type {Model[] | null} */
    this.models = null;
  }

  /** Draws `s` for `models` when the charts' data, the settings or the models changed. */
  show(/** @type {State} */ s, /** @type {Model[]} */ models) {
    const was = this.shown;
    const same =
      was && s.loss === was.loss && s.accuracy === was.accuracy && s.trainAccuracy === was.trainAccuracy && s.divergence === was.divergence;
    if (same && s.run.total === was.run.total && s.settings === was.settings && models === this.models) return;
    this.shown = s;
    this.models = models;
    const [loss, accuracy] = [points(s.loss), points(s.accuracy)];
    const ends = { loss: divergenceMarks(loss, s.divergence), accuracy: divergenceMarks(accuracy, s.divergence) };
    this.charts.setOverlays({ full: fullFlags(s), train: points(s.trainAccuracy), showTrain: s.settings.trainAccuracy, ends });
    this.charts.show(models, s.run.total, loss, accuracy);
    byId('accuracy-key').textContent = accuracyKey(s.evalImages, s.settings.evalEvery, s.settings.trainAccuracy);
    byId('divergence-note').textContent = s.divergence
      .map((d, m) => d && `✕ ${models[m]?.label ?? s.run.labels[m]} ${divergenceWords(d)}.`)
      .filter(Boolean)
      .join(' ');
    byId('loss-summary').textContent = summary('Training loss', loss, models, formatLoss);
    byId('accuracy-summary').textContent = summary('Validation accuracy', accuracy, models, (v) => formatPercent(v / 100, 1));
  }
}

/**
 * A chart's latest numbers as a sentence.
 * @param {string} name
 * @param {{steps: number[], series: number[][]}} chart
 * @param {Model[]} models
 * @param {(v: number) => string} format
 */
function summary(name, chart, models, format) {
  const step = chart.steps.at(-1);
  if (step === undefined) return `${name}: no points yet.`;
  return `${name} at step ${step}: ${models.map((m, i) => `${m.label} ${format(chart.series[i].at(-1))}`).join(', ')}.`;
}
