// Projector mode at a classroom projector's 1024×768: large type, thick lines in the
// colour-blind-safe palette, and the controls with both charts on screen together; the
// charts' legend entries are keyboard switches.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inView, openLab, pause, screenshot, useBrowser, waitForStep } from './helpers.mjs';

const session = useBrowser({ webgpu: false });

test('projector mode fits the controls and both charts on 1024×768, readable', async () => {
  const { page } = session;
  await page.setViewportSize({ width: 1024, height: 768 });
  await openLab(page, session.url, 'projector=1&evalEvery=20');
  assert.equal(await page.getAttribute('#projector', 'aria-pressed'), 'true');
  await page.click('#train');
  await waitForStep(page, 45, 120_000);
  await pause(page);
  for (const selector of ['#train', '#step', '#loss-chart canvas', '#accuracy-chart canvas']) {
    assert.ok(await inView(page, selector), `${selector} is on screen at 1024×768 without scrolling`);
  }
  const fontPx = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  assert.ok(fontPx >= 22, `large type: ${fontPx}px`);
  // The colour-blind-safe palette, thick lines, and a dash for the second use of a colour.
  const swatch = await page.$eval('#inits input[value="general-rule"] + .swatch', (el) => getComputedStyle(el).backgroundColor);
  assert.equal(swatch, 'rgb(0, 114, 178)', 'Okabe–Ito blue for the 1/√n rule');
  console.log(`screenshot: ${await screenshot(page, 'projector-1024x768.png', { fullPage: false })}`);

  // Back to normal: the default palette again.
  await page.click('#projector');
  await page.waitForFunction(() => !document.documentElement.classList.contains('projector'));
  const normal = await page.$eval('#inits input[value="general-rule"] + .swatch', (el) => getComputedStyle(el).backgroundColor);
  assert.equal(normal, 'rgb(31, 119, 180)');
  assert.doesNotMatch(page.url(), /projector/);
});

test('a legend entry is a keyboard switch that hides and shows its curve', async () => {
  const { page } = session;
  await openLab(page, session.url, 'inits=zeros,general-rule');
  const entry = '#loss-chart .u-legend .u-series:nth-child(3)';
  await page.waitForSelector(`${entry}[role="switch"]`);
  assert.equal(await page.getAttribute(entry, 'aria-checked'), 'true');
  await page.focus(entry);
  await page.keyboard.press('Space');
  assert.equal(await page.getAttribute(entry, 'aria-checked'), 'false', 'Space hides the curve');
  assert.match(await page.getAttribute(entry, 'class'), /u-off/, 'as a click would');
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute(entry, 'aria-checked'), 'true', 'Enter shows it again');
});
