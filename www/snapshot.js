// @ts-check
// What the page holds, as plain data, for tests and the curious (`window.weightInitLab`):
// the charts' series, the run, and each view's numbers, read from the state (reducer.js).
// Each part is computed when it is read: a test that polls `snapshot().run` many times a second
// must not cost the page the copies of every series and picture it does not look at.
import { accuracyPoints } from './model/accuracy-marks.js';
import { divergenceMarks, divergenceWords } from './model/divergence.js';
import { latestHealth } from './model/health-series.js';
import { points } from './model/series.js';
import { tilesSummary } from './views/tiles.js';

/** @typedef {import('./model/reducer.js').State} State */

/**
 * The snapshot of `state`; `extra` adds what lives outside it (the backend's name, the
 * experiment views' numbers), as functions computed when read.
 * @param {State} state
 * @param {Record<string, () => unknown>} extra
 */
export function snapshotOf(state, extra) {
  const seriesOf = (chart) => state.run.inits.map((id, m) => ({ id, values: [...(points(chart).series[m] ?? [])] }));
  return lazily({
    run: () => ({ ...state.run, models: state.run.inits.length }),
    loss: () => seriesOf(state.loss),
    accuracy: () => seriesOf(state.accuracy),
    accuracyPoints: () => accuracyPoints(state),
    // Per diverged model: the record, its words and where its curves' ✕ sit (live-charts.js).
    divergence: () => {
      const [loss, accuracy] = [divergenceMarks(points(state.loss), state.divergence), divergenceMarks(points(state.accuracy), state.divergence)];
      return state.divergence.flatMap((d, m) =>
        d ? [{ id: state.run.inits[m], ...d, words: divergenceWords(d), lossMark: loss[m], accuracyMark: accuracy[m] }] : [],
      );
    },
    trainAccuracy: () => seriesOf(state.trainAccuracy),
    results: () => state.results,
    lesson: () =>
      state.lesson && {
        index: state.lesson.index,
        prediction: state.lesson.prediction,
        revealed: state.lesson.revealed,
        errors: state.lesson.errors,
      },
    health: () => ({ samples: state.health.samples.length, latest: latestHealth(state.health) }),
    tiles: () => tilesSummary(state.diagnostics),
    distinct: () => state.diagnostics?.layers.map((layers) => layers.map((l) => l.distinct_units)) ?? [],
    diagnosticsStep: () => state.diagnostics?.step ?? null,
    signal: () => state.signal && { step: state.signal.step, models: state.signal.models.map((s, m) => ({ id: state.run.inits[m], ...s })) },
    ...extra,
  });
}

/** An object whose every property is its function's value, computed when read (enumerable,
 * so that a test driver serializing the whole object gets every value). */
function lazily(/** @type {Record<string, () => unknown>} */ parts) {
  const out = {};
  for (const [name, part] of Object.entries(parts)) Object.defineProperty(out, name, { get: part, enumerable: true });
  return out;
}
