// The offline copy: a service worker that keeps the site (page, scripts, chart library, the
// engine build this browser runs, the data) so that after one visit the lab loads and trains
// with no network — and a first visit downloads each file once.
//
// `cargo xtask dist` stages this file at the site's root (a worker's scope is its own folder,
// and it must cover index.html) under a line defining PRECACHE: `files`, the page's own files
// (a few hundred kB), copied when the worker installs; `engine`, the four engine builds'
// files, of which a browser runs one: kept when the page first fetches it; `data`, the data
// set's files, kept when the page first fetches them; a `version` hash of all of them and a
// `data_version` hash of the data alone. A new build changes that line, so the browser, which
// compares sw.js byte for byte on every load (the page registers it with updateViaCache
// 'none'), installs the new worker: it fills a new cache beside the old one with the page's
// files and the engine builds the old copy had, takes over at once, claims the open pages (so a
// first visit's downloads already pass through it) and deletes the old cache.
//
// The page's files and the engine: network first, the copy only when the network fails:
// online, the page gets exactly what the server sends, so a rebuilt dist/ shows on the first
// reload; offline, it gets one whole version. The data (26 MB): the copy first, kept in a cache
// of its own across versions while its contents are the same, so a repeat visit downloads none.
//
// Whether the copy could be made (a file missing on the server, too little storage) is posted
// to the pages as {type: 'offline', ok, message}; a file that cannot be kept is named and the
// rest still are.
//
// Cross-origin isolation: the pages and worker scripts it serves get COOP and COEP, which a
// static host (GitHub Pages) cannot send, so that a top-level page it controls is cross-origin
// isolated and the CPU fallback has SharedArrayBuffer and threads. require-corp, not
// credentialless, which Safari lacks: the site loads only its own files. In another site's
// frame the page is not isolated whatever its headers say (the top level decides), and takes
// the single-thread path. (A course page that is itself isolated can frame the lab only where
// its host sends CORP: the frame's first load comes before any worker of the lab's exists.)
/* global PRECACHE */

// Named by scope too: two labs on one origin (two folders of a GitHub Pages site) keep theirs.
const PREFIX = `weight-init-lab ${self.registration.scope} `;
const CACHE = PREFIX + PRECACHE.version;
const DATA = `${PREFIX}data ${PRECACHE.data_version}`;
const href = (file) => new URL(file, self.location).href;
/** Where the install notes what it could not keep (JSON: sentences); not a file of the site. */
const PROBLEMS = new URL('offline-copy-problems.json', self.registration.scope).href;
const KEPT = 'Kept for offline use: from now on the lab starts and trains with no network.';
/** URL → 'page' | 'engine' | 'data', for each file of the site. */
const KIND = new Map(['files', 'engine', 'data'].flatMap((list) => PRECACHE[list].map((f) => [href(f), list === 'files' ? 'page' : list])));
/** A cache of this lab's older versions (not this version's, nor the data's). */
const isOld = (name) => name.startsWith(PREFIX) && name !== CACHE && name !== DATA;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const wanted = [...PRECACHE.files.map(href), ...(await enginesUsedBefore())];
      // 'no-cache' revalidates with the server: this version's files, not an older copy from
      // the HTTP cache, yet unchanged files are not downloaded again where the host sends validators.
      const problems = [];
      const kept = await Promise.all(wanted.map((url) => keep(cache, url, fetch(new Request(url, { cache: 'no-cache' })), problems)));
      if (!kept.some(Boolean)) throw new Error('the offline copy kept none of the site'); // the old copy stays whole
      // Kept with the copy, for the pages that ask later (a first visit reloads before it would hear).
      await cache.put(PROBLEMS, Response.json(problems));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter(isOld).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const key = siteFile(event.request);
  if (!key) return; // not a file of the site: the browser fetches it as if there were no worker
  const finish = (response) => (ISOLATED_DESTINATIONS.has(event.request.destination) ? isolated(response) : response);
  event.respondWith(KIND.get(key) === 'data' ? copyFirst(event, key) : networkFirst(event, key, finish));
});

/** The network's answer (through `finish`), the engine's files kept the first time; the copy
 * when the network fails, or a page's download breaks off mid-body (isolated() reads it whole). */
async function networkFirst(event, key, finish) {
  try {
    const response = await fetch(event.request);
    if (KIND.get(key) === 'engine' && response.status === 200) {
      const copy = response.clone();
      event.waitUntil(
        (async () => {
          const cache = await caches.open(CACHE);
          // Kept once; and a server already on a newer version must not put its engine in this
          // version's copy.
          if (!(await cache.match(key)) && (await serverIsThisVersion())) await keep(cache, key, copy);
          else await copy.body?.cancel();
          await tellIfKept();
        })(),
      );
    }
    return await finish(response);
  } catch (offline) {
    const copy = await caches.match(key, { cacheName: CACHE });
    if (!copy) throw offline;
    return finish(copy);
  }
}

