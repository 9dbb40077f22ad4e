// The Web Worker (a module worker) that owns the wasm trainer. All training runs here, in
// chunks of steps sized to ~100 ms; between chunks the worker yields so that the page's
// messages (pause, reset, switch backend…) are handled. The page only draws.
//
// Page → worker: setup {backend, dataUrl}, configure {inits, config}, train, pause, step,
//   reset, backend {kind}, files {files: [{name, bytes}]}, fashion, diagnostics.
// Worker → page: catalog, backend, data-progress, data, data-error, configured, progress,
//   results, running, reset, diagnostics {step, inits, layers}, error.
import init, { catalogJson, Device, Lab } from '../pkg/weight_init_lab.js';
import { FASHION_FILES, fetchAll, pairFiles, parsePair, samplesOf } from './fetch-data.js';

const CHUNK_MS = 100;
const MAX_CHUNK = 256;
const SAMPLES_PER_CLASS = 1;

let dataUrl = 'data/';
let data = null; // the wasm Data being trained on
let settings = null; // {inits, config} from the page
let configureCount = 0;
let gpu = { available: false, adapter: '', note: '' };
let kind = 'cpu'; // the backend new Labs are made on: 'gpu' | 'cpu'
let lab = null;
let running = false;
let looping = false;
let chunk = 1;
let sent = { steps: 0, evals: 0 };
let clock = { ms: 0, steps: 0 };
let diagnosticsQueued = false;

// Lab's async methods hold it borrowed across their awaits, so wasm calls go one at a time.
let queue = Promise.resolve();
function exclusive(task) {
  const result = queue.then(task);
  queue = result.catch(() => {});
  return result;
}

const post = (type, body = {}, transfer = []) => self.postMessage({ type, ...body }, transfer);
const messageOf = (err) => (err instanceof Error ? err.message : String(err));
const report = (err) => post('error', { message: messageOf(err) });

const handlers = {
  async setup(msg) {
    dataUrl = msg.dataUrl ?? dataUrl;
    await init();
    post('catalog', { catalog: JSON.parse(catalogJson()) });
    gpu = await probeGpu();
    kind = msg.backend !== 'cpu' && gpu.available ? 'gpu' : 'cpu';
    if (msg.backend === 'cpu') gpu.note = 'CPU chosen in the settings';
    postBackend();
    await loadFashion();
  },
  configure(msg) {
    running = false;
    settings = { inits: msg.inits, config: msg.config };
    // Quick successive changes (clicking through toggles) build only the last trainer.
    const wanted = ++configureCount;
    return exclusive(() => (wanted === configureCount ? rebuild() : undefined));
  },
  train() {
    if (!lab) return;
    running = true;
    loop().catch(report);
  },
  pause() {
    running = false;
  },
  step() {
    if (!running) return exclusive(() => advance(1));
  },
  reset() {
    running = false;
    return exclusive(() => {
      if (!lab) return;
      lab.reset();
      restartCounters();
      post('reset', { total: lab.totalSteps() });
    });
  },
  backend(msg) {
    return exclusive(() => switchTo(msg.kind));
  },
  files(msg) {
    return exclusive(() => useFiles(msg.files));
  },
  fashion() {
    return loadFashion();
  },
  // Per-layer statistics at the current step. They read every weight back, so requests
  // that pile up while training runs are answered once, between two chunks, and one made
  // before a change of settings is dropped.
  diagnostics() {
    if (diagnosticsQueued) return;
    diagnosticsQueued = true;
    const wanted = configureCount;
    return exclusive(async () => {
      diagnosticsQueued = false;
      if (!lab || wanted !== configureCount) return;
      const layers = JSON.parse(await lab.diagnosticsJson());
      post('diagnostics', { step: lab.stepsDone(), inits: settings.inits, layers });
    });
  },
};

self.onmessage = ({ data: msg }) => {
  const handler = handlers[msg?.type];
  if (!handler) return report(new Error(`unknown message ${JSON.stringify(msg?.type)}`));
  Promise.resolve()
    .then(() => handler(msg))
    .catch(report);
};

/** Whether WebGPU gives an adapter here, and its name for people. */
async function probeGpu() {
  if (!navigator.gpu) return { available: false, adapter: '', note: 'this browser has no WebGPU' };
  const adapter = await navigator.gpu.requestAdapter().catch(() => null);
  if (!adapter) return { available: false, adapter: '', note: 'WebGPU found no adapter' };
  const info = adapter.info ?? {};
  const adapterName = [info.description, info.vendor, info.architecture].filter(Boolean).join(' · ');
  return { available: true, adapter: adapterName, note: '' };
}

function postBackend() {
  post('backend', {
    kind,
    name: lab ? lab.backendName() : '',
    adapter: kind === 'gpu' ? gpu.adapter : '',
    gpuAvailable: gpu.available,
    note: gpu.note,
  });
}

// The opened WebGPU device: every Lab gets a sibling of it, so changing a setting does not
// open the device and compile the kernels again.
let gpuDevice = null;

async function openGpu() {
  gpuDevice ??= await Device.gpu();
  return gpuDevice.sibling();
}

async function makeDevice() {
  if (kind === 'gpu') {
    try {
      return await openGpu();
    } catch (err) {
      kind = 'cpu';
      gpu.note = `WebGPU failed (${messageOf(err)}); training on the CPU`;
    }
  }
  return Device.cpu();
}

