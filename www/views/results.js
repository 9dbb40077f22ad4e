// @ts-check
// The results section: the lesson's table (table.js) with the step its numbers come from and
// a note on the run's speed, and the exports (CSV and JSON from the engine, chart PNGs, the
// run's link). The downloads the engine answers with are saved by app.js's effects.
import { formatCount } from '../model/format.js';
import { trainConfig } from '../model/settings.js';
import { byId } from './dom.js';
import { chartPng, copyText, download } from './exports.js';
import { backendLabel, epochOf } from './status.js';
import { renderResults } from './table.js';

/** @typedef {import('../model/reducer.js').State} State */
/** @typedef {{id: string, label: string, color: string, dash?: number[] | null}} Model */

/** The name files of `state`'s run are saved under. */
export const fileStem = (/** @type {State} */ state) =>
  `weight-init-lab-seed${trainConfig(state.settings, state.catalog?.lesson_config ?? {}).seed}-step${state.run.step}`;

export class ResultsView {
  /**
   * @param {(intent: {intent: string} & Record<string, any>) => void} dispatch
   * @param {() => State} current the state now (for file names)
   * @param {() => Model[]} models the curves' colours and dashes, for the PNGs' legends
   */
  constructor(dispatch, current, models) {
    /** @type {State | null} */
    this.shown = null;
    this.current = current;
    this.models = models;
    for (const format of ['csv', 'json']) byId(`export-${format}`).addEventListener('click', () => dispatch({ intent: 'export', format }));
    const png = async (/** @type {string} */ name, /** @type {string} */ chart, /** @type {string} */ title) => {
      const stem = fileStem(current());
      const picture = await chartPng(byId(chart), `${title} · ${stem}`, models());
      if (picture) download(`${stem}-${name}.png`, picture);
    };
    byId('export-loss-png').addEventListener('click', () => png('loss', 'loss-chart', 'Training loss per batch'));
    byId('export-accuracy-png').addEventListener('click', () => png('accuracy', 'accuracy-chart', 'Validation accuracy (%)'));
    byId('copy-link').addEventListener('click', async () => {
      const copied = await copyText(location.href);
      byId('export-status').textContent = copied ? 'Link copied.' : `Copy this link: ${location.href}`;
    });
  }

  /** Saves an `export` the engine sent ({format, content}) as a file. */
  save(/** @type {{format: string, content: string}} */ { format, content }) {
    const name = `${fileStem(this.current())}.${format}`;
    download(name, content, format === 'json' ? 'application/json' : 'text/csv');
    byId('export-status').textContent = `Saved ${name}.`;
  }

  /** @param {State} s */
  show(s) {
    const was = this.shown;
    this.shown = s;
    const { results, run, notice } = s;
    if (
      was &&
      results === was.results &&
      s.divergence === was.divergence &&
      s.signal === was.signal &&
      run.summary === was.run.summary &&
      notice === was.notice &&
      run.ready === was.run.ready &&
      s.backend === was.backend
    )
      return;
    const looks = this.models();
    renderResults(
      /** @type {HTMLTableElement} */ (byId('results')).tBodies[0],
      results?.rows ?? [],
      (id) => looks.find((m) => m.id === id),
      s.divergence,
      // The latest signal's: measured after the validation pass the table shows.
      s.signal?.models.map((m) => m.states),
    );
    const summary = run.summary;
    const models = run.inits.length;
    byId('results-note').textContent = summary
      ? `${models} networks × ${formatCount(summary.steps)} steps on ${backendLabel(s.backend)}: ` +
        `${formatCount(summary.images_per_sec)} images/s, each through all ${models} networks ` +
        `(${formatCount(summary.images_per_sec * models)} samples/s).`
      : (notice ?? (run.ready ? 'The table fills in at each full validation pass (each epoch’s end).' : ''));
    // Every column of a row comes from the same step: the validation pass the table shows.
    byId('results-step').textContent = results
      ? `at step ${formatCount(results.step)} (epoch ${epochOf(run, results.step)})${results.finished ? ', the end of the run' : ''}`
      : '';
  }
}
