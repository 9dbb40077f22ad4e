// What each model gets wrong (www/views/confusion.js, www/views/gallery.js), without a browser: per-class
// accuracy from a confusion row, the class names, readable heat-map cells, and the gallery's
// right and wrong predictions.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classNamesFor, contrast, heatColors, luminance, perClassAccuracy, rowSums, rowsOf } from '../../www/views/confusion.js';
import { galleryItems, wrongCounts } from '../../www/views/gallery.js';

// 3 classes: row = true class, column = predicted.
const matrix = [8, 1, 1, 0, 5, 0, 2, 2, 6];

test('rows, row sums and per-class accuracy (the diagonal over the row sum)', () => {
  assert.deepEqual(rowsOf(matrix), [
    [8, 1, 1],
    [0, 5, 0],
    [2, 2, 6],
  ]);
  assert.deepEqual(rowSums(matrix), [10, 5, 10]);
  assert.deepEqual(perClassAccuracy(matrix), [0.8, 1, 0.6]);
  assert.deepEqual(perClassAccuracy(new Uint32Array([0, 0, 3, 1])), [NaN, 0.25], 'a class with no images has no accuracy');
  // 10 classes, all-zeros style: everything predicted as class 0.
  const flat = Array.from({ length: 100 }, (_, i) => (i % 10 === 0 ? 1200 : 0));
  assert.deepEqual(perClassAccuracy(flat), [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(
    rowSums(flat).reduce((a, b) => a + b),
    12000,
  );
});

test('class names: Fashion-MNIST’s, else the digits', () => {
  const catalog = { fashion_classes: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] };
  assert.equal(classNamesFor(catalog, { fashion: true })[9], 'Ankle boot');
  assert.deepEqual(classNamesFor(catalog, { fashion: false }), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.equal(classNamesFor(null, { fashion: true })[3], '3');
});

test('every heat-map cell reads at 4.5:1 or better, and darker means more', () => {
  const rgb = (css) => css.match(/\d+/g).map(Number);
  const lum = (css) => (css === '#fff' ? 1 : luminance(rgb(css)));
  let previous = Infinity;
  for (let i = 0; i <= 200; i++) {
    const { background, color } = heatColors(i / 200);
    const ratio = contrast(lum(background), lum(color));
    assert.ok(ratio >= 4.5, `share ${i / 200}: contrast ${ratio.toFixed(2)}`);
    assert.ok(lum(background) <= previous + 1e-12, `share ${i / 200} is not lighter than the one before`);
    previous = lum(background);
  }
  assert.equal(heatColors(0).background, 'rgb(255,255,255)');
  assert.equal(heatColors(NaN).background, 'rgb(255,255,255)');
});

test('the gallery marks each model’s wrong predictions', () => {
  const gallery = { rows: 28, cols: 28, images: [new Uint8Array(784), new Uint8Array(784), new Uint8Array(784)], labels: new Uint8Array([0, 1, 9]) };
  const ids = ['zeros', 'general-rule', 'ones'];
  const predictions = [
    [0, 0, 0],
    [0, 1, 7],
    [0, 0, 0],
  ];
  const items = galleryItems(gallery, predictions, ids, new Set(['ones']));
  assert.deepEqual(
    items.map((it) => it.label),
    [0, 1, 9],
  );
  assert.deepEqual(items[2].predictions, [
    { id: 'zeros', predicted: 0, right: false, diverged: false },
    { id: 'general-rule', predicted: 7, right: false, diverged: false },
    { id: 'ones', predicted: 0, right: false, diverged: true },
  ]);
  assert.deepEqual(wrongCounts(items, ids), [2, 1, 2]);
  assert.deepEqual(
    galleryItems(gallery, null, ids).map((it) => it.predictions),
    [[], [], []],
    'no predictions yet',
  );
  assert.deepEqual(galleryItems(null, predictions, ids), []);
});

test('the state keeps the latest pass of each kind, the run’s gallery and gains, and the predictions', async () => {
  const { initialState, reduce } = await import('../../www/model/reducer.js');
  const { Event } = await import('../../www/engine/protocol.js');
  const gallery = { rows: 28, cols: 28, images: [new Uint8Array(784)], labels: [3] };
  const run = {
    type: Event.run,
    inits: ['zeros', 'gain:1'],
    labels: ['All Zeros', 'Gain 1'],
    gains: [0, 1],
    gallery,
    total_steps: 20,
    steps_per_epoch: 10,
    batch_size: 100,
  };
  const point = (step, subset) => ({
    type: Event.eval,
    point: {
      step,
      epoch: step / 10,
      loss: [2.3, 1],
      accuracy: [0.1, 0.5],
      images: subset ? 2000 : 12000,
      subset,
      confusion: subset ? [] : [matrix, matrix],
    },
  });
  let s = [run, point(5, true), point(10, false), point(15, true)].reduce(reduce, initialState());
  assert.equal(s.run.gallery, gallery);
  assert.deepEqual(s.run.gains, [0, 1]);
  assert.equal(s.evals.full.step, 10);
  assert.equal(s.evals.subset.step, 15);
  assert.deepEqual(s.evals.full.confusion[1], matrix);
  s = reduce(s, { type: Event.diagnostics, step: 15, layers: [[], []], gallery: [[0], [3]] });
  assert.deepEqual(s.diagnostics.gallery, [[0], [3]]);
  const recovered = reduce(s, { type: Event.recovered, from_step: 12, reason: 'the GPU failed' });
  assert.equal(recovered.evals.full.step, 10, 'a pass before the checkpoint stays');
  assert.equal(recovered.evals.subset, null, 'a pass after it goes');
  const reset = reduce(s, { type: Event.reset, total_steps: 20 });
  assert.deepEqual(reset.evals, { full: null, subset: null });
});
