// Without WebGPU (no SwiftShader flags: Chromium finds no adapter) the page falls back to
// the CPU by itself, trains the lesson's six initializers with live charts and a table,
// and every view draws while it trains, with no page error. (How smooth the main thread
// stays is measured by `cargo xtask bench`, not asserted: a busy machine stretches any task.)

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accuracyOf, lossesOf, mean, openLab, pause, screenshot, snapshot, useBrowser, waitForStep } from './helpers.mjs';

const STEPS = 100;
let trained;
const session = useBrowser({ webgpu: false });

test('falls back to the CPU and trains the lesson with live charts', async () => {
  const { page } = session;
  // The lesson's six, validating every 50 steps so the accuracy chart gets points.
  await openLab(page, session.url, 'evalEvery=50');
  assert.match(await page.textContent('#backend-name'), /CPU/);
  assert.match(await page.textContent('#backend-note'), /WebGPU/);
  assert.equal(await page.isVisible('#backend-switch'), false, 'no WebGPU to switch to');

  const wall = Date.now();
  await page.click('#train');
  await waitForStep(page, STEPS, 240_000);
  await pause(page);
  const seconds = (Date.now() - wall) / 1000;

  const snap = await snapshot(page);
  console.log(
    `CPU fallback: ${snap.run.step} steps × ${snap.run.models} models in ${seconds.toFixed(1)} s ` +
      `(${(snap.run.step / seconds).toFixed(1)} steps/s, ${snap.run.imagesPerSec.toFixed(0)} images/s while training)`,
  );
  assert.equal(snap.run.models, 6);
  assert.ok(snap.run.step >= STEPS);
  for (const series of snap.loss) assert.equal(series.values.length, snap.run.step, `${series.id}: one point per step`);
  for (const { id, points } of snap.accuracyPoints) {
    // Full passes at 50 and 100 (evalEvery=50), live ones on 2,000 images at 10 and 25.
    assert.deepEqual(
      points.filter((p) => p.full).map((p) => p.step),
      [50, 100],
      `${id}: validated at 50 and 100`,
    );
    assert.deepEqual(
      points.filter((p) => !p.full).map((p) => p.step),
      [10, 25],
      `${id}: live passes before`,
    );
  }

  const zeros = lossesOf(snap, 'zeros');
  assert.ok(Math.abs(mean(zeros.slice(-20)) - Math.LN10) < 0.01, `all-zeros stays at ln 10: ${mean(zeros.slice(-20))}`);
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
  trained = snap;
});

test('every view drew the run, and the page reported no error', async () => {
  assert.ok(trained, 'needs the training run above');
  const { page } = session;
  const snap = await snapshot(page);
  // Drawing waits for the next animation frame: the views follow the state within a few.
  await page.waitForFunction((step) => document.querySelector('.diag-cards')?.dataset.step === String(step), snap.diagnosticsStep);
  assert.equal(await page.locator('.diag-cards > *').count(), 6, 'a diagnostics card per model');
  assert.ok(snap.health.samples > 0, 'layer health sampled');
  assert.equal(await page.locator('.health-strips canvas').count(), 6, 'a histogram strip per model');
  assert.ok((await page.locator('.tiles-grid canvas').count()) >= 6, 'weight tiles per model');
  assert.equal(snap.confusion?.step, 100, 'the confusion matrix of the last full pass');
  assert.equal(await page.locator('#confusion tr').count(), 11, 'a header and a row per class');
  assert.equal(await page.locator('#gallery figure').count(), 20, 'the prediction gallery');
  assert.equal((await page.locator('#sweep-chart canvas').count()) > 0, true, 'the sweep chart');
  assert.match(await page.textContent('#loss-summary'), new RegExp(`at step ${snap.run.step}:`));
  assert.deepEqual(session.problems, [], 'no page error or console error');
  assert.equal(await page.isVisible('#error'), false, 'no error line');
});
