// Shared by the page benchmarks: time the lesson preset from Train to its finished table.
import { labReady, snapshot } from '../e2e/helpers.mjs';

/**
 * Seconds from pressing Train to the finished table in `target` (a page, or the frame of an
 * embedding), which must show a ready lab; fails if the run stopped short of its end.
 */
export async function timeToTable(target) {
  await labReady(target);
  const started = await target.evaluate(() => performance.now());
  await target.click('#train');
  await target.waitForFunction(() => window.weightInitLab.snapshot().run.summary !== null, null, { timeout: 600_000, polling: 100 });
  const ended = await target.evaluate(() => performance.now());
  const { run, backend } = await snapshot(target);
  if (run.step !== run.total) throw new Error(`the run stopped at step ${run.step} of ${run.total}`);
  return { seconds: (ended - started) / 1000, backend };
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
