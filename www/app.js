// The page: one state object, updated by the pure reducer (reducer.js) from the worker's
// events, and rendered from it. The URL holds the settings (state.js); controls change the
// settings, and the page sends the worker commands (protocol.js). Nothing here trains.
import { reportErrorsTo } from './startup.js'; // first: it shows any failure while the page starts
import { Charts } from './charts.js';
import { buildInitToggles, buildParams, offeredInits, setInitToggles, setParams } from './controls.js';
import { watchDataFiles } from './datafiles.js';
import { DiagnosticsPanel } from './diagnostics.js';
import { isCustomId } from './custom-inits.js';
import { chartPng, copyText, download } from './exports.js';
import { accuracyKey, fullFlags } from './accuracy-marks.js';
import { Experiments } from './experiments.js';
import { formatCount, formatLoss, formatPercent, isFiniteNumber } from './format.js';
import { HealthView } from './health.js';
import { offlineCopy } from './isolation.js';
import { styleOf, usePalette } from './palette.js';
import { Command, Event, Setup } from './protocol.js';
import { initialState, reduce } from './reducer.js';
import { points } from './series.js';
import { renderResults } from './table.js';
import { renderSamples } from './samples.js';
import { snapshotOf } from './snapshot.js';
import { lessonPreset, parseHash, toHash, trainConfig } from './state.js';
import { TilesView } from './tiles.js';

const $ = (id) => document.getElementById(id);
const epochOf = (run, step) => (run.stepsPerEpoch ? step / run.stepsPerEpoch : 0).toFixed(2);

let parsed = parseHash(location.hash);
let settings = parsed.state; // what the URL says
let state = initialState(); // what the worker said
let shown = state; // the state last rendered

// The page's own failures (the chart library, an uncaught exception): kind 'page', which no
// new run clears.
const pageError = (message) => dispatch({ type: Event.error, kind: 'page', message });
const charts = new Charts($('loss-chart'), $('accuracy-chart'), settings.log, pageError);
const diagnostics = new DiagnosticsPanel($('diagnostics'), (layer) => updateSettings({ layer }));
const health = new HealthView($('health'), (layer) => updateSettings({ layer }));
const tiles = new TilesView($('tiles'));
// The scale sweep, custom initializers, the dropout switch, and what each model gets wrong.
const experiments = new Experiments({
  settings: () => settings,
  inits: () => selectedInits(),
  update: (patch) => updateSettings(patch),
  train: () => send({ type: Command.train }),
  reset: () => send({ type: Command.reset }),
});
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const send = (message, transfer = []) => worker.postMessage(message, transfer);

/** Events raised while a render runs (a view that changes the settings: the custom form
 * taking back a refused initializer), else null: they wait for that render to end, which
 * would otherwise finish by drawing its older state over theirs (an error banner left up). */
let pending = null;
function dispatch(event) {
  if (pending) return void pending.push(event);
  pending = [event];
  try {
    while (pending.length) {
      state = reduce(state, pending.shift());
      render();
    }
  } finally {
    pending = null; // a render that throws (reported by startup.js) must not hold up the rest
  }
}

worker.onmessage = ({ data: event }) => {
  dispatch(event);
  if (event.type === Event.error) dropRefusedInit(event);
  if (event.type === Event.catalog) onCatalog();
  if (event.type === Event.run && settings.autorun) send({ type: Command.train });
  if (event.type === Event.export) saveExport(event);
};
// A worker whose module or engine cannot load gets a bare Event, with no message.
worker.onerror = (event) =>
  dispatch({ type: Event.error, kind: 'internal', message: `The training worker failed: ${event.message ?? 'it could not load'}` });

// ---- settings (the URL) -----------------------------------------------------------------

const selectedInits = (s = settings) => s.inits ?? state.catalog.lesson_inits;
const runSettings = (s) => ({ inits: selectedInits(s), config: trainConfig(s, state.catalog.lesson_config) });

function updateSettings(patch) {
  const before = settings;
  settings = { ...settings, ...patch };
  const hash = toHash(settings);
  history.replaceState(null, '', hash ? `#${hash}` : location.pathname + location.search);
  applySettings(before);
}

