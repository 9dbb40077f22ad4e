// The page's state, and the pure reducer that updates it from the worker's events
// (protocol.js). Everything the page shows is rendered from this state; nothing else holds
// run state. Charts are kept in bounded memory (series.js). No DOM.
import { Event } from './protocol.js';
import { append, emptyChart, upTo } from './series.js';
import { appendHealth, emptyHealth, healthUpTo } from './health-series.js';
import { emptyWindow, runningAccuracy } from './train-accuracy.js';

const noEvals = Object.freeze({ full: null, subset: null });

export function initialState() {
  return {
    catalog: null,
    backend: { kind: null, name: '', reason: '', gpuAvailable: false },
    data: { loading: true, loaded: 0, total: 0, name: '', fashion: true, count: 0, rows: 0, cols: 0, samples: null },
    run: emptyRun(),
    // Per-batch training loss (series.js: null is a gap, a diverged model).
    loss: emptyChart(0),
    // Validation accuracy in % at each validation pass (live subset passes and full ones).
    accuracy: emptyChart(0),
    accuracyFull: emptyChart(0), // the full passes alone (the chart's large dots)
    evalImages: { subset: 0, full: 0 }, // images in the latest pass of each kind
    trainAccuracy: emptyChart(0), // running training accuracy in % (train-accuracy.js)
    trainWindow: emptyWindow(0),
    health: emptyHealth(), // `health` samples (health-series.js)
    results: null, // {step, rows, finished}
    diagnostics: null, // {step, layers[model][layer]}
    // The latest validation point of each kind (`subset`: a live pass on the fixed subset;
    // `full`: all the validation images, with the confusion matrices).
    evals: noEvals,
    error: null, // {kind, message}
    notice: null, // a line about the run for people (why it restarted)
  };
}

function emptyRun() {
  return {
    ready: false,
    running: false,
    step: 0,
    total: 0,
    finished: false,
    inits: [],
    labels: [],
    batchSize: 0,
    stepsPerEpoch: 0,
    imagesPerSec: 0,
    summary: null, // the Finished event
    gains: [], // per model, its equivalent gain on the first layer (the scale sweep's axis)
    gallery: null, // the prediction gallery's images {rows, cols, images, labels}
    healthBins: [], // per layer, the bins of the `health` histograms {lo, hi, count, symlog}
  };
}

/** A cleared run at step 0 of `total` steps: charts, table and diagnostics emptied. */
function restart(state, total) {
  const models = state.run.inits.length;
  return {
    ...state,
    run: { ...state.run, step: 0, total, finished: false, running: false, imagesPerSec: 0, summary: null },
    loss: emptyChart(models),
    accuracy: emptyChart(models),
    accuracyFull: emptyChart(models),
    trainAccuracy: emptyChart(models),
    trainWindow: emptyWindow(models),
    health: emptyHealth(),
    results: null,
    diagnostics: null,
    evals: noEvals,
  };
}

const handlers = {
  [Event.catalog]: (state, { catalog }) => ({ ...state, catalog }),
  [Event.dataProgress]: (state, { loaded, total }) => ({ ...state, data: { ...state.data, loading: true, loaded, total } }),
  [Event.backend]: (state, e) => ({
    ...state,
    backend: { kind: e.kind, name: e.name, reason: e.reason, gpuAvailable: e.gpu_available },
  }),
  [Event.data]: (state, e) => ({
    ...state,
    data: { loading: false, loaded: 0, total: 0, name: e.name, fashion: e.fashion, count: e.count, rows: e.rows, cols: e.cols, samples: e.samples },
    run: { ...state.run, ready: false, running: false },
    error: state.error?.kind === 'data' ? null : state.error,
  }),
  /** The page asked for new settings: the run in place is no longer the one shown. */
  configuring: (state) => ({
    ...state,
    run: { ...state.run, ready: false, running: false },
    // A run that had trained is replaced: say so, or the change looks like a lost run.
    notice: state.run.step > 0 ? `The settings changed, so a new run starts at step 0 (the last one reached step ${state.run.step}).` : state.notice,
    error: ['settings', 'internal', 'input'].includes(state.error?.kind) ? null : state.error,
  }),
  [Event.run]: (state, e) => {
    const next = { ...state, run: { ...emptyRun(), ready: true, inits: e.inits, labels: e.labels, batchSize: e.batch_size, stepsPerEpoch: e.steps_per_epoch, healthBins: e.health_bins ?? [], gains: e.gains ?? [], gallery: e.gallery ?? null } };
    return restart(next, e.total_steps);
  },
  [Event.progress]: (state, e) => {
    const from = e.from_step;
    const steps = Array.from({ length: e.step - from }, (_, i) => from + i + 1);
    const running = runningAccuracy(state.trainWindow, from, e.batch_accuracy ?? []);
    return {
      ...state,
      run: { ...state.run, step: e.step, total: e.total_steps, finished: e.step >= e.total_steps, imagesPerSec: e.images_per_sec },
      loss: append(upTo(state.loss, from), steps, e.losses),
      trainAccuracy: append(upTo(state.trainAccuracy, from), steps, running.means.map((m) => m.map((a) => a * 100))),
      trainWindow: running.window,
    };
  },
  [Event.eval]: (state, { point }) => {
    const percent = point.accuracy.map((a) => [a * 100]);
    const full = upTo(state.accuracyFull, point.step - 1);
    return {
      ...state,
      accuracy: append(upTo(state.accuracy, point.step - 1), [point.step], percent),
      accuracyFull: point.subset ? full : append(full, [point.step], percent),
      evalImages: { ...state.evalImages, [point.subset ? 'subset' : 'full']: point.images ?? 0 },
      evals: { ...state.evals, [point.subset ? 'subset' : 'full']: point },
    };
  },
  [Event.results]: (state, e) => ({ ...state, results: { step: e.step, rows: e.results, finished: e.finished } }),
  [Event.running]: (state, { running }) => ({ ...state, run: { ...state.run, running }, notice: running ? null : state.notice }),
  [Event.reset]: (state, e) => restart(state, e.total_steps),
  [Event.recovered]: (state, { from_step }) => ({
    ...state,
    run: { ...state.run, step: from_step },
    loss: upTo(state.loss, from_step),
    accuracy: upTo(state.accuracy, from_step),
    accuracyFull: upTo(state.accuracyFull, from_step),
    trainAccuracy: upTo(state.trainAccuracy, from_step),
    health: healthUpTo(state.health, from_step),
    results: state.results && state.results.step > from_step ? null : state.results,
    evals: Object.fromEntries(Object.entries(state.evals).map(([kind, p]) => [kind, p && p.step > from_step ? null : p])),
  }),
  [Event.diagnostics]: (state, e) => ({ ...state, diagnostics: { step: e.step, layers: e.layers, tiles: e.tiles ?? null, gallery: e.gallery ?? null } }),
  [Event.health]: (state, e) => ({ ...state, health: appendHealth(state.health, e) }),
  [Event.finished]: (state, e) => ({ ...state, run: { ...state.run, finished: true, summary: e } }),
  [Event.error]: (state, { kind, message }) => ({
    ...state,
    error: { kind, message },
    run: kind === 'settings' ? { ...state.run, ready: false, running: false } : state.run,
  }),
  dismissed: (state) => ({ ...state, error: null }),
};

/** The state after `event` (a worker message, or the page's own `configuring`/`dismissed`). */
export function reduce(state, event) {
  const handler = handlers[event?.type];
  return handler ? handler(state, event) : state;
}
