// @ts-check
// The page, wired: one store (model/reducer.js) holds the settings, which the URL mirrors, and
// the run as the worker's events tell it; the controls dispatch intents (model/intents.js) and
// the worker's events go through the same reducer. After each reduce, effects (model/effects.js)
// say which commands to send and what the URL becomes, and this file carries them out; the
// views draw the state at most once per animation frame, only what changed, and never send
// commands. Nothing here trains.
import { offlineCopy } from './engine/isolation.js';
import { Setup } from './engine/protocol.js';
import { startWorker } from './engine/start-worker.js';
import { activationName, archText, networkText } from './model/depth.js';
import { effects } from './model/effects.js';
import { normalLink } from './model/lesson.js';
import { initialState, reduce } from './model/reducer.js';
import { trainConfig } from './model/settings.js';
import { snapshotOf } from './snapshot.js';
import { AuthorPanel } from './views/author.js';
import { Charts, uPlotReady } from './views/charts.js';
import { ControlsPanel } from './views/controls.js';
import { watchDataFiles } from './views/datafiles.js';
import { DepthMap } from './views/depth-map.js';
import { DiagnosticsPanel } from './views/diagnostics.js';
import { byId } from './views/dom.js';
import { Experiments, experimentsSnapshot } from './views/experiments.js';
import { HealthView } from './views/health.js';
import { LessonView } from './views/lesson.js';
import { LiveCharts } from './views/live-charts.js';
import { runStyles, usePalette } from './views/palette.js';
import { PresetsView } from './views/presets.js';
import { ResultsView } from './views/results.js';
import { SignalView } from './views/signal.js';
import { backendLabel, StatusView } from './views/status.js';
import { TilesView } from './views/tiles.js';

/** @typedef {import('./model/reducer.js').State} State */
/** @typedef {({type: string} | {intent: string}) & Record<string, any>} Action */

let state = initialState(location.hash);
/** @type {State | null} the state last drawn */
let drawn = null;

/** The one way anything changes: reduce, carry out the effects, and draw at the next frame. */
function dispatch(/** @type {Action} */ action) {
  const before = state;
  state = reduce(state, action);
  if (state === before) return;
  perform(effects(before, state));
  drawSoon();
}

/** @param {ReturnType<typeof effects>} todo */
function perform({ commands, hash, download }) {
  for (const command of commands) {
    const transfer = command.type === Setup.files ? command.files.map((f) => f.bytes.buffer) : [];
    send(command, transfer);
  }
  // A URL that already says these settings (a link as its author wrote it) is left as it is.
  if (hash !== null && hash !== normalLink(location.hash)) {
    history.replaceState(null, '', hash ? `#${hash}` : location.pathname + location.search);
  }
  if (download) results.save(download);
}

// The page's own failures (the chart library, an uncaught exception): kind 'page', which no
// new run clears.
const pageError = (/** @type {string} */ message) => dispatch({ type: 'error', kind: 'page', message });
const settingsPatch = (/** @type {Record<string, any>} */ patch) => dispatch({ intent: 'settings', patch });

/** When a stalled start gets a fresh worker, and when the page says it is still starting. */
const RESTART_MS = 25_000;
const SLOW_START_MS = 60_000;
const SLOW_START = `The training engine has not started after ${SLOW_START_MS / 1000} s. It may still: if not, reload the page (the browser's console says what it waits for).`;
// The training worker starts once the offline copy is settled (below), so that its downloads
// go through the service worker; until then its commands wait here.
/** @type {Worker | null} */
let worker = null;
/** @type {[any, Transferable[]][]} */
const outbox = [];
const send = (/** @type {any} */ command, /** @type {Transferable[]} */ transfer = []) =>
  worker ? worker.postMessage(command, transfer) : outbox.push([command, transfer]);

const charts = new Charts(byId('loss-chart'), byId('accuracy-chart'), state.settings.log, pageError);
const diagnostics = new DiagnosticsPanel(byId('diagnostics'), (/** @type {number} */ layer) => settingsPatch({ layer }));
const health = new HealthView(byId('health'), (/** @type {number} */ layer) => settingsPatch({ layer }));
const depthMap = new DepthMap(byId('health').querySelector('.depth-map'));
const signal = new SignalView(byId('signal'), uPlotReady);
const presets = new PresetsView(dispatch);
const tiles = new TilesView(byId('tiles'));
const experiments = new Experiments(dispatch);
const status = new StatusView(dispatch);
const controls = new ControlsPanel(dispatch);
const liveCharts = new LiveCharts(charts);
const lesson = new LessonView(dispatch);
new AuthorPanel(() => state);
const results = new ResultsView(
  dispatch,
  () => state,
  () => models,
);

