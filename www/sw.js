// The offline copy: a service worker that keeps every file of the site (page, scripts, wasm,
// chart library, data) in one cache per published version, so that after one visit the lab
// loads and trains with no network.
//
// `cargo xtask dist` stages this file at the site's root (a worker's scope is its own folder,
// and it must cover index.html) under a line defining PRECACHE = {version, files}: every other
// file of the site, and a hash of all their contents. A new build changes that line, so the
// browser, which compares sw.js byte for byte on every load (the page registers it with
// updateViaCache 'none'), installs the new worker. It fills a new cache beside the old one (an
// install that fails leaves the old copy whole), takes over at once and deletes the old cache.
//
// Network first, the cache only when the network fails: online, the page gets exactly what
// the server sends, so a rebuilt dist/ shows on the first reload; offline, it gets one whole
// version. (Cache-first would spare the 30 MB of data on each visit, but the files' URLs carry
// no version, so it would show the previous version for one load after every publish.) And
// no clients.claim(): the page that installs the worker stays uncontrolled; it reloads once
// instead when it wants to be cross-origin isolated (www/isolation.js).
//
// Cross-origin isolation: the pages and worker scripts it serves get COOP and COEP, which a
// static host (GitHub Pages) cannot send, so that a top-level page it controls is cross-origin
// isolated and the CPU fallback has SharedArrayBuffer and threads. require-corp, not
// credentialless, which Safari lacks: the site loads only its own files. In another site's
// frame the page is not isolated whatever its headers say (the top level decides), and takes
// the single-thread path.
/* global PRECACHE */

// Named by scope too: two labs on one origin (two folders of a GitHub Pages site) keep theirs.
const PREFIX = `weight-init-lab ${self.registration.scope} `;
const CACHE = PREFIX + PRECACHE.version;
const SITE = new Set(PRECACHE.files.map((file) => new URL(file, self.location).href));

self.addEventListener('install', (event) => {
  // 'no-cache' revalidates with the server: this version's files, not an older copy from the
  // HTTP cache, yet unchanged files are not downloaded again where the host sends validators.
  const requests = PRECACHE.files.map((file) => new Request(file, { cache: 'no-cache' }));
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(requests))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  const old = (name) => name.startsWith(PREFIX) && name !== CACHE;
  event.waitUntil(caches.keys().then((names) => Promise.all(names.filter(old).map((name) => caches.delete(name)))));
});

self.addEventListener('fetch', (event) => {
  const key = siteFile(event.request);
  if (!key) return; // not a file of the site: the browser fetches it as if there were no worker
  const finish = (response) => (ISOLATED_DESTINATIONS.has(event.request.destination) ? isolated(response) : response);
  // A page whose download breaks off mid-body (isolated() reads it whole) falls back too.
  event.respondWith(
    fetch(event.request)
      .then(finish)
      .catch(async (offline) => {
        const copy = await caches.match(key, { cacheName: CACHE });
        if (!copy) throw offline;
        return finish(copy);
      }),
  );
});

// The headers act only on a document and a worker's script: a same-origin subresource loads
// under require-corp as it is. So the scripts, wasm and 30 MB of data pass through untouched:
// a body streamed through this worker's JavaScript keeps its fetch event pending until the
// page has read it all, and a new version's worker cannot activate while any is pending
// (skipWaiting waits for them), so the old copy was never replaced while a page stayed open.
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
  return SITE.has(url.href) ? url.href : null;
}
