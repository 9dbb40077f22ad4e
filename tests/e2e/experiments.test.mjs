// The experiments beside the initializers, on the CPU path: the dropout switch and what the
// "Why?" panel's distinct-neuron count shows with it off and on; a custom initializer added
// through the form that trains, and a bad one that gets the engine's message; the weight-scale
// slider; and the one-click scale sweep, whose best gain lies between 0.3 and 3.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lossesOf, openLab, pause, snapshot, useBrowser, waitForStep } from './helpers.mjs';
import { shoot } from './mistakes-checks.mjs';

const session = useBrowser({ webgpu: false });

/** Waits until the run's models are `ids` and it is ready to train. */
const runOf = (page, ids) =>
  page.waitForFunction(
    (want) => {
      const { run } = window.weightInitLab.snapshot();
      return run.ready && run.inits.join() === want;
    },
    ids.join(),
    { timeout: 60_000 },
  );

/** Trains at least `steps` steps, pauses, and waits for the diagnostics of the paused step. */
async function trainAndDiagnose(page, steps) {
  await page.click('#train');
  await waitForStep(page, steps, 60_000);
  await pause(page);
  const { run } = await snapshot(page);
  await page.waitForFunction((step) => window.weightInitLab.snapshot().diagnosticsStep === step, run.step, { timeout: 60_000 });
  return snapshot(page);
}

/** The "distinct neurons" fact on the panel's all-ones card for `layer` (1 or 2). */
async function distinctInPanel(page, layer) {
  await page.selectOption('#diagnostics-layer', String(layer));
  await page.waitForSelector(`#diagnostics .diag-cards[data-layer="${layer}"]`);
  return page.textContent('#diagnostics .diag-card[data-init="ones"] [data-fact="distinct"] dd');
}

test('all-ones keeps one distinct neuron per layer with dropout off, and not with dropout on', async () => {
  const { page } = session;
  await openLab(page, session.url, 'inits=ones&dropout=0&epochs=1&backend=cpu&hide=health,tiles,mistakes,sweep');
  assert.equal(await page.isChecked('#dropout-on'), false, 'the switch shows dropout 0');
  const off = await trainAndDiagnose(page, 100);
  assert.ok(off.run.step >= 100);
  assert.deepEqual(off.distinct[0].slice(0, 2), [1, 1], `dropout 0 after ${off.run.step} steps: ${off.distinct[0]}`);
  assert.equal(await distinctInPanel(page, 1), '1 of 256');
  assert.equal(await distinctInPanel(page, 2), '1 of 128');
  assert.match(await page.textContent('#diagnostics .diag-symmetry'), /^Dropout is off: .*1 distinct neuron per layer for the whole run/);

  // The switch: dropout back to the lesson's 0.2 (the link no longer sets it), a new run.
  await page.click('#dropout-on');
  await page.waitForFunction(() => !/dropout=/.test(location.hash));
  await page.waitForFunction(() => window.weightInitLab.snapshot().run.ready && window.weightInitLab.snapshot().run.step === 0);
  assert.equal(await page.inputValue('#params input[name="dropout"]'), '0.2');
  const on = await trainAndDiagnose(page, 100);
  const [first, second] = on.distinct[0];
  assert.ok(first > 1 && second > 1, `dropout 0.2 after ${on.run.step} steps: distinct ${on.distinct[0]}`);
  assert.equal(await distinctInPanel(page, 1), `${first} of 256`);
  assert.equal(await distinctInPanel(page, 2), `${second} of 128`);
  assert.match(await page.textContent('#diagnostics .diag-symmetry'), /^Dropout is on \(20 %\): .*the distinct count grows/);
  console.log(`all-ones, distinct neurons after ~100 steps: dropout 0 → ${off.distinct[0].slice(0, 2)}, dropout 0.2 → ${[first, second]}`);
});