function applySettings(before) {
  for (const el of document.querySelectorAll('[data-section]')) el.hidden = settings.hide.includes(el.dataset.section);
  if (before.projector !== settings.projector || before === settings) applyProjector(settings.projector);
  $('log-scale').checked = settings.log;
  if (before.log !== settings.log) charts.setLog(settings.log);
  diagnostics.setLayer(settings.layer);
  health.setLayer(settings.layer);
  $('train-accuracy').checked = settings.trainAccuracy;
  charts.setOverlays({ showTrain: settings.trainAccuracy });
  $('accuracy-key').textContent = accuracyKey(state.evalImages, settings.evalEvery, settings.trainAccuracy);
  // The session computes diagnostics (the panel, the weight tiles) and health samples only
  // while a section shows them.
  const watch = (s) => {
    const shown = (section) => !s.hide.includes(section);
    return { diagnostics: shown('diagnostics') || shown('tiles') || shown('mistakes'), health: shown('health') };
  };
  if (JSON.stringify(watch(before)) !== JSON.stringify(watch(settings)) || before === settings) {
    send({ type: Command.watch, ...watch(settings) });
  }
  if (!state.catalog) return;
  showInits();
  applyExperimentSettings();
  setParams($('params'), settings, state.catalog.lesson_config);
  if (JSON.stringify(runSettings(before)) !== JSON.stringify(runSettings(settings))) configure();
}

/** Projector mode: large type, thick lines, high contrast, the colour-blind-safe palette, and
 * charts short enough that both fit a 1024×768 screen with the controls. */
function applyProjector(on) {
  document.documentElement.classList.toggle('projector', on);
  $('projector').setAttribute('aria-pressed', String(on));
  usePalette({ projector: on });
  const height = on ? Math.max(180, Math.min(280, Math.round(innerHeight * 0.34))) : 280;
  charts.setStyle({ lineWidth: on ? 4 : 2, height });
  health.setStyle({ lineWidth: on ? 4 : 2 });
  experiments.setStyle({ lineWidth: on ? 4 : 2, height });
  models = []; // new colours
  if (state.catalog) {
    showInits(true);
    shown = initialState(); // everything is drawn again, in the new colours
    render();
  }
}

function configure() {
  dispatch({ type: 'configuring' });
  send({ type: Command.configure, ...runSettings(settings) });
}

function onCatalog() {
  dropUnknownInits();
  charts.setOverlays({ lnClasses: state.catalog.ln_classes ?? null, classes: state.catalog.classes ?? 10 });
  showInits(true);
  applyExperimentSettings();
  buildParams($('params'), settings, state.catalog.lesson_config, updateSettings, (message) =>
    dispatch({ type: Event.error, kind: 'input', message }),
  );
  configure();
  showLinkProblems();
}

/** The initializer toggles: built again when the ids offered change (a custom one added or
 * removed) or on `rebuild` (new colours), else only checked and unchecked. */
let offeredKey = '';
function showInits(rebuild = false) {
  const offered = offeredInits(state.catalog, [...(settings.inits ?? []), ...experiments.customIds()]);
  const key = offered.map((i) => i.id).join();
  if (!rebuild && key === offeredKey) return setInitToggles($('inits'), selectedInits());
  offeredKey = key;
  buildInitToggles($('inits'), offered, selectedInits(), (ids) => updateSettings({ inits: ids }), (id) => experiments.remove(id));
}

/** The dropout switch, the gain slider and the symmetry view's sentence follow the settings. */
function applyExperimentSettings() {
  experiments.applySettings(settings, state.catalog.lesson_config);
  diagnostics.setDropout(trainConfig(settings, state.catalog.lesson_config).dropout);
}

function showLinkProblems() {
  if (parsed.problems.length) dispatch({ type: Event.error, kind: 'link', message: `Link settings: ${parsed.problems.join('; ')}` });
}

/** An initializer name the engine does not know (a link's `inits=zeros,foo`) is named in the
 * link's problems and left out, as any unusable link value is; custom ids (`constant:…`,
 * `uniform:…`, `normal:…`) go to the engine, which checks their parameters. */
