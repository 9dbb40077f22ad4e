// The lesson's table: per model, validation accuracy and last-batch loss (plus the mean loss
// of the first and last 100 batches). A non-finite loss arrives as null: "diverged".
import { colorOf } from './palette.js';

const percent = (v) => (v == null ? '—' : `${(100 * v).toFixed(2)} %`);
const loss = (v) => (v == null ? 'diverged' : Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3));

/** Fills `tbody` from the engine's results (`[{init, label, val_accuracy, …}]`). */
export function renderResults(tbody, results) {
  const best = Math.max(...results.map((r) => r.val_accuracy ?? -1));
  const rows = results.map((r) => {
    const tr = document.createElement('tr');
    tr.dataset.init = r.init;
    if (r.val_accuracy != null && r.val_accuracy === best) tr.classList.add('best');
    const name = document.createElement('th');
    name.scope = 'row';
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = colorOf(r.init);
    name.append(swatch, r.label);
    const cells = [
      percent(r.val_accuracy),
      loss(r.last_batch_loss),
      loss(r.mean_loss_first_100),
      loss(r.mean_loss_last_100),
    ].map((text) => {
      const td = document.createElement('td');
      td.textContent = text;
      if (text === 'diverged') td.classList.add('diverged');
      return td;
    });
    tr.append(name, ...cells);
    return tr;
  });
  tbody.replaceChildren(...rows);
}
