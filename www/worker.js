// The Web Worker: a message pump between the page and the Rust session (src/session/). It
// holds no run policy: commands go to the session as they are, the session's events come
// back to the page, and `tick` is called while the session says there is work, yielding to
// messages in between. Its own work is I/O: fetching Fashion-MNIST and pairing dropped files.
import init, { catalog, WebSession } from '../pkg/weight_init_lab.js';
import { fetchFashion, pairFiles } from './fetch-data.js';
import { Command, Event, Setup } from './protocol.js';

let session = null;
let opened; // resolves once the session is open: commands wait for it
let queue = new Promise((resolve) => (opened = resolve));
let pumping = false;
let files = null; // the catalog's data file names
let dataUrl = 'data/';

const post = (message, transfer = []) => self.postMessage(message, transfer);
const report = (err, context = '') => post({ type: Event.error, kind: 'internal', message: `${context}${err?.message ?? err}` });
const dataError = (message) => post({ type: Event.error, kind: 'data', message });

/** Runs `task(session)` after every call before it (the session's async calls hold it), then
 * posts the events it produced. */
function call(task) {
  const result = queue.then(async () => {
    try {
      return await task(session);
    } finally {
      for (const event of session.events()) post(event);
    }
  });
  queue = result.catch(report);
  return result;
}

/** Ticks the session while it has work, letting queued messages in between ticks. */
async function pump() {
  if (pumping) return;
  pumping = true;
  try {
    while (await call((s) => s.tick())) await new Promise((resolve) => setTimeout(resolve, 0));
  } finally {
    pumping = false;
  }
}

function command(message) {
  call((s) => s.command(message));
  pump().catch(report);
}

async function loadFashion() {
  try {
    command(await fetchFashion(dataUrl, files, (loaded, total) => post({ type: Event.dataProgress, loaded, total })));
  } catch (err) {
    dataError(`${err.message}. Choose the IDX files yourself below.`);
  }
}

const setup = {
  async [Setup.start](message) {
    dataUrl = message.dataUrl ?? dataUrl;
    await init();
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
    let pair;
    try {
      pair = pairFiles(chosen);
    } catch (err) {
      dataError(err.message);
      return;
    }
    command({ type: Command.data, name: `${pair.images.name} + ${pair.labels.name}`, fashion: false, train: pair });
  },
};

// Whatever fails, the page hears of it: a worker that cannot start must not look busy forever.
self.onmessage = ({ data: message }) => {
  const handler = setup[message?.type];
  const context = message?.type === Setup.start ? 'The training engine could not start: ' : '';
  if (handler) Promise.resolve(handler(message)).catch((err) => report(err, context));
  else command(message);
};
self.onunhandledrejection = (event) => report(event.reason);
