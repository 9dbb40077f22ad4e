// The scale sweep's pure parts (www/model/sweep.js): the slider's log mapping, the slider's model
// in the chosen list, and which points the chart draws from which validation pass.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  chartColumns,
  gainAt,
  gainId,
  gainOfId,
  gainTicks,
  lessonMarks,
  positionOf,
  SLIDER_MAX,
  sweepPoints,
  withSliderGain,
  ZERO_AT,
} from '../../www/model/sweep.js';

const SWEEP_GAINS = [0.001, 0.01, 0.1, 0.3, 1, 3, 10, 30, 100];

test('the slider spans 1e-3 to 1e2 in even log steps, 10 a decade', () => {
  assert.equal(gainAt(0), 0.001);
  assert.equal(gainAt(SLIDER_MAX), 100);
  assert.equal(gainAt(-5), 0.001, 'clamped');
  assert.equal(gainAt(999), 100, 'clamped');
  const logs = Array.from({ length: SLIDER_MAX + 1 }, (_, p) => Math.log10(gainAt(p)));
  for (let p = 1; p <= SLIDER_MAX; p++) {
    const step = logs[p] - logs[p - 1];
    assert.ok(step > 0.05 && step < 0.15, `log step ${step} at ${p}`); // ~0.1 each
  }
  assert.ok(Math.abs(logs[SLIDER_MAX / 2] - -0.5) < 0.05, 'the middle is ~0.3');
  // Every gain of the sweep is a stop, and every stop maps back to its own position.
  for (const g of SWEEP_GAINS) assert.equal(gainAt(positionOf(g)), g);
  for (let p = 0; p <= SLIDER_MAX; p++) assert.equal(positionOf(gainAt(p)), p);
  assert.equal(positionOf(0.00105), 0);
  assert.equal(positionOf(0.00115), 1);
  assert.equal(positionOf(2.9), 35);
  assert.equal(positionOf(1e6), SLIDER_MAX);
  assert.equal(positionOf(0), 0);
});

test('gain ids are written as the engine writes them', () => {
  assert.deepEqual(SWEEP_GAINS.map(gainId), [
    'gain:0.001',
    'gain:0.01',
    'gain:0.1',
    'gain:0.3',
    'gain:1',
    'gain:3',
    'gain:10',
    'gain:30',
    'gain:100',
  ]);
  assert.equal(gainId(0.0012), 'gain:0.0012');
  assert.equal(gainId(1e-5), 'gain:1e-5');
  assert.equal(gainOfId('gain:0.3'), 0.3);
  assert.equal(gainOfId('gain:1e-5'), 1e-5);
  assert.equal(gainOfId('general-rule'), null);
});

test('the slider adds one model, then moves it in place', () => {
  const lesson = ['zeros', 'general-rule'];
  const added = withSliderGain(lesson, null, 'gain:0.3');
  assert.deepEqual(added, ['zeros', 'general-rule', 'gain:0.3']);
  assert.deepEqual(withSliderGain(['gain:0.3', 'zeros'], 'gain:0.3', 'gain:3'), ['gain:3', 'zeros']);
  // Its old model switched off meanwhile: the new one is added.
  assert.deepEqual(withSliderGain(['zeros'], 'gain:0.3', 'gain:3'), ['zeros', 'gain:3']);
  // A gain already chosen (by the sweep) is not added twice.
  assert.deepEqual(withSliderGain(['gain:1', 'gain:3'], 'gain:1', 'gain:3'), ['gain:1', 'gain:3']);
});

const run = {
  inits: ['zeros', 'gain:0.01', 'gain:1', 'gain:100', 'general-rule'],
  labels: ['All Zeros', 'Gain 0.01', 'Gain 1', 'Gain 100', 'General rule'],
  gains: [0, 0.01, 1, 100, 1],
};
const full = { step: 960, subset: false, images: 12000, accuracy: [0.1, 0.7, 0.86, NaN, 0.865] };
const subset = { step: 50, subset: true, images: 2000, accuracy: [0.1, 0.2, 0.6, 0.1, 0.62] };

