// The page: keeps the state (mirrored in the URL), starts the worker that trains, and turns
// the worker's messages into charts, tables and status lines. Nothing here trains.
import { Charts } from './charts.js';
import { buildInitToggles, buildParams, offeredInits, setInitToggles, setParams } from './controls.js';
import { watchDataFiles } from './datafiles.js';
import { DiagnosticsPanel } from './diagnostics.js';
import { colorOf } from './palette.js';
import { renderResults } from './table.js';
import { renderSamples } from './samples.js';
import { lessonPreset, parseHash, toHash, trainConfig } from './state.js';

const $ = (id) => document.getElementById(id);
const SETTLE_MS = 300;
const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

const parsed = parseHash(location.hash);
let state = parsed.state;
let catalog = null;
let classNames = null;
let run = { ready: false, running: false, step: 0, total: 0, finished: false, models: 0, imagesPerSec: 0 };
let backendLabel = '';
let diagnosticsTimer = 0;

const charts = new Charts($('loss-chart'), $('accuracy-chart'), state.log);
const diagnostics = new DiagnosticsPanel($('diagnostics'), (layer) => update({ layer }));
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const send = (type, body = {}, transfer = []) => worker.postMessage({ type, ...body }, transfer);

// ---- state ------------------------------------------------------------------------------

/** Applies a state patch: URL, controls, and the worker when training settings change. */
function update(patch) {
  const before = state;
  state = { ...state, ...patch };
  const hash = toHash(state);
  history.replaceState(null, '', hash ? `#${hash}` : location.pathname + location.search);
  apply(before);
}

function apply(before) {
  for (const el of document.querySelectorAll('[data-section]')) el.hidden = state.hide.includes(el.dataset.section);
  $('log-scale').checked = state.log;
  if (before.log !== state.log) charts.setLog(state.log);
  diagnostics.setLayer(state.layer);
  if (before.hide.includes('diagnostics')) requestDiagnostics();
  if (!catalog) return;
  setInitToggles($('inits'), selectedInits());
  setParams($('params'), state, catalog.lesson_config);
  if (JSON.stringify(settings(before)) !== JSON.stringify(settings(state))) configure();
}

/** Asks for the per-layer statistics (after `delay` ms), unless the panel is hidden. The
 * panel shows them at checkpoints only (step 0, each validation pass, a pause, a single
 * step): each one reads every weight back. */
function requestDiagnostics(delay = 0) {
  clearTimeout(diagnosticsTimer);
  const ask = () => {
    if (run.ready && !state.hide.includes('diagnostics')) send('diagnostics');
  };
  if (delay) diagnosticsTimer = setTimeout(ask, delay);
  else ask();
}

const selectedInits = (s = state) => s.inits ?? catalog.lesson_inits;
const settings = (s) => ({ inits: selectedInits(s), config: trainConfig(s, catalog.lesson_config) });

function configure() {
  hideError('worker'); // the person acted; a problem with the new settings shows again
  clearTimeout(diagnosticsTimer);
  run = { ...run, ready: false, running: false };
  renderButtons();
  send('configure', settings(state));
}

addEventListener('hashchange', () => {
  const before = state;
  state = parseHash(location.hash).state;
  apply(before);
});

// ---- worker messages --------------------------------------------------------------------

