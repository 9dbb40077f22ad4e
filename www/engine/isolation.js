// @ts-check
// The offline copy and cross-origin isolation. The service worker (sw.js, staged at the site's
// root; see there) keeps the site for offline use, filled by the page's own downloads, and
// adds the COOP/COEP headers to the pages and worker scripts it serves, which a static host
// (GitHub Pages) cannot send: so a top-level page that it controls is cross-origin isolated,
// and the CPU fallback gets SharedArrayBuffer and threads.
// A first visit is not controlled yet. Once the worker is active it claims the page, so the
// engine and data the page then downloads go through it, once, into the copy; where threads
// would help, the page reloads instead, before the engine starts, to become isolated. Never
// twice in a tab (a sessionStorage mark, set before reloading), never in a frame (another
// site's page cannot be isolated from inside it), and never where one thread is all the page
// would run: there it takes the single-thread path, with no error.

const RELOADED = 'weight-init-lab: reloaded to be cross-origin isolated';
/** How long a first visit waits for the service worker (it copies only the page's own small
 * files before it activates) before starting without it. */
const ACTIVATION_MS = 10_000;
/** How long a page waits to be replaced by its own reload, or to be claimed, before it starts
 * as it is: a reload the browser drops must not leave the page at "starting…" for good. */
const RELOAD_MS = 5_000;

/**
 * Registers the service worker at `url` where a page may have one. Resolves once the page may
 * start its engine: at once; or once the worker controls the page; or, when it reloads to
 * become isolated, only if that reload has not replaced it within `RELOAD_MS`. `threads` is
 * the page's setting (state.js): 1 wants no isolation. `report({ok, message})` hears about
 * the offline copy: why there is none here, and what the service worker says (sw.js).
 * @param {URL} url
 * @param {{threads: number}} settings
 * @param {(status: {ok: boolean, message: string}) => void} report
 */
export async function offlineCopy(url, { threads }, report) {
  const none = (/** @type {string} */ why) => report({ ok: false, message: `No offline copy: ${why}.` });
  if (!/^https?:$/.test(location.protocol)) return; // boot.js says what to do instead
  if (self.origin === 'null') return none('a sandboxed frame without allow-same-origin cannot keep one');
  if (!self.isSecureContext) return none(`it needs https:// or localhost, and this page is ${location.protocol}//${location.host}`);
  if (!('serviceWorker' in navigator)) return none('this browser allows no service worker here (a private window?)');
  navigator.serviceWorker.addEventListener('message', ({ data }) => {
    if (data?.type === 'offline') report({ ok: data.ok, message: data.message });
  });
  navigator.serviceWorker.startMessages();
  let registration;
  try {
    // Bounded: a registration the browser leaves pending must not hold the engine back.
    const late = new Promise((_, reject) => setTimeout(() => reject(new Error('it did not answer in time')), ACTIVATION_MS));
    registration = await Promise.race([navigator.serviceWorker.register(url, { updateViaCache: 'none' }), late]);
  } catch (err) {
    // Inside another site's page, browsers that block third-party storage refuse it with words
    // that blame the person ("The user denied permission…").
    if (window.top !== window) return none("this browser keeps none for a lab inside another site's page");
    return none(`its service worker could not be registered (${err.message})`);
  }
  const reload = threads !== 1 && (navigator.hardwareConcurrency ?? 1) > 1 && mayReload();
  // A page the worker controls already starts at once: an update installs in the background.
  if (navigator.serviceWorker.controller && !reload) return ask();
  const installing = Boolean(registration.installing ?? registration.waiting);
  if (!(await activated(registration))) return ask();
  // A worker that has just activated claims the page (sw.js); an older one never will.
  const claimed = async () => {
    if (installing) await controlled();
    ask();
  };
  if (!reload) return claimed();
  try {
    sessionStorage.setItem(RELOADED, '1');
  } catch {
    return claimed(); // no mark, no reload: a loop could not be ruled out
  }
  location.reload();
  await new Promise((resolve) => setTimeout(resolve, RELOAD_MS));
  console.warn(`The page did not reload to be cross-origin isolated within ${RELOAD_MS / 1000} s: it starts as it is`);
}

/** Asks the service worker that controls the page, if any, how the offline copy stands (it
 * answers with an `offline` message). */
const ask = () => navigator.serviceWorker.controller?.postMessage({ type: 'offline?' });

/** Resolves once the service worker controls the page, or after `RELOAD_MS`. */
function controlled() {
  if (navigator.serviceWorker.controller) return Promise.resolve();
  return new Promise((resolve) => {
    setTimeout(resolve, RELOAD_MS);
    navigator.serviceWorker.addEventListener('controllerchange', () => resolve(undefined), { once: true });
  });
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
 * (a slow line starts single-threaded now and is isolated on the next visit); an active worker with none pending only while it does
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
