// The lesson preset's time in the page, shared by the benchmarks (views.mjs, speed.mjs).
import { labReady, snapshot } from '../e2e/helpers.mjs';

/** Seconds from pressing Train to the finished table, in a fresh load of `href` in `page`. */
export async function timeToTable(page, href) {
  // A fresh load each time: nothing of one run's state carries over to the next.
  await page.goto('about:blank');
  await page.goto(href);
  await labReady(page);
  const started = await page.evaluate(() => performance.now());
  await page.click('#train');
  await page.waitForFunction(() => window.weightInitLab.snapshot().run.summary !== null, null, { timeout: 600_000, polling: 100 });
  const ended = await page.evaluate(() => performance.now());
  const run = (await snapshot(page)).run;
  if (run.step !== run.total) throw new Error(`the run stopped at step ${run.step} of ${run.total}`);
  return (ended - started) / 1000;
}