const onMessage = {
  catalog({ catalog: c }) {
    catalog = c;
    const offered = offeredInits(catalog, state.inits);
    buildInitToggles($('inits'), offered, selectedInits(), (ids) => update({ inits: ids }));
    buildParams($('params'), state, catalog.lesson_config, update);
    configure();
    if (parsed.problems.length) showError(`Link settings: ${parsed.problems.join('; ')}`, 'link');
  },
  backend(msg) {
    const gpu = msg.kind === 'gpu';
    backendLabel = gpu ? `WebGPU · ${msg.adapter || msg.name}` : msg.name || 'CPU';
    $('backend-name').textContent = backendLabel;
    $('backend-note').textContent = msg.note;
    $('backend').dataset.kind = msg.kind;
    const other = $('backend-switch');
    other.hidden = !msg.gpuAvailable;
    other.textContent = gpu ? 'use CPU' : 'use WebGPU';
    other.dataset.kind = gpu ? 'cpu' : 'gpu';
  },
  'data-progress'({ loaded, total }) {
    const bar = $('data-progress');
    bar.hidden = false;
    if (total > 0) bar.value = loaded / total;
    else bar.removeAttribute('value');
    $('progress-text').textContent = `loading data… ${(loaded / 1e6).toFixed(1)} MB`;
  },
  data(msg) {
    classNames = msg.fashion ? catalog.fashion_classes : null;
    $('data-progress').hidden = true;
    $('data-name').textContent = `${msg.name}: ${number.format(msg.count)} images of ${msg.rows}×${msg.cols}`;
    $('data-default').hidden = msg.fashion;
    renderSamples($('samples'), msg.samples, classNames);
    hideError('data');
    // The worker builds a new trainer for the new data; "configured" follows.
    run = { ...run, ready: false, running: false };
    renderButtons();
  },
  'data-error'({ message }) {
    $('data-progress').hidden = true;
    showError(message, 'data');
  },
  configured(msg) {
    const models = msg.inits.map((id) => ({ id, label: labelOf(id), color: colorOf(id) }));
    charts.setModels(models, msg.total);
    diagnostics.setModels(models);
    $('results').tBodies[0].replaceChildren();
    $('results-note').textContent = msg.ready ? 'The table fills in at each validation pass.' : '';
    run = { ...run, ready: msg.ready, running: false, step: 0, total: msg.total, finished: false, models: models.length };
    renderButtons();
    renderStatus();
    // Clicking through the toggles rebuilds the trainer each time: wait until the person
    // settles, but ask at once when training starts by itself (step 0 is the story).
    requestDiagnostics(state.autorun ? 0 : SETTLE_MS);
    if (msg.ready && state.autorun) send('train');
  },
  progress(msg) {
    charts.append(msg);
    run = { ...run, step: msg.step, total: msg.total, finished: msg.finished, imagesPerSec: msg.imagesPerSec };
    renderStatus();
    renderButtons();
    if (!run.running) requestDiagnostics(); // a single step
  },
  results({ results, finished }) {
    renderResults($('results').tBodies[0], results);
    requestDiagnostics(); // a validation pass
    if (finished) {
      $('results-note').textContent =
        `${run.models} networks × ${number.format(run.total)} steps on ${backendLabel}: ` +
        `${number.format(run.imagesPerSec)} images/s, each through all ${run.models} networks ` +
        `(${number.format(run.imagesPerSec * run.models)} samples/s).`;
    }
  },
  running({ running }) {
    run = { ...run, running };
    renderButtons();
    if (!running) requestDiagnostics();
  },
  reset({ total }) {
    charts.clear();
    $('results').tBodies[0].replaceChildren();
    $('results-note').textContent = 'The table fills in at each validation pass.';
    run = { ...run, step: 0, total, finished: false, running: false, imagesPerSec: 0 };
    renderStatus();
    renderButtons();
    requestDiagnostics();
  },
  diagnostics(msg) {
    diagnostics.show(msg);
  },
  error({ message }) {
    showError(message, 'worker');
    run = { ...run, running: false };
    renderButtons();
  },
};

worker.onmessage = ({ data: msg }) => onMessage[msg.type]?.(msg);
worker.onerror = (event) => showError(`The training worker failed: ${event.message ?? 'unknown error'}`, 'worker');

const labelOf = (id) => catalog.initializers.find((i) => i.id === id)?.label ?? id;

// ---- rendering --------------------------------------------------------------------------

function renderButtons() {
  const train = $('train');
  train.disabled = !run.ready || run.finished;
  train.textContent = run.running ? 'Pause' : run.step > 0 && !run.finished ? 'Resume' : 'Train';
  train.setAttribute('aria-pressed', String(run.running));
  $('step').disabled = !run.ready || run.running || run.finished;
  $('reset').disabled = !run.ready || run.step === 0;
}

function renderStatus() {
  const epochs = trainConfig(state, catalog?.lesson_config ?? {}).epochs ?? 1;
  const epoch = run.total ? ((run.step / run.total) * epochs).toFixed(2) : '0';
  $('progress-text').textContent = run.ready
    ? `step ${number.format(run.step)} / ${number.format(run.total)} · epoch ${epoch}${run.finished ? ' · done' : ''}`
    : 'preparing…';
  $('speed').textContent = run.imagesPerSec ? `${number.format(run.imagesPerSec)} images/s` : '';
}

/** Shows one problem at a time; `source` says which later success clears it. */
function showError(message, source) {
  $('error-text').textContent = message;
  $('error').hidden = false;
  $('error').dataset.source = source;
}

/** Hides the problem shown, if it came from `source` (any, without one). */
function hideError(source) {
  if (!source || $('error').dataset.source === source) $('error').hidden = true;
}

// ---- wiring -----------------------------------------------------------------------------

$('train').addEventListener('click', () => send(run.running ? 'pause' : 'train'));
$('step').addEventListener('click', () => send('step'));
$('reset').addEventListener('click', () => send('reset'));
$('lesson').addEventListener('click', () => update(lessonPreset(state)));
$('log-scale').addEventListener('change', (event) => update({ log: event.target.checked }));
$('backend-switch').addEventListener('click', (event) => {
  const kind = event.target.dataset.kind;
  send('backend', { kind });
  update({ backend: kind });
});
$('error-close').addEventListener('click', () => hideError());
$('data-default').addEventListener('click', () => send('fashion'));
watchDataFiles($('files'), $('drop'), (files) =>
  send('files', { files }, files.map((f) => f.bytes.buffer)),
);

// For tests and the curious: what the charts hold and where the run is.
window.weightInitLab = { snapshot: () => ({ ...charts.snapshot(), run: { ...run }, backend: backendLabel }) };

apply(state);
send('setup', { backend: state.backend, dataUrl: new URL('../data/', import.meta.url).href });
