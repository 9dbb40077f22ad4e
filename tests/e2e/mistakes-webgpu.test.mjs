// The confusion matrices on WebGPU (SwiftShader in headless Chromium): one model, a full
// validation pass at step 20, its rows summing to each class's validation images (12,000 in
// all) and its diagonal the accuracy the session reports, shown in the page's table.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openLab, pause, snapshot, useBrowser, waitForStep } from './helpers.mjs';
import { checkConfusion } from './mistakes-checks.mjs';

const session = useBrowser({ webgpu: true });

test('confusion rows sum to the validation images of each class on WebGPU', async () => {
  const { page } = session;
  await openLab(page, session.url, 'inits=general-rule&epochs=1&evalEvery=20&backend=gpu&hide=health,tiles,diagnostics');
  assert.match(await page.textContent('#backend-name'), /WebGPU/);
  await page.click('#train');
  await waitForStep(page, 20, 300_000);
  await pause(page);
  await page.waitForFunction(() => window.weightInitLab.snapshot().confusion?.step >= 20, null, { timeout: 300_000, polling: 500 });
  const { confusion, backend } = await snapshot(page);
  assert.match(backend, /WebGPU/, 'still on the GPU');
  await checkConfusion(page, confusion);
  const [rule] = confusion.models;
  assert.ok(rule.accuracy > 0.4, `the general rule after 20 steps: ${rule.accuracy}`);
});
