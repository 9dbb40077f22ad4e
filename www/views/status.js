// @ts-check
// The page's status: the backend badge, the status line (step, epoch, speed, time left), the
// Train / Step / Reset buttons, the data line with its sample strip, the error line, and the
// milestones read out to screen readers. Draws what changed since the last state; the
// buttons dispatch intents and nothing else.
import { downloadText, formatCount, formatPercent, isFiniteNumber } from '../model/format.js';
import { byId } from './dom.js';
import { renderSamples } from './samples.js';

/** @typedef {import('../model/reducer.js').State} State */

/** The epoch (2 decimals) at `step` of `run`. */
export const epochOf = (/** @type {State['run']} */ run, /** @type {number} */ step) => (run.stepsPerEpoch ? step / run.stepsPerEpoch : 0).toFixed(2);

/** The backend as the badge names it. */
export const backendLabel = (/** @type {State['backend']} */ b) =>
  b.kind === null ? 'starting…' : b.kind === 'none' ? 'not started' : b.kind === 'gpu' ? `WebGPU · ${b.name}` : b.name || 'CPU';

/** Where focus goes when the focused button disables itself (Reset at step 0, Train at the
 * end of a run), instead of falling to <body>: the first of these still enabled. */
const FOCUS_NEXT = { reset: ['train', 'step'], train: ['reset', 'step'], step: ['train', 'reset'] };
const EXPORTS = ['export-csv', 'export-json', 'export-loss-png', 'export-accuracy-png'];

export class StatusView {
  /** @param {(intent: {intent: string} & Record<string, any>) => void} dispatch */
  constructor(dispatch) {
    /** @type {State | null} */
    this.shown = null;
    for (const id of ['train', 'step', 'reset']) byId(id).addEventListener('click', () => dispatch({ intent: id }));
    byId('backend-switch').addEventListener('click', (event) => {
      dispatch({ intent: 'use-backend', kind: /** @type {HTMLElement} */ (event.target).dataset.kind });
    });
    byId('error-close').addEventListener('click', () => dispatch({ intent: 'dismissed' }));
    byId('data-default').addEventListener('click', () => dispatch({ intent: 'fashion' }));
  }

  /** @param {State} s */
  show(s) {
    const was = this.shown;
    this.shown = s;
    if (s.backend !== was?.backend && s.backend.kind !== null) this.backend(s.backend);
    if (s.data !== was?.data || s.catalog !== was?.catalog) this.data(s);
    if (s.dataNote !== was?.dataNote) {
      byId('data-note').hidden = !s.dataNote;
      byId('data-note').textContent = s.dataNote ?? '';
      if (s.dataNote) byId('announce').textContent = s.dataNote;
    }
    if (s.offline !== was?.offline) {
      const note = byId('offline-note');
      note.hidden = !s.offline;
      note.textContent = s.offline?.message ?? '';
      note.classList.toggle('warning', s.offline?.ok === false);
    }
    if (s.run !== was?.run || s.data !== was?.data || s.backend !== was?.backend) {
      this.buttons(s.run);
      this.status(s);
    }
    this.announce(s, was);
    if (s.notice && s.notice !== was?.notice) byId('announce').textContent = s.notice;
    if (s.error !== was?.error) {
      byId('error').hidden = !s.error;
      byId('error-text').textContent = s.error?.message ?? '';
      byId('error').dataset.source = s.error?.kind ?? '';
      byId('error-close').hidden = false; // boot.js hides it for a page that never started
    }
  }

  /** @param {State['backend']} b */
  backend(b) {
    const gpu = b.kind === 'gpu';
    byId('backend-name').textContent = backendLabel(b);
    byId('backend-note').textContent = b.reason;
    byId('backend').dataset.kind = b.kind ?? '';
    const other = byId('backend-switch');
    other.hidden = !b.gpuAvailable;
    other.textContent = gpu ? 'use CPU' : 'use WebGPU';
    other.dataset.kind = gpu ? 'cpu' : 'gpu';
  }

  /** @param {State} s */
  data({ data: d, catalog }) {
    const bar = byId(/** @type {string} */ ('data-progress'));
    const progress = /** @type {HTMLProgressElement} */ (bar);
    bar.hidden = !d.loading || d.loaded === 0;
    if (d.total > 0) progress.value = d.loaded / d.total;
    else bar.removeAttribute('value');
    if (d.loading && d.loaded > 0) byId('progress-text').textContent = `loading data… ${downloadText(d)}`;
    if (d.loading) return;
    byId('data-name').textContent = `${d.name}: ${formatCount(d.count)} images of ${d.rows}×${d.cols}`;
    byId('data-default').hidden = d.fashion;
    if (d.samples && d.samples !== this.samples) {
      this.samples = d.samples;
      renderSamples(byId('samples'), d.samples, d.fashion ? catalog?.fashion_classes : null);
    }
  }

  /** @param {State['run']} run */
  buttons(run) {
    const focused = /** @type {HTMLButtonElement | null} */ (document.activeElement);
    const train = /** @type {HTMLButtonElement} */ (byId('train'));
    train.disabled = !run.ready || run.finished;
    train.textContent = run.running ? 'Pause' : run.step > 0 && !run.finished ? 'Resume' : 'Train';
    train.setAttribute('aria-pressed', String(run.running));
    /** @type {HTMLButtonElement} */ (byId('step')).disabled = !run.ready || run.running || run.finished;
    /** @type {HTMLButtonElement} */ (byId('reset')).disabled = !run.ready || run.step === 0;
    for (const id of EXPORTS) /** @type {HTMLButtonElement} */ (byId(id)).disabled = !run.ready || run.step === 0;
    if (focused?.disabled && FOCUS_NEXT[focused.id]) {
      const next = FOCUS_NEXT[focused.id].map((id) => byId(id)).find((b) => !b.disabled && !b.closest('[hidden]'));
      (next ?? byId('lesson')).focus();
    }
  }

  /** @param {State} s */
  status({ run, data, backend }) {
    if (backend.kind === 'none') {
      byId('progress-text').textContent = '';
      return;
    }
    if (data.loading && !run.ready) return; // the data progress line stays
    byId('progress-text').textContent = run.ready
      ? `step ${formatCount(run.step)} / ${formatCount(run.total)} · epoch ${epochOf(run, run.step)}${run.finished ? ' · done' : ''}`
      : 'preparing…';
    byId('speed').textContent = run.imagesPerSec ? `${formatCount(run.imagesPerSec)} images/s${eta(run)}` : '';
  }

  /**
   * Says the run's milestones through the polite live region.
   * @param {State} s
   * @param {State | null} was
   */
  announce(s, was) {
    if (!was) return;
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
    if (text) byId('announce').textContent = text;
  }
}

/** The time the rest of the run should take at the speed so far, while training. */
function eta(/** @type {State['run']} */ run) {
  if (!run.running || run.finished || !run.batchSize) return '';
  const seconds = ((run.total - run.step) * run.batchSize) / run.imagesPerSec;
  return seconds >= 90 ? ` · about ${Math.round(seconds / 60)} min left` : ` · about ${Math.ceil(seconds)} s left`;
}
