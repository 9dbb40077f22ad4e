// The page for people who use a keyboard or a screen reader: an automated audit (axe-core)
// with no serious or critical violations, before and after training; focus that stays on a
// sensible control when the focused one disables itself.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openLab, pause, seriousViolations, snapshot, useBrowser, waitForStep } from './helpers.mjs';

const session = useBrowser({ webgpu: false });

test('no serious or critical accessibility violations, before and after training', async () => {
  const { page } = session;
  await openLab(page, session.url, 'inits=zeros,ones,general-rule&epochs=1');
  assert.deepEqual(await seriousViolations(page), [], 'at start');
  await page.click('#step');
  await waitForStep(page, 1, 60_000);
  await page.waitForFunction(() => document.querySelector('.diag-cards')?.dataset.step === '1', null, { timeout: 60_000 });
  assert.deepEqual(await seriousViolations(page), [], 'after a step, with the table and the diagnostics');
  // The charts' numbers as text, and the milestones read out.
  assert.match(
    await page.textContent('#loss-summary'),
    /^Training loss at step 1: All Zeros 2\.303, All Ones \d+\.\d{3}, General rule \[−y, y\) \d\.\d{3}\.$/,
  );
  await page.click('#train');
  await page.waitForFunction(() => /^Training\.$/.test(document.getElementById('announce').textContent));
  await pause(page);
  const { run } = await snapshot(page);
  assert.equal(await page.textContent('#announce'), `Paused at step ${run.step}.`);
});

test('focus moves to a sensible control when the focused one disables itself', async () => {
  const { page } = session;
  await openLab(page, session.url, 'inits=zeros&epochs=1');
  await page.focus('#step');
  await page.keyboard.press('Enter');
  await waitForStep(page, 1, 60_000);
  await page.focus('#reset');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.weightInitLab.snapshot().run.step === 0);
  await page.waitForFunction(() => document.getElementById('reset').disabled);
  const focused = await page.evaluate(() => document.activeElement?.id);
  assert.equal(focused, 'train', 'Reset disabled itself: focus goes to Train, not to <body>');
  assert.equal((await snapshot(page)).run.step, 0);
});
