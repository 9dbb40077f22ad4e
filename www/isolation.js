// The offline copy and cross-origin isolation. The service worker (sw.js, staged at the site's
// root; see there) keeps the site for offline use and adds the COOP/COEP headers to what it
// serves, which a static host (GitHub Pages) cannot send: so a top-level page that it
// controls is cross-origin isolated, and the CPU fallback gets SharedArrayBuffer and threads.
// A first visit is not controlled yet: it reloads once, before the engine starts, when the
// worker is active. Never twice in a tab (a sessionStorage mark, set before reloading), never
// in a frame (another site's page cannot be isolated from inside it), and never where one
// thread is all the page would run: there it takes the single-thread path, with no error.

const RELOADED = 'weight-init-lab: reloaded to be cross-origin isolated';

/**
 * Registers the service worker at `url` where a page may have one (not from file:// nor in an
 * opaque-origin frame; failing costs the copy, not the page). Resolves to true when the page
 * is reloading to become isolated (start nothing), else false. `threads` is the page's
 * setting (state.js): 1 wants no isolation.
 */
export async function offlineCopy(url, { threads }) {
  if (self.origin === 'null' || !/^https?:$/.test(location.protocol) || !('serviceWorker' in navigator)) return false;
  let registration;
  try {
    registration = await navigator.serviceWorker.register(url, { updateViaCache: 'none' });
  } catch (err) {
    console.warn(`The lab has no offline copy here: ${err.message}`);
    return false;
  }
  const useful = threads !== 1 && (navigator.hardwareConcurrency ?? 1) > 1;
  if (!useful || !mayReload() || !(await activated(registration))) return false;
  try {
    sessionStorage.setItem(RELOADED, '1');
  } catch {
    return false; // no mark, no reload: a loop could not be ruled out
  }
  location.reload();
  return true;
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

/** Resolves to whether `registration` has, or gets, an active worker (false if install fails). */
function activated(registration) {
  if (registration.active) return Promise.resolve(true);
  const worker = registration.installing ?? registration.waiting;
  if (!worker) return Promise.resolve(false);
  return new Promise((resolve) =>
    worker.addEventListener('statechange', () => {
      if (worker.state === 'activated') resolve(true);
      if (worker.state === 'redundant') resolve(false);
    }),
  );
}
