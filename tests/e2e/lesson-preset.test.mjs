// The lesson preset run to the end in the page, as a teacher would run it in class: the
// six initializers, 2 epochs, Adam 0.001, batch 100, on the CPU fallback (the slowest path
// every machine has). The final validation accuracies must land in the bands of the
// lesson's reference (shared/reference/lesson-results.md).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accuracyOf, lossesOf, mean, openLab, screenshot, snapshot, useBrowser, waitForStep } from './helpers.mjs';

// A seed other than the default 0, so the bands are not met by one lucky draw.
const SEED = 11;
const BANDS = {
  zeros: [9, 11],
  ones: [9, 11],
  uniform: [38, 56],
  centered: [77, 84],
  'general-rule': [83, 88],
  normal: [83, 88],
};

const session = useBrowser({ webgpu: false });

test('the lesson preset reproduces the lesson in the page', async () => {
  const { page } = session;
  // Validation at the end of each epoch only, as in the lesson.
  await openLab(page, session.url, `seed=${SEED}&evalEvery=0`);
  const wall = Date.now();
  await page.click('#train');
  await waitForStep(page, 960, 900_000);
  await page.waitForFunction(() => window.weightInitLab.snapshot().run.finished, null, { timeout: 120_000 });
  const seconds = (Date.now() - wall) / 1000;

  const snap = await snapshot(page);
  assert.equal(snap.run.step, 960, '2 epochs of 480 batches');
  const rows = Object.entries(BANDS).map(([id, [low, high]]) => {
    const accuracy = accuracyOf(snap, id).at(-1);
    const losses = lossesOf(snap, id);
    return { id, accuracy, low, high, lastLoss: losses.at(-1), first100: mean(losses.slice(0, 100)) };
  });
  console.log(`lesson preset, seed ${SEED}, on ${snap.backend}: ${seconds.toFixed(0)} s`);
  console.table(rows);
  for (const { id, accuracy, low, high } of rows) {
    assert.ok(accuracy >= low && accuracy <= high, `${id}: ${accuracy} % is outside the lesson's band [${low}, ${high}]`);
  }
  // All-ones and uniform [0, 1) start with losses in the thousands; all-zeros never moves.
  const first = Object.fromEntries(rows.map((r) => [r.id, r.first100]));
  assert.ok(first.ones > 1000 && first.uniform > 1000, JSON.stringify(first));
  assert.ok(Math.abs(first.zeros - Math.LN10) < 0.01, `all-zeros: ${first.zeros}`);
  assert.equal(await page.locator('#results tbody tr').count(), 6);
  console.log(`screenshot: ${await screenshot(page, 'lesson-finished.png')}`);
});
