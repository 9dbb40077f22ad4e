// @ts-check
// The accuracy chart's marks, from the page's state: which points are full validation passes
// (large dots) and which live ones on the fixed subset (small dots), and the line under the
// chart that says so. Pure, no DOM (tests/unit/views.test.mjs).
import { formatCount } from './format.js';
import { points } from './series.js';
import { WINDOW } from './train-accuracy.js';

/** Per accuracy point of `state`, whether it was a full validation pass. */
export function fullFlags(state) {
  const full = new Set(points(state.accuracyFull).steps);
  return points(state.accuracy).steps.map((step) => full.has(step));
}

/** Per model, the chart's points: {id, points: [{step, accuracy (%), full}]}. */
export function accuracyPoints(state) {
  const { steps, series } = points(state.accuracy);
  const full = fullFlags(state);
  return state.run.inits.map((id, m) => ({ id, points: steps.map((step, i) => ({ step, accuracy: series[m][i], full: full[i] })) }));
}

/** The key under the chart: the images each kind of pass saw (the session's defaults until
 * one has come), how often full passes run, and the training accuracy when shown. */
export function accuracyKey({ subset, full }, evalEvery, trainAccuracy) {
  const every = evalEvery ? `every ${formatCount(evalEvery)} steps and ` : '';
  return (
    `Small dots: live, on ${formatCount(subset || 2000)} fixed validation images · large dots: all ` +
    `${formatCount(full || 12000)} validation images, ${every}at each epoch end` +
    (trainAccuracy ? ` · faint thin lines: training accuracy, the mean of the last ${WINDOW} batches.` : '.')
  );
}
