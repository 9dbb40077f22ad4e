// What the CPU fallback's builds gain (a benchmark that prints numbers; it asserts nothing):
// the lesson preset in headless Chromium, from Train to its finished table, with every view
// on, served as a static host serves the site (no COOP/COEP: the service worker adds them):
//   top level        cross-origin isolated after one reload: the threaded build, one thread
//                    per core (at most 4), with relaxed SIMD where the browser validates it
//   top, base        the same with the base SIMD build (what Firefox runs isolated)
//   relaxed, 1       top level, one thread, the relaxed-SIMD build (fused multiply-add)
//   base, 1          top level, one thread, the base build (what Firefox and Safari run)
//   embedded         in another site's iframe, which cannot be isolated: one thread, the
//                    build the browser validates (relaxed SIMD in Chromium)
// alternated so that a noisy machine slows all alike. Prints each time, the medians and their
// ratios to `base, 1`.
// Usage: node tests/bench/builds.mjs [repeats=3]   (needs dist/, see `cargo xtask dist`)
import { launch, serveAuthorSite, serveDist } from '../e2e/helpers.mjs';
import { timeToTable } from './lesson-time.mjs';
import { median } from './table.mjs';

const repeats = Number(process.argv[2] ?? 3);
const LESSON = 'backend=cpu';
const server = await serveDist();
const author = await serveAuthorSite();
author.pages['/course.html'] = `<!doctype html><title>A course</title><iframe src="${server.url}#${LESSON}" width="1280" height="900"></iframe>`;
const browser = await launch({ webgpu: false });
const { page } = browser;

/** Opens `url` in the tab and returns the lab's page or, if `framed`, its frame. */
async function open(url, framed) {
  await page.goto('about:blank'); // nothing of one run's state carries over to the next
  await page.goto(url);
  return framed ? (await page.waitForSelector('iframe')).contentFrame() : page;
}

const MODES = {
  'top level': () => open(`${server.url}#${LESSON}`),
  'top, base': () => open(`${server.url}#${LESSON}&simd=base`),
  'relaxed, 1': () => open(`${server.url}#${LESSON}&threads=1`),
  'base, 1': () => open(`${server.url}#${LESSON}&threads=1&simd=base`),
  embedded: () => open(`${author.url}course.html`, true),
};
const times = Object.fromEntries(Object.keys(MODES).map((m) => [m, []]));
const backends = {};
for (let r = 0; r < repeats; r++) {
  for (const [mode, opened] of Object.entries(MODES)) {
    const { seconds, backend } = await timeToTable(await opened());
    times[mode].push(seconds);
    backends[mode] = backend;
    console.log(`${mode.padEnd(10)} run ${r + 1}: ${seconds.toFixed(2)} s on ${backend}`);
  }
}
const base = median(times['base, 1']);
console.log(`lesson preset (6 models × 960 steps) to its table in the page, median of ${repeats}:`);
for (const mode of Object.keys(MODES)) {
  const m = median(times[mode]);
  console.log(`  ${mode.padEnd(10)} ${m.toFixed(2)} s   ×${(base / m).toFixed(2)} the speed of base, 1   ${backends[mode]}`);
}
if (browser.problems.length) console.log(`problems: ${browser.problems.join('; ')}`);
await browser.close();
author.close();
server.close();
