// The page's state, and the pure reducer that updates it from the worker's events
// (protocol.js). Everything the page shows is rendered from this state; nothing else holds
// run state. Charts are kept in bounded memory (series.js). No DOM.
import { Event } from './protocol.js';
import { append, emptyChart, upTo } from './series.js';

export function initialState() {
  return {
    catalog: null,
    backend: { kind: null, name: '', reason: '', gpuAvailable: false },
    data: { loading: true, loaded: 0, total: 0, name: '', fashion: true, count: 0, rows: 0, cols: 0, samples: null },
    run: emptyRun(),
    // Per-batch training loss (series.js: null is a gap, a diverged model).
    loss: emptyChart(0),
    // Validation accuracy in % at each validation pass.
    accuracy: emptyChart(0),
    results: null, // {step, rows, finished}
    diagnostics: null, // {step, layers[model][layer]}
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
    results: null,
    diagnostics: null,
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
    const next = { ...state, run: { ...emptyRun(), ready: true, inits: e.inits, labels: e.labels, batchSize: e.batch_size, stepsPerEpoch: e.steps_per_epoch } };
    return restart(next, e.total_steps);
  },
  [Event.progress]: (state, e) => {
    const from = e.from_step;
    const steps = Array.from({ length: e.step - from }, (_, i) => from + i + 1);
    return {
      ...state,
      run: { ...state.run, step: e.step, total: e.total_steps, finished: e.step >= e.total_steps, imagesPerSec: e.images_per_sec },
      loss: append(upTo(state.loss, from), steps, e.losses),
    };
  },
  [Event.eval]: (state, { point }) => ({
    ...state,
    accuracy: append(upTo(state.accuracy, point.step - 1), [point.step], point.accuracy.map((a) => [a * 100])),
  }),
  [Event.results]: (state, e) => ({ ...state, results: { step: e.step, rows: e.results, finished: e.finished } }),
  [Event.running]: (state, { running }) => ({ ...state, run: { ...state.run, running }, notice: running ? null : state.notice }),
  [Event.reset]: (state, e) => restart(state, e.total_steps),
  [Event.recovered]: (state, { from_step }) => ({
    ...state,
    run: { ...state.run, step: from_step },
    loss: upTo(state.loss, from_step),
    accuracy: upTo(state.accuracy, from_step),
    results: state.results && state.results.step > from_step ? null : state.results,
  }),
  [Event.diagnostics]: (state, e) => ({ ...state, diagnostics: { step: e.step, layers: e.layers } }),
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
