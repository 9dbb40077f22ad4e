// Offline after one visit: the service worker (www/sw.js, staged as dist/sw.js) keeps the
// whole site in a cache per published version. With the network and the server gone, a
// reload still loads the lab and trains; and a newly published version replaces the copy
// while the page that loaded it stays open and cross-origin isolated by the worker.

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

/** Waits until the page's service worker is active, and returns its caches: name → URLs. */
const offlineCopy = (page) =>
  page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    const copy = {};
    for (const name of await caches.keys()) copy[name] = (await (await caches.open(name)).keys()).map((r) => r.url);
    return copy;
  });

/** The versions the site's caches hold, once `until(versions)` holds (polled for a minute). */
async function cachedVersions(page, until = () => true) {
  for (const start = Date.now(); ; await new Promise((resolve) => setTimeout(resolve, 250))) {
    const versions = await page.evaluate(async () => (await caches.keys()).map((name) => name.split(' ').pop()));
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
    const { version, files } = await precacheOf(DIST);
    const copy = await offlineCopy(page);
    const names = Object.keys(copy);
    assert.equal(names.length, 1, `one cache: ${names}`);
    assert.ok(names[0].endsWith(` ${version}`), `named by the version: ${names[0]}`);
    assert.deepEqual(copy[names[0]].sort(), files.map((f) => new URL(f, server.url).href).sort(), 'every file of the site');

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
