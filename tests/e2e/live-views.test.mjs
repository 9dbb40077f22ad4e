// The live training views of issue #9 on the CPU path: the accuracy chart has points from the
// first seconds (live passes on 2,000 fixed images), the loss chart draws the "knows nothing"
// line at ln 10, the layer-health section tracks the update-to-weight ratio and draws one
// histogram strip per model, and the first-layer weights show as tiles: all-zeros' identical
// and blank, the 1/√n rule's all different.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openLab, pause, screenshot, snapshot, useBrowser, waitForStep } from './helpers.mjs';
import { canvasColours, checkHealth, checkTiles, liveAccuracy } from './live-views.mjs';

const session = useBrowser({ webgpu: false });

test('the lesson preset gets accuracy points in its first 100 steps, and a training accuracy', async () => {
  const { page } = session;
  await page.setViewportSize({ width: 1280, height: 900 });
  await openLab(page, session.url, 'backend=cpu');
  await page.click('#lesson');
  await page.click('#train');
  await waitForStep(page, 100, 120_000);
  await pause(page);
  const snap = await snapshot(page);
  assert.equal(snap.run.models, 6);
  const live = liveAccuracy(snap, 100);
  // zeros and ones guess one class (~10 %); the 1/√n rule is already far above.
  assert.ok(
    live.zeros.every((a) => a > 5 && a < 15),
    `all-zeros: ${live.zeros}`,
  );
  assert.ok(live['general-rule'].at(-1) > 60, `the 1/√n rule at step 100: ${live['general-rule']}`);
  const train = Object.fromEntries(snap.trainAccuracy.map((s) => [s.id, s.values]));
  assert.equal(train['general-rule'].length, snap.run.step, 'a training accuracy at every step');
  const ruleTrain = train['general-rule'].at(-1);
  assert.ok(ruleTrain > 55 && ruleTrain < 95, `the 1/√n rule's running training accuracy: ${ruleTrain}`);
  assert.ok(Math.abs(train.zeros.at(-1) - 10) < 5, `all-zeros' training accuracy: ${train.zeros.at(-1)}`);
  assert.match(await page.textContent('#accuracy-key'), /2,000 fixed validation images.*12,000/);
  console.log(`screenshot: ${await screenshot(page, 'accuracy-live.png', { selector: '.charts figure:nth-of-type(2)' })}`);

  // The ln 10 line: a long row of its dark grey dashes on the loss chart, in both scales.
  for (const log of [true, false]) {
    if (!log) await page.click('#log-scale');
    await page.waitForTimeout(300);
    const row = await dashedRow(page);
    console.log(`ln 10 line, log scale ${log}: ${JSON.stringify(row)}`);
    assert.ok(row.pixels > 0.2 * row.width, `the ln 10 line (log ${log}): ${JSON.stringify(row)}`);
  }
  await page.click('#log-scale');
  await page.waitForTimeout(300);
  console.log(`screenshot: ${await screenshot(page, 'loss-ln10.png', { selector: '.charts figure:nth-of-type(1)' })}`);

  // Training accuracy off: the accuracy chart loses its faint lines' pixels.
  const before = await canvasColours(page, '#accuracy-chart canvas');
  await page.click('#train-accuracy');
  await page.waitForTimeout(300);
  const after = await canvasColours(page, '#accuracy-chart canvas');
  assert.ok(after.coloured < before.coloured - 100, `faint lines gone: ${before.coloured} → ${after.coloured}`);
  assert.match(page.url(), /trainAccuracy=false/);
});

/** The loss canvas's row with the most pixels of the ln 10 line's grey (#374151). */
const dashedRow = (page) =>
  page.$eval('#loss-chart canvas', (c) => {
    const { data, width, height } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let best = { y: -1, pixels: 0, width };
    for (let y = 0; y < height; y++) {
      let n = 0;
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        if (Math.abs(data[i] - 55) < 12 && Math.abs(data[i + 1] - 65) < 12 && Math.abs(data[i + 2] - 81) < 12) n++;
      }
      if (n > best.pixels) best = { y, pixels: n, width };
    }
    return best;
  });

test('all-zeros has identical blank tiles and one neuron; the 1/√n rule learns at a healthy rate', async () => {
  const { page } = session;
  await page.setViewportSize({ width: 1280, height: 1000 });
  await openLab(page, session.url, 'inits=zeros,general-rule&backend=cpu&epochs=1&evalEvery=50');
  // Step 0: the initial weights.
  await page.waitForFunction(() => window.weightInitLab.snapshot().tiles.length === 2, null, { timeout: 60_000 });
  await checkTiles(page, 0);
  const start = (await snapshot(page)).tiles.find((t) => t.distinctTiles > 1);
  assert.ok(start.scale > 0.035 && start.scale <= 1 / 28, `U[−1/28, 1/28): largest |w| ${start.scale}`);

  await page.click('#train');
  await waitForStep(page, 50, 60_000);
  await pause(page);
  const { step } = (await snapshot(page)).run;
  await page.waitForFunction((s) => window.weightInitLab.snapshot().diagnosticsStep === s, step, { timeout: 60_000 });
  await checkTiles(page, step);
  await checkHealth(page, step);
  // Live passes at 10, 25 (and 100), full ones (evalEvery=50) at 50 (and 100): large dots, and
  // the key says so. A fast engine may have run the chunk to 100 before the pause took.
  const expected = [
    [10, false],
    [25, false],
    [50, true],
    [100, true],
    [150, true],
  ].filter(([s]) => s <= step);
  assert.ok(step >= 50 && step < 200, `paused at step ${step}`);
  for (const { id, points } of (await snapshot(page)).accuracyPoints) {
    assert.deepEqual(
      points.map((p) => [p.step, p.full]),
      expected,
      id,
    );
  }
  assert.match(await page.textContent('#accuracy-key'), /all 12,000 validation images, every 50 steps and at each epoch end/);
  console.log(`screenshot: ${await screenshot(page, 'weight-tiles.png', { selector: '#tiles' })}`);
  console.log(`screenshot: ${await screenshot(page, 'layer-health.png', { selector: '#health' })}`);
  await page.click('#projector');
  await page.waitForFunction(() => document.querySelector('#health .health-strips')?.dataset.models.includes('#000000'));
  console.log(`screenshot: ${await screenshot(page, 'layer-health-projector.png', { selector: '#health' })}`);
  await page.click('#projector');

  // Layer 2 in the health section: the URL and the "Why?" panel follow.
  await page.selectOption('#health-layer', '2');
  await page.waitForSelector('#health[data-layer="2"]');
  assert.match(page.url(), /layer=2/);
  assert.equal(await page.inputValue('#diagnostics-layer'), '2');
});

test('the views raise no error in the page or its worker while they load and train', () => {
  // Every test above ran in this page: a view that throws (say, drawing before the catalog has
  // arrived) shows up here.
  assert.deepEqual(session.problems, []);
});
