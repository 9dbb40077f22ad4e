// @ts-check
// The offline copy and cross-origin isolation. The service worker (sw.js, staged at the site's
// root; see there) keeps the site for offline use and adds the COOP/COEP headers to the pages
// and worker scripts it serves, which a static host (GitHub Pages) cannot send: so a top-level
// page that it controls is cross-origin isolated, and the CPU fallback gets SharedArrayBuffer
// and threads.
// A first visit is not controlled yet: it reloads once, before the engine starts, when the
// worker is active. Never twice in a tab (a sessionStorage mark, set before reloading), never
// in a frame (another site's page cannot be isolated from inside it), and never where one
// thread is all the page would run: there it takes the single-thread path, with no error.

const RELOADED = 'weight-init-lab: reloaded to be cross-origin isolated';
/** How long a first visit waits for the offline copy before starting without it. */
const ACTIVATION_MS = 10_000;
/** How long a page waits to be replaced by its own reload before it starts as it is: a reload
 * the browser drops must not leave the page at "starting…" for good. */
const RELOAD_MS = 5_000;

/**
 * Registers the service worker at `url` where a page may have one (not from file:// nor in an
 * opaque-origin frame; failing costs the copy, not the page). Resolves once the page may start
 * its engine: at once, or, when it reloads to become isolated, only if that reload has not
 * replaced it within `RELOAD_MS`. `threads` is the page's setting (state.js): 1 wants no
 * isolation.
 */
export async function offlineCopy(url, { threads }) {
  if (self.origin === 'null' || !/^https?:$/.test(location.protocol) || !('serviceWorker' in navigator)) return;
  let registration;
  try {
    registration = await navigator.serviceWorker.register(url, { updateViaCache: 'none' });
  } catch (err) {
    console.warn(`The lab has no offline copy here: ${err.message}`);
    return;
  }
  const useful = threads !== 1 && (navigator.hardwareConcurrency ?? 1) > 1;
  if (!useful || !mayReload() || !(await activated(registration))) return;
  try {
    sessionStorage.setItem(RELOADED, '1');
  } catch {
    return; // no mark, no reload: a loop could not be ruled out
  }
  location.reload();
  await new Promise((resolve) => setTimeout(resolve, RELOAD_MS));
  console.warn(`The page did not reload to be cross-origin isolated within ${RELOAD_MS / 1000} s: it starts as it is`);
}

/** Whether a reload could isolate this page, and it has not reloaded for that yet. */
function mayReload() {
  if (self.crossOriginIsolated || window.top !== window) return false;
  try {
    return sessionStorage.getItem(RELOADED) === null;
  } catch {
    return false; // storage blocked (a strict privacy setting)
  }
}

/**
 * Resolves to whether a reload would come back under a worker that adds the headers: a
 * pending worker (a first install, or an update) once it activates, within `ACTIVATION_MS`
 * (the install copies the whole site, data included; a slow line starts single-threaded now
 * and is isolated on the next visit); an active worker with none pending only while it does
 * not control this page yet — a page it already controls and that is still not isolated (a
 * browser that ignores the worker's headers) would reload for nothing.
 */
function activated(registration) {
  const pending = registration.installing ?? registration.waiting;
  if (!pending) return Promise.resolve(Boolean(registration.active) && !navigator.serviceWorker.controller);
  return new Promise((resolve) => {
    setTimeout(() => resolve(false), ACTIVATION_MS);
    pending.addEventListener('statechange', () => {
      if (pending.state === 'activated') resolve(true);
      if (pending.state === 'redundant') resolve(false);
    });
  });
}
