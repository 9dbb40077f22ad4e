// The signal view of every catalog preset at step 0, as docs/screenshots/signal-<preset>.png
// (the README and docs/embedding.md show them). Not a test: run it after `cargo xtask dist`,
//   node tests/e2e/signal-screenshots.mjs
// It opens the lab on the CPU, follows each preset's link and photographs the section once
// the preset's run has sent its step-0 signal.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, openLab, serveDist } from './helpers.mjs';

const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');

const server = await serveDist();
const browser = await launch({ webgpu: false });
try {
  const { page } = browser;
  await page.setViewportSize({ width: 1280, height: 1000 });
  await openLab(page, server.url, 'backend=cpu');
  const ids = await page.$$eval('#presets a', (links) => links.map((a) => a.dataset.preset));
  for (const id of ids) {
    await page.click(`#presets a[data-preset="${id}"]`);
    await page.waitForFunction(
      () => {
        const { run, signal } = window.weightInitLab.snapshot();
        return run.ready && signal?.step === 0 && document.querySelectorAll('#signal .signal-table tbody tr').length === run.models;
      },
      null,
      { timeout: 120_000 },
    );
    await page.mouse.move(0, 0); // no initializer's formula showing over the section
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const file = path.join(OUT, `signal-${id}.png`);
    await page.locator('#signal').screenshot({ path: file });
    console.log(`${id}: ${file}`);
  }
  if (browser.problems.length) throw new Error(browser.problems.join('\n'));
} finally {
  await browser.close();
  server.close();
}
