// The experiment controls and result views of the page, wired to its settings and state: the
// dropout switch and the custom-initializer form beside the toggles, the weight-scale slider
// and the one-click scale sweep with its chart, what each model gets wrong (confusion matrix,
// per-class accuracy) and the prediction gallery. app.js hands it the one way to change
// settings (`update`) and the state to draw; the only commands it causes are Reset and Train
// for the sweep button.
import { uPlotReady } from './charts.js';
import { ConfusionView, classNamesFor, perClassAccuracy, rowSums, rowsOf } from './confusion.js';
import { CustomInitForm, isCustomId } from './custom-inits.js';
import { bindDropoutSwitch } from './dropout-switch.js';
import { isFiniteNumber } from './format.js';
import { galleryItems, renderGallery, wrongCounts } from './gallery.js';
import { SLIDER_MAX, SweepView, gainAt, gainId, gainOfId, lessonMarks, positionOf, sweepPoints, withSliderGain } from './sweep.js';
import { effective, FIELDS, lessonPreset } from './state.js';

const $ = (id) => document.getElementById(id);
const DROPOUT = FIELDS.find((f) => f.name === 'dropout');

export class Experiments {
  /**
   * `page`: settings() (the URL's), inits() (the chosen ids), update(patch) (new settings),
   * train() and reset() (commands to the worker).
   */
  constructor(page) {
    this.page = page;
    this.custom = new Set(); // custom ids offered among the toggles until removed
    this.sliderId = null; // the slider's model
    this.pendingSweep = null; // the sweep's ids, until its run is ready and Train is pressed
    this.shown = {};
    this.confusion = new ConfusionView({ picker: $('confusion-model'), matrix: $('confusion'), bars: $('per-class'), step: $('mistakes-step') });
    this.sweep = new SweepView($('sweep-chart'), $('sweep-summary'), uPlotReady);
    this.form = new CustomInitForm($('custom-init'), (id) => this.add(id));
    this.dropout = bindDropoutSwitch($('dropout-on'), (dropout) => page.update({ dropout }));
    const slider = $('gain-slider');
    slider.max = String(SLIDER_MAX);
    slider.value = String(positionOf(1));
    this.showGain(1);
    slider.addEventListener('input', () => this.showGain(gainAt(slider.value)));
    slider.addEventListener('change', () => this.setSliderGain(gainAt(slider.value)));
    $('sweep-run').addEventListener('click', () => this.runSweep());
  }

  /** The custom ids to offer among the toggles: every one chosen so far, until removed. */
  customIds() {
    for (const id of this.page.settings().inits ?? []) if (isCustomId(id)) this.custom.add(id);
    return [...this.custom];
  }

  add(id) {
    const inits = this.page.inits();
    if (inits.includes(id)) return this.form.showError(`${id} is chosen already.`);
    this.custom.add(id);
    this.justAdded = id; // until the engine accepts it (a new run) or refuses it (an error)
    this.refused = false;
    this.page.update({ inits: [...inits, id] });
  }

  /** The engine refused the id just added (e.g. a ≥ b): it leaves the list again, so the run
   * before it goes on, and the form says why. Returns whether it did. */
  refuseAdded(error) {
    const id = this.justAdded;
    if (!id || error?.kind !== 'settings' || !error.message.includes(`\`${id}\``)) return false;
    this.justAdded = null;
    this.refused = true; // its message stays when the error clears with the run restored
    this.custom.delete(id);
    this.page.update({ inits: this.page.inits().filter((x) => x !== id) });
    this.form.showError(`${error.message} — not added.`);
    return true;
  }

  remove(id) {
    this.custom.delete(id);
    if (id === this.sliderId) this.sliderId = null;
    this.page.update({ inits: this.page.inits().filter((x) => x !== id) });
    $('custom-kind').focus(); // its × is gone with the toggles rebuilt
  }

  showGain(g) {
    $('gain-value').textContent = `g = ${g}`;
    $('gain-slider').setAttribute('aria-valuetext', `gain ${g}`);
  }

  /** The slider's model becomes `gain:g`: in place of its last one, else added. */
  setSliderGain(g) {
    const id = gainId(g);
    const previous = this.sliderId;
    const inits = withSliderGain(this.page.inits(), previous, id);
    if (previous && previous !== id && !inits.includes(previous)) this.custom.delete(previous);
    this.sliderId = id;
    this.page.update({ inits });
  }

