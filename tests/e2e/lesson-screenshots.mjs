// Three chapters of the guided lesson, answered, as docs/screenshots/lesson-<screen>.png: a
// laptop (chapter 2), a projector at 1024×768 (chapter 6, the step-0 signal) and a phone
// (chapter 4). Not a test: run it after `cargo xtask dist`,
//   node tests/e2e/lesson-screenshots.mjs
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, leaveLab, serveDist } from './helpers.mjs';

const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
const SHOTS = [
  { name: 'laptop', chapter: 2, viewport: { width: 1366, height: 768 }, extra: '' },
  { name: 'projector', chapter: 6, viewport: { width: 1024, height: 768 }, extra: '&projector=1' },
  { name: 'phone', chapter: 4, viewport: { width: 390, height: 844 }, extra: '' },
];

const server = await serveDist();
const browser = await launch({ webgpu: false });
try {
  const { page } = browser;
  for (const { name, chapter, viewport, extra } of SHOTS) {
    await page.setViewportSize(viewport);
    await leaveLab(page);
    await page.goto(`${server.url}#lesson=${chapter}&backend=cpu${extra}`);
    await page.waitForFunction(() => window.weightInitLab?.snapshot().run.ready, null, { timeout: 120_000 });
    await page.check('#lesson-choice-2');
    await page.click('#lesson-reveal');
    await page.waitForSelector('#lesson-explain:not([hidden])', { timeout: 300_000 });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await page.evaluate(() => scrollTo(0, 0));
    const file = path.join(OUT, `lesson-${name}.png`);
    await page.screenshot({ path: file, fullPage: name === 'phone' });
    console.log(`${name}: ${file}`);
  }
  if (browser.problems.length) throw new Error(browser.problems.join('\n'));
} finally {
  await browser.close();
  server.close();
}