function dropUnknownInits() {
  const known = new Set(state.catalog.initializers.map((i) => i.id));
  const usable = (id) => known.has(id) || /^(constant|uniform|normal|gain):/.test(id);
  const unknown = (settings.inits ?? []).filter((id) => !usable(id));
  if (!unknown.length) return;
  parsed.problems.push(...unknown.map((id) => `ignored unknown initializer ${id} (known: ${[...known].join(', ')})`));
  const inits = settings.inits.filter(usable);
  updateSettings({ inits: inits.length ? inits : null });
}

/** A custom initializer in the settings that the engine refused (a link's `uniform:1:0`; one
 * just added in the form is taken back by experiments.refuseAdded first) is left out and named
 * in the link's problems, as an unknown name is: the rest of the link still trains. */
function dropRefusedInit(error) {
  if (error.kind !== 'settings') return;
  const refused = (settings.inits ?? []).find((id) => isCustomId(id) && error.message.includes(`\`${id}\``));
  if (!refused) return;
  parsed.problems.push(`ignored ${error.message}`);
  const inits = settings.inits.filter((id) => id !== refused);
  updateSettings({ inits: inits.length ? inits : null });
  showLinkProblems();
}

addEventListener('hashchange', () => {
  const before = settings;
  parsed = parseHash(location.hash);
  settings = parsed.state;
  if (state.catalog) dropUnknownInits();
  applySettings(before);
  showLinkProblems();
});

// ---- rendering --------------------------------------------------------------------------

let models = [];

function render() {
  const s = state;
  const was = shown;
  shown = s;
  if (s.run.inits !== was.run.inits || models.length === 0) {
    models = s.run.inits.map((id, m) => ({ id, label: s.run.labels[m], ...styleOf(id) }));
  }
  if (s.backend !== was.backend) renderBackend(s.backend);
  if (s.data !== was.data) renderData(s.data, was.data);
  if (s.run !== was.run || s.data !== was.data) {
    renderButtons(s.run);
    renderStatus(s);
  }
  if (s.loss !== was.loss || s.accuracy !== was.accuracy || s.trainAccuracy !== was.trainAccuracy || s.run.total !== was.run.total) {
    const [loss, accuracy] = [points(s.loss), points(s.accuracy)];
    charts.setOverlays({ full: fullFlags(s), train: points(s.trainAccuracy) });
    charts.show(models, s.run.total, loss, accuracy);
    $('accuracy-key').textContent = accuracyKey(s.evalImages, settings.evalEvery, settings.trainAccuracy);
    $('loss-summary').textContent = chartSummary('Training loss', loss, formatLoss);
    $('accuracy-summary').textContent = chartSummary('Validation accuracy', accuracy, (v) => formatPercent(v / 100, 1));
  }
  announce(s, was);
  if (s.results !== was.results || s.run.summary !== was.run.summary || s.notice !== was.notice || s.run.ready !== was.run.ready) {
    renderTable(s); // its note says when an empty table fills in, once the run is ready
  }
  if (s.notice && s.notice !== was.notice) $('announce').textContent = s.notice;
  diagnostics.show(models, s.diagnostics);
  health.show(models, s.health, s.run.healthBins);
  tiles.show(models, s.diagnostics);
  experiments.show(s, models);
  if (s.error !== was.error) renderError(s.error);
}

/** The charts' latest numbers as a sentence, for people who cannot see the curves. */
function chartSummary(name, chart, format) {
  const step = chart.steps.at(-1);
  if (step === undefined) return `${name}: no points yet.`;
  return `${name} at step ${step}: ${models.map((m, i) => `${m.label} ${format(chart.series[i].at(-1))}`).join(', ')}.`;
}

