// The "why" panel tells the lesson's story at step 0 in words a student reads: all-zeros has
// one distinct neuron and only dead ReLUs, all-ones one neuron with exploding activations,
// the 1/√n rule distinct neurons at a healthy scale; its histograms are drawn, it follows the
// layer chosen (and the URL), and it updates after training steps.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openLab, pause, screenshot, snapshot, useBrowser, waitForStep } from './helpers.mjs';

const session = useBrowser({ webgpu: false });

/** Waits until the panel shows `layer` at `step`. */
const waitForPanel = (page, step, layer) =>
  page.waitForSelector(`#diagnostics .diag-cards[data-step="${step}"][data-layer="${layer}"]`, { timeout: 60_000 });

/** The facts a student reads on one initializer's card: {distinct: '1 of 256', dead: '100 %', …}. */
const facts = (page, id) =>
  page.$$eval(`#diagnostics .diag-card[data-init="${id}"] [data-fact]`, (rows) =>
    Object.fromEntries(rows.map((r) => [r.dataset.fact, r.querySelector('dd').textContent])),
  );

/** How many pixels each card's histograms have drawn (alpha > 0), per canvas. */
const inkPerCanvas = (page) =>
  page.$$eval('#diagnostics canvas', (canvases) =>
    canvases.map((c) => {
      const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      let ink = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) ink++;
      return ink;
    }),
  );

test('at step 0 the panel shows identical neurons, dead ReLUs and exploding activations', async () => {
  const { page } = session;
  await page.setViewportSize({ width: 1280, height: 1000 });
  await openLab(page, session.url, 'inits=zeros,ones,general-rule&epochs=1&hide=data,samples,charts,table');
  await waitForPanel(page, 0, 1);

  const zeros = await facts(page, 'zeros');
  assert.equal(zeros.distinct, '1 of 256');
  assert.equal(zeros.dead, '100 %');
  const ones = await facts(page, 'ones');
  assert.equal(ones.distinct, '1 of 256');
  const rule = await facts(page, 'general-rule');
  assert.equal(rule.distinct, '256 of 256');
  assert.ok(parseFloat(rule.dead) < 50, `general rule dead ReLUs: ${rule.dead}`);
  assert.match(await page.textContent('#diagnostics .diag-card[data-init="zeros"] .verdict'), /copies of one/);

  const canvases = await inkPerCanvas(page);
  assert.equal(canvases.length, 6, 'a weight and an activation histogram per initializer');
  for (const ink of canvases) assert.ok(ink > 0, `every histogram is drawn: ${canvases}`);
  console.log(`screenshot: ${await screenshot(page, 'diagnostics-step0.png')}`);

  // Layer 2: the all-ones activations have grown by a factor of ~256.
  await page.selectOption('#diagnostics-layer', '2');
  await waitForPanel(page, 0, 2);
  assert.match(await page.evaluate(() => location.hash), /layer=2/);
  const onesMean = Number((await facts(page, 'ones'))['activation-mean']);
  assert.ok(onesMean > 1e4 && onesMean < 1e6, `all-ones layer 2 activations: ${onesMean}`);
  assert.equal((await facts(page, 'zeros')).distinct, '1 of 128');
  const ruleStd = Number((await facts(page, 'general-rule'))['activation-std']);
  assert.ok(ruleStd > 0.05 && ruleStd < 5, `general rule layer 2 activation std: ${ruleStd}`);
});

test('the panel updates after training steps', async () => {
  const { page } = session;
  const cardText = () => page.textContent('#diagnostics .diag-card[data-init="general-rule"]');
  const atStart = await cardText();
  await page.click('#train');
  await waitForStep(page, 20, 60_000);
  await pause(page);
  const { step } = (await snapshot(page)).run;
  await waitForPanel(page, step, 2);
  assert.match(await page.textContent('#diagnostics .diag-step'), new RegExp(`after step ${step}`));
  assert.notEqual(await cardText(), atStart, 'the weights and activations moved');
  // All-zeros neurons get identical updates: still one neuron.
  assert.equal((await facts(page, 'zeros')).distinct, '1 of 128');
});
