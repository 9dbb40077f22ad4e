// @ts-check
// The page's state, and the pure reducer that updates it from the worker's events
// (protocol.js). Everything the page shows is rendered from this state; nothing else holds
// run state. Charts are kept in bounded memory (series.js). No DOM.
import { Event } from '../engine/protocol.js';
import { appendHealth, emptyHealth, healthUpTo } from './health-series.js';
import { dropUnknownInits, intents, runSettings, selectedInits, withProblems, withSettings } from './intents.js';
import { readLink } from './lesson.js';
import { append, emptyChart, upTo } from './series.js';
import { emptyWindow, runningAccuracy } from './train-accuracy.js';

/** @typedef {import('../engine/wire').Event} WireEvent */
/** @typedef {import('../engine/protocol.js').PageEvent} PageEvent */
/** @typedef {import('../engine/protocol.js').Outgoing} Outgoing */
/** @typedef {ReturnType<typeof emptyState>} State */
/** @typedef {{kind: string, message: string}} PageError */

/** @typedef {import('../engine/wire').EvalPoint} EvalPoint */
/** @type {Readonly<{full: EvalPoint | null, subset: EvalPoint | null}>} */
const noEvals = Object.freeze({ full: null, subset: null });

/**
 * The state before anything is known, with the settings of the URL hash `hash` (and the
 * link's problems shown).
 * @param {string} [hash]
 * @returns {State}
 */
export function initialState(hash = '') {
  const { state: settings, problems, lesson } = readLink(hash);
  return withProblems(withSettings({ ...emptyState(settings), lesson }, {}), problems);
}

/** @param {import('./settings.js').Settings} settings */
function emptyState(settings) {
  return {
    /** The settings (settings.js FIELDS): what the URL says and the controls show. */
    settings,
    /** The guided lesson's open chapter (lesson.js), or null in the full lab. */
    lesson: /** @type {import('./lesson.js').Lesson | null} */ (null),
    /** What the link asked for that the page could not use, in words. */
    problems: /** @type {string[]} */ ([]),
    /** Custom initializer ids offered among the toggles (chosen once, until removed). */
    custom: /** @type {string[]} */ ([]),
    /** The scale slider's model (a `gain:G` id), or null. */
    slider: /** @type {string | null} */ (null),
    /** The id the custom form just added, until the engine builds a run with it or refuses it. */
    justAdded: /** @type {string | null} */ (null),
    /** The custom form's message ('' for none): a new object each time it is said, so that the
     * same words said again (the same id added twice) are shown again. */
    formError: { text: '' },
    /** Commands an intent asked for, beyond what the settings say (effects.js sends them once). */
    outbox: /** @type {Outgoing[]} */ ([]),
    /** A file the engine exported, to save: {format, content}. */
    download: /** @type {{format: string, content: string} | null} */ (null),
    /** @type {import('../engine/wire').Catalog | null} */
    catalog: null,
    /** kind: null while starting, 'gpu' | 'cpu', or 'none' when the engine could not start. */
    backend: { kind: /** @type {string | null} */ (null), name: '', reason: '', gpuAvailable: false },
    data: { loading: true, loaded: 0, total: 0, seconds: 0, name: '', fashion: true, count: 0, rows: 0, cols: 0, samples: null },
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
    /** Per model, where it diverged (the `diverged` event; divergence.js), or null. */
    divergence: /** @type {(import('./divergence.js').Divergence | null)[]} */ ([]),
    results: null, // {step, rows, finished}
    diagnostics: null, // {step, layers[model][layer]}, each model its own number of layers
    // The latest `signal`: per model, the activations' and gradients' scale through the layers
    // on a fixed probe batch, and mean-field theory's prediction (views/signal.js).
    signal: /** @type {{step: number, models: import('../engine/wire').Signal[]} | null} */ (null),
    // The latest validation point of each kind (`subset`: a live pass on the fixed subset;
    // `full`: all the validation images, with the confusion matrices).
    evals: noEvals,
    error: /** @type {PageError | null} */ (null),
    // The offline copy (sw.js): null until the service worker says; its first problem stays.
    offline: /** @type {{ok: boolean, message: string} | null} */ (null),
    notice: /** @type {string | null} */ (null), // a line about the run for people (why it restarted)
    dataNote: /** @type {string | null} */ (null), // what a person's drop set aside, under the drop zone
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
    /** @type {import('../engine/wire').ModelArch[]} per model, its layers, activation and optimizer */
    archs: [],
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
    divergence: Array(models).fill(null),
    results: null,
    diagnostics: null,
    evals: noEvals,
  };
}

