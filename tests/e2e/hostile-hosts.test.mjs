// Hosts that break the page's start, reproduced as a student or a course author meets them:
// a page opened as a file, a server that sends .js as text/plain (Python's server on some
// Windows set-ups) or lacks a file, a sandboxed frame, a service worker that cannot keep its
// copy. Each must end in one sentence on the page that says what happened and what to do —
// never "starting…" forever — and where the lab can run, it runs.

import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, firefox, inBrowser, webkit } from './drivers.mjs';
import { openLab, shownError, train, waitUntil } from './engines.mjs';
import { DIST, labReady, launch, serveAuthorSite, serveDist } from './helpers.mjs';

const HASH = 'inits=zeros,general-rule&epochs=1';
// One thread and the base build (`pkg/`): no reload to become cross-origin isolated.
const PLAIN = `${HASH}&threads=1&simd=base`;
const ENGINES = { Chromium: chromium, Firefox: firefox, WebKitGTK: webkit };

let author;
before(async () => (author = await serveAuthorSite()));
after(() => author?.close());

/** dist/ served with the type of every .js file whose path `which` accepts set to `type` (as a
 * misconfigured server does). */
async function serveScriptsAs(type, which = (file) => file.endsWith('.js')) {
  const site = await serveDist();
  site.http.prependListener('request', (req, res) => {
    if (!which(new URL(req.url, site.url).pathname)) return;
    const set = res.setHeader.bind(res);
    res.setHeader = (name, value) => set(name, name.toLowerCase() === 'content-type' ? type : value);
  });
  return site;
}

/** A copy of dist/ without `missing` (paths in the site), served as it is; removed by `close`. */
async function serveWithout(missing) {
  const root = await mkdtemp(path.join(tmpdir(), 'wil-host-'));
  await cp(DIST, root, { recursive: true });
  await rm(path.join(root, missing));
  const site = await serveDist({ root });
  const close = () => {
    site.close();
    return rm(root, { recursive: true, force: true });
  };
  return { ...site, close };
}

/** The page's status line, which must not still say "starting…". */
const backendName = (driver) => driver.evaluate(() => document.getElementById('backend-name').textContent);