test('a custom initializer added through the form trains; a bad one shows the engine’s message', async () => {
  const { page } = session;
  await openLab(page, session.url, 'inits=general-rule&epochs=1&backend=cpu&hide=health,tiles,mistakes,diagnostics');
  // A bad one: uniform with a ≥ b. The engine refuses it and says why, next to the form; it
  // leaves the list again, so the run before it stays ready to train.
  await page.selectOption('#custom-kind', 'uniform');
  await page.fill('#custom-p0', '1');
  await page.fill('#custom-p1', '0');
  await page.click('.custom-init-form button[type="submit"]');
  await page.waitForSelector('#custom-init-error:not([hidden])', { timeout: 60_000 });
  const message = await page.textContent('#custom-init-error');
  assert.match(message, /uniform:1:0/);
  assert.match(message, /lower bound 1 must be below the upper bound 0/);
  assert.match(message, /not added/);
  await runOf(page, ['general-rule']);
  assert.equal(await page.$('#inits input[value="uniform:1:0"]'), null, 'not in the toggles');
  assert.doesNotMatch(page.url(), /uniform:1:0/, 'not in the link');
  assert.equal(await page.isEnabled('#train'), true, 'the run before it can still train');
  assert.equal(await page.isHidden('#error'), true, 'the page’s error banner does not stay up: the form says it');
  await shoot(page, '#inits-section', 'custom-initializer-form.png');

  // A good one: normal σ = 0.05, in the toggles and the run; its loss curve grows.
  await page.selectOption('#custom-kind', 'normal');
  await page.fill('#custom-p0', '0.05');
  await page.click('.custom-init-form button[type="submit"]');
  await runOf(page, ['general-rule', 'normal:0.05']);
  assert.equal(await page.isChecked('#inits input[value="normal:0.05"]'), true);
  await page.click('#train');
  await waitForStep(page, 30, 60_000);
  await pause(page);
  const snap = await snapshot(page);
  const losses = lossesOf(snap, 'normal:0.05');
  assert.equal(losses.length, snap.run.step, 'one loss per step');
  assert.ok(losses.every(Number.isFinite), 'no gap');
  const head = losses.slice(0, 5).reduce((a, b) => a + b) / 5;
  const tail = losses.slice(-5).reduce((a, b) => a + b) / 5;
  assert.ok(tail < head - 0.3, `normal(0, 0.05) learns: ${head.toFixed(3)} → ${tail.toFixed(3)}`);
  const legend = await page.textContent('#loss-chart .u-legend');
  assert.match(legend, /Normal\(0, 0\.05\)/, 'its curve is in the loss chart');

  // Removed again with its ×: the run is the one before it.
  await page.click('#inits button[aria-label="Remove normal:0.05"]');
  await runOf(page, ['general-rule']);
  assert.equal(await page.$('#inits input[value="normal:0.05"]'), null);
});

test('the slider adds one gain model and moves it; the sweep trains nine gains and the best lies between 0.3 and 3', async () => {
  const { page } = session;
  await openLab(page, session.url, 'inits=general-rule&backend=cpu&hide=health,tiles,diagnostics,mistakes');
  const slide = (position) =>
    page.$eval(
      '#gain-slider',
      (el, p) => {
        el.value = String(p);
        el.dispatchEvent(new Event('input', { bubbles: true }));
        el.dispatchEvent(new Event('change', { bubbles: true }));
      },
      position,
    );
  await slide(25);
  assert.equal(await page.textContent('#gain-value'), 'g = 0.3');
  await runOf(page, ['general-rule', 'gain:0.3']);
  await slide(35);
  await runOf(page, ['general-rule', 'gain:3']);
  assert.match(await page.evaluate(() => location.hash), /inits=general-rule,gain:3(&|$)/, 'the link carries the gain model');
  assert.equal(await page.$('#inits input[value="gain:0.3"]'), null, 'the slider’s model moved, not added');

  // One click: the nine gains with the lesson's recipe, trained to the end.
  const started = Date.now();
  await page.click('#sweep-run');
  const gains = ['0.001', '0.01', '0.1', '0.3', '1', '3', '10', '30', '100'].map((g) => `gain:${g}`);
  await runOf(page, gains).catch(() => {}); // it may already be training
  await page.waitForFunction(() => window.weightInitLab.snapshot().run.finished, null, { timeout: 240_000, polling: 500 });
  const snap = await snapshot(page);
  console.log(
    `the scale sweep (9 models, 2 epochs) took ${((Date.now() - started) / 1000).toFixed(1)} s ` +
      `(training ${snap.run.summary.seconds.toFixed(1)} s, ${Math.round(snap.run.summary.images_per_sec)} images/s through all 9)`,
  );
  assert.deepEqual(snap.run.inits, gains);
  assert.equal(snap.run.total, 960, 'the lesson’s 2 epochs of 480 steps');
  const { sweep } = snap;
  assert.equal(sweep.live, false, 'the end is a full validation pass');
  assert.equal(sweep.step, 960);
  // Each model sits at its equivalent gain, which for gain:G is G (computed in f32).
  const expected = [0.001, 0.01, 0.1, 0.3, 1, 3, 10, 30, 100];
  for (const [i, p] of sweep.points.entries()) assert.ok(Math.abs(p.gain / expected[i] - 1) < 1e-5, `${p.id} at ${p.gain}`);
  console.log(`sweep accuracies: ${sweep.points.map((p) => `g=${p.id.slice(5)} ${(100 * p.accuracy).toFixed(1)} %`).join(', ')}`);
  assert.ok(sweep.best.gain >= 0.3 && sweep.best.gain <= 3, `best gain ${sweep.best.gain}`);
  assert.ok(sweep.best.accuracy > 0.83, `best accuracy ${sweep.best.accuracy}`);
  const at = (g) => sweep.points.find((p) => p.id === `gain:${g}`).accuracy;
  assert.ok(!(at('100') > sweep.best.accuracy - 0.05), `too large: g = 100 at ${at('100')}`);
  assert.match(
    await page.textContent('#sweep-summary'),
    new RegExp(`^Best so far: g = ${sweep.best.id.slice(5)} .* — full validation at step 960\\.$`),
  );
  await page.waitForSelector('#sweep-chart[data-step="960"][data-live="false"]');
  await shoot(page, '#sweep', 'sweep-chart.png');
});
