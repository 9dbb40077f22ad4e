// @ts-check
// The experiment controls and result views: the dropout switch and the custom-initializer
// form beside the toggles, the weight-scale slider and the one-click scale sweep with its
// chart, what each model gets wrong (confusion matrix, per-class accuracy) and the prediction
// gallery. Controls dispatch intents (`settings`, `add-init`, `slider-gain`, `sweep`); the
// three drawing parts (controls, mistakes, sweepChart) each draw only what changed.
import { isFiniteNumber } from '../model/format.js';
import { effective, FIELDS } from '../model/settings.js';
import { gainAt, gainOfId, lessonMarks, positionOf, SLIDER_MAX, sweepPoints } from '../model/sweep.js';
import { uPlotReady } from './charts.js';
import { ConfusionView, classNamesFor, perClassAccuracy, rowSums, rowsOf } from './confusion.js';
import { CustomInitForm } from './custom-init-form.js';
import { byId } from './dom.js';
import { bindDropoutSwitch } from './dropout-switch.js';
import { galleryItems, renderGallery, wrongCounts } from './gallery.js';
import { SweepView } from './sweep.js';

/** @typedef {import('../model/reducer.js').State} State */
/** @typedef {{id: string, label: string, color: string, dash?: number[] | null}} Model */

const DROPOUT = FIELDS.find((f) => f.name === 'dropout');

export class Experiments {
  /** @param {(intent: {intent: string} & Record<string, any>) => void} dispatch */
  constructor(dispatch) {
    // What each part drew last.
    /** @type {Record<string, any>} */
    this.shown = {};
    /** @type {Record<string, any>} */
    this.mistaken = {};
    /** @type {Record<string, any>} */
    this.swept = {};
    this.confusion = new ConfusionView({
      picker: byId('confusion-model'),
      matrix: byId('confusion'),
      bars: byId('per-class'),
      step: byId('mistakes-step'),
    });
    this.sweep = new SweepView(byId('sweep-chart'), byId('sweep-summary'), uPlotReady);
    this.form = new CustomInitForm(byId('custom-init'), (/** @type {string} */ id) => dispatch({ intent: 'add-init', id }));
    this.dropout = bindDropoutSwitch(byId('dropout-on'), (/** @type {number | null} */ dropout) =>
      dispatch({ intent: 'settings', patch: { dropout } }),
    );
    const slider = /** @type {HTMLInputElement} */ (byId('gain-slider'));
    slider.max = String(SLIDER_MAX);
    slider.value = String(positionOf(1));
    this.showGain(1);
    slider.addEventListener('input', () => this.showGain(gainAt(Number(slider.value))));
    slider.addEventListener('change', () => dispatch({ intent: 'slider-gain', gain: gainAt(Number(slider.value)) }));
    byId('sweep-run').addEventListener('click', () => dispatch({ intent: 'sweep' }));
  }

  /** @param {number} g */
  showGain(g) {
    byId('gain-value').textContent = `g = ${g}`;
    byId('gain-slider').setAttribute('aria-valuetext', `gain ${g}`);
  }

  /**
   * The controls' state: the dropout switch, the slider's gain, the form's message, and what
   * the catalog gives (the lesson's marks, the class names).
   * @param {State} state
   */
  controls(state) {
    const was = this.shown;
    const { catalog, settings } = state;
    if (catalog !== was.catalog && catalog) {
      this.marks = lessonMarks(catalog);
      /** @type {HTMLButtonElement} */ (byId('sweep-run')).disabled = !catalog.sweep_gains?.length;
    }
    if (catalog !== was.catalog || state.data.fashion !== was.fashion) this.names = classNamesFor(catalog, state.data);
    if (catalog && (settings !== was.settings || catalog !== was.catalog)) {
      this.dropout.show(effective(settings, DROPOUT, catalog.lesson_config), catalog.lesson_config.dropout);
    }
    if (state.slider !== was.slider && state.slider) {
      const g = gainOfId(state.slider);
      /** @type {HTMLInputElement} */ (byId('gain-slider')).value = String(positionOf(g));
      this.showGain(g);
    }
    if (state.formError !== was.formError) this.form.showError(state.formError.text);
    this.shown = { catalog, fashion: state.data.fashion, settings, slider: state.slider, formError: state.formError };
  }

  /**
   * What each model gets wrong: the confusion matrix and per-class bars, and the gallery.
   * @param {State} state
   * @param {Model[]} models the run's curves' colours and dashes
   */
  mistakes(state, models) {
    const was = this.mistaken;
    const { run, evals, diagnostics } = state;
    this.confusion.show(models, evals.full, this.names);
    if (models !== was.models || diagnostics !== was.diagnostics || run.gallery !== was.gallery || this.names !== was.names) {
      this.drawGallery(state, models);
    }
    this.mistaken = { models, diagnostics, gallery: run.gallery, names: this.names };
  }

  /**
   * The scale sweep's chart: every model at its gain.
   * @param {State} state
   * @param {Model[]} models
   */
  sweepChart(state, models) {
    const was = this.swept;
    const { run, evals } = state;
    if (models !== was.models || evals !== was.evals || run.inits !== was.inits || run.gains !== was.gains || this.marks !== was.marks) {
      this.sweep.show(models, sweepPoints(run, evals), this.marks ?? []);
    }
    this.swept = { models, evals, inits: run.inits, gains: run.gains, marks: this.marks };
  }

  /** @param {State} state @param {Model[]} models */
  drawGallery(state, models) {
    const items = galleryOf(state);
    renderGallery(byId('gallery'), state.run.gallery, items, models, this.names);
    const step = state.diagnostics?.gallery ? state.diagnostics.step : null;
    byId('gallery-step').textContent = step === null ? '' : step === 0 ? 'at step 0, the initial weights' : `after step ${step}`;
    byId('gallery').dataset.step = String(step ?? '');
  }

  /** @param {{lineWidth?: number, height?: number}} style */
  setStyle(style) {
    this.sweep.setStyle(style);
  }
}

/** The gallery's images with each model's prediction; a diverged model predicts nothing. */
function galleryOf(/** @type {State} */ { run, diagnostics, evals }) {
  const latest = [evals.full, evals.subset].filter(Boolean).sort((a, b) => b.step - a.step)[0];
  const diverged = new Set(run.inits.filter((_, m) => latest && !isFiniteNumber(latest.accuracy[m])));
  return galleryItems(run.gallery, diagnostics?.gallery ?? null, run.inits, diverged);
}

/**
 * For tests and the curious: the numbers these views draw.
 * @param {State} state
 */
export function experimentsSnapshot(state) {
  const { run, evals, diagnostics } = state;
  const full = evals.full;
  const items = galleryOf(state);
  return {
    confusion: full?.confusion?.length
      ? {
          step: full.step,
          images: full.images,
          models: run.inits.map((id, m) => ({
            id,
            accuracy: full.accuracy[m],
            rows: rowsOf(full.confusion[m]),
            rowSums: rowSums(full.confusion[m]),
            perClass: perClassAccuracy(full.confusion[m]),
          })),
        }
      : null,
    gallery: run.gallery
      ? { step: diagnostics?.gallery ? diagnostics.step : null, labels: Array.from(run.gallery.labels), items, wrong: wrongCounts(items, run.inits) }
      : null,
    sweep: sweepPoints(run, evals),
  };
}
