// @ts-check
// Where a model diverged (the engine's `diverged` event), in words and as the charts' marks:
// each diverged curve ends with a ✕ at its last finite value before the step it diverged at.
// Pure, no DOM.
import { formatCount } from './format.js';

/** @typedef {Omit<Extract<import('../engine/wire').Event, {type: 'diverged'}>, 'type' | 'model'>} Divergence */

/** f32's largest finite value, the bound an overflow passed. */
const F32_MAX = 3.4028235e38;

const sci = (/** @type {number} */ v) => v.toExponential(1).replace('e+', 'e');

/**
 * A model's divergence for people: "diverged at step 37: layer 2's outputs exceeded 3.4e38
 * (largest finite 7.6e26)", or "… became NaN" where nothing overflowed (∞ − ∞, NaN weights).
 * @param {Divergence} d
 */
export function divergenceWords(d) {
  const what = d.cause === 'overflow' ? `exceeded ${sci(F32_MAX)}` : 'became NaN';
  const largest = d.max_abs > 0 ? ` (largest finite ${sci(d.max_abs)})` : '';
  return `diverged at step ${formatCount(d.step)}: layer ${d.layer}'s outputs ${what}${largest}`;
}

/**
 * Where each diverged model's curve ends on a chart: the last point before its divergence
 * step with a value (`value` null where it has none: the mark then sits at the plot's top).
 * @param {{steps: number[], series: (number | null)[][]}} chart the points drawn (series.js)
 * @param {(Divergence | null)[]} divergence per model
 * @returns {({step: number, value: number | null} | null)[]} per model, null while it trains
 */
export function divergenceMarks(chart, divergence) {
  return divergence.map((d, m) => {
    if (!d) return null;
    const values = chart.series[m] ?? [];
    for (let i = chart.steps.length - 1; i >= 0; i--) {
      const value = values[i];
      if (chart.steps[i] < d.step && value != null) return { step: chart.steps[i], value };
    }
    return { step: d.step, value: null };
  });
}
