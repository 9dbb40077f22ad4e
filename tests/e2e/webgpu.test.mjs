// With WebGPU (SwiftShader in headless Chromium): the page picks the WebGPU backend by
// itself and trains; the numbers move the right way; Step, a switch to the CPU that keeps
// the weights, and Reset (same initial weights) work. SwiftShader runs about one step of
// three models per second on two cores, so this trains 50 steps, not a whole epoch.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lossesOf, mean, openLab, pause, screenshot, snapshot, useBrowser, waitForStep } from './helpers.mjs';

const STEPS = 50;
const session = useBrowser({ webgpu: true });

test('trains on WebGPU, switches to the CPU keeping the weights, and resets', async () => {
  const { page } = session;
  await openLab(page, session.url, 'inits=zeros,ones,general-rule&evalEvery=0&backend=gpu');
  assert.match(await page.textContent('#backend-name'), /WebGPU/);

  const wall = Date.now();
  await page.click('#train');
  await waitForStep(page, STEPS, 400_000);
  await pause(page);
  const seconds = (Date.now() - wall) / 1000;
  const gpu = await snapshot(page);
  console.log(
    `WebGPU (${gpu.backend}): ${gpu.run.step} steps × 3 models in ${seconds.toFixed(1)} s ` + `(${(gpu.run.step / seconds).toFixed(2)} steps/s)`,
  );
  for (const series of gpu.loss) assert.equal(series.values.length, gpu.run.step, `${series.id}: one point per step`);
  const tail = (id) => mean(lossesOf(gpu, id).slice(-10));
  assert.ok(Math.abs(tail('zeros') - Math.LN10) < 0.01, `all-zeros stays at ln 10: ${tail('zeros')}`);
  assert.ok(tail('ones') > 100, `all-ones explodes: ${tail('ones')}`);
  assert.ok(tail('general-rule') < 1.0, `the 1/√n rule learns: ${tail('general-rule')}`);
  console.log(`screenshot: ${await screenshot(page, 'webgpu-trained.png')}`);

  // Switch to the CPU: training goes on from the same weights (a fresh network would be
  // back at ~2.3).
  await page.click('#backend-switch');
  await page.waitForFunction(() => /CPU/.test(document.getElementById('backend-name').textContent));
  await page.click('#step');
  await page.waitForFunction((n) => window.weightInitLab.snapshot().run.step === n + 1, gpu.run.step);
  const cpu = await snapshot(page);
  const next = lossesOf(cpu, 'general-rule').at(-1);
  assert.ok(next < 1.2, `the CPU continues from the trained weights: ${next}`);

  // Reset: back to step 0 with the same initial weights, so step 1 repeats exactly
  // (up to the GPU's rounding: the first run was on WebGPU).
  await page.click('#reset');
  await page.waitForFunction(() => window.weightInitLab.snapshot().run.step === 0);
  assert.equal((await snapshot(page)).loss[0].values.length, 0, 'charts are cleared');
  await page.click('#step');
  await waitForStep(page, 1, 60_000);
  const again = await snapshot(page);
  for (const id of ['zeros', 'ones', 'general-rule']) {
    const [first, replay] = [lossesOf(gpu, id)[0], lossesOf(again, id)[0]];
    assert.ok(Math.abs(first - replay) <= 1e-3 * Math.max(1, Math.abs(first)), `${id}: ${first} vs ${replay}`);
  }
});