/**
 * One handler per event type, each typed by the wire (wire.d.ts): a field renamed in Rust
 * fails the type check here.
 * @type {{[K in PageEvent['type']]?: (state: State, event: Extract<PageEvent, {type: K}>) => State}}
 */
const handlers = {
  [Event.catalog]: (state, { catalog }) => dropUnknownInits({ ...state, catalog }),
  [Event.dataProgress]: (state, { loaded, total, seconds }) => ({ ...state, data: { ...state.data, loading: true, loaded, total, seconds } }),
  [Event.backend]: (state, e) => ({
    ...state,
    backend: { kind: e.kind, name: e.name, reason: e.reason, gpuAvailable: e.gpu_available },
    error: state.error?.kind === 'slow-start' ? null : state.error, // it started after all
  }),
  [Event.data]: (state, e) => ({
    ...state,
    data: {
      loading: false,
      loaded: 0,
      total: 0,
      seconds: 0,
      name: e.name,
      fashion: e.fashion,
      count: e.count,
      rows: e.rows,
      cols: e.cols,
      samples: e.samples,
    },
    run: { ...state.run, ready: false, running: false },
    error: state.error?.kind === 'data' ? null : state.error,
  }),
  [Event.run]: (state, e) => {
    const run = {
      ...emptyRun(),
      ready: true,
      inits: e.inits,
      labels: e.labels,
      archs: e.models ?? [],
      batchSize: e.batch_size,
      stepsPerEpoch: e.steps_per_epoch,
      healthBins: e.health_bins ?? [],
      gains: e.gains ?? [],
      gallery: e.gallery ?? null,
    };
    const justAdded = e.inits.includes(state.justAdded) ? null : state.justAdded; // accepted
    return restart({ ...state, run, justAdded, signal: null }, e.total_steps);
  },
  [Event.progress]: (state, e) => {
    const from = e.from_step;
    const steps = Array.from({ length: e.step - from }, (_, i) => from + i + 1);
    const running = runningAccuracy(state.trainWindow, from, e.batch_accuracy ?? []);
    return {
      ...state,
      run: { ...state.run, step: e.step, total: e.total_steps, finished: e.step >= e.total_steps, imagesPerSec: e.images_per_sec },
      loss: append(upTo(state.loss, from), steps, e.losses),
      trainAccuracy: append(
        upTo(state.trainAccuracy, from),
        steps,
        running.means.map((m) => m.map((a) => a * 100)),
      ),
      trainWindow: running.window,
    };
  },
  [Event.diverged]: (state, { type, model, ...divergence }) => ({
    ...state,
    divergence: state.run.inits.map((_, m) => (m === model ? divergence : (state.divergence[m] ?? null))),
  }),
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
  [Event.reset]: (state, e) => ({ ...restart(state, e.total_steps), signal: keepUpTo(state.signal, 0) }),
  [Event.recovered]: (state, { from_step }) => ({
    ...state,
    run: { ...state.run, step: from_step },
    loss: upTo(state.loss, from_step),
    accuracy: upTo(state.accuracy, from_step),
    accuracyFull: upTo(state.accuracyFull, from_step),
    trainAccuracy: upTo(state.trainAccuracy, from_step),
    health: healthUpTo(state.health, from_step),
    divergence: state.divergence.map((d) => keepUpTo(d, from_step)),
    results: state.results && state.results.step > from_step ? null : state.results,
    evals: { full: keepUpTo(state.evals.full, from_step), subset: keepUpTo(state.evals.subset, from_step) },
    signal: keepUpTo(state.signal, from_step),
  }),
  [Event.diagnostics]: (state, e) => ({
    ...state,
    diagnostics: { step: e.step, layers: e.layers, tiles: e.tiles ?? null, gallery: e.gallery ?? null },
  }),
  [Event.health]: (state, e) => ({ ...state, health: appendHealth(state.health, e) }),
  [Event.signal]: (state, { step, models }) => ({ ...state, signal: { step, models } }),
  [Event.finished]: (state, e) => ({ ...state, run: { ...state.run, finished: true, summary: e } }),
  [Event.error]: refused,
  [Event.export]: (state, { format, content }) => ({ ...state, download: { format, content } }),
  [Event.offline]: (state, { ok, message }) => (state.offline?.ok === false ? state : { ...state, offline: { ok, message } }),
};

