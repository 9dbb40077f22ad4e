// The live training views on WebGPU (SwiftShader in headless Chromium, ~6 steps/s for three
// models): two models, 100 steps. The live validation passes run on the GPU too and give the
// accuracy chart its points at steps 10, 25, 50 and 100; the tiles and the health numbers
// come from the GPU's reductions and tell the same story as on the CPU.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openLab, pause, snapshot, useBrowser, waitForStep } from './helpers.mjs';
import { checkHealth, checkTiles, liveAccuracy } from './live-views.mjs';

const session = useBrowser({ webgpu: true });

test('on WebGPU: live accuracy points, identical all-zeros tiles, a healthy update ratio', async () => {
  const { page } = session;
  await page.setViewportSize({ width: 1280, height: 1000 });
  await openLab(page, session.url, 'inits=zeros,general-rule&epochs=1&backend=gpu');
  assert.match(await page.textContent('#backend-name'), /WebGPU/);
  await page.waitForFunction(() => window.weightInitLab.snapshot().tiles.length === 2, null, { timeout: 120_000 });
  await checkTiles(page, 0);

  const wall = Date.now();
  await page.click('#train');
  await waitForStep(page, 100, 400_000);
  await pause(page);
  const snap = await snapshot(page);
  console.log(`WebGPU (${snap.backend}): ${snap.run.step} steps × 2 models with live validation in ${((Date.now() - wall) / 1000).toFixed(1)} s`);
  const live = liveAccuracy(snap, 100);
  assert.ok(
    live.zeros.every((a) => a > 5 && a < 15),
    `all-zeros: ${live.zeros}`,
  );
  assert.ok(live['general-rule'].at(-1) > 60, `the 1/√n rule at step 100: ${live['general-rule']}`);

  const { step } = snap.run;
  await page.waitForFunction((s) => window.weightInitLab.snapshot().diagnosticsStep === s, step, { timeout: 120_000 });
  await checkTiles(page, step);
  await checkHealth(page, step);
});
