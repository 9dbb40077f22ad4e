// What a first and a repeat visit download, counted at the server: per file and in all, in
// Chromium and Firefox, fresh profiles, the built dist/ served as a static host serves it (no
// special headers, ten minutes of HTTP caching with validators, as GitHub Pages). A first visit
// should fetch the data once (the page and the offline copy share that download), one engine
// build, no test set; a repeat visit no data at all.
// Usage: node tests/bench/first-visit.mjs [--browser chromium|firefox] (default: both)
// The counting (`countVisits`) is shared with tests/e2e/first-visit.test.mjs.
import { parseArgs } from 'node:util';
import { chromium, firefox } from '../e2e/drivers.mjs';
import { waitUntil } from '../e2e/engines.mjs';
import { serveDist } from '../e2e/helpers.mjs';

export const BROWSERS = { chromium, firefox };
const HASH = 'inits=zeros,general-rule&epochs=1';
const CACHE_SECONDS = 600;

/**
 * Opens the lab twice in one fresh browser (`open`: a driver of drivers.mjs), served with
 * `cacheSeconds` of HTTP caching (-1: none, no-store: what reaches the page again then comes
 * from the offline copy alone), and resolves to {first, repeat}: Maps of the path of each file
 * requested → body bytes the server sent for it, the first visit counted until the offline
 * copy holds the data, the repeat until a run is ready.
 */
export async function countVisits(open, { cacheSeconds = CACHE_SECONDS } = {}) {
  const site = await serveDist({ cache: cacheSeconds });
  let counts = new Map();
  site.http.prependListener('request', (req, res) => {
    const file = new URL(req.url, site.url).pathname;
    counts.set(file, counts.get(file) ?? 0); // a request, even one answered with no body
    const add = (chunk) => chunk && counts.set(file, counts.get(file) + Buffer.byteLength(chunk));
    for (const method of ['write', 'end']) {
      const original = res[method].bind(res);
      res[method] = (chunk, ...rest) => {
        if (typeof chunk !== 'function') add(chunk);
        return original(chunk, ...rest);
      };
    }
  });
  const driver = await open();
  try {
    await driver.goto(`${site.url}#${HASH}`);
    await ready(driver);
    await waitUntil(
      driver,
      async () => {
        const names = await caches.keys();
        const data = names.find((name) => name.includes(' data '));
        return data && (await (await caches.open(data)).keys()).length >= 2;
      },
      null,
      120_000,
      'the data in the offline copy',
    );
    await new Promise((resolve) => setTimeout(resolve, 2000)); // stragglers
    const first = counts;
    counts = new Map();
    await driver.goto('about:blank');
    await driver.goto(`${site.url}#${HASH}`);
    await ready(driver);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    return { first, repeat: counts };
  } finally {
    await driver.close();
    site.close();
  }
}

const ready = (driver) => waitUntil(driver, () => window.weightInitLab?.snapshot().run.ready, null, 120_000, 'a ready run');

/** Total bytes of `counts`, and those of the data files. */
export const totals = (counts) => {
  const sum = (filter) => [...counts].filter(([file]) => filter(file)).reduce((n, [, bytes]) => n + bytes, 0);
  return { all: sum(() => true), data: sum((file) => file.startsWith('/data/')) };
};

const mb = (bytes) => (bytes / 1e6).toFixed(2).padStart(7);
const kb = (bytes = 0) => (bytes / 1e3).toFixed(1).padStart(9);

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { browser: { type: 'string' } } });
  const names = values.browser ? [values.browser] : Object.keys(BROWSERS);
  for (const [name, cacheSeconds] of names.flatMap((n) => [CACHE_SECONDS, -1].map((c) => [n, c]))) {
    const { first, repeat } = await countVisits(BROWSERS[name], { cacheSeconds });
    const host = cacheSeconds > 0 ? `${cacheSeconds / 60} min of HTTP caching` : 'no HTTP caching (no-store)';
    console.log(`\n${name}, ${host}: kB sent by the server (bodies), first visit and repeat visit`);
    const files = [...new Set([...first.keys(), ...repeat.keys()])].sort((a, b) => (first.get(b) ?? 0) - (first.get(a) ?? 0));
    for (const file of files) console.log(`${kb(first.get(file))} ${kb(repeat.get(file))}  ${file}`);
    const [a, b] = [totals(first), totals(repeat)];
    console.log(`in all: ${mb(a.all).trim()} MB, then ${mb(b.all).trim()} MB (data: ${mb(a.data).trim()}, then ${mb(b.data).trim()} MB)`);
  }
}
