// The lesson preset's time in the page, shared by the benchmarks (views.mjs, builds.mjs,
// speed.mjs).
import { labReady, snapshot } from '../e2e/helpers.mjs';

/** Loads `href` in `page` afresh: nothing of one run's state carries over to the next. */
export async function freshLoad(page, href) {
  await page.goto('about:blank');
  await page.goto(href);
}

/**
 * Seconds from pressing Train to the finished table in `target` (a page, or the frame of an
 * embedding), once it shows a ready lab, the backend it trained on and the window's page
 * times (`started`, `ended`, ms); fails if the run stopped short of its end.
 */
export async function timeToTable(target) {
  await labReady(target);
  const started = await target.evaluate(() => performance.now());
  await target.click('#train');
  await target.waitForFunction(() => window.weightInitLab.snapshot().run.summary !== null, null, { timeout: 600_000, polling: 100 });
  const ended = await target.evaluate(() => performance.now());
  const { run, backend } = await snapshot(target);
  if (run.step !== run.total) throw new Error(`the run stopped at step ${run.step} of ${run.total}`);
  return { seconds: (ended - started) / 1000, backend, started, ended };
}