/**
 * An error event. An initializer the engine refused (`init`, from the setting `inits`) leaves
 * the settings, so the rest still trains: the one the custom form just added is named next to
 * the form ("not added"); one from a link joins the link's problems. Any other error is shown
 * as it is, and a settings error stops the run in place.
 * @param {State} state
 * @param {{kind: string, message: string, setting?: string, init?: string}} error
 * @returns {State}
 */
function refused(state, { kind, message, setting, init }) {
  const inits = selectedInits(state);
  if (setting === 'inits' && init && inits.includes(init)) {
    const rest = inits.filter((id) => id !== init);
    const next = withSettings(state, { inits: rest.length ? rest : null });
    if (init === state.justAdded) {
      return { ...next, custom: next.custom.filter((id) => id !== init), justAdded: null, formError: { text: `${message} — not added.` } };
    }
    return withProblems(next, [`ignored ${message}`]);
  }
  return {
    ...state,
    error: { kind, message },
    run: kind === 'settings' ? { ...state.run, ready: false, running: false } : state.run,
    // The worker or the engine failed before any backend opened: the status bar says so.
    backend: kind === 'internal' && state.backend.kind === null ? { ...state.backend, kind: 'none' } : state.backend,
  };
}

/**
 * `point` if it is from `step` or before, else null.
 * @template {{step: number}} T
 * @param {T | null} point
 * @param {number} step
 * @returns {T | null}
 */
const keepUpTo = (point, step) => (point && point.step > step ? null : point);

/**
 * New run settings mean a new run: the one in place is no longer the one shown, and one that
 * had trained is replaced with a notice saying so (or the change looks like a lost run).
 * @param {State} before
 * @param {State} state
 * @returns {State}
 */
function configuring(before, state) {
  if (runSettings(state) === runSettings(before) || !state.catalog) return state;
  return {
    ...state,
    run: { ...state.run, ready: false, running: false },
    notice: state.run.step > 0 ? `The settings changed, so a new run starts at step 0 (the last one reached step ${state.run.step}).` : state.notice,
    error: ['settings', 'internal', 'input'].includes(state.error?.kind ?? '') ? null : state.error,
  };
}

/**
 * The state after `action`: a worker event (`{type}`, protocol.js `Event`) or a person's
 * intent (`{intent}`, intents.js). The input is never changed.
 * @param {State} state
 * @param {({type: string} | {intent: string}) & Record<string, any>} action
 * @returns {State}
 */
export function reduce(state, action) {
  if ('intent' in action) {
    const intent = intents[action.intent];
    if (!intent) throw new Error(`the page has no intent ${JSON.stringify(action.intent)}`); // a bug, not a person's input
    return configuring(state, intent(state, action));
  }
  const handler = handlers[action?.type];
  return handler ? configuring(state, handler(state, action)) : state; // an event of a newer engine: ignored
}
