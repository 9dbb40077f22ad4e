// @ts-check
// The Web Worker: a message pump between the page and the Rust session (src/session/), with no
// run policy: commands go to the session as they are, its events go back to the page, and
// `tick` runs while the session has work. Its own work is I/O: fetching and pairing files.
import '../load-check.js'; // whyNotLoaded
import { capabilities, chooseBuild } from './engine-build.js';
import { fetchFashion, pairFiles } from './fetch-data.js';
import { Command, Event, Setup } from './protocol.js';

let [session, files, dataUrl] = [null, null, 'data/']; // files: the catalog's data file names
let opened; // resolves once the session is open: commands wait for it
let queue = new Promise((resolve) => (opened = resolve));
let [pumping, wanted, more, stopped] = [false, false, false, false]; // stopped: the engine trapped

/** @type {(message: import('./protocol.js').PageEvent, transfer?: Transferable[]) => void} */
const post = (message, transfer = []) => /** @type {any} */ (self).postMessage(message, transfer);
const report = (err, context = '') => post({ type: Event.error, kind: 'internal', message: `${context}${err?.message ?? err}` });
const dataError = (message) => post({ type: Event.error, kind: 'data', message });

/** Runs `task(session)` after every call before it (the session's async calls hold it), then
 * posts the events it produced. A failure is reported once; an engine that trapped (a Rust
 * panic) can take no further call, so the page is told to reload instead of hearing it again. */
function call(task) {
  const result = queue.then(async () => {
    if (stopped) return false;
    try {
      return await task(session);
    } finally {
      if (!stopped) for (const event of session.events()) post(event);
    }
  });
  queue = result.catch((err) => {
    stopped = err instanceof WebAssembly.RuntimeError;
    report(err, stopped ? 'The training engine stopped; reload the page to start again. ' : '');
    return false;
  });
  return queue;
}

/** Ticks the session while it has work, letting queued messages in between ticks. A command
 * that arrives while a tick is in flight asks for another tick (`wanted`), so none is lost. */
async function pump() {
  wanted = true;
  if (pumping) return;
  pumping = true;
  try {
    while (wanted || more) {
      wanted = false;
      more = await call((s) => s.tick());
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  } finally {
    pumping = false;
  }
}

function command(message) {
  call((s) => s.command(message));
  pump();
}

async function loadFashion() {
  try {
    command(await fetchFashion(dataUrl, files, (loaded, total, seconds) => post({ type: Event.dataProgress, loaded, total, seconds })));
  } catch (err) {
    dataError(`${err.message}. Choose the IDX files yourself below.`);
  }
}

/** How long the threads may take to start: a thread whose script is refused never says so. */
const THREADS_START_MS = 20_000;

/**
 * Loads the engine's build for this browser and the page's `threads` and `simd` settings
 * (engine-build.js) and starts its threads; a threaded build that cannot start (in time) gives
 * way to the one-thread choice.
 */
async function loadEngine({ threads, simd }) {
  const can = capabilities();
  const build = chooseBuild(can, { threads, simd });
  const load = async ({ dir, threads: n }) => {
    const url = (file) => new URL(`../../${dir}/${file}`, import.meta.url).href;
    let engine;
    try {
      engine = await import(url('weight_init_lab.js'));
      await engine.default();
    } catch (err) {
      // The browser's words say little ("Failed to fetch…", "HTTP status code is not ok"): the server's say which file.
      const why = (await whyNotLoaded(url('weight_init_lab.js'))) ?? (await whyNotLoaded(url('weight_init_lab_bg.wasm'), { wasm: true }));
      throw why ? new Error(`${why}.`) : err;
    }
    if (n > 1) {
      const late = new Promise((_, reject) => setTimeout(() => reject(new Error('they did not start in time')), THREADS_START_MS));
      await Promise.race([engine.initThreadPool(n), late]);
    }
    return engine;
  };
  if (build.threads === 1) return load(build);
  return load(build).catch((err) => {
    console.warn(`The CPU fallback runs on one thread: its ${build.threads} threads could not start (${err.message})`);
    return load(chooseBuild({ ...can, isolated: false }, { threads, simd }));
  });
}

const setup = {
  async [Setup.start](message) {
    dataUrl = message.data_url ?? dataUrl;
    const { catalog, WebSession } = await loadEngine(message);
    const c = catalog();
    files = c.data_files;
    post({ type: Event.catalog, catalog: c });
    session = await WebSession.open(message.backend);
    for (const event of session.events()) post(event);
    opened();
    await loadFashion();
  },
  [Setup.fashion]: loadFashion,
  [Setup.files]({ files: chosen }) {
    const pair = pairFiles(chosen); // or a message for the data line: which files it needs
    command({ type: Command.data, name: `${pair.images.name} + ${pair.labels.name}`, fashion: false, train: pair });
  },
};

// Whatever fails, the page hears of it: a worker that cannot start must not look busy forever.
self.onmessage = ({ data: message }) => {
  const handler = setup[message?.type];
  const failed = (err) => (message.type === Setup.files ? dataError(err.message) : report(err, 'The training engine could not start: '));
  if (handler)
    Promise.resolve()
      .then(() => handler(message))
      .catch(failed);
  else command(message);
};
self.onunhandledrejection = (event) => report(event.reason);
