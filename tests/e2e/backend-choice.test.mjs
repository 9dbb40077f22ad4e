// With WebGPU (SwiftShader in headless Chromium) and no backend asked for, the page times a
// few real steps of the run on both backends before building it, trains on the faster (the
// wasm CPU path: SwiftShader emulates a GPU on the same two cores), says both figures, and
// still lets a person switch to WebGPU.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openLab, snapshot, useBrowser, waitForStep } from './helpers.mjs';

const session = useBrowser({ webgpu: true });

test('auto times both backends, trains on the faster, and a person can still switch', async () => {
  const { page } = session;
  const opened = Date.now();
  await openLab(page, session.url, 'inits=zeros,general-rule&epochs=1');
  const note = await page.textContent('#backend-note');
  console.log(`ready in ${((Date.now() - opened) / 1000).toFixed(1)} s: ${await page.textContent('#backend-name')} (${note})`);
  const figures = note.match(/^timed 2 models: (.+) ([\d.]+) ms\/step, CPU ([\d.]+) ms\/step; training on the (GPU|CPU)/);
  assert.ok(figures, `both figures and the choice: ${note}`);
  const [gpuMs, cpuMs] = [Number(figures[2]), Number(figures[3])];
  assert.ok(gpuMs > 0 && cpuMs > 0, note);
  assert.equal(figures[4], gpuMs < cpuMs ? 'GPU' : 'CPU', 'the faster one trains');
  assert.match(await page.textContent('#backend-name'), gpuMs < cpuMs ? /WebGPU/ : /^CPU/);

  await page.click('#backend-switch');
  const other = gpuMs < cpuMs ? /^CPU/ : /WebGPU/;
  await page.waitForFunction((re) => new RegExp(re).test(document.getElementById('backend-name').textContent), other.source);
  assert.match(await page.textContent('#backend-note'), /switched to the/);
  await page.click('#train');
  await waitForStep(page, 3, 120_000);
  const { run } = await snapshot(page);
  assert.ok(run.step >= 3, 'trains on the backend switched to');
});