/** The data file from the copy, or from the network, kept for the next visit. */
async function copyFirst(event, key) {
  const copy = await caches.match(key, { cacheName: DATA });
  if (copy) return copy;
  const response = await fetch(event.request);
  if (response.status === 200) {
    // The copy's download is the page's: this event stays open until it is stored, and a new
    // version's worker activates after it (a first visit's 26 MB, once).
    const kept = response.clone();
    event.waitUntil(
      caches
        .open(DATA)
        .then((cache) => keep(cache, key, kept))
        .then(tellIfKept),
    );
  }
  return response;
}

/** Whether the server's sw.js is this one's version (asked once per engine file kept). */
async function serverIsThisVersion() {
  try {
    const current = await (await fetch(self.location.href, { cache: 'no-cache' })).text();
    return current.includes(`"version": "${PRECACHE.version}"`);
  } catch {
    return true; // offline: nothing newer can be fetched either
  }
}

/** The copy's state: what the install could not keep, else whether the data and an engine
 * build are kept ({ok, message}), or null while they are not yet. */
async function copyStatus() {
  const problems = (await (await caches.match(PROBLEMS, { cacheName: CACHE }))?.json()) ?? [];
  if (problems.length) return { ok: false, message: problems[0] };
  const data = await caches.open(DATA);
  const dataKept = (await Promise.all(PRECACHE.data.map((file) => data.match(href(file))))).every(Boolean);
  const engineKept = (await (await caches.open(CACHE)).keys()).some((request) => KIND.get(request.url) === 'engine');
  return dataKept && engineKept ? { ok: true, message: KEPT } : null;
}

/** Tells the pages once the copy holds all they need. */
async function tellIfKept() {
  const status = await copyStatus();
  if (status?.ok) await tell(true, status.message);
}

/**
 * Puts `response` (a Response or a promise of one) in `cache` under `url` unless it holds it
 * already; resolves to whether the cache has it, and tells the pages why when it cannot (and
 * adds the sentence to `problems`).
 */
async function keep(cache, url, response, problems = []) {
  const name = new URL(url).pathname;
  try {
    const got = await response;
    if (await cache.match(url)) {
      await got.body?.cancel();
      return true;
    }
    if (!got.ok) throw new Error(`the server answered HTTP ${got.status} for it`);
    await cache.put(url, got);
    return true;
  } catch (err) {
    const why = err?.name === 'QuotaExceededError' ? 'the browser allows this site too little storage' : err.message;
    const sentence = `The offline copy lacks ${name} (${why}): without the network the lab may not start. Online, it works as always.`;
    problems.push(sentence);
    tell(false, sentence);
    return false;
  }
}

// A page it controls asks how the copy stands ({type: 'offline?'}): what the install could not
// keep, else whether the data is kept.
self.addEventListener('message', (event) => {
  if (event.data?.type !== 'offline?') return;
  event.waitUntil(copyStatus().then((status) => status && event.source?.postMessage({ type: 'offline', ...status })));
});

/** Posts {type: 'offline', ok, message} to every page of this lab (its scope: another lab on
 * the origin has its own worker), controlled or not. */
async function tell(ok, message) {
  for (const client of await self.clients.matchAll({ includeUncontrolled: true, type: 'window' })) {
    if (client.url.startsWith(self.registration.scope)) client.postMessage({ type: 'offline', ok, message });
  }
}

/** The engine files an older copy of this site holds: the builds this browser runs. */
async function enginesUsedBefore() {
  const older = (await caches.keys()).filter(isOld);
  const urls = new Set();
  for (const name of older) {
    for (const request of await (await caches.open(name)).keys()) {
      if (KIND.get(request.url) === 'engine') urls.add(request.url);
    }
  }
  return [...urls];
}

// The headers act only on a document and a worker's script: a same-origin subresource loads
// under require-corp as it is. So the scripts and wasm pass through untouched (a copy kept
// with clone(), natively): a body read by this worker's JavaScript would keep its fetch event
// open until the page had read it all.
const ISOLATED_DESTINATIONS = new Set(['document', 'iframe', 'worker', 'sharedworker']);
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/**
 * `response` (a page or a worker's script: a few kB) with the cross-origin isolation headers,
 * its body read whole for the reason above; a redirect or an opaque response as it is.
 */
async function isolated(response) {
  if (response.type === 'opaqueredirect' || response.type === 'opaque' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION)) headers.set(name, value);
  const body = [101, 204, 205, 304].includes(response.status) ? null : await response.arrayBuffer();
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

/** The cache key of a request for one of the site's files, or null. */
function siteFile(request) {
  if (request.method !== 'GET') return null;
  const url = new URL(request.url);
  url.hash = '';
  url.search = ''; // the site's files do not vary by query
  if (request.mode === 'navigate' && url.pathname.endsWith('/')) url.pathname += 'index.html';
  return KIND.has(url.href) ? url.href : null;
}
