// Depth, activation and optimizer as lesson parameters (issue #17) in the page: a preset
// link sets a 30-layer run whose step-0 signal view shows, before Train is pressed, Xavier's
// ReLU signal dying layer by layer while He's holds; settings the page or the engine cannot
// use are named with the setting; a run whose models differ in depth trains (its signal
// measured again at a validation pass), and the layer views say "—" where a model has no
// such layer.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openLab, seriousViolations, snapshot, trainFor, useBrowser } from './helpers.mjs';

const session = useBrowser({ webgpu: false });

/** Waits until the signal view shows a signal of the run in place at `step`. */
const waitForSignal = (page, step) => page.waitForSelector(`#signal[data-step="${step}"]`, { timeout: 60_000 });

/** The error line once it says `pattern`. */
async function errorSaying(page, pattern) {
  await page.waitForFunction((source) => new RegExp(source).test(document.getElementById('error-text').textContent), pattern.source, {
    timeout: 60_000,
  });
  assert.equal(await page.isVisible('#error'), true);
  return page.textContent('#error-text');
}

test('the he-2015 preset link shows, before training, the signal dying through 30 Xavier ReLU layers and holding with He', async () => {
  const { page } = session;
  await page.setViewportSize({ width: 1280, height: 1000 });
  await openLab(page, session.url, 'hide=samples,table,mistakes,sweep,tiles');
  const link = page.locator('#presets a[data-preset="he-2015"]');
  assert.match(await link.getAttribute('href'), /hidden=256x30/);
  await link.click();
  await page.waitForFunction(() => window.weightInitLab.snapshot().run.archs.length === 2 && window.weightInitLab.snapshot().run.ready, null, {
    timeout: 60_000,
  });
  await waitForSignal(page, 0);
  assert.match(page.url(), /hidden=256x30/);
  assert.match(page.url(), /hide=samples/, 'the page’s own settings stay');
  assert.equal(await link.getAttribute('aria-current'), 'true');
  assert.equal(await page.getAttribute('#preset-about', 'data-preset'), 'he-2015');

  const snap = await snapshot(page);
  assert.equal(snap.run.step, 0, 'nothing trained');
  assert.equal(snap.run.running, false);
  assert.deepEqual(
    snap.run.archs.map((m) => [m.hidden.length, m.activation, m.optimizer]),
    [
      [30, 'relu', 'sgd'],
      [30, 'relu', 'sgd'],
    ],
  );
  const of = (prefix) => snap.signal.models.find((m) => m.id.startsWith(prefix));
  const [xavier, he] = [of('xavier'), of('he')];
  assert.equal(xavier.act_std.length, 30);
  assert.equal(xavier.grad_rms.length, 31);
  const [lastXavier, lastHe] = [xavier.act_std.at(-1), he.act_std.at(-1)];
  assert.ok(lastXavier * 1000 < lastHe, `layer 30's std: Xavier ${lastXavier} vs He ${lastHe}`);
  // The mean-field prediction tracks what is measured (wide layers, a batch of images).
  for (const m of [xavier, he]) {
    const ratio = m.act_std.at(-1) / m.theory_std.at(-1);
    assert.ok(ratio > 0.3 && ratio < 3, `${m.id}: measured / predicted at layer 30 = ${ratio}`);
  }

  // What a student reads: the step, the notes, the table's numbers, both charts drawn.
  assert.match(await page.textContent('#signal .signal-step'), /at step 0, before training/);
  assert.match(await page.textContent('#signal .signal-caption'), /mean-field prediction/);
  assert.equal(await page.locator('#signal .signal-table tbody tr').count(), 2);
  assert.match(await page.textContent('#signal .signal-table thead'), /hidden layer 30/);
  assert.match(await page.textContent('#signal .signal-table tbody tr:first-child'), /predicted/);
  assert.equal(await page.locator('#signal .signal-plot canvas').count(), 2);
  // Deeper than six layers: the health section's overview of every layer, and a compact picker.
  assert.equal(await page.isVisible('#health .depth-map'), true);
  assert.equal(await page.locator('#diagnostics-layer option').count(), 31);
  assert.deepEqual(await seriousViolations(page, { include: ['#signal', '#health', '#inits-section', '#params-section'] }), []);
  assert.deepEqual(session.problems, []);
});