/** Says the run's milestones through the polite live region. */
function announce(s, was) {
  const best = () => {
    const rows = (s.results?.rows ?? []).filter((r) => isFiniteNumber(r.val_accuracy));
    const top = rows.sort((a, b) => b.val_accuracy - a.val_accuracy)[0];
    return top ? `; best ${top.label} at ${formatPercent(top.val_accuracy, 1)}` : '';
  };
  let text = '';
  if (s.run.finished && !was.run.finished) text = `Training finished at step ${s.run.step}${best()}.`;
  else if (s.results !== was.results && s.results) text = `Validation at step ${s.results.step}${best()}.`;
  else if (s.run.running && !was.run.running) text = 'Training.';
  else if (!s.run.running && was.run.running && !s.run.finished) text = `Paused at step ${s.run.step}.`;
  if (text) $('announce').textContent = text;
}

function renderBackend(b) {
  const gpu = b.kind === 'gpu';
  $('backend-name').textContent = gpu ? `WebGPU · ${b.name}` : b.name || 'CPU';
  $('backend-note').textContent = b.reason;
  $('backend').dataset.kind = b.kind ?? '';
  const other = $('backend-switch');
  other.hidden = !b.gpuAvailable;
  other.textContent = gpu ? 'use CPU' : 'use WebGPU';
  other.dataset.kind = gpu ? 'cpu' : 'gpu';
}

function renderData(d, was) {
  const bar = $('data-progress');
  bar.hidden = !d.loading || d.loaded === 0;
  if (d.total > 0) bar.value = d.loaded / d.total;
  else bar.removeAttribute('value');
  if (d.loading && d.loaded > 0) $('progress-text').textContent = `loading data… ${(d.loaded / 1e6).toFixed(1)} MB`;
  if (d.loading) return;
  $('data-name').textContent = `${d.name}: ${formatCount(d.count)} images of ${d.rows}×${d.cols}`;
  $('data-default').hidden = d.fashion;
  if (d.samples && d.samples !== was.samples) {
    renderSamples($('samples'), d.samples, d.fashion ? state.catalog.fashion_classes : null);
  }
}

/** Where focus goes when the focused button disables itself (Reset at step 0, Train at the
 * end of a run), instead of falling to <body>: the first of these still enabled. */
const FOCUS_NEXT = { reset: ['train', 'step'], train: ['reset', 'step'], step: ['train', 'reset'] };

function renderButtons(run) {
  const focused = document.activeElement;
  setButtons(run);
  if (focused?.disabled && FOCUS_NEXT[focused.id]) {
    const next = FOCUS_NEXT[focused.id].map($).find((b) => !b.disabled && !b.closest('[hidden]'));
    (next ?? $('lesson')).focus();
  }
}

function setButtons(run) {
  const train = $('train');
  train.disabled = !run.ready || run.finished;
  train.textContent = run.running ? 'Pause' : run.step > 0 && !run.finished ? 'Resume' : 'Train';
  train.setAttribute('aria-pressed', String(run.running));
  $('step').disabled = !run.ready || run.running || run.finished;
  $('reset').disabled = !run.ready || run.step === 0;
  for (const id of ['export-csv', 'export-json', 'export-loss-png', 'export-accuracy-png']) {
    $(id).disabled = !run.ready || run.step === 0;
  }
}

function renderStatus({ run, data }) {
  if (data.loading && !run.ready) return; // the data progress line stays
  $('progress-text').textContent = run.ready
    ? `step ${formatCount(run.step)} / ${formatCount(run.total)} · epoch ${epochOf(run, run.step)}${run.finished ? ' · done' : ''}`
    : 'preparing…';
  $('speed').textContent = run.imagesPerSec ? `${formatCount(run.imagesPerSec)} images/s${eta(run)}` : '';
}

/** The time the rest of the run should take at the speed so far, while training. */
function eta(run) {
  if (!run.running || run.finished || !run.batchSize) return '';
  const seconds = ((run.total - run.step) * run.batchSize) / run.imagesPerSec;
  return seconds >= 90 ? ` · about ${Math.round(seconds / 60)} min left` : ` · about ${Math.ceil(seconds)} s left`;
}

