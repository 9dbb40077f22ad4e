// @ts-check
// Starts the training worker (worker.js) and says why when it cannot.

/**
 * The training worker, a module worker, with `onMessage(event)` for its events and
 * `onFailure(sentence)` for a worker that could not start or failed.
 *
 * In a frame whose origin is opaque (sandboxed without allow-same-origin) a worker script from
 * the lab's own URL belongs to another origin, which `new Worker` refuses: there the worker
 * starts from a data: module that imports it (which works where the server allows
 * cross-origin requests, as the page's own modules needed; Chromium runs no blob: module
 * worker in such a frame).
 * @param {(event: any) => void} onMessage
 * @param {(sentence: string) => void} onFailure
 */
export function startWorker(onMessage, onFailure) {
  const url = new URL('./worker.js', import.meta.url).href;
  let worker;
  try {
    worker = new Worker(url, { type: 'module' });
  } catch (err) {
    if (!(err instanceof DOMException && err.name === 'SecurityError')) throw err;
    worker = new Worker(`data:text/javascript,${encodeURIComponent(`import ${JSON.stringify(url)};`)}`, { type: 'module' });
  }
  worker.onmessage = ({ data }) => onMessage(data);
  // An exception the worker did not catch comes as an ErrorEvent with its message; a worker
  // whose scripts could not load, as a bare Event: the server is asked why.
  worker.onerror = async (event) => {
    if (event instanceof ErrorEvent && event.message) {
      onFailure(`The training worker failed: ${event.message}`);
      return;
    }
    const why = await globalThis.whyNotLoaded?.(url); // load-check.js may be what is missing
    onFailure(`The training worker could not start: ${why ?? 'its script did not load (see the browser console)'}.`);
  };
  return worker;
}
