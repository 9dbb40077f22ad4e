// A course author takes the run away: the CSV and JSON the CLI writes, each chart as a PNG,
// and a link to the exact run; the table names the step its numbers come from.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { openLab, pause, snapshot, useBrowser, waitForStep } from './helpers.mjs';

const session = useBrowser({ webgpu: false });

/** Clicks `selector` and resolves to the downloaded file's name and bytes. */
async function downloadOf(page, selector) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
}

test('the run downloads as CSV, JSON and PNG, the link copies, the table names its step', async () => {
  const { page } = session;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await openLab(page, session.url, 'inits=zeros,general-rule&epochs=1&evalEvery=20&seed=4');
  await page.click('#train');
  await page.waitForFunction(() => /left/.test(document.getElementById('speed').textContent), null, { timeout: 60_000 });
  assert.match(await page.textContent('#speed'), /about \d+ (s|min) left/, 'a time estimate while training');
  await waitForStep(page, 25, 120_000);
  await pause(page);
  const { run } = await snapshot(page);
  assert.match(await page.textContent('#results-step'), /at step (20|40) \(epoch 0\.(04|08)\)/);

  const csv = await downloadOf(page, '#export-csv');
  assert.equal(csv.name, `weight-init-lab-seed4-step${run.step}.csv`);
  const lines = csv.bytes.toString().trim().split('\n');
  assert.equal(lines[0], 'metric,step,initializer,value');
  assert.equal(lines.filter((l) => l.startsWith('batch_loss,')).length, 2 * run.step, 'every batch of both models');
  const zerosFirst = Number(lines.find((l) => l.startsWith('batch_loss,1,zeros,')).split(',')[3]);
  assert.ok(Math.abs(zerosFirst - Math.LN10) < 1e-3, `all-zeros starts at ln 10: ${zerosFirst}`);
  assert.ok(lines.some((l) => /^val_accuracy,20,general-rule,0\.\d+$/.test(l)));

  const json = JSON.parse((await downloadOf(page, '#export-json')).bytes.toString());
  assert.deepEqual(json.initializers, ['zeros', 'general-rule']);
  assert.equal(json.history.losses[1].length, run.step);
  assert.equal(json.config.seed, 4);
  assert.equal(json.results.length, 2);

  for (const chart of ['loss', 'accuracy']) {
    const png = await downloadOf(page, `#export-${chart}-png`);
    assert.equal(png.name, `weight-init-lab-seed4-step${run.step}-${chart}.png`);
    assert.deepEqual([...png.bytes.subarray(1, 4)], [...Buffer.from('PNG')], 'a PNG file');
    assert.ok(png.bytes.readUInt32BE(16) > 240 && png.bytes.readUInt32BE(20) > 280, 'chart, title and legend');
  }

  await page.click('#copy-link');
  await page.waitForFunction(() => document.getElementById('export-status').textContent !== '');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), page.url());
  assert.match(page.url(), /inits=zeros,general-rule&epochs=1&evalEvery=20&seed=4/);
});
