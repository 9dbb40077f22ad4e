// @ts-check
// The lesson's table: per model, validation accuracy and last-batch loss (plus the mean loss
// of the first and last 100 batches). A diverged model's numbers read "diverged", and its name
// says where (divergence.js); a model in a named state (no gradient, dead ReLUs) says which
// under its name too (named-states.js).

import { divergenceWords } from '../model/divergence.js';
import { DIVERGED, formatLoss, formatPercent, isFiniteNumber } from '../model/format.js';
import { stateWords } from '../model/named-states.js';
import { swatchFor } from './palette.js';

const COLUMNS = ['validation accuracy', 'last batch loss', 'mean loss, first 100', 'mean loss, last 100'];

/** Fills `tbody` from the engine's results (`[{init, label, val_accuracy, …}]`, one per model
 * in the run's order), each row's swatch in `lookOf(init)` ({color, dash}: its curves' look)
 * and, under its name, a diverged model's `divergence[model]` and each of `states[model]` in
 * words. */
export function renderResults(tbody, results, lookOf, divergence = [], states = []) {
  const best = Math.max(...results.map((r) => (isFiniteNumber(r.val_accuracy) ? r.val_accuracy : -1)));
  const rows = results.map((r, m) => {
    const tr = document.createElement('tr');
    tr.dataset.init = r.init;
    if (isFiniteNumber(r.val_accuracy) && r.val_accuracy === best) tr.classList.add('best');
    const name = document.createElement('th');
    name.scope = 'row';
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = swatchFor(lookOf(r.init));
    name.append(swatch, r.label);
    const note = (/** @type {string} */ className, /** @type {string} */ words) => {
      const small = document.createElement('small');
      small.className = className;
      small.textContent = words;
      name.append(small);
    };
    const diverged = divergence[m];
    if (diverged) note('diverged-note', divergenceWords(diverged));
    for (const state of states[m] ?? []) note('state-note', stateWords(state));
    const cells = [
      formatPercent(r.val_accuracy),
      formatLoss(r.last_batch_loss),
      formatLoss(r.mean_loss_first_100),
      formatLoss(r.mean_loss_last_100),
    ].map((text, c) => {
      const td = document.createElement('td');
      td.textContent = text;
      // On a phone the table stacks, one card per model, each number under its column's name.
      td.dataset.label = COLUMNS[c];
      if (text === DIVERGED) td.classList.add('diverged');
      return td;
    });
    tr.append(name, ...cells);
    return tr;
  });
  tbody.replaceChildren(...rows);
}
