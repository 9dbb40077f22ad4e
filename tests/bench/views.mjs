// What the page's views cost (a benchmark that prints numbers; it asserts nothing): the lesson
// preset on the CPU path in headless Chromium, from Train to its finished table, with every
// view on (the page as it opens) and with the views off (no live validation, the views'
// sections hidden, so the session computes none of their statistics), alternated so that a
// noisy machine slows both alike. Prints each time, the medians and their ratio.
// Usage: node tests/bench/views.mjs [repeats=3]   (needs dist/, see `cargo xtask dist`)
import { launch, serveDist } from '../e2e/helpers.mjs';
import { freshLoad, timeToTable } from './lesson-time.mjs';
import { median } from './table.mjs';

const repeats = Number(process.argv[2] ?? 3);
// One thread and the base build: what the views cost, not what the builds gain (builds.mjs).
const MODES = {
  'every view': 'backend=cpu&threads=1&simd=base',
  'views off': 'backend=cpu&threads=1&simd=base&live=0&hide=diagnostics,health,tiles,sweep,mistakes',
};

const server = await serveDist();
const browser = await launch({ webgpu: false });
const times = Object.fromEntries(Object.keys(MODES).map((m) => [m, []]));
for (let r = 0; r < repeats; r++) {
  for (const [mode, hash] of Object.entries(MODES)) {
    await freshLoad(browser.page, `${server.url}#${hash}`);
    const s = (await timeToTable(browser.page)).seconds;
    times[mode].push(s);
    console.log(`${mode.padEnd(12)} run ${r + 1}: ${s.toFixed(2)} s`);
  }
}
const off = median(times['views off']);
console.log(`lesson preset to its table in the page (CPU path, 1 thread), median of ${repeats}:`);
for (const mode of Object.keys(MODES)) {
  console.log(`  ${mode.padEnd(12)} ${median(times[mode]).toFixed(2)} s   ×${(median(times[mode]) / off).toFixed(3)} of views off`);
}
if (browser.problems.length) console.log(`problems: ${browser.problems.join('; ')}`);
await browser.close();
server.close();
