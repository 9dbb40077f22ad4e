// A course author's page with one script tag (www/embed-example.html) gets the lab in an
// iframe, right where the tag is, with the tag's data-* attributes as the lab's settings —
// from the lab's own site, and from another site with no CORS headers on either side.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { labReady, screenshot, serveAuthorSite, useBrowser } from './helpers.mjs';

let author;
const session = useBrowser({ webgpu: false, setup: async () => (author = await serveAuthorSite()) });
after(() => author?.close());

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
  await labReady(frame, 60_000);

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

test("from another site, with no CORS headers, every setting arrives and what can't be used is named", async () => {
  const { page } = session;
  for (const url of [session.url, author.url]) {
    const headers = (await fetch(url)).headers;
    assert.equal(headers.get('access-control-allow-origin'), null, `${url} sends no CORS header`);
  }
  author.pages['/lesson.html'] = `<!doctype html><title>A course</title><p>Before the lab.</p>
<script src="${session.url}www/embed.js" data-inits="zeros,general-rule" data-epochs="1" data-seed="3"
        data-eval-every="60" data-hide="data,params" data-colour="red" data-height="tall"></script>`;
  const warnings = [];
  page.on('console', (msg) => msg.type() === 'warning' && warnings.push(msg.text()));
  await page.goto(`${author.url}lesson.html`);

  const frame = await (await page.waitForSelector('iframe')).contentFrame();
  await labReady(frame, 60_000);
  assert.equal(new URL(frame.url()).origin, new URL(session.url).origin, 'the lab comes from its own site');
  assert.equal(
    decodeURIComponent(new URL(frame.url()).hash),
    '#inits=zeros,general-rule&epochs=1&seed=3&evalEvery=60&hide=data,params&colour=red',
    'every data-* attribute but the height, by name',
  );
  assert.deepEqual(await frame.$$eval('#inits input:checked', (boxes) => boxes.map((b) => b.value)), ['zeros', 'general-rule']);
  assert.match(await frame.textContent('#progress-text'), /\/ 480/, 'one epoch');
  assert.equal(await frame.inputValue('#params [name="seed"]'), '3');
  assert.equal(await frame.inputValue('#params [name="evalEvery"]'), '60');
  assert.equal(await frame.isVisible('#data-section'), false);
  assert.equal(await frame.isVisible('#params-section'), false);
  assert.match(await frame.textContent('#error-text'), /unknown setting colour/, 'the page names what it cannot use');

  const note = 'Weight initialization lab embed: data-height="tall" is not a height (a number of pixels or a CSS length); using 900px.';
  assert.equal(await page.textContent('iframe + p[role="alert"]'), note, 'named next to the frame');
  assert.ok(warnings.includes(note), `and in the console: ${warnings}`);
  assert.equal(Math.round((await (await page.$('iframe')).boundingBox()).height), 900);
  assert.deepEqual(session.problems, []);
});
