// Checks shared by the live-views tests on the CPU and on WebGPU (live-views*.test.mjs).
import assert from 'node:assert/strict';
import { snapshot } from './helpers.mjs';

/**
 * Per model, the accuracies (%) of the chart's points up to `steps`, after asserting there are
 * at least 3, all live passes (not full ones) at the session's live steps.
 */
export function liveAccuracy(snap, steps) {
  const out = {};
  for (const { id, points } of snap.accuracyPoints) {
    const early = points.filter((p) => p.step <= steps);
    assert.ok(early.length >= 3, `${id}: ${early.length} accuracy points in the first ${steps} steps`);
    assert.deepEqual(
      early.map((p) => p.step),
      [10, 25, 50, 100].filter((s) => s <= steps),
      id,
    );
    assert.ok(
      early.every((p) => !p.full),
      `${id}: live passes, not full ones`,
    );
    out[id] = early.map((p) => p.accuracy);
  }
  return out;
}

/** How many pixels of `selector`'s canvas are drawn in colour (not white, grey or clear). */
export const canvasColours = (page, selector) =>
  page.$eval(selector, (c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let [coloured, red, blue] = [0, 0, 0];
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
      if (a === 0 || Math.max(r, g, b) - Math.min(r, g, b) < 30) continue;
      coloured++;
      if (r > b + 30) red++;
      if (b > r + 30) blue++;
    }
    return { coloured, red, blue };
  });

/** All-zeros' tiles are identical and blank with 1 distinct neuron; the 1/√n rule's are not. */
export async function checkTiles(page, step) {
  const tiles = Object.fromEntries((await snapshot(page)).tiles.map((t, m) => [m, t]));
  const [zeros, rule] = [tiles[0], tiles[1]];
  assert.equal(zeros.step, step);
  assert.deepEqual([zeros.identical, zeros.distinctTiles, zeros.distinct, zeros.scale], [true, 1, 1, 0], 'all-zeros');
  assert.deepEqual([rule.identical, rule.distinctTiles, rule.distinct, rule.units], [false, 64, 256, 256], 'the 1/√n rule');
  await page.waitForSelector(`#tiles .tiles-grid[data-step="${step}"]`);
  assert.equal(await page.textContent('#tiles [data-init="zeros"] .tiles-distinct'), '1 of 256');
  assert.equal(await page.textContent('#tiles [data-init="general-rule"] .tiles-distinct'), '256 of 256');
  assert.match(await page.textContent('#tiles [data-init="zeros"] figcaption'), /same blank square/);
  const blank = await canvasColours(page, '#tiles [data-init="zeros"] canvas');
  assert.equal(blank.coloured, 0, 'all-zeros draws white tiles');
  const noise = await canvasColours(page, '#tiles [data-init="general-rule"] canvas');
  assert.ok(noise.red > 2000 && noise.blue > 2000, `the 1/√n rule draws red and blue weights: ${JSON.stringify(noise)}`);
}

/** After `step` steps: the 1/√n rule's update ratio in [1e-4, 1e-1] on layers 1 and 2, a
 * gradient; all-zeros' first layer none; one strip per model with every sample. */
export async function checkHealth(page, step) {
  await page.waitForFunction((s) => window.weightInitLab.snapshot().health.latest[0]?.[0]?.step >= s - 10, step, { timeout: 30_000 });
  const { health } = await snapshot(page);
  assert.ok(health.samples >= Math.floor(step / 10) - 1, `${health.samples} samples by step ${step}`);
  const [zeros, rule] = health.latest;
  for (const layer of [0, 1]) {
    const { update_ratio: ratio, grad_rms: grad } = rule[layer];
    assert.ok(ratio >= 1e-4 && ratio <= 1e-1, `the 1/√n rule's layer ${layer + 1} update ratio: ${ratio}`);
    assert.ok(grad > 1e-6 && grad < 1, `the 1/√n rule's layer ${layer + 1} gradient RMS: ${grad}`);
  }
  assert.equal(zeros[0].grad_rms, 0, "all-zeros' first layer gets no gradient");
  assert.ok(Number.isNaN(zeros[0].update_ratio), `and no update ratio (NaN: its weights are all 0): ${zeros[0].update_ratio}`);
  assert.equal(zeros[0].dead_fraction, 1, 'every ReLU dead');
  assert.ok(rule[0].dead_fraction < 0.5, `the 1/√n rule: ${rule[0].dead_fraction} dead`);
  await page.waitForSelector(`#health[data-samples="${health.samples}"]`);
  const samples = await page.$$eval('#health .health-strip', (cs) => cs.map((c) => Number(c.dataset.samples)));
  assert.deepEqual(samples, [health.samples, health.samples], 'a strip per model with every sample');
  const ink = await canvasColours(page, '#health [data-init="general-rule"] canvas');
  assert.ok(ink.red > 500, `the 1/√n rule's strip is drawn: ${JSON.stringify(ink)}`);
  assert.match(await page.textContent('#health [data-health-chart="ratio"] .health-readout'), /none: its weights are all 0/);
}
