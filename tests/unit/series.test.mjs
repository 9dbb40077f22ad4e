// Chart series in bounded memory: exact while short, min/max buckets after.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { append, emptyChart, MAX_POINTS, points, upTo } from '../../www/model/series.js';

const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test('every point is kept exactly while there are few', () => {
  const c = append(
    emptyChart(2),
    [1, 2, 3],
    [
      [3, 2, 1],
      [NaN, Infinity, 5],
    ],
  );
  assert.deepEqual(points(c), {
    steps: [1, 2, 3],
    series: [
      [3, 2, 1],
      [null, null, 5],
    ],
  });
});

test('a long run stays within MAX_POINTS and keeps every spike and dip', () => {
  let c = emptyChart(1);
  const total = 250_000;
  // Appended in chunks as progress events come; a spike at one step and a dip at another.
  for (let from = 0; from < total; from += 997) {
    const steps = range(from + 1, Math.min(total, from + 997));
    c = append(c, steps, [steps.map((s) => (s === 123_457 ? 1e6 : s === 200_001 ? 1e-6 : 1 + (s % 7)))]);
  }
  const p = points(c);
  assert.ok(p.steps.length <= MAX_POINTS + 2, `${p.steps.length} points`);
  assert.ok(p.steps.length >= MAX_POINTS / 4, `${p.steps.length} points: too coarse`);
  assert.equal(Math.max(...p.series[0]), 1e6, 'the spike survives');
  assert.equal(Math.min(...p.series[0]), 1e-6, 'the dip survives');
  assert.ok(
    p.steps.every((s, i) => i === 0 || s >= p.steps[i - 1]),
    'steps stay in order',
  );
  assert.ok(p.steps.at(-1) > total - 2 * c.stride, `the curve reaches the current step: ${p.steps.at(-1)}`);
});

test('a diverged model stays a gap; a gap and a value make the value', () => {
  let c = emptyChart(2);
  const steps = range(1, MAX_POINTS + 4); // whole buckets of 4 once coarsened
  c = append(c, steps, [steps.map(() => NaN), steps.map((s) => (s % 2 ? NaN : 2))]);
  const p = points(c);
  assert.ok(p.series[0].every((v) => v === null));
  assert.ok(p.series[1].every((v) => v === 2));
});

test('cutting back to a step drops everything after it', () => {
  const c = append(emptyChart(1), range(1, 10), [range(1, 10)]);
  assert.deepEqual(points(upTo(c, 4)).steps, [1, 2, 3, 4]);
  assert.deepEqual(points(upTo(c, 20)), points(c));
});

test('a sparse series (a point every 120 steps) keeps its buckets at x values it had', () => {
  const xs = range(1, MAX_POINTS + 10).map((i) => i * 120);
  const c = append(emptyChart(1), xs, [xs.map((x) => x / 120)]);
  const p = points(c);
  const had = new Set(xs);
  assert.ok(
    p.steps.every((x) => had.has(x)),
    'every x is one of the series',
  );
  assert.equal(p.steps.at(-1), xs.at(-1), 'the last point stays at the last x');
  assert.equal(Math.max(...p.series[0]), MAX_POINTS + 10);
});
