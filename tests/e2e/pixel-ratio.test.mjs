// On a 2× screen every canvas the page draws has a backing store of its CSS box × 2 (the
// "Why?" histograms were drawn at a fixed 240×64, soft at 0.44–0.6 of what they were shown
// at). An exported chart's title and legend follow the ratio as its axes do (they were 16 px
// type beside 24 px axis labels): compared with the same export from a 1× screen. (Drawing
// again when the ratio changes is unit-tested, tests/unit/canvas.test.mjs: Chromium's
// emulated ratio changes fire no media query events, for uPlot's charts either.)

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { launch, openLab, pause, useBrowser, waitForStep } from './helpers.mjs';

const session = useBrowser({ webgpu: false, deviceScaleFactor: 2 });

/** Each canvas shown, with its backing store and CSS box: images shown at their own pixels
 * (`image-rendering: pixelated`: samples, tiles, mistakes) are left out. */
const canvases = (page) =>
  page.$$eval('canvas', (all) =>
    all
      .filter((c) => c.getBoundingClientRect().width > 0 && getComputedStyle(c).imageRendering !== 'pixelated')
      .map((c) => {
        const box = c.getBoundingClientRect();
        const where = c.closest('[id]')?.id ?? '';
        return { where: `${where} ${c.className}`.trim(), width: c.width, height: c.height, cssWidth: box.width, cssHeight: box.height };
      }),
  );

/** Canvases whose backing store is not their CSS box × `ratio`, to within 2 device pixels. */
const unsharp = (list, ratio) => list.filter((c) => Math.abs(c.width - c.cssWidth * ratio) > 2 || Math.abs(c.height - c.cssHeight * ratio) > 2);

// Deep enough for the depth map; trained a few steps for the health strips and the histograms.
const HASH = 'inits=zeros,general-rule&hidden=64x8&epochs=1&evalEvery=0&backend=cpu';

/** Opens the lab and trains a few steps, until every view has drawn. */
async function trained(page, url) {
  await openLab(page, url, HASH);
  await page.click('#train');
  await waitForStep(page, 20, 120_000);
  await pause(page);
  await page.waitForSelector('#diagnostics .diag-cards[data-step] canvas');
  await page.waitForFunction(() => Number(document.querySelector('#health')?.dataset.samples) > 0);
}

/** The exported loss chart: its size and the height of its title's ink (the top line). */
async function exportedTitle(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-loss-png')]);
  const bytes = await readFile(await download.path());
  return page.evaluate(async (base64) => {
    const blob = new Blob([Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0))], { type: 'image/png' });
    const image = await createImageBitmap(blob);
    const canvas = new OffscreenCanvas(image.width, image.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(image, 0, 0);
    const { data } = ctx.getImageData(0, 0, image.width, image.height);
    const inked = (y) => {
      for (let x = 0; x < image.width; x++) if (data[4 * (y * image.width + x)] < 128) return true;
      return false;
    };
    let y = 0;
    while (y < image.height && !inked(y)) y++;
    const top = y;
    while (y < image.height && inked(y)) y++;
    return { width: image.width, height: image.height, titleTop: top, titleHeight: y - top };
  }, bytes.toString('base64'));
}

test('every canvas is drawn at 2 device pixels per CSS pixel on a 2× screen', async () => {
  const { page } = session;
  await trained(page, session.url);
  assert.equal(await page.evaluate(() => devicePixelRatio), 2);
  const shown = await canvases(page);
  const kinds = [...new Set(shown.map((c) => c.where))];
  console.log(`at 2×: ${shown.length} canvases in ${kinds.join(', ')}`);
  for (const where of ['diagnostics', 'health-strip', 'depth-canvas']) {
    const c = shown.find((x) => x.where.includes(where));
    assert.ok(c, `a ${where} canvas is shown: ${kinds}`);
    console.log(`  ${c.where}: ${c.width}×${c.height} for a ${c.cssWidth}×${c.cssHeight} CSS box`);
  }
  assert.deepEqual(unsharp(shown, 2), [], 'every canvas at 2 device pixels per CSS pixel');
});

test('an exported chart’s title is set at the screen’s ratio, as its axes are', async () => {
  const sharp = await exportedTitle(session.page);
  const plain1x = await launch({ webgpu: false });
  try {
    await trained(plain1x.page, session.url);
    assert.deepEqual(unsharp(await canvases(plain1x.page), 1), [], 'at 1×, 1 device pixel per CSS pixel');
    const plain = await exportedTitle(plain1x.page);
    console.log(`exported loss chart: at 2× ${JSON.stringify(sharp)}; at 1× ${JSON.stringify(plain)}`);
    assert.ok(Math.abs(sharp.width - 2 * plain.width) <= 2, `the 2× export is twice as wide: ${sharp.width} vs ${plain.width}`);
    assert.ok(Math.abs(sharp.height - 2 * plain.height) <= 4, `and twice as high: ${sharp.height} vs ${plain.height}`);
    assert.ok(sharp.titleHeight >= 1.5 * plain.titleHeight, `its title twice as tall: ${sharp.titleHeight} vs ${plain.titleHeight} px`);
    assert.ok(sharp.titleTop >= 1.5 * plain.titleTop, `below a margin twice as wide: ${sharp.titleTop} vs ${plain.titleTop} px`);
  } finally {
    await plain1x.close();
  }
});
