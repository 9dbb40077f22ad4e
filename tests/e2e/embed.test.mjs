// A course author's page with one script tag (www/embed-example.html) gets the lab in an
// iframe, right where the tag is, with the tag's data-* attributes as the lab's settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, useBrowser } from './helpers.mjs';

const session = useBrowser({ webgpu: false });

test('the script tag embeds the lab with the chosen initializers and sections', async () => {
  const { page, problems } = session;
  await page.goto(`${session.url}www/embed-example.html`);
  const iframe = await page.waitForSelector('iframe[src*="index.html"]');
  assert.equal(
    await page.evaluate(() => document.querySelector('script[src$="embed.js"]').nextElementSibling?.tagName),
    'IFRAME',
    'the frame sits where the script tag is',
  );
  const box = await iframe.boundingBox();
  const bodyWidth = await page.evaluate(() => document.body.clientWidth - 32); // less its 1rem padding
  assert.equal(Math.round(box.height), 900, 'data-height sets the height');
  assert.ok(Math.abs(box.width - bodyWidth) <= 1, `full width: ${box.width} of ${bodyWidth}`);

  const frame = await iframe.contentFrame();
  await frame.waitForURL(/index\.html#/);
  assert.equal(new URL(frame.url()).pathname, '/index.html', 'resolved from the script: ../index.html');
  assert.equal(decodeURIComponent(new URL(frame.url()).hash), '#inits=zeros,general-rule&epochs=1&hide=data,params');
  await frame.waitForFunction(() => window.weightInitLab?.snapshot().run.ready, null, { timeout: 60_000 });

  const checked = await frame.$$eval('#inits input:checked', (boxes) => boxes.map((b) => b.value));
  assert.deepEqual(checked, ['zeros', 'general-rule']);
  const { run } = await frame.evaluate(() => window.weightInitLab.snapshot());
  assert.equal(run.models, 2);
  assert.match(await frame.textContent('#progress-text'), /\/ 480/, 'one epoch');
  assert.equal(await frame.isVisible('#data-section'), false);
  assert.equal(await frame.isVisible('#params-section'), false);
  assert.equal(await frame.isVisible('#inits-section'), true);
  assert.equal(await frame.isVisible('#error'), false, 'every attribute was understood');
  assert.deepEqual(problems, []);
  console.log(`screenshot: ${await screenshot(page, 'embed-example.png')}`);
});