test('settings that cannot make a network are named, with what is expected', async () => {
  const { page } = session;
  await openLab(page, session.url, 'hidden=256x33');
  assert.match(await errorSaying(page, /hidden=256x33/), /ignored hidden=256x33: 33 hidden layers; a network has 1 to 32/);
  await openLab(page, session.url, 'hidden=0');
  assert.match(await errorSaying(page, /hidden=0/), /ignored hidden=0: a layer of 0 units; widths are from 1 to 1024/);
  await openLab(page, session.url, 'activation=gelu');
  assert.match(await errorSaying(page, /activation=gelu/), /ignored activation=gelu: must be one of relu, leaky-relu, tanh, sigmoid, linear/);

  // What only the engine can say: an override out of range leaves that model out, by its id…
  await openLab(page, session.url, 'inits=he-normal,he-normal@256x33');
  assert.match(await errorSaying(page, /he-normal@256x33/), /ignored .*he-normal@256x33/);
  await page.waitForFunction(() => window.weightInitLab.snapshot().run.inits.join() === 'he-normal', null, { timeout: 60_000 });
  // SGD's momentum under Adam is kept for SGD, not sent: the run builds, with Adam's own.
  await page.evaluate(() => {
    location.hash = 'momentum=0.9';
  });
  await page.waitForFunction(() => window.weightInitLab.snapshot().run.archs?.[0]?.optimizer === 'adam', null, { timeout: 60_000 });
  assert.equal((await snapshot(page)).run.archs[0].momentum, 0);
  await page.evaluate(() => {
    location.hash = 'momentum=0.9&optimizer=sgd';
  });
  await page.waitForFunction(() => window.weightInitLab.snapshot().run.archs?.[0]?.momentum > 0.89, null, { timeout: 60_000 });

  // A typed value is checked as a link's is.
  await openLab(page, session.url, '');
  await page.fill('#params [name="hidden"]', '64x40');
  await page.press('#params [name="hidden"]', 'Tab');
  assert.match(await errorSaying(page, /hidden layers = "64x40"/), /cannot be used: expected widths like 256,128 or 256x30/);
  assert.equal(await page.getAttribute('#params [name="hidden"]', 'aria-invalid'), 'true');
});

test('models of different depths train side by side; a layer a model lacks reads "—"', async () => {
  const { page } = session;
  await openLab(page, session.url, 'inits=he-normal,he-normal@256x6&hidden=64&evalEvery=10&hide=samples,table,mistakes,sweep,tiles');
  await waitForSignal(page, 0);
  const before = await snapshot(page);
  assert.deepEqual(
    before.run.archs.map((m) => m.hidden),
    [[64], [256, 256, 256, 256, 256, 256]],
  );
  assert.deepEqual(
    before.signal.models.map((m) => m.act_std.length),
    [1, 6],
  );
  assert.match(await page.textContent('#signal .signal-key'), /he-normal@256x6|256 ×6/);

  const step = await trainFor(page, 12); // past the first health sample, at step 10
  const snap = await snapshot(page);
  for (const { id, values } of snap.loss) assert.ok(values.length >= 12 && values.every(Number.isFinite), `${id}: ${values.slice(0, 5)}`);
  assert.equal(snap.run.step, step);
  assert.equal(await page.isVisible('#error'), false, await page.textContent('#error-text'));
  // A full validation pass (every 10 steps) measured the signal again.
  const again = await page.waitForFunction(() => window.weightInitLab.snapshot().signal?.step, null, { timeout: 60_000 });
  const at = await again.jsonValue();
  assert.equal(at % 10, 0, `measured at step ${at}`);
  await waitForSignal(page, at);
  assert.match(await page.textContent('#signal .signal-caption'), new RegExp(`measured after step ${at}, .*while training moves the measured ones`));

  // Layer 5: hidden in the deep model, absent from the shallow one.
  await page.waitForFunction(() => window.weightInitLab.snapshot().health.samples > 0, null, { timeout: 60_000 });
  await page.selectOption('#diagnostics-layer', '5');
  await page.waitForSelector('#diagnostics .diag-cards[data-layer="5"]');
  assert.match(await page.textContent('#diagnostics .diag-card[data-init="he-normal"]'), /—.*no layer 5/);
  assert.doesNotMatch(await page.textContent('#diagnostics .diag-card[data-init="he-normal@256x6"]'), /no layer/);
  assert.equal(await page.inputValue('#health-layer'), '5', 'one choice for both views');
  const readout = await page.$$eval('#health [data-health-chart="std"] .health-readout li', (items) => items.map((li) => li.textContent));
  assert.match(readout[0], /: —$/);
  assert.doesNotMatch(readout[1], /—|diverged/);

  // tanh from the form: a new run whose units cannot die, so no dead-ReLU numbers anywhere.
  await page.selectOption('#params [name="activation"]', 'tanh');
  await page.waitForFunction(() => window.weightInitLab.snapshot().run.archs.every((a) => a.activation === 'tanh'), null, { timeout: 60_000 });
  await waitForSignal(page, 0);
  assert.match(page.url(), /activation=tanh/);
  await page.waitForSelector('#diagnostics .diag-cards[data-step="0"][data-layer="5"]', { timeout: 60_000 });
  assert.equal(await page.locator('#diagnostics [data-fact="dead"]').count(), 0);
  assert.doesNotMatch(await page.textContent('#diagnostics .diag-cards'), /diverged|ReLU/);
  assert.equal(await page.isVisible('#health [data-health-chart="dead"]'), false);
  assert.deepEqual(session.problems, []);
});
