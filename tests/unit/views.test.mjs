// The pure parts of the live training views (issue #9): the running training accuracy, the
// bounded health samples and their symlog axis, the colour maps, the weight tiles' decoding,
// and the reducer's handling of live/full validation, training accuracy and health events.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Event } from '../../www/engine/protocol.js';
import { accuracyKey, accuracyPoints, fullFlags } from '../../www/model/accuracy-marks.js';
import {
  appendHealth,
  binTicks,
  emptyHealth,
  healthSeries,
  healthUpTo,
  latestHealth,
  log10OrNull,
  MAX_SAMPLES,
  positiveOrNull,
  powerOfTen,
  symlog,
  symlogLabel,
} from '../../www/model/health-series.js';
import { initialState, reduce } from '../../www/model/reducer.js';
import { points } from '../../www/model/series.js';
import { emptyWindow, runningAccuracy, WINDOW } from '../../www/model/train-accuracy.js';
import { countShade, diverging, sequential } from '../../www/views/colormap.js';
import { decodeTiles, distinctTiles, int8, tileGridPixels, tileSpread, tilesSummary } from '../../www/views/tiles.js';

const close = (a, b, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} vs ${b}`);

test('the running training accuracy is the mean of the last 50 batches, per model', () => {
  assert.equal(WINDOW, 50);
  const first = runningAccuracy(emptyWindow(2), 0, [
    [0.1, 0.3],
    [1, 0],
  ]);
  assert.deepEqual(first.means, [
    [0.1, 0.2],
    [1, 0.5],
  ]);
  assert.equal(first.window.step, 2);
  // 100 more batches of 0.9 for model 0: the window keeps only the last 50.
  const later = runningAccuracy(first.window, 2, [Array(100).fill(0.9), Array(100).fill(0)]);
  close(later.means[0].at(-1), 0.9);
  assert.equal(later.window.values[0].length, 50);
  close(later.means[0][0], (0.1 + 0.3 + 0.9) / 3);
  assert.equal(later.window.step, 102);
  // The input is not changed.
  assert.equal(first.window.values[0].length, 2);
});

test('a window that does not end where the batches start begins again (replay, reset)', () => {
  const w = runningAccuracy(emptyWindow(1), 0, [[0.2, 0.4, 0.6]]).window;
  const replay = runningAccuracy(w, 1, [[1, 1]]);
  assert.deepEqual(replay.means, [[1, 1]]);
  assert.equal(replay.window.step, 3);
  // A diverged batch (NaN) makes the mean NaN: the chart shows a gap.
  assert.ok(Number.isNaN(runningAccuracy(emptyWindow(1), 0, [[0.5, NaN]]).means[0][1]));
});

const sample = (step, value = step) => ({
  step,
  layers: [[{ grad_rms: value, update_ratio: 1e-3, act_mean: 0.5, act_std: 0.7, dead_fraction: 0.1, histogram: [1, 2, 3], non_finite: 0 }]],
});

test('health samples stay at most MAX_SAMPLES, evenly spaced, however long the run', () => {
  assert.equal(MAX_SAMPLES, 1000);
  let h = emptyHealth();
  for (let step = 10; step <= 10 * 5000; step += 10) h = appendHealth(h, sample(step));
  assert.ok(h.samples.length <= 1000 && h.samples.length > 500, `${h.samples.length} samples`);
  const gaps = new Set(h.samples.slice(1).map((s, i) => s.step - h.samples[i].step));
  assert.equal(gaps.size, 1, `even spacing: ${[...gaps]}`);
  assert.equal(h.samples[0].step, 10, 'the first sample stays');
  assert.ok(h.samples.at(-1).step > 49_000, `up to the end: ${h.samples.at(-1).step}`);
  assert.ok(h.samples[0].layers[0][0].histogram instanceof Uint32Array);
});

test('a small bound thins by half and keeps the new spacing', () => {
  let h = emptyHealth();
  for (let step = 10; step <= 50; step += 10) h = appendHealth(h, sample(step), 4);
  assert.deepEqual(
    h.samples.map((s) => s.step),
    [10, 30, 50],
  );
  assert.equal(h.gap, 20);
  h = appendHealth(h, sample(60), 4);
  assert.deepEqual(
    h.samples.map((s) => s.step),
    [10, 30, 50],
    'too close to the last one',
  );
  h = appendHealth(h, sample(70), 4);
  assert.deepEqual(
    h.samples.map((s) => s.step),
    [10, 30, 50, 70],
  );
});

test('a recovery drops later samples, and a replayed step replaces its sample', () => {
  let h = emptyHealth();
  for (const step of [10, 20, 30]) h = appendHealth(h, sample(step));
  assert.deepEqual(
    healthUpTo(h, 15).samples.map((s) => s.step),
    [10],
  );
  h = appendHealth(h, sample(20, 99));
  assert.deepEqual(
    h.samples.map((s) => s.step),
    [10, 20],
  );
  assert.equal(h.samples[1].layers[0][0].grad_rms, 99);
  assert.deepEqual(latestHealth(h)[0][0], {
    step: 20,
    grad_rms: 99,
    update_ratio: 1e-3,
    act_mean: 0.5,
    act_std: 0.7,
    dead_fraction: 0.1,
    non_finite: 0,
  });
  assert.deepEqual(latestHealth(emptyHealth()), []);
});

test('health series for a chart: log axes get gaps for 0 and NaN', () => {
  let h = emptyHealth();
  h = appendHealth(h, sample(10, 0));
  h = appendHealth(h, sample(20, 0.01));
  h = appendHealth(h, sample(30, NaN));
  assert.deepEqual(healthSeries(h, 0, 'grad_rms', positiveOrNull), { steps: [10, 20, 30], series: [[null, 0.01, null]] });
  assert.deepEqual(healthSeries(h, 0, 'grad_rms'), { steps: [10, 20, 30], series: [[0, 0.01, null]] });
  close(log10OrNull(1e-3), -3);
  assert.equal(log10OrNull(0), null);
  assert.equal(log10OrNull(NaN), null);
});

test('the symlog axis is labelled in powers of ten, as the engine bins', () => {
  close(symlog(0), 0);
  close(symlog(1), Math.log10(1001));
  close(symlog(-1), -Math.log10(1001));
  assert.deepEqual([-3, -2, -1, 0, 1, 2, 3, 6].map(powerOfTen), ['10⁻³', '0.01', '0.1', '1', '10', '100', '10³', '10⁶']);
  assert.equal(symlogLabel(symlog(1e4)), '10⁴');
  assert.equal(symlogLabel(-symlog(0.01)), '−0.01');
  assert.equal(symlogLabel(0), '0');
  // Hidden layers: [0, 10) — 0 and the powers up to 10⁶, at most 6 labels, 1 among them.
  const hidden = binTicks({ lo: 0, hi: 10, count: 40, symlog: true }, 6);
  assert.ok(hidden.length <= 6 && hidden.length >= 4, JSON.stringify(hidden));
  assert.equal(hidden[0].label, '0');
  assert.ok(hidden.some((t) => t.label === '1'));
  for (const { t, label } of hidden.slice(1)) close(t, symlog(Number(label.replace('10⁴', '1e4').replace('10⁶', '1e6'))), 1e-9);
  // The output layer: [−10, 10), symmetric, increasing.
  const output = binTicks({ lo: -10, hi: 10, count: 40, symlog: true }, 9);
  assert.deepEqual(
    output.map((t) => t.label),
    ['−10⁶', '−10³', '−1', '0', '1', '10³', '10⁶'],
  );
  assert.ok(output.every((t, i) => i === 0 || t.t > output[i - 1].t));
  assert.deepEqual(
    binTicks({ lo: 0, hi: 2, symlog: false }).map((t) => t.label),
    ['0', '1', '2'],
  );
});

test('colour maps: blue–white–red around 0, white to dark red for counts', () => {
  assert.deepEqual(diverging(0), [255, 255, 255]);
  assert.deepEqual(diverging(1), [178, 24, 43]);
  assert.deepEqual(diverging(-1), [33, 102, 172]);
  assert.deepEqual(diverging(5), diverging(1), 'clamped');
  assert.deepEqual(diverging(NaN), [160, 160, 160]);
  const [r, g, b] = diverging(0.5);
  assert.ok(r > g && r > b && g > 24, 'half red is pink');
  assert.deepEqual(sequential(0), [255, 255, 255]);
  assert.deepEqual(sequential(1), [128, 0, 38]);
  // Lightness falls all the way: it reads in grey too.
  const lum = ([r, g, b]) => 0.2126 * r + 0.7152 * g + 0.0722 * b;
  for (let t = 0.05; t <= 1; t += 0.05) assert.ok(lum(sequential(t)) < lum(sequential(t - 0.05)), `at ${t}`);
  assert.equal(countShade(0, 100), 0);
  close(countShade(100, 100), 1);
  close(countShade(9, 99), Math.log(10) / Math.log(100));
  assert.equal(countShade(5, 0), 0);
});

/** Tiles of `units` units of 2×2 pixels from int8 values. */
const tiles = (perUnit, scale = 0.5) => {
  const q = Int8Array.from(perUnit.flat());
  return { units: perUnit.length, rows: 2, cols: 2, models: [{ scale, weights: new Uint8Array(q.buffer) }] };
};

test('tiles decode as int8 times scale/127, and identical tiles are counted once', () => {
  const t = tiles([
    [127, -127, 0, 64],
    [127, -127, 0, 64],
    [1, 2, 3, 4],
  ]);
  const { scale, weights } = decodeTiles(t, 0);
  assert.equal(scale, 0.5);
  close(weights[0], 0.5, 1e-7);
  close(weights[1], -0.5, 1e-7);
  close(weights[3], (64 / 127) * 0.5, 1e-7);
  assert.equal(distinctTiles(t.models[0].weights, 3), 2);
  assert.equal(
    distinctTiles(
      tiles([
        [0, 0, 0, 0],
        [0, 0, 0, 0],
      ]).models[0].weights,
      2,
    ),
    1,
  );
  // Tiles that differ only in their last byte are told apart; equal ones anywhere are not.
  const lates = new Uint8Array(4 * 784);
  lates[784 + 783] = 1;
  lates[3 * 784 + 783] = 1;
  assert.equal(distinctTiles(lates, 4), 2);
  const hashed = new Uint8Array(64 * 784).map((_, i) => (Math.imul(i, 2654435761) >>> 24) & 255);
  hashed.copyWithin(10 * 784, 3 * 784, 4 * 784);
  assert.equal(distinctTiles(hashed, 64), 63, 'one copy among 64 tiles of noise');
  close(tileSpread(t.models[0].weights, 3), 129 / 127); // |2 − (−127)|, third tile against the first
  assert.equal(
    tileSpread(
      tiles([
        [5, 5, 5, 5],
        [5, 5, 5, 5],
      ]).models[0].weights,
      2,
    ),
    0,
  );
  // A view into a larger buffer reads its own bytes.
  const buffer = new Uint8Array([9, 255, 1]);
  assert.deepEqual([...int8(buffer.subarray(1))], [-1, 1]);
});

test('the tile grid puts unit u at column u % 8, row u / 8, with a grey gap', () => {
  const units = Array.from({ length: 9 }, (_, u) => (u === 8 ? [127, 127, 127, 127] : [0, 0, 0, -127]));
  const { width, height, data } = tileGridPixels(tiles(units).models[0].weights, { units: 9, rows: 2, cols: 2 });
  assert.equal(width, 8 * 2 + 7);
  assert.equal(height, 2 * 2 + 1);
  const px = (x, y) => [...data.subarray((y * width + x) * 4, (y * width + x) * 4 + 4)];
  assert.deepEqual(px(0, 0), [255, 255, 255, 255], 'unit 0, a zero weight: white');
  assert.deepEqual(px(1, 1), [33, 102, 172, 255], 'unit 0, −scale: blue');
  assert.deepEqual(px(2, 0), [200, 200, 200, 200], 'the gap');
  assert.deepEqual(px(0, 3), [178, 24, 43, 255], 'unit 8 starts the second row: red');
});

test('tilesSummary says which models have identical tiles and their distinct neurons', () => {
  const diagnostics = {
    step: 5,
    layers: [[{ distinct_units: 1, units: 256 }], [{ distinct_units: 256, units: 256 }]],
    tiles: {
      units: 2,
      rows: 2,
      cols: 2,
      models: [
        tiles(
          [
            [0, 0, 0, 0],
            [0, 0, 0, 0],
          ],
          0,
        ).models[0],
        tiles([
          [1, 0, 0, 0],
          [0, 1, 0, 0],
        ]).models[0],
      ],
    },
  };
  assert.deepEqual(tilesSummary(diagnostics), [
    { step: 5, identical: true, distinctTiles: 1, scale: 0, distinct: 1, units: 256 },
    { step: 5, identical: false, distinctTiles: 2, scale: 0.5, distinct: 256, units: 256 },
  ]);
  assert.deepEqual(tilesSummary(null), []);
  assert.deepEqual(tilesSummary({ step: 0, layers: [] }), []);
});

// ---- the reducer ------------------------------------------------------------------------

const run = {
  type: Event.run,
  inits: ['zeros', 'general-rule'],
  labels: ['All Zeros', 'General rule'],
  total_steps: 200,
  steps_per_epoch: 100,
  batch_size: 100,
  health_bins: [{ lo: 0, hi: 10, count: 40, symlog: true }],
};
const evalAt = (step, subset, accuracy) => ({
  type: Event.eval,
  point: { step, epoch: step / 100, loss: [2.3, 1], accuracy, images: subset ? 2000 : 12000, subset, confusion: [] },
});
const apply = (events) => events.reduce(reduce, initialState());

test('live and full validation passes share the accuracy chart; the full ones are also kept apart', () => {
  const s = apply([run, evalAt(10, true, [0.1, 0.5]), evalAt(25, true, [0.1, 0.6]), evalAt(100, false, [0.1, 0.8]), evalAt(150, true, [0.1, 0.82])]);
  assert.deepEqual(points(s.accuracy).steps, [10, 25, 100, 150]);
  assert.deepEqual(points(s.accuracy).series[1].map(Math.round), [50, 60, 80, 82]);
  assert.deepEqual(points(s.accuracyFull).steps, [100]);
  assert.deepEqual(s.evalImages, { subset: 2000, full: 12000 });
  assert.deepEqual(s.run.healthBins, run.health_bins);
  assert.deepEqual(fullFlags(s), [false, false, true, false]);
  assert.deepEqual(
    accuracyPoints(s)[1].points.map((p) => [p.step, Math.round(p.accuracy), p.full]),
    [
      [10, 50, false],
      [25, 60, false],
      [100, 80, true],
      [150, 82, false],
    ],
  );
  assert.equal(
    accuracyKey(s.evalImages, 0, true),
    'Small dots: live, on 2,000 fixed validation images · large dots: all 12,000 validation images, at each epoch end · faint thin lines: training accuracy, the mean of the last 50 batches.',
  );
  assert.match(
    accuracyKey({ subset: 500, full: 0 }, 120, false),
    /^Small dots: live, on 500 fixed .* all 12,000 validation images, every 120 steps and at each epoch end\.$/,
  );
  // A recovery to step 50 drops the full pass at 100 and the live one at 150.
  const r = reduce(s, { type: Event.recovered, from_step: 50, reason: 'lost' });
  assert.deepEqual(points(r.accuracy).steps, [10, 25]);
  assert.deepEqual(points(r.accuracyFull).steps, []);
});

test('progress feeds the running training accuracy, in %', () => {
  const progress = (from, step, acc) => ({
    type: Event.progress,
    from_step: from,
    step,
    total_steps: 200,
    losses: acc.map((a) => a.map(() => 2)),
    batch_accuracy: acc,
    images_per_sec: 1,
  });
  const s = apply([
    run,
    progress(0, 2, [
      [0.1, 0.1],
      [0.2, 0.4],
    ]),
    progress(2, 3, [[0.1], [0.6]]),
  ]);
  assert.deepEqual(points(s.trainAccuracy).steps, [1, 2, 3]);
  assert.deepEqual(
    points(s.trainAccuracy).series[1].map((v) => Math.round(v)),
    [20, 30, 40],
  );
  // Reset: empty again.
  const reset = reduce(s, { type: Event.reset, total_steps: 200 });
  assert.deepEqual(points(reset.trainAccuracy).steps, []);
  assert.equal(reset.trainWindow.step, 0);
});

test('health events are kept, and diagnostics keep their tiles', () => {
  const health = (step) => ({ type: Event.health, step, layers: [[sample(step).layers[0][0]], [sample(step).layers[0][0]]] });
  const s = apply([run, health(10), health(20)]);
  assert.deepEqual(
    s.health.samples.map((x) => x.step),
    [10, 20],
  );
  const tilesEvent = { units: 1, rows: 2, cols: 2, models: [] };
  const d = reduce(s, { type: Event.diagnostics, step: 20, layers: [], tiles: tilesEvent });
  assert.equal(d.diagnostics.tiles, tilesEvent);
  assert.equal(reduce(d, { type: Event.recovered, from_step: 15 }).health.samples.length, 1);
  assert.equal(reduce(d, run).health.samples.length, 0, 'a new run starts empty');
});