  /** The catalog's nine gains with the lesson's recipe, trained side by side at once. */
  runSweep() {
    const ids = (this.catalog?.sweep_gains ?? []).map(gainId);
    if (!ids.length) return;
    this.sliderId = null;
    this.pendingSweep = ids.join();
    this.page.update({ ...lessonPreset(this.page.settings()), inits: ids });
    if (this.state) this.trainSweep(this.state);
  }

  /** Presses Train once the sweep's run is ready (from step 0: a run that trained is reset). */
  trainSweep({ run }) {
    if (!this.pendingSweep || !run.ready || run.inits.join() !== this.pendingSweep) return;
    this.pendingSweep = null;
    if (run.running) return;
    if (run.step > 0) this.page.reset();
    this.page.train();
  }

  /** Settings changed: the dropout switch, and the slider at its model's gain. */
  applySettings(settings, lessonConfig) {
    if (!lessonConfig) return;
    this.dropout.show(effective(settings, DROPOUT, lessonConfig), lessonConfig.dropout);
    const gains = (settings.inits ?? []).filter((id) => gainOfId(id) !== null);
    if (!this.sliderId && gains.length === 1) this.sliderId = gains[0]; // a link's one gain model
    if (this.sliderId && gains.includes(this.sliderId)) {
      const g = gainOfId(this.sliderId);
      $('gain-slider').value = String(positionOf(g));
      this.showGain(g);
    }
  }

  /** Draws what changed in `state` for `models` ([{id, label, color, dash}]). */
  show(state, models) {
    const was = this.shown;
    this.state = state;
    if (state.catalog !== was.catalog && state.catalog) {
      this.catalog = state.catalog;
      this.marks = lessonMarks(state.catalog);
      $('sweep-run').disabled = !state.catalog.sweep_gains?.length;
    }
    if (state.catalog !== was.catalog || state.data.fashion !== was.fashion) this.names = classNamesFor(state.catalog, state.data);
    const { run, evals, diagnostics } = state;
    this.confusion.show(models, evals.full, this.names);
    if (models !== was.models || evals !== was.evals || run.inits !== was.inits || run.gains !== was.gains || this.marks !== was.marks) {
      this.sweep.show(models, sweepPoints(run, evals), this.marks ?? []);
    }
    if (models !== was.models || diagnostics !== was.diagnostics || run.gallery !== was.gallery || this.names !== was.names) {
      this.drawGallery(state, models);
    }
    if (run.inits !== was.inits && run.inits?.includes(this.justAdded)) this.justAdded = null;
    if (state.error !== was.error && !this.refuseAdded(state.error) && (state.error || !this.refused)) {
      this.form.showError(this.customError(state.error));
    }
    this.trainSweep(state);
    this.shown = { catalog: state.catalog, fashion: state.data.fashion, models, evals, inits: run.inits, gains: run.gains, gallery: run.gallery, diagnostics, names: this.names, marks: this.marks, error: state.error };
  }

  /** The engine's settings error when it is about a chosen custom initializer, else ''. */
  customError(error) {
    if (error?.kind !== 'settings') return '';
    return this.customIds().some((id) => error.message.includes(id)) ? error.message : '';
  }

  galleryOf({ run, diagnostics, evals }) {
    const latest = [evals.full, evals.subset].filter(Boolean).sort((a, b) => b.step - a.step)[0];
    const diverged = new Set(run.inits.filter((_, m) => latest && !isFiniteNumber(latest.accuracy[m])));
    return galleryItems(run.gallery, diagnostics?.gallery ?? null, run.inits, diverged);
  }

  drawGallery(state, models) {
    const items = this.galleryOf(state);
    renderGallery($('gallery'), state.run.gallery, items, models, this.names);
    const step = state.diagnostics?.gallery ? state.diagnostics.step : null;
    $('gallery-step').textContent = step === null ? '' : step === 0 ? 'at step 0, the initial weights' : `after step ${step}`;
    $('gallery').dataset.step = step ?? '';
  }

  setStyle(style) {
    this.sweep.setStyle(style);
  }

  /** For tests and the curious: the numbers these views draw. */
  snapshot(state) {
    const { run, evals, diagnostics } = state;
    const full = evals.full;
    const items = this.galleryOf(state);
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
}
