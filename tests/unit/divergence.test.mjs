// Where a model diverged, in words and as the charts' ✕ (www/model/divergence.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { divergenceMarks, divergenceWords } from '../../www/model/divergence.js';

test('an overflow says the bound it passed and the largest finite value; NaN says so', () => {
  const overflow = { step: 37, layer: 2, max_abs: 7.6e26, cause: /** @type {const} */ ('overflow') };
  assert.equal(divergenceWords(overflow), "diverged at step 37: layer 2's outputs exceeded 3.4e38 (largest finite 7.6e26)");
  const nan = { step: 1200, layer: 1, max_abs: 0, cause: /** @type {const} */ ('nan') };
  assert.equal(divergenceWords(nan), "diverged at step 1,200: layer 1's outputs became NaN");
});

test("a diverged curve's ✕ sits on its last value before the step; a trained one has none", () => {
  const chart = {
    steps: [1, 2, 3, 4],
    series: [
      [2.3, 2.2, 2.1, 2.0],
      [5, 900, null, null],
      [null, null, null, null],
    ],
  };
  const d = (step) => ({ step, layer: 2, max_abs: 1, cause: /** @type {const} */ ('overflow') });
  assert.deepEqual(divergenceMarks(chart, [null, d(3), d(1)]), [null, { step: 2, value: 900 }, { step: 1, value: null }]);
});
