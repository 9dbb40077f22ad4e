// Offline after one visit: the service worker (www/sw.js, staged as dist/sw.js) keeps the
// page's files in a cache per published version, with the engine build this browser ran, and
// the data in a cache of its own, all filled by the visit's own downloads. With the network
// and the server gone, a reload still loads the lab and trains; and a newly published version
// replaces the copy while the page that loaded it stays open and cross-origin isolated by the
// worker.

import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DIST, labReady, launch, openLab, serveDist, trainFor } from './helpers.mjs';

const HASH = 'inits=zeros,general-rule&epochs=1';

/** The PRECACHE line `cargo xtask dist` put at the top of a staged sw.js. */
async function precacheOf(site) {
  const code = await readFile(path.join(site, 'sw.js'), 'utf8');
  return JSON.parse(code.match(/^const PRECACHE = (.*);$/m)[1]);
}

/** Waits until the page's service worker is active and the data cache holds `dataFiles`
 * files (the worker keeps them as the page reads them), and returns its caches: name → URLs. */
const offlineCopy = (page, dataFiles = 0) =>
  page.evaluate(async (want) => {
    await navigator.serviceWorker.ready;
    for (let tries = 0; tries < 120; tries++) {
      const copy = {};
      for (const name of await caches.keys()) copy[name] = (await (await caches.open(name)).keys()).map((r) => r.url);
      const data = Object.entries(copy).find(([name]) => name.includes(' data '))?.[1] ?? [];
      if (data.length >= want) return copy;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error('the data never reached the offline copy');
  }, dataFiles);

/** The versions the site's caches hold, once `until(versions)` holds (polled for a minute). */
async function cachedVersions(page, until = () => true) {
  for (const start = Date.now(); ; await new Promise((resolve) => setTimeout(resolve, 250))) {
    const versions = await page.evaluate(async () =>
      (await caches.keys()).filter((name) => !name.includes(' data ')).map((name) => name.split(' ').pop()),
    );
    if (until(versions) || Date.now() - start > 60_000) return versions;
  }
}

/** Cuts the network and stops the server, then reloads the page. */
async function reloadOffline(page, server) {
  await page.context().setOffline(true);
  server.close();
  await page.reload();
}

/** Runs `body(page, server)` in a fresh browser on a server of `root`, then closes both. */
async function visit(root, body) {
  const server = await serveDist({ root });
  const browser = await launch({ webgpu: false });
  try {
    await body(browser.page, server);
    assert.deepEqual(browser.problems, []);
  } finally {
    await browser.close();
    server.close();
  }
}

test('after one visit the lab loads and trains with no network and no server', () =>
  visit(DIST, async (page, server) => {
    await openLab(page, server.url, HASH);
    const { version, data_version, files, engine, data } = await precacheOf(DIST);
    const copy = await offlineCopy(page, 2);
    const names = Object.keys(copy).sort();
    const [site, kept] = [names.find((n) => n.endsWith(` ${version}`)), names.find((n) => n.endsWith(` data ${data_version}`))];
    assert.deepEqual(names, [kept, site].sort(), `a cache for the version and one for the data: ${names}`);
    const urls = (list) => list.map((f) => new URL(f, server.url).href);
    const build = await page.evaluate(() => window.weightInitLab.snapshot().backend);
    const ran = urls(engine).filter((url) => copy[site].includes(url));
    const problems = urls(['offline-copy-problems.json']); // what the install could not keep: nothing
    assert.deepEqual(
      copy[site].filter((url) => !ran.includes(url) && !problems.includes(url)).sort(),
      urls(files).sort(),
      "every file of the page's own",
    );
    assert.deepEqual(await page.evaluate(async (url) => (await caches.match(url)).json(), problems[0]), []);
    const dirs = new Set(ran.map((url) => new URL(url).pathname.split('/')[1]));
    assert.equal(dirs.size, 1, `the one engine build this browser ran (${build}), none of the others: ${[...dirs]}`);
    assert.ok(ran.some((url) => url.endsWith('.wasm')) && ran.some((url) => url.endsWith('weight_init_lab.js')), `${ran}`);
    assert.deepEqual(copy[kept].sort(), urls(data).sort(), 'the data the page fetched');
    assert.match(await page.textContent('#offline-note'), /^Kept for offline use/);

    await reloadOffline(page, server);
    await labReady(page);
    assert.match(await page.textContent('#data-name'), /Fashion-MNIST: 60,000 images/);
    assert.ok((await trainFor(page, 3)) >= 3);
  }));

test('a newly published version is used on the next load, and replaces the offline copy', async () => {
  // A copy of the site to publish a new version of: a changed page, and sw.js as
  // `cargo xtask dist` would write it for that (a new version hash).
  const site = await mkdtemp(path.join(tmpdir(), 'wil-site-'));
  try {
    await cp(DIST, site, { recursive: true });
    const { version } = await precacheOf(site);
    await visit(site, async (page, server) => {
      await openLab(page, server.url, HASH);
      await offlineCopy(page);
      assert.deepEqual(await cachedVersions(page), [version]);

      const next = `${version}-next`;
      await edit(site, 'index.html', (html) => html.replace('<title>Weight initialization lab', '<title>Weight initialization lab, next'));
      await edit(site, 'sw.js', (code) => code.replace(`"version": "${version}"`, `"version": "${next}"`));
      await page.reload();
      assert.equal(await page.title(), 'Weight initialization lab, next', 'online, the new page on the first reload');
      assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'the worker isolates the page it serves');
      assert.deepEqual(await cachedVersions(page, (versions) => versions.join() === next), [next], 'the old copy is deleted');
      const copy = await offlineCopy(page, 2);
      const engine = Object.entries(copy)
        .find(([name]) => name.endsWith(` ${next}`))[1]
        .filter((url) => url.includes('/pkg'));
      assert.ok(
        engine.some((url) => url.endsWith('.wasm')),
        `the new copy has the engine build the old one had: ${engine}`,
      );

      await reloadOffline(page, server);
      assert.equal(await page.title(), 'Weight initialization lab, next', 'offline, the new copy');
      await labReady(page);
    });
  } finally {
    await rm(site, { recursive: true, force: true });
  }
});

async function edit(dir, file, change) {
  const at = path.join(dir, file);
  await writeFile(at, change(await readFile(at, 'utf8')));
}