/** The run's curves: each initializer with its colour and dash, in the run's order, and (once
 * the run says) its weight matrices, activation and recipe. */
let models = [];

// Drawing is split into jobs, one per view, and a frame runs jobs only until FRAME_BUDGET_MS
// has passed; the rest run in the next frames, on the state as it is then. So a frame with
// a new validation pass (the table, the confusion matrix, the tiles, the gallery) spreads
// them out instead of one long task. Each view draws only what changed since it last drew,
// so a job with nothing new is cheap.
const FRAME_BUDGET_MS = 8;
const JOBS = [
  () => lesson.show(state),
  () => status.show(state),
  () => liveCharts.show(state, models),
  () => results.show(state),
  () => diagnostics.show(models, state.diagnostics),
  () => signal.show(models, state.signal),
  () => health.show(models, state.health, state.run.healthBins),
  () => depthMap.show(models, state.health, state.settings.projector),
  () => tiles.show(models, state.diagnostics),
  () => experiments.controls(state),
  () => presets.show(state),
  () => experiments.mistakes(state, models),
  () => experiments.sweepChart(state, models),
];
/** The jobs still to run for the state last drawn, in order. */
let jobs = [];
let frame = 0;
const drawSoon = () => {
  if (!frame) frame = requestAnimationFrame(draw);
};

/** Brings the page up to the state: what shapes the page at once, then the views' jobs. */
function draw() {
  frame = 0;
  const start = performance.now();
  if (state !== drawn) {
    prepare(state, drawn);
    drawn = state;
    jobs = [...JOBS];
  }
  while (jobs.length && performance.now() - start < FRAME_BUDGET_MS) jobs.shift()();
  if (jobs.length) drawSoon();
}

/** What every view needs first: the page's layout, the controls, the curves' colours. */
function prepare(/** @type {State} */ s, /** @type {State | null} */ was) {
  if (s.settings !== was?.settings) layout(s, was);
  if (s.catalog && (s.catalog !== was?.catalog || s.settings !== was.settings || s.custom !== was.custom)) {
    if (s.catalog !== was?.catalog) charts.setOverlays({ lnClasses: s.catalog.ln_classes ?? null, classes: s.catalog.classes ?? 10 });
    controls.show(s);
    const config = trainConfig(s.settings, s.catalog.lesson_config);
    diagnostics.setDropout(config.dropout);
    // The run's network; models whose ids change it (`he-normal@tanh`) say so in the legends.
    const own = (s.settings.inits ?? []).some((id) => id.includes('@')) ? ', some models with their own settings' : '';
    byId('subtitle').textContent =
      `Fashion-MNIST · ${networkText(config, activationName(s.catalog, config.activation))}${own} · one network per initializer, same batches`;
  }
  if (
    !was ||
    s.run.inits !== was.run.inits ||
    s.run.archs !== was.run.archs ||
    s.catalog !== was.catalog ||
    s.settings.projector !== was.settings.projector
  ) {
    const looks = runStyles(s.run.inits);
    models = s.run.inits.map((id, m) => {
      const arch = s.run.archs[m];
      const depth = arch && {
        layers: arch.hidden.length + 1,
        activation: arch.activation,
        activationName: activationName(s.catalog, arch.activation),
      };
      return { id, label: s.run.labels[m], ...looks[m], ...depth, recipe: arch ? archText(arch, depth.activationName) : '' };
    });
  }
}

/** The settings that shape the page itself: hidden sections, projector mode, the charts' log
 * scale and training-accuracy line, the layer the views show. */
function layout(/** @type {State} */ s, /** @type {State | null} */ was) {
  const { settings } = s;
  for (const section of document.querySelectorAll('[data-section]')) {
    /** @type {HTMLElement} */ (section).hidden = settings.hide.includes(/** @type {HTMLElement} */ (section).dataset.section);
  }
  const noPanel = [...document.querySelectorAll('.panel [data-section]')].every((section) => /** @type {HTMLElement} */ (section).hidden);
  document.querySelector('main').classList.toggle('no-panel', noPanel);
  if (settings.projector !== was?.settings.projector) projector(settings.projector);
  /** @type {HTMLInputElement} */ (byId('log-scale')).checked = settings.log;
  if (was && settings.log !== was.settings.log) charts.setLog(settings.log);
  /** @type {HTMLInputElement} */ (byId('train-accuracy')).checked = settings.trainAccuracy;
  diagnostics.setLayer(settings.layer);
  health.setLayer(settings.layer);
}

