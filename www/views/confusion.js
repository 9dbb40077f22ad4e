// @ts-check
// What each model gets wrong, from the latest full validation pass (the session's
// `eval.point.confusion`, `[model][label * classes + predicted]`): the confusion matrix of one
// model (a picker; rows the true class, columns the predicted one, a heat map that is also a
// table), and every model's per-class accuracy (the diagonal over the row sum) side by side as
// bars. The pure parts are unit-tested under Node.
import { DIVERGED, formatCount, formatPercent, isFiniteNumber } from '../model/format.js';
import { el, swatch } from './dom.js';

/** The class names: the catalog's Fashion-MNIST names, else the digits 0–9. */
export const classNamesFor = (catalog, data) =>
  data?.fashion && catalog?.fashion_classes ? [...catalog.fashion_classes] : Array.from({ length: 10 }, (_, i) => String(i));

/** The number of classes of a flat `classes × classes` matrix. */
export const classesOf = (matrix) => Math.round(Math.sqrt(matrix.length));

/** The matrix as rows: `rows[label][predicted]`. */
export function rowsOf(matrix) {
  const n = classesOf(matrix);
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => Number(matrix[r * n + c])));
}

/** How many validation images each class has (a row's sum). */
export const rowSums = (matrix) => rowsOf(matrix).map((row) => row.reduce((a, b) => a + b, 0));

/** Per-class accuracy: the diagonal over the row sum (NaN for a class with no images). */
export const perClassAccuracy = (matrix) =>
  rowsOf(matrix).map((row, r) => {
    const sum = row.reduce((a, b) => a + b, 0);
    return sum > 0 ? row[r] / sum : NaN;
  });

// WCAG relative luminance and contrast, so every cell's number stays readable (≥ 4.5:1).
const channel = (v) => {
  const c = v / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};
export const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
export const contrast = (a, b) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
const DARK = /** @type {[number, number, number]} */ ([17, 24, 39]); // --ink
const HEAT = /** @type {[number, number, number]} */ ([23, 37, 84]); // a navy, dark enough under white text
const mix = (t) => /** @type {[number, number, number]} */ (HEAT.map((c) => Math.round(255 + (c - 255) * t)));

const readsDark = (t) => contrast(luminance(mix(t)), luminance(DARK)) >= 4.5;
// The lightest shade that white text reads on at 4.5:1 (shades between the last one dark
// text reads on and this one take this one).
const WHITE_FROM = (() => {
  let t = 0;
  while (contrast(luminance(mix(t)), 1) < 4.5 && t < 1) t += 0.001;
  return t;
})();

/**
 * A cell's colours for `share` (0–1, its count over the row's): white to navy (√share, so a
 * few mistakes still show), with dark text while it reads at 4.5:1, else white text on a
 * shade at least as dark as WHITE_FROM.
 */
export function heatColors(share) {
  const t = Math.sqrt(Math.min(1, Math.max(0, share || 0)));
  if (readsDark(t)) return { background: `rgb(${mix(t)})`, color: `rgb(${DARK})` };
  return { background: `rgb(${mix(Math.max(t, WHITE_FROM))})`, color: '#fff' };
}

const percent = (v) => (isFiniteNumber(v) ? `${Math.round(100 * v)} %` : '—');

export class ConfusionView {
  /** `picker` is a <select>, `matrix` and `bars` <table>s, `step` a note. */
  constructor({ picker, matrix, bars, step }) {
    /** @type {HTMLSelectElement} */
    this.picker = picker;
    this.matrixTable = matrix;
    this.barsTable = bars;
    this.stepNote = step;
    /** @type {string | null} */
    this.chosen = null;
    /** @type {Record<string, any>} */
    this.last = {};
    picker.addEventListener('change', () => {
      this.chosen = picker.value;
      this.render();
    });
  }

