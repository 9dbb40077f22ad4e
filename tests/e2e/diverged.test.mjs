// A model that diverges reads "diverged" in every view, the same word as the CLI's: the table,
// the charts' legends (its curve is a gap) and the "Why?" panel; never a ~10 % accuracy.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openLab, screenshot, snapshot, useBrowser, waitForStep } from './helpers.mjs';

const session = useBrowser({ webgpu: false });

test('a diverged model says "diverged" in the table, the legends and the panel', async () => {
  const { page } = session;
  // Weights of 1e20: the second layer's sums overflow f32 at the first step.
  await openLab(page, session.url, 'inits=general-rule,constant:1e20&evalEvery=5&backend=cpu');
  for (let step = 1; step <= 5; step++) {
    await page.click('#step');
    await waitForStep(page, step, 60_000);
  }
  await page.waitForFunction(() => document.querySelectorAll('#results tbody tr').length === 2, null, { timeout: 60_000 });
  const row = await page.$$eval('#results tbody tr[data-init="constant:1e20"] td', (tds) => tds.map((td) => td.textContent));
  assert.deepEqual(row, ['diverged', 'diverged', 'diverged', 'diverged']);
  const good = await page.$$eval('#results tbody tr[data-init="general-rule"] td', (tds) => tds.map((td) => td.textContent));
  assert.match(good[0], /^\d+\.\d\d %$/);

  const snap = await snapshot(page);
  const accuracy = snap.accuracy.find((s) => s.id === 'constant:1e20').values;
  assert.deepEqual(accuracy, [null], 'a gap, not ~10 %');
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