/** A fresh Lab for the current data and settings (step 0). */
async function rebuild() {
  if (!data || !settings) return;
  lab?.free();
  lab = null;
  restartCounters();
  const device = await makeDevice();
  try {
    lab = new Lab(data, device, settings.inits, JSON.stringify(settings.config));
  } finally {
    postBackend();
    post('configured', { total: lab ? lab.totalSteps() : 0, inits: settings.inits, ready: !!lab });
  }
}

function restartCounters() {
  sent = { steps: 0, evals: 0 };
  clock = { ms: 0, steps: 0 };
}

async function switchTo(wanted) {
  if (wanted === kind) return;
  if (wanted === 'gpu' && !gpu.available) throw new Error(`WebGPU is not available: ${gpu.note}`);
  const device = wanted === 'gpu' ? await openGpu() : Device.cpu();
  if (lab) await lab.switchBackend(device);
  else device.free();
  kind = wanted;
  gpu.note = '';
  postBackend();
}

async function loop() {
  if (looping) return;
  looping = true;
  post('running', { running: true });
  try {
    // advance() checks for the end inside exclusive(): another Lab call (diagnostics) may
    // hold the Lab borrowed in between, and calling it then would throw.
    while (running && lab && (await exclusive(() => advance(chunk)))) {
      // Let queued messages (pause, reset…) in before the next chunk.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  } finally {
    looping = false;
    running = false;
    post('running', { running: false });
  }
}

/** Runs up to `steps` steps and posts the new metrics; resolves to whether steps remain. */
async function advance(steps) {
  if (!lab || lab.isFinished()) return false;
  const start = performance.now();
  let ran;
  try {
    ran = await lab.run(steps);
  } catch (err) {
    if (kind !== 'gpu') throw err;
    recoverOnCpu(err);
    return true;
  }
  const ms = performance.now() - start;
  clock.ms += ms;
  clock.steps += ran;
  // Aim the next chunk at CHUNK_MS, growing at most twofold so one slow validation
  // pass or a fast start does not swing it.
  chunk = Math.max(1, Math.min(MAX_CHUNK, 2 * steps, Math.round((steps * CHUNK_MS) / Math.max(ms, 1))));
  const progress = JSON.parse(lab.progressJson(sent.steps, sent.evals));
  sent = { steps: progress.step, evals: sent.evals + progress.evals.length };
  const images = clock.steps * settings.config.batch_size;
  post('progress', { ...progress, imagesPerSec: clock.ms > 0 ? (images * 1000) / clock.ms : 0 });
  if (progress.evals.length > 0 || progress.finished) {
    post('results', { results: JSON.parse(lab.resultsJson()), finished: progress.finished });
  }
  return !progress.finished;
}

/**
 * The GPU failed mid-run (device lost, driver reset): training goes on on the CPU from the
 * last validation pass, and the page redraws the history from step 0 up to there.
 */
function recoverOnCpu(err) {
  const from = lab.recover(Device.cpu());
  kind = 'cpu';
  gpuDevice = null;
  gpu = { available: false, adapter: '', note: `the GPU failed (${messageOf(err)}); resumed on the CPU from step ${from}` };
  restartCounters();
  post('reset', { total: lab.totalSteps() });
  if (running) post('running', { running: true });
  postBackend();
}

async function loadFashion() {
  const urls = Object.fromEntries(Object.entries(FASHION_FILES).map(([k, name]) => [k, dataUrl + name]));
  let bytes;
  try {
    bytes = await fetchAll(urls, (loaded, total) => post('data-progress', { loaded, total }));
  } catch (err) {
    post('data-error', { message: `${messageOf(err)}. Choose the IDX files yourself below.` });
    return;
  }
  const named = (key) => ({ name: FASHION_FILES[key], bytes: bytes[key] });
  await exclusive(async () => {
    let train;
    try {
      train = parsePair({ images: named('trainImages'), labels: named('trainLabels') });
    } catch (err) {
      post('data-error', { message: messageOf(err) });
      return;
    }
    // The samples come from the test set: images no model trains on.
    let test = null;
    try {
      test = parsePair({ images: named('testImages'), labels: named('testLabels') });
    } catch (err) {
      post('data-error', { message: `${messageOf(err)} (samples are shown from the training set)` });
    }
    useData(train, test ?? train, { name: 'Fashion-MNIST', fashion: true });
    if (test && test !== train) test.free();
    await rebuild();
  });
}

async function useFiles(files) {
  let parsed;
  try {
    const pair = pairFiles(files);
    parsed = parsePair(pair);
    useData(parsed, parsed, { name: `${pair.images.name} + ${pair.labels.name}`, fashion: false });
  } catch (err) {
    // The data in use stays as it was.
    post('data-error', { message: messageOf(err) });
    return;
  }
  await rebuild();
}

function useData(train, samplesFrom, { name, fashion }) {
  running = false;
  if (data && data !== train) data.free();
  data = train;
  const samples = samplesOf(samplesFrom, SAMPLES_PER_CLASS);
  post(
    'data',
    { name, fashion, count: train.count(), rows: train.rows(), cols: train.cols(), samples },
    samples.images.map((image) => image.buffer),
  );
}