function renderTable({ results, run, notice }) {
  renderResults($('results').tBodies[0], results?.rows ?? []);
  const summary = run.summary;
  $('results-note').textContent = summary
    ? `${run.inits.length} networks × ${formatCount(summary.steps)} steps on ${$('backend-name').textContent}: ` +
      `${formatCount(summary.images_per_sec)} images/s, each through all ${run.inits.length} networks ` +
      `(${formatCount(summary.images_per_sec * run.inits.length)} samples/s).`
    : notice
      ? notice
      : run.ready
        ? 'The table fills in at each validation pass.'
        : '';
  // Every column of a row comes from the same step: the validation pass the table shows.
  if (results) {
    const at = `at step ${formatCount(results.step)} (epoch ${epochOf(run, results.step)})`;
    $('results-step').textContent = `${at}${results.finished ? ', the end of the run' : ''}`;
  } else {
    $('results-step').textContent = '';
  }
}

function renderError(error) {
  $('error').hidden = !error;
  $('error-text').textContent = error?.message ?? '';
  $('error').dataset.source = error?.kind ?? '';
}

// ---- wiring -----------------------------------------------------------------------------

$('train').addEventListener('click', () => send({ type: state.run.running ? Command.pause : Command.train }));
$('step').addEventListener('click', () => send({ type: Command.step }));
$('reset').addEventListener('click', () => send({ type: Command.reset }));
$('lesson').addEventListener('click', () => updateSettings(lessonPreset(settings)));
$('projector').addEventListener('click', () => updateSettings({ projector: !settings.projector }));
$('log-scale').addEventListener('change', (event) => updateSettings({ log: event.target.checked }));
$('train-accuracy').addEventListener('change', (event) => updateSettings({ trainAccuracy: event.target.checked }));
$('backend-switch').addEventListener('click', (event) => {
  const kind = event.target.dataset.kind;
  send({ type: Command.backend, kind });
  updateSettings({ backend: kind });
});
$('error-close').addEventListener('click', () => dispatch({ type: 'dismissed' }));
for (const format of ['csv', 'json']) {
  $(`export-${format}`).addEventListener('click', () => send({ type: Command.export, format }));
}
$('export-loss-png').addEventListener('click', () => savePng('loss', $('loss-chart'), 'Training loss per batch'));
$('export-accuracy-png').addEventListener('click', () => savePng('accuracy', $('accuracy-chart'), 'Validation accuracy (%)'));
$('copy-link').addEventListener('click', async () => {
  const copied = await copyText(location.href);
  $('export-status').textContent = copied ? 'Link copied.' : `Copy this link: ${location.href}`;
});
$('data-default').addEventListener('click', () => send({ type: Setup.fashion }));
watchDataFiles($('files'), $('drop'), (files) => send({ type: Setup.files, files }, files.map((f) => f.bytes.buffer)));

// ---- exports ----------------------------------------------------------------------------

const fileStem = () => `weight-init-lab-seed${trainConfig(settings, state.catalog.lesson_config).seed}-step${state.run.step}`;

/** An `export` event: the engine's CSV or JSON of the run, saved as a file. */
function saveExport({ format, content }) {
  download(`${fileStem()}.${format}`, content, format === 'json' ? 'application/json' : 'text/csv');
  $('export-status').textContent = `Saved ${fileStem()}.${format}.`;
}

async function savePng(name, container, title) {
  const png = await chartPng(container, `${title} · ${fileStem()}`, models);
  // (models carry each curve's colour and dash, drawn in the picture's legend)
  if (png) download(`${fileStem()}-${name}.png`, png);
}

// For tests and the curious: what the charts and views hold and where the run is.
window.weightInitLab = {
  snapshot: () => snapshotOf(state, { backend: $('backend-name').textContent, ...experiments.snapshot(state) }),
};

applySettings(settings);
reportErrorsTo(pageError);
// The engine starts once the page knows it is not reloading to become cross-origin isolated
// (isolation.js: the offline copy's service worker makes the CPU fallback's threads possible).
offlineCopy(new URL('../sw.js', import.meta.url), settings)
  .catch(() => {})
  .then(() => {
    const { backend, threads, simd } = settings;
    send({ type: Setup.start, backend, threads, simd, dataUrl: new URL('../data/', import.meta.url).href });
  });