for (const [name, open] of Object.entries(ENGINES)) {
  test(`${name}: the page opened as a file (file://) says to serve it over http`, () =>
    inBrowser(open, async (driver) => {
      await driver.goto(`file://${path.join(DIST, 'index.html')}#${HASH}`);
      const message = await shownError(driver);
      console.log(`${name}, file://: ${message}`);
      assert.match(message, /opened as a file \(file:\/\/\).*python3 -m http\.server.*http:\/\/localhost:8000\//);
      assert.equal(await backendName(driver), 'not started');
    }));

  test(`${name}: scripts sent as text/plain are named, with the type to set`, async () => {
    const site = await serveScriptsAs('text/plain');
    try {
      await inBrowser(open, async (driver) => {
        await driver.goto(`${site.url}#${PLAIN}`);
        const message = await shownError(driver);
        console.log(`${name}, text/plain: ${message}`);
        assert.match(message, /^The page could not start: the server sent \/www\/app\.js as "text\/plain".*"text\/javascript"\.$/);
        assert.equal(await backendName(driver), 'not started');
      });
    } finally {
      site.close();
    }
  });
}

/** Files a host may lack, and the sentence each must bring (Chromium). */
const MISSING = [
  { file: 'www/app.js', shown: /^The page could not start: the server has no \/www\/app\.js \(HTTP 404 Not Found\): publish every file/ },
  { file: 'www/views/tiles.js', shown: /^The page could not start: the server has no \/www\/views\/tiles\.js \(HTTP 404/ },
  { file: 'www/engine/engine-build.js', shown: /^The training worker could not start: the server has no \/www\/engine\/engine-build\.js/ },
  { file: 'pkg/weight_init_lab.js', shown: /^The training engine could not start: the server has no \/pkg\/weight_init_lab\.js/ },
  { file: 'pkg/weight_init_lab_bg.wasm', shown: /^The training engine could not start: the server has no \/pkg\/weight_init_lab_bg\.wasm/ },
  // The file that finds the others: the worker cannot load, and nothing is left to ask why.
  { file: 'www/load-check.js', shown: /^The training worker could not start: its script did not load \(see the browser console\)\.$/ },
];
for (const { file, shown } of MISSING) {
  test(`a host without ${file}: the page names the file`, async () => {
    const site = await serveWithout(file);
    try {
      await inBrowser(chromium, async (driver) => {
        await driver.goto(`${site.url}#${PLAIN}`);
        const message = await shownError(driver);
        console.log(`without ${file}: ${message}`);
        assert.match(message, shown);
        assert.equal(await backendName(driver), 'not started', 'the status bar does not say "starting…" any more');
      });
    } finally {
      await site.close();
    }
  });
}

test('a worker module sent as text/plain is named (the page itself loaded)', async () => {
  // Only the worker's own module: the page's modules load, the worker's cannot.
  const site = await serveScriptsAs('text/plain', (file) => file === '/www/engine/fetch-data.js');
  try {
    await inBrowser(chromium, async (driver) => {
      await driver.goto(`${site.url}#${PLAIN}`);
      const message = await shownError(driver);
      assert.match(message, /^The training worker could not start: the server sent \/www\/engine\/fetch-data\.js as "text\/plain"/);
    });
  } finally {
    site.close();
  }
});

/** An author's page framing the lab at `lab` in a sandboxed iframe (scripts allowed, not its origin). */
function sandboxedFrame(lab) {
  author.pages['/sandboxed.html'] =
    `<!doctype html><title>A course</title><iframe sandbox="allow-scripts" style="width:1200px;height:900px" src="${lab}index.html#${HASH}"></iframe>`;
  return `${author.url}sandboxed.html`;
}

test('a sandboxed frame without allow-same-origin, served without CORS, says what to add', async () => {
  const site = await serveDist();
  const browser = await launch({ webgpu: false });
  try {
    await browser.page.goto(sandboxedFrame(site.url));
    const frame = await (await browser.page.waitForSelector('iframe')).contentFrame();
    const message = await frame.waitForFunction(
      () => !document.getElementById('error').hidden && document.getElementById('error-text').textContent,
      null,
      { timeout: 60_000 },
    );
    const text = await message.jsonValue();
    console.log(`sandboxed, no CORS: ${text}`);
    assert.match(text, /sandboxed frame without allow-same-origin.*Add allow-same-origin.*Access-Control-Allow-Origin: \*/);
  } finally {
    await browser.close();
    site.close();
  }
});

test('a sandboxed frame without allow-same-origin trains where the host allows CORS (as GitHub Pages does)', async () => {
  const site = await serveDist({ headers: { 'Access-Control-Allow-Origin': '*' } });
  const browser = await launch({ webgpu: false });
  try {
    await browser.page.goto(sandboxedFrame(site.url));
    const frame = await (await browser.page.waitForSelector('iframe')).contentFrame();
    await labReady(frame, 90_000);
    assert.equal(await frame.evaluate(() => self.origin), 'null', 'an opaque origin');
    await frame.click('#train');
    await frame.waitForFunction(() => window.weightInitLab.snapshot().run.step >= 3, null, { timeout: 60_000 });
    assert.match(await frame.textContent('#offline-note'), /No offline copy: a sandboxed frame/);
    assert.equal(await frame.isVisible('#error'), false);
  } finally {
    await browser.close();
    site.close();
  }
});

test('a host that lacks one file of the offline copy: the copy is made without it, named, and the page is isolated', async () => {
  const site = await serveWithout('www/embed-example.html');
  try {
    await inBrowser(chromium, async (driver) => {
      await openLab(driver, site.url, HASH);
      const note = await waitUntil(driver, () => document.getElementById('offline-note').textContent, null, 30_000, 'offline note');
      console.log(`one file missing: ${note}`);
      assert.match(note, /^The offline copy lacks \/www\/embed-example\.html \(the server answered HTTP 404 for it\)/);
      assert.equal(await driver.evaluate(() => crossOriginIsolated), true, 'the worker installed and isolates the page');
      assert.ok((await train(driver, 3)).run.step >= 3);
    });
  } finally {
    await site.close();
  }
});

test('too little storage for the offline copy: said on the page, and the lab trains', async () => {
  const site = await serveDist();
  try {
    await inBrowser(chromium, async (driver) => {
      const cdp = await driver.page.context().newCDPSession(driver.page);
      // 4 MB: the page's files and an engine build fit; the 26 MB of data does not.
      await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(site.url).origin, quotaSize: 4e6 });
      await openLab(driver, site.url, HASH);
      const note = await waitUntil(driver, () => document.getElementById('offline-note').textContent, null, 60_000, 'offline note');
      console.log(`small quota: ${note}`);
      assert.match(note, /^The offline copy lacks \/data\/train-images-idx3-ubyte\.gz \(the browser allows this site too little storage\)/);
      assert.ok((await train(driver, 3)).run.step >= 3);
    });
  } finally {
    site.close();
  }
});

test('a start that stalls with no error gets a fresh worker, on one thread, and trains', async () => {
  const site = await serveDist();
  try {
    await inBrowser(chromium, async (driver) => {
      const { page } = driver;
      // (The context's routes: a page's do not see its workers' requests.) No service worker in between.
      await page.context().route('**/sw.js', (route) => route.fulfill({ status: 404, body: '' }));
      let first = true;
      // The first training worker's script never arrives: no error, no event, nothing.
      await page.context().route('**/www/engine/worker.js', (route) => {
        if (!first) return route.continue();
        first = false;
      });
      const warned = page.waitForEvent('console', { predicate: (m) => /a fresh worker starts it on one thread/.test(m.text()), timeout: 60_000 });
      await driver.goto(`${site.url}#${HASH}`);
      await warned;
      await waitUntil(driver, () => window.weightInitLab.snapshot().run.ready, null, 90_000, 'a ready run');
      assert.match(await backendName(driver), /^CPU \(1 thread/);
      assert.ok((await train(driver, 3)).run.step >= 3);
      assert.equal(await driver.evaluate(() => document.getElementById('error').hidden), true, 'no error: it started');
    });
  } finally {
    site.close();
  }
});