test('the chart shows the latest full pass, and the live subset only before the first one', () => {
  assert.deepEqual(sweepPoints(run, { full: null, subset: null }).points, []);
  const live = sweepPoints(run, { full: null, subset });
  assert.equal(live.live, true);
  assert.equal(live.step, 50);
  assert.equal(live.images, 2000);
  assert.equal(live.best.id, 'general-rule');
  const done = sweepPoints(run, { full, subset: { ...subset, step: 1000 } });
  assert.equal(done.live, false);
  assert.equal(done.step, 960);
  assert.deepEqual(
    done.points.map((p) => p.sweep),
    [false, true, true, true, false],
  );
  assert.deepEqual(
    done.points.map((p) => p.gain),
    [0, 0.01, 1, 100, 1],
  );
  assert.equal(done.best.id, 'general-rule', 'the diverged gain 100 (NaN) is never best');
  // Without the session's gains, a gain id still knows its own.
  const bare = sweepPoints({ ...run, gains: undefined }, { full, subset: null });
  assert.deepEqual(
    bare.points.map((p) => p.gain),
    [NaN, 0.01, 1, 100, NaN],
  );
  assert.equal(bare.best.id, 'gain:1');
});

test('chart columns: increasing x, zeros pinned at the left edge, the sweep joined, the rest apart', () => {
  const cols = chartColumns(sweepPoints(run, { full, subset: null }).points);
  assert.deepEqual(cols.xs, [ZERO_AT, 0.01, 1, 100]);
  assert.deepEqual(cols.sweep, [null, 70, 86, null], 'a diverged gain is a gap');
  assert.deepEqual(
    cols.others.map((o) => o.id),
    ['zeros', 'general-rule'],
  );
  assert.deepEqual(cols.others[0].values, [10, null, null, null]);
  assert.deepEqual(cols.others[1].values, [null, null, 86.5, null]);
});

test('the lesson initializers are marked at their catalog gain, zeros at the left edge', () => {
  const catalog = {
    lesson_inits: ['zeros', 'ones', 'general-rule'],
    initializers: [
      { id: 'zeros', label: 'All Zeros', gain: 0 },
      { id: 'ones', label: 'All Ones', gain: 48.5 },
      { id: 'general-rule', label: 'General rule', gain: 1 },
      { id: 'he-normal', label: 'He', gain: 2.45 },
    ],
  };
  assert.deepEqual(lessonMarks(catalog), [
    { id: 'zeros', label: 'All Zeros', x: ZERO_AT },
    { id: 'general-rule', label: 'General rule', x: 1 },
    { id: 'ones', label: 'All Ones', x: 48.5 },
  ]);
});

test('each gain keeps one colour, cold to hot, and the sweep’s nine are told apart', async () => {
  const { styleOf } = await import('../../www/views/palette.js');
  const colours = SWEEP_GAINS.map((g) => styleOf(gainId(g), { projector: false }).color);
  assert.equal(new Set(colours).size, 9, colours.join());
  assert.deepEqual(styleOf('gain:0.3', { projector: false }), styleOf('gain:0.3', { projector: false }));
  assert.equal(styleOf('gain:0.001', { projector: false }).color, styleOf('gain:0.0009', { projector: false }).color, 'below the range: the coldest');
  const dashed = SWEEP_GAINS.map((g) => styleOf(gainId(g), { projector: true }).dash !== null);
  assert.deepEqual(dashed, [false, false, false, true, false, true, false, true, false]);
});

test('the gain axis labels each decade, 0 at its stand-in, and leaves a thinned-out tick blank', () => {
  assert.deepEqual(gainTicks([ZERO_AT, 0.001, 0.01, 0.1, 1, 10, 100]), ['0', '0.001', '0.01', '0.1', '1', '10', '100']);
  // A narrow chart: uPlot passes null for the ticks it leaves out.
  assert.deepEqual(gainTicks([ZERO_AT, null, 0.01, null, 1, null, 100]), ['0', null, '0.01', null, '1', null, '100']);
});
