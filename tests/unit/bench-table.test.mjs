// The speed benchmark's table (tests/bench/table.mjs): medians, failures kept as rows,
// ratios, and columns that line up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cells, formatRatio, HEADER, layout, median, pairedRatio, summarize } from '../bench/table.mjs';

test('the median of odd and even counts, and of none', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([7]), 7);
  assert.ok(Number.isNaN(median([])));
  const xs = [5, 1, 9];
  median(xs);
  assert.deepEqual(xs, [5, 1, 9], 'the input is left in its order');
});

test('repeats fold into one row per key, failed runs left out of the median', () => {
  const runs = [
    { repeat: 0, engine: 'ours', models: 1, samplesPerS: 30, loss: 1.5 },
    { repeat: 0, engine: 'jax', models: 1, samplesPerS: 10, loss: 1.7 },
    { repeat: 1, engine: 'ours', models: 1, samplesPerS: 10, loss: 1.4 },
    { repeat: 1, engine: 'jax', models: 1, error: 'device lost' },
    { repeat: 2, engine: 'ours', models: 1, samplesPerS: 20, loss: 1.6 },
    { repeat: 0, engine: 'tfjs', models: 1, error: 'no backend' },
    { repeat: 1, engine: 'tfjs', models: 1, error: 'later' },
  ];
  const rows = summarize(runs, (m) => `${m.engine} ${m.models}`);
  assert.deepEqual(
    rows.map((r) => r.engine),
    ['ours', 'jax', 'tfjs'],
    'first-seen order',
  );
  const ours = [0, 1, 2].map((repeat, i) => ({ repeat, samplesPerS: [30, 10, 20][i] }));
  assert.deepEqual(rows[0], { engine: 'ours', models: 1, runs: ours, samplesPerS: 20, loss: 1.5 });
  assert.deepEqual(rows[1], { engine: 'jax', models: 1, runs: [{ repeat: 0, samplesPerS: 10 }], samplesPerS: 10, loss: 1.7 });
  assert.deepEqual(rows[2], { engine: 'tfjs', models: 1, runs: [], error: 'no backend' });
});

test('ratios pair the runs of one repeat, so a slow spell of the machine cancels out', () => {
  const ours = [
    { repeat: 0, samplesPerS: 100 },
    { repeat: 1, samplesPerS: 50 }, // the machine was busy for both
    { repeat: 2, samplesPerS: 120 },
  ];
  const peer = [
    { repeat: 0, samplesPerS: 50 },
    { repeat: 1, samplesPerS: 25 },
    { repeat: 2, samplesPerS: 40 },
  ];
  assert.equal(pairedRatio(ours, peer), 2, 'the median of 2, 2 and 3');
  assert.equal(pairedRatio(ours, [peer[2]]), 3, 'only repeats that both have');
  assert.ok(Number.isNaN(pairedRatio(ours, [])));
  assert.ok(Number.isNaN(pairedRatio([], peer)));
  assert.ok(Number.isNaN(pairedRatio(ours, [{ repeat: 0, samplesPerS: 0 }])));
});

test('a ratio reads "×r", with three figures, and nothing when there is none', () => {
  assert.equal(formatRatio(3), '×3.00');
  assert.equal(formatRatio(0.9), '×0.90');
  assert.equal(formatRatio(25), '×25.0');
  for (const none of [NaN, Infinity, 0, -1, undefined]) assert.equal(formatRatio(none), '');
});

test('cells: thousands separators, model-samples, and a failure in place of the figures', () => {
  const ok = cells({ where: 'here', engine: 'jax', models: 6, samplesPerS: 2144.4, ratio: '×2.27', loss: 1.6349 });
  assert.deepEqual(ok, ['here', 'jax', '6', '2,144', '12,866', '×2.27', '1.635']);
  const failed = cells({ where: 'here', engine: 'tfjs', models: 1, error: 'could not load x.js\n  at y' });
  assert.deepEqual(failed, ['here', 'tfjs', '1', 'failed: could not load x.js']);
});

test('the layout lines columns up, right-aligns numbers and blanks a repeated "where"', () => {
  const rows = [
    cells({ where: 'Chromium', engine: 'ours', models: 1, samplesPerS: 31250, loss: 1.7 }),
    cells({ where: 'Chromium', engine: 'TF.js 4.22.0', models: 1, samplesPerS: 3652, ratio: '×8.56', loss: 1.625 }),
    cells({ where: 'Chromium', engine: 'jax-js', models: 6, error: 'timed out' }),
  ];
  const lines = layout(HEADER, rows).split('\n');
  assert.equal(lines.length, 5);
  assert.ok(lines[2].startsWith('Chromium'));
  assert.ok(lines[3].startsWith(' '.repeat('Chromium'.length)), 'the same "where" is not repeated');
  const column = (line, text) => line.indexOf(text) + text.length;
  assert.equal(column(lines[2], '31,250'), column(lines[3], '3,652'), 'numbers end in one column');
  assert.equal(column(lines[0], 'samples/s'), column(lines[2], '31,250'), 'under their header');
  assert.ok(lines[4].endsWith('failed: timed out'));
  assert.ok(lines.every((l) => l === l.trimEnd()));
});
