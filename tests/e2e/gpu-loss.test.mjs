// A GPU that is lost mid-run (driver reset, GPU process crash) must not end the lesson:
// the worker resumes on the CPU from the last validation pass and training goes on.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lossesOf, mean, openLab, snapshot, useBrowser, waitForStep } from './helpers.mjs';

const session = useBrowser({ webgpu: true });

test('training survives a lost GPU by resuming on the CPU', async () => {
  const { page } = session;
  await openLab(page, session.url, 'inits=zeros,general-rule&evalEvery=10&backend=gpu');
  assert.match(await page.textContent('#backend-name'), /WebGPU/);
  await page.click('#train');
  await waitForStep(page, 12, 300_000);

  // Crash Chromium's GPU process (DevTools protocol), as a driver reset would: every WebGPU
  // device is lost.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Browser.crashGpuProcess');
  await page.waitForFunction(() => /CPU/.test(document.querySelector('#backend-name').textContent), null, {
    timeout: 120_000,
  });
  const note = await page.textContent('#backend-note');
  const from = Number(/resumed on the CPU from step (\d+)/.exec(note)?.[1]);
  console.log(`after the GPU crash: "${note.trim()}"`);
  assert.ok(from >= 10 && from % 10 === 0, `resumes from a validation step: ${note}`);

  await waitForStep(page, from + 20, 120_000);
  const snap = await snapshot(page);
  const rule = lossesOf(snap, 'general-rule');
  assert.equal(rule.length, snap.run.step, 'the charts hold every step once, replayed ones included');
  assert.ok(
    rule.every((l) => Number.isFinite(l)),
    'no gap or NaN from the crash',
  );
  assert.ok(mean(rule.slice(-10)) < mean(rule.slice(0, 10)), 'the 1/√n rule keeps learning on the CPU');
  assert.ok(Math.abs(mean(lossesOf(snap, 'zeros').slice(-10)) - Math.LN10) < 0.01);
});
