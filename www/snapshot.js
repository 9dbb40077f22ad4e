// @ts-check
// What the page holds, as plain data, for tests and the curious (`window.weightInitLab`):
// the charts' series, the run, and each view's numbers, read from the state (reducer.js).
import { accuracyPoints } from './model/accuracy-marks.js';
import { latestHealth } from './model/health-series.js';
import { points } from './model/series.js';
import { tilesSummary } from './views/tiles.js';

/** The snapshot of `state`; `extra` adds what lives outside it (the backend's name, …). */
export function snapshotOf(state, extra) {
  const seriesOf = (chart) => state.run.inits.map((id, m) => ({ id, values: [...(points(chart).series[m] ?? [])] }));
  return {
    loss: seriesOf(state.loss),
    accuracy: seriesOf(state.accuracy),
    run: { ...state.run, models: state.run.inits.length },
    accuracyPoints: accuracyPoints(state),
    trainAccuracy: seriesOf(state.trainAccuracy),
    health: { samples: state.health.samples.length, latest: latestHealth(state.health) },
    tiles: tilesSummary(state.diagnostics),
    distinct: state.diagnostics?.layers.map((layers) => layers.map((l) => l.distinct_units)) ?? [],
    diagnosticsStep: state.diagnostics?.step ?? null,
    ...extra,
  };
}