  /** Shows `point` (the latest full pass, or null) for `models` ([{id, label, color}]). */
  show(models, point, names) {
    if (models === this.last.models && point === this.last.point && names === this.last.names) return;
    this.last = { models, point, names };
    const ids = models.map((m) => m.id).join();
    if (ids !== this.pickerIds) {
      this.pickerIds = ids;
      this.picker.replaceChildren(...models.map((m) => new Option(m.label, m.id)));
    }
    if (!models.some((m) => m.id === this.chosen)) this.chosen = models[0]?.id ?? null;
    this.picker.value = this.chosen ?? '';
    this.render();
  }

  render() {
    const { models, point, names } = this.last;
    const usable = point?.confusion?.length === models?.length;
    this.stepNote.textContent = usable
      ? `validation of all ${formatCount(point.images)} images at step ${formatCount(point.step)}`
      : 'fills in at the first full validation pass';
    const m = usable ? models.findIndex((x) => x.id === this.chosen) : -1;
    this.matrixTable.replaceChildren(...(m >= 0 ? matrixRows(point.confusion[m], names, point.accuracy[m]) : []));
    this.barsTable.replaceChildren(...(usable ? barRows(models, point, names) : []));
    this.matrixTable.dataset.step = usable ? String(point.step) : '';
    this.matrixTable.dataset.init = m >= 0 ? models[m].id : '';
  }
}

/** The heat-map table: a caption, a header row of predicted classes, a row per true class. */
function matrixRows(matrix, names, accuracy) {
  const rows = rowsOf(matrix);
  const sums = rowSums(matrix);
  const diverged = !isFiniteNumber(accuracy);
  const caption = el('caption', {
    textContent: diverged
      ? `This model diverged: its outputs are not numbers, so its "predictions" mean nothing.`
      : 'Rows: the true class. Columns: the class the model predicted. The diagonal is right.',
  });
  const head = el(
    'tr',
    {},
    el('th', { scope: 'col', className: 'corner', textContent: 'true ↓ predicted →' }),
    ...names.map((n) => el('th', { scope: 'col', textContent: n })),
  );
  const body = rows.map((row, r) =>
    el(
      'tr',
      {},
      el('th', { scope: 'row', textContent: names[r] }),
      ...row.map((count, c) => {
        const share = sums[r] ? count / sums[r] : 0;
        const { background, color } = heatColors(share);
        const cell = el('td', { textContent: formatCount(count) });
        cell.style.background = background;
        cell.style.color = color;
        cell.title = `true ${names[r]}, predicted ${names[c]}: ${formatCount(count)} of ${formatCount(sums[r])} (${formatPercent(share, 1)})`;
        if (r === c) cell.classList.add('diagonal');
        return cell;
      }),
    ),
  );
  return [caption, el('thead', {}, head), el('tbody', {}, ...body)];
}

/** Per-class accuracy: a row per class, a bar (and its number) per model. */
function barRows(models, point, names) {
  const perClass = point.confusion.map((matrix) => perClassAccuracy(matrix));
  const head = el(
    'tr',
    {},
    el('th', { scope: 'col', textContent: 'class' }),
    ...models.map((m) => el('th', { scope: 'col' }, swatch(m.color), m.label)),
  );
  const body = names.map((name, c) =>
    el(
      'tr',
      {},
      el('th', { scope: 'row', textContent: name }),
      ...models.map((m, i) => {
        const diverged = !isFiniteNumber(point.accuracy[i]);
        const value = perClass[i][c];
        const bar = el('span', { className: 'bar' });
        bar.style.width = `${diverged || !isFiniteNumber(value) ? 0 : 100 * value}%`;
        bar.style.background = m.color;
        const cell = el(
          'td',
          {},
          el('span', { className: 'bar-track' }, bar),
          el('span', { className: 'bar-value', textContent: diverged ? DIVERGED : percent(value) }),
        );
        cell.title = `${m.label}, ${name}: ${diverged ? DIVERGED : formatPercent(value, 1)} right`;
        return cell;
      }),
    ),
  );
  return [el('thead', {}, head), el('tbody', {}, ...body)];
}