/** Projector mode: large type, thick lines, high contrast, the colour-blind-safe palette, and
 * charts short enough that both fit a 1024×768 screen with the controls. */
function projector(/** @type {boolean} */ on) {
  document.documentElement.classList.toggle('projector', on);
  byId('projector').setAttribute('aria-pressed', String(on));
  usePalette({ projector: on });
  const height = on ? Math.max(180, Math.min(280, Math.round(innerHeight * 0.34))) : 280;
  charts.setStyle({ lineWidth: on ? 4 : 2, height });
  health.setStyle({ lineWidth: on ? 4 : 2 });
  signal.setStyle({ lineWidth: on ? 4 : 2 });
  experiments.setStyle({ lineWidth: on ? 4 : 2, height });
  results.shown = null; // the table's swatches, in the new colours
  controls.recolour(); // and the toggles'
}

byId('lesson').addEventListener('click', () => dispatch({ intent: 'lesson' }));
byId('projector').addEventListener('click', () => settingsPatch({ projector: !state.settings.projector }));
byId('log-scale').addEventListener('change', (event) => settingsPatch({ log: /** @type {HTMLInputElement} */ (event.target).checked }));
byId('train-accuracy').addEventListener('change', (event) =>
  settingsPatch({ trainAccuracy: /** @type {HTMLInputElement} */ (event.target).checked }),
);
watchDataFiles(byId('files'), byId('drop'), (files) => dispatch({ intent: 'files', files }));
addEventListener('hashchange', () => dispatch({ intent: 'hash', hash: location.hash }));

// For tests and the curious: what the charts and views hold and where the run is.
Object.assign(window, {
  weightInitLab: {
    snapshot: () => {
      const s = state;
      const experiments = () => experimentsSnapshot(s);
      return snapshotOf(s, {
        backend: () => backendLabel(s.backend),
        confusion: () => experiments().confusion,
        gallery: () => experiments().gallery,
        sweep: () => experiments().sweep,
      });
    },
  },
});

perform(effects(null, state));
drawSoon();
labBoot.reportErrorsTo(pageError);
// The engine starts once the page knows it is not reloading to become cross-origin isolated
// and the offline copy's service worker (engine/isolation.js) controls it where it can: the
// worker's downloads then fill the offline copy, and the CPU fallback may have threads.
offlineCopy(new URL('../sw.js', import.meta.url), state.settings, (offline) => dispatch({ type: 'offline', ...offline }))
  .catch(() => {})
  .then(() => {
    startEngine(state.settings.threads);
    // A start that stalls with no error anywhere (seen now and then in Firefox, its worker's
    // scripts loaded) gets one fresh worker, on one thread; after that the page says so
    // instead of "starting…" alone, and the line goes if it starts.
    const stalled = () => state.backend.kind === null && !state.error;
    setTimeout(() => {
      if (!stalled()) return;
      console.warn(`The training engine had not started after ${RESTART_MS / 1000} s: a fresh worker starts it on one thread`);
      worker.terminate();
      worker = null;
      perform(effects(null, state)); // the commands for the settings, again, into the outbox
      startEngine(1);
    }, RESTART_MS);
    setTimeout(() => {
      if (stalled()) dispatch({ type: 'error', kind: 'slow-start', message: SLOW_START });
    }, SLOW_START_MS);
  });

/** Starts the training worker, hands it the commands waiting for it, and starts its engine on
 * `threads` threads (the page's setting: 0 for as many as the cores). */
function startEngine(/** @type {number} */ threads) {
  worker = startWorker(dispatch, (message) => dispatch({ type: 'error', kind: 'internal', message }));
  for (const [command, transfer] of outbox.splice(0)) worker.postMessage(command, transfer);
  const { backend, simd } = state.settings;
  worker.postMessage({ type: Setup.start, backend, threads, simd, data_url: new URL('../data/', import.meta.url).href });
}
