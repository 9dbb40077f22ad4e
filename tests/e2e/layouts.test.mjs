// The page on a phone and on a tablet: on a phone (390×844) the results table is readable
// without horizontal scrolling, the run buttons stay in view with the charts, and the settings
// come before the views that explain (not after them, screens down); on a tablet
// in landscape (1024×768) the controls and both charts are on screen together.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inView, openLab, screenshot, useBrowser, waitForStep } from './helpers.mjs';

const session = useBrowser({ webgpu: false });

test('a phone shows the table without sideways scrolling and the buttons with the charts', async () => {
  const { page } = session;
  await page.setViewportSize({ width: 390, height: 844 });
  await openLab(page, session.url, 'evalEvery=5');
  await page.click('#step');
  await waitForStep(page, 1, 60_000);
  for (let i = 0; i < 4; i++) {
    await page.click('#step');
    await waitForStep(page, i + 2, 60_000);
  }
  await page.waitForFunction(() => document.querySelectorAll('#results tbody tr').length === 6, null, { timeout: 60_000 });
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), true, 'no sideways scrolling');
  const cells = await page.$$eval('#results tbody td', (tds) => tds.map((td) => td.getBoundingClientRect().right));
  assert.equal(cells.length, 24);
  assert.ok(
    cells.every((right) => right <= 390),
    `every number within the screen: ${Math.max(...cells)}`,
  );
  assert.match(await page.textContent('#results tbody td'), /\d/);
  const top = (selector) => page.$eval(selector, (el) => el.getBoundingClientRect().top + scrollY);
  const [charts, table, inits, views] = await Promise.all(['#loss-chart', '#results-section', '#inits-section', '#mistakes'].map(top));
  assert.ok(
    charts < table && table < inits && inits < views,
    `charts, table, then the initializers, then the views: ${[charts, table, inits, views]}`,
  );

  await page.$eval('#loss-chart', (el) => el.scrollIntoView({ block: 'start' }));
  assert.ok(await inView(page, '#train'), 'the Train button stays in view');
  assert.ok(await inView(page, '#loss-chart canvas'), 'with the loss chart');
  console.log(`screenshot: ${await screenshot(page, 'phone-390x844.png', { fullPage: false })}`);
});

test('a tablet in landscape shows the controls and both charts together', async () => {
  const { page } = session;
  await page.setViewportSize({ width: 1024, height: 768 });
  await openLab(page, session.url, '');
  for (const selector of ['#train', '#step', '#reset', '#loss-chart canvas', '#accuracy-chart canvas']) {
    assert.ok(await inView(page, selector), `${selector} is on screen at 1024×768`);
  }
  console.log(`screenshot: ${await screenshot(page, 'tablet-1024x768.png', { fullPage: false })}`);
});
