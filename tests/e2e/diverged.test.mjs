// A model that diverges reads "diverged" in every view, the same word as the CLI's: the table,
// the charts' legends (its curve is a gap) and the "Why?" panel; never a ~10 % accuracy. Where
// it diverged is said in words (the table's row, under the loss chart), and its curves end
// with a ✕ at their last finite value. A model stuck in a named state (all-zeros: no gradient,
// dead ReLUs) says so in the CLI's words, in its table row and the signal view's notes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openLab, screenshot, snapshot, trainFor, useBrowser, waitForStep } from './helpers.mjs';

const session = useBrowser({ webgpu: false });

test('a diverged model says "diverged" in the table, the legends and the panel; a stuck one names its state', async () => {
  const { page } = session;
  // Weights of 1e20: the second layer's sums overflow f32 at the first step. All-zeros, in
  // the same run, is stuck but finite.
  await openLab(page, session.url, 'inits=general-rule,constant:1e20,zeros&evalEvery=5&backend=cpu');
  for (let step = 1; step <= 5; step++) {
    await page.click('#step');
    await waitForStep(page, step, 60_000);
  }
  await page.waitForFunction(() => document.querySelectorAll('#results tbody tr').length === 3, null, { timeout: 60_000 });
  const row = await page.$$eval('#results tbody tr[data-init="constant:1e20"] td', (tds) => tds.map((td) => td.textContent));
  assert.deepEqual(row, ['diverged', 'diverged', 'diverged', 'diverged']);
  const good = await page.$$eval('#results tbody tr[data-init="general-rule"] td', (tds) => tds.map((td) => td.textContent));
  assert.match(good[0], /^\d+\.\d\d %$/);
  // Where: the second layer's sums passed f32's largest value at the very first step.
  const words = "diverged at step 1: layer 2's outputs exceeded 3.4e38";
  const name = await page.$eval('#results tbody tr[data-init="constant:1e20"] th', (th) => th.textContent);
  assert.ok(name.includes(words), name);
  assert.ok((await page.textContent('#divergence-note')).includes(`Constant 1e20 ${words}`));
  assert.doesNotMatch(await page.$eval('#results tbody tr[data-init="general-rule"] th', (th) => th.textContent), /diverged|gradient|dead/);
  // The stuck model: the engine's states after the pass at step 5, in the CLI's words.
  await page.waitForFunction(() => document.querySelector('#signal')?.dataset.step === '5', null, { timeout: 60_000 });
  const stuck = 'no gradient reaches the weights of layers 1–3';
  const dead = 'every ReLU of layers 1–2 is dead';
  const notes = await page.$$eval('#results tbody tr[data-init="zeros"] th .state-note', (n) => n.map((e) => e.textContent));
  assert.deepEqual(notes, [stuck, dead]);
  const signalNotes = await page.$$eval('#signal .signal-notes li', (lis) => lis.map((li) => li.textContent));
  for (const words of [stuck, dead]) assert.ok(signalNotes.includes(`All Zeros: ${words}`), signalNotes.join(' | '));
  assert.ok(!signalNotes.some((n) => n.startsWith('General rule')), signalNotes.join(' | '));

  const snap = await snapshot(page);
  assert.equal(snap.signal.step, 5);
  assert.deepEqual(
    snap.signal.models.map(({ id, states }) => ({ id, states })),
    [
      { id: 'general-rule', states: [] },
      { id: 'constant:1e20', states: [] },
      {
        id: 'zeros',
        states: [
          { kind: 'no_gradient', up_to: 3 },
          { kind: 'dead_relus', layers: [1, 2] },
        ],
      },
    ],
  );
  const accuracy = snap.accuracy.find((s) => s.id === 'constant:1e20').values;
  assert.deepEqual(accuracy, [null], 'a gap, not ~10 %');
  // No finite point came before step 1: the ✕ sits at the top of the charts, at step 1.
  assert.deepEqual(
    snap.divergence.map(({ id, step, layer, cause, lossMark, accuracyMark }) => ({ id, step, layer, cause, lossMark, accuracyMark })),
    [{ id: 'constant:1e20', step: 1, layer: 2, cause: 'overflow', lossMark: { step: 1, value: null }, accuracyMark: { step: 1, value: null } }],
  );
  const legend = await page.$$eval('#accuracy-chart .u-legend .u-series', (rows) => rows.map((r) => r.textContent));
  assert.ok(
    legend.some((t) => /Constant 1e20.*diverged/.test(t)),
    legend.join(' | '),
  );
  const lossLegend = await page.$$eval('#loss-chart .u-legend .u-series', (rows) => rows.map((r) => r.textContent));
  assert.ok(
    lossLegend.some((t) => /Constant 1e20.*diverged/.test(t)),
    lossLegend.join(' | '),
  );

  await page.waitForFunction(() => document.querySelector('.diag-cards')?.dataset.step === '5', null, { timeout: 60_000 });
  await page.selectOption('#diagnostics-layer', '2');
  const facts = await page.$eval('.diag-card[data-init="constant:1e20"]', (card) => card.textContent);
  assert.match(facts, /diverged/);
  assert.doesNotMatch(facts, /NaN|Infinity|∞/);
  console.log(`screenshot: ${await screenshot(page, 'diverged.png')}`);
});

test('a model that diverges after some steps ends its curve with a ✕ at its last finite loss', async () => {
  const { page } = session;
  // SGD at lr 100: the losses grow for a few steps, then overflow.
  await openLab(page, session.url, 'inits=general-rule,general-rule@sgd+lr=100&backend=cpu');
  await trainFor(page, 12);
  await page.waitForFunction(() => window.weightInitLab.snapshot().divergence.length === 1, null, { timeout: 60_000 });
  const snap = await snapshot(page);
  const [d] = snap.divergence;
  assert.equal(d.id, 'general-rule@sgd+lr=100');
  assert.ok(d.step > 1 && d.layer >= 1 && d.max_abs > 0, JSON.stringify(d));
  assert.match(d.words, new RegExp(`^diverged at step ${d.step}: layer ${d.layer}'s outputs (exceeded 3\\.4e38|became NaN)`));
  assert.ok((await page.textContent('#divergence-note')).includes(d.words));
  // The ✕ is on the loss curve's last finite point, the step before the divergence.
  const loss = snap.loss.find((s) => s.id === d.id).values;
  assert.equal(loss[d.step - 1], null, 'the diverged step is a gap');
  assert.deepEqual(d.lossMark, { step: d.step - 1, value: loss[d.step - 2] });
  assert.ok(Number.isFinite(d.lossMark.value));
  console.log(`screenshot: ${await screenshot(page, 'diverged-mark.png', { selector: '#loss-chart' })}`);
});
