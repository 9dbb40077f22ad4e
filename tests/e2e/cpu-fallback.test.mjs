// Without WebGPU (no SwiftShader flags: Chromium finds no adapter) the page falls back to
// the CPU by itself, trains the lesson's six initializers with live charts and a table,
// and the main thread stays responsive the whole time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  accuracyOf, assertResponsive, lossesOf, mean, openLab, pageNow, pause, screenshot, snapshot,
  useBrowser, waitForStep,
} from './helpers.mjs';

const STEPS = 100;
let trainingWindow;
const session = useBrowser({ webgpu: false, longTasks: true });

test('falls back to the CPU and trains the lesson with live charts', async () => {
  const { page } = session;
  // The lesson's six, validating every 50 steps so the accuracy chart gets points.
  await openLab(page, session.url, 'evalEvery=50');
  assert.match(await page.textContent('#backend-name'), /CPU/);
  assert.match(await page.textContent('#backend-note'), /WebGPU/);
  assert.equal(await page.isVisible('#backend-switch'), false, 'no WebGPU to switch to');

  const start = await pageNow(page);
  const wall = Date.now();
  await page.click('#train');
  await waitForStep(page, STEPS, 240_000);
  await pause(page);
  trainingWindow = { start, end: await pageNow(page) };
  const seconds = (Date.now() - wall) / 1000;

  const snap = await snapshot(page);
  console.log(`CPU fallback: ${snap.run.step} steps × ${snap.run.models} models in ${seconds.toFixed(1)} s ` +
    `(${(snap.run.step / seconds).toFixed(1)} steps/s, ${snap.run.imagesPerSec.toFixed(0)} images/s while training)`);
  assert.equal(snap.run.models, 6);
  assert.ok(snap.run.step >= STEPS);
  for (const series of snap.loss) assert.equal(series.values.length, snap.run.step, `${series.id}: one point per step`);
  for (const { id, points } of snap.accuracyPoints) {
    // Full passes at 50 and 100 (evalEvery=50), live ones on 2,000 images at 10 and 25.
    assert.deepEqual(points.filter((p) => p.full).map((p) => p.step), [50, 100], `${id}: validated at 50 and 100`);
    assert.deepEqual(points.filter((p) => !p.full).map((p) => p.step), [10, 25], `${id}: live passes before`);
  }

  const zeros = lossesOf(snap, 'zeros');
  assert.ok(Math.abs(mean(zeros.slice(-20)) - 2.3026) < 0.01, `all-zeros stays at ln 10: ${mean(zeros.slice(-20))}`);
  assert.ok(Math.max(...lossesOf(snap, 'ones').slice(0, 20)) > 100, 'all-ones explodes');
  const rule = lossesOf(snap, 'general-rule');
  assert.ok(mean(rule.slice(-20)) < 1.0, `the 1/√n rule learns: ${mean(rule.slice(-20))}`);
  const accuracy = (id) => accuracyOf(snap, id).at(-1);
  assert.ok(accuracy('zeros') > 7 && accuracy('zeros') < 13, `all-zeros guesses: ${accuracy('zeros')} %`);
  assert.ok(accuracy('general-rule') > 65, `the 1/√n rule: ${accuracy('general-rule')} %`);

  // The table lists every model, and the live status is shown.
  assert.equal(await page.locator('#results tbody tr').count(), 6);
  assert.match(await page.textContent('#progress-text'), new RegExp(`step ${snap.run.step} / 960`));
  console.log(`screenshot: ${await screenshot(page, 'cpu-trained.png')}`);
});

test('the main thread stays responsive while training', async () => {
  assert.ok(trainingWindow, 'needs the training run above');
  await assertResponsive(session.page, trainingWindow.start, trainingWindow.end, 'CPU training');
});
