// The page's store: the reducer takes the worker's events and people's intents, state out,
// the input never changed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Event } from '../../www/engine/protocol.js';
import { initialState, reduce } from '../../www/model/reducer.js';
import { points } from '../../www/model/series.js';
import { catalog } from './fixtures.mjs';

/** Freezes `value` and everything in it, so a reducer that mutates its input throws. */
function deepFreeze(value) {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const apply = (events, state = initialState()) => events.reduce((s, e) => reduce(deepFreeze(s), deepFreeze(e)), state);

/** New run settings, as a person's change of a field makes them. */
const newSettings = { intent: 'settings', patch: { epochs: 5 } };

const run = { type: Event.run, inits: ['zeros', 'ones'], labels: ['All Zeros', 'All Ones'], total_steps: 10, steps_per_epoch: 5, batch_size: 100 };
const progress = (from, step, losses) => ({
  type: Event.progress,
  from_step: from,
  step,
  total_steps: 10,
  losses,
  batch_accuracy: losses.map((l) => l.map(() => 0.1)),
  images_per_sec: 1000,
});

test('a run starts empty and ready, one series per model', () => {
  const s = apply([run]);
  assert.equal(s.run.ready, true);
  assert.deepEqual(points(s.loss), { steps: [], series: [[], []] });
  assert.equal(s.run.total, 10);
});

test('progress appends steps from_step+1..step; a diverged value becomes a gap', () => {
  const s = apply([
    run,
    progress(0, 2, [
      [2.3, 2.3],
      [900, NaN],
    ]),
    progress(2, 3, [[2.2], [Infinity]]),
  ]);
  assert.deepEqual(s.loss.steps, [1, 2, 3]);
  assert.deepEqual(s.loss.series, [
    [2.3, 2.3, 2.2],
    [900, null, null],
  ]);
  assert.equal(s.run.step, 3);
  assert.equal(s.run.imagesPerSec, 1000);
});

test('recovery drops what came after the checkpoint and the replay fills it once', () => {
  const evalAt = (step, acc) => ({ type: Event.eval, point: { step, epoch: step / 5, loss: [1, 1], accuracy: acc } });
  const s = apply([
    run,
    progress(0, 4, [
      [1, 2, 3, 4],
      [1, 2, 3, 4],
    ]),
    evalAt(2, [0.5, 0.1]),
    evalAt(4, [0.6, 0.1]),
    { type: Event.recovered, from_step: 2, reason: 'the GPU failed' },
  ]);
  assert.deepEqual(s.loss.steps, [1, 2]);
  assert.deepEqual(s.accuracy.steps, [2]);
  assert.equal(s.run.step, 2);
  const replayed = apply(
    [
      progress(2, 5, [
        [3, 4, 5],
        [3, 4, 5],
      ]),
      evalAt(4, [0.61, 0.1]),
    ],
    s,
  );
  assert.deepEqual(replayed.loss.steps, [1, 2, 3, 4, 5]);
  assert.deepEqual(replayed.accuracy.steps, [2, 4]);
  assert.deepEqual(replayed.accuracy.series[0], [50, 61]);
});

test('an evaluation repeated at the same step replaces the old point', () => {
  const point = (acc) => ({ type: Event.eval, point: { step: 5, epoch: 1, loss: [1, 1], accuracy: [acc, acc] } });
  const s = apply([run, point(0.2), point(0.3)]);
  assert.deepEqual(s.accuracy.series[0], [30]);
});

test('reset clears charts, table and diagnostics', () => {
  const s = apply([
    run,
    progress(0, 2, [
      [1, 1],
      [1, 1],
    ]),
    { type: Event.results, step: 2, results: [], finished: false },
    { type: Event.diagnostics, step: 2, layers: [] },
    { type: Event.reset, total_steps: 10 },
  ]);
  assert.deepEqual(s.loss.steps, []);
  assert.equal(s.results, null);
  assert.equal(s.diagnostics, null);
  assert.equal(s.run.step, 0);
});

test('errors: settings make the run not ready; new data clears a data error; acting clears settings errors', () => {
  const bad = apply([catalog, run, { type: Event.error, kind: 'settings', message: 'no' }]);
  assert.equal(bad.run.ready, false);
  assert.equal(apply([newSettings], bad).error, null);
  const dataError = apply([{ type: Event.error, kind: 'data', message: 'x.gz: not gzip' }]);
  const data = { type: Event.data, name: 'MNIST', fashion: false, count: 3, rows: 28, cols: 28, samples: null };
  assert.equal(apply([data], dataError).error, null);
  const link = apply([{ type: Event.error, kind: 'link', message: 'ignored seed=' }]);
  assert.equal(apply([data], link).error.kind, 'link', 'a data event does not hide a link problem');
});

test('the end of a run keeps its summary; unknown events change nothing', () => {
  const finished = { type: Event.finished, steps: 10, images: 990, seconds: 2, images_per_sec: 495 };
  const s = apply([run, progress(0, 10, [Array(10).fill(1), Array(10).fill(1)]), finished]);
  assert.equal(s.run.finished, true);
  assert.equal(s.run.summary.images, 990);
  assert.equal(reduce(s, { type: 'no-such-event' }), s);
});

test('new settings after training say that a new run starts; training again clears it', () => {
  const trained = apply([
    catalog,
    run,
    progress(0, 3, [
      [1, 1, 1],
      [1, 1, 1],
    ]),
  ]);
  const changed = apply([newSettings], trained);
  assert.match(changed.notice, /new run starts at step 0 \(the last one reached step 3\)/);
  assert.equal(changed.run.ready, false, 'the run shown is no longer the one asked for');
  assert.equal(apply([newSettings], apply([catalog])).notice, null, 'nothing to say before any step');
  assert.equal(apply([{ intent: 'settings', patch: { log: false } }], trained).notice, null, 'a view setting makes no new run');
  assert.equal(apply([run, { type: Event.running, running: true }], changed).notice, null);
});

test('a diverged model keeps where it diverged until a reset or a recovery to before it', () => {
  const diverged = { type: Event.diverged, model: 1, step: 2, layer: 2, max_abs: 7.5e26, cause: 'overflow' };
  const s = apply([
    run,
    progress(0, 2, [
      [2.3, 2.3],
      [900, NaN],
    ]),
    diverged,
  ]);
  assert.deepEqual(s.divergence, [null, { step: 2, layer: 2, max_abs: 7.5e26, cause: 'overflow' }]);
  assert.deepEqual(apply([{ type: Event.recovered, from_step: 2, reason: 'lost' }], s).divergence, s.divergence);
  assert.deepEqual(apply([{ type: Event.recovered, from_step: 1, reason: 'lost' }], s).divergence, [null, null]);
  assert.deepEqual(apply([{ type: Event.reset, total_steps: 10 }], s).divergence, [null, null]);
});
