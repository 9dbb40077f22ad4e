// @ts-check
// The prediction gallery: the run's fixed validation images (the session's `run.gallery`, two
// per class) drawn at 28×28, each with every model's predicted class (`diagnostics.gallery`),
// a wrong one marked by colour and a ✗ (a right one ✓), so it reads without colour too.
import { DIVERGED } from '../model/format.js';
import { el, swatch } from './dom.js';

/**
 * Per image: its label and each model's prediction, `{label, predictions: [{id, predicted,
 * right, diverged}]}`; `predictions[model][image]` may be null (none yet), and a model in
 * `diverged` (ids) predicts nothing that means anything.
 */
export function galleryItems(gallery, predictions, ids, diverged = new Set()) {
  if (!gallery) return [];
  return Array.from(gallery.labels, (label, i) => ({
    label: Number(label),
    predictions: predictions
      ? ids.map((id, m) => {
          const predicted = Number(predictions[m]?.[i]);
          return { id, predicted, right: predicted === Number(label), diverged: diverged.has(id) };
        })
      : [],
  }));
}

/** How many gallery images each model gets wrong (diverged models: all). */
export const wrongCounts = (items, ids) => ids.map((_, m) => items.filter((it) => it.predictions[m] && !it.predictions[m].right).length);

/** ✓ or ✗, for the eye (the words after it are for screen readers). */
function mark(wrong) {
  const span = el('span', { className: 'mark', textContent: wrong ? '✗' : '✓' });
  span.setAttribute('aria-hidden', 'true');
  return span;
}

function imageCanvas(gallery, i) {
  const canvas = el('canvas', { width: gallery.cols, height: gallery.rows });
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(gallery.cols, gallery.rows);
  const pixels = gallery.images[i];
  for (let p = 0; p < pixels.length; p++) image.data.set([pixels[p], pixels[p], pixels[p], 255], p * 4);
  ctx.putImageData(image, 0, 0);
  return canvas;
}

/** Draws the gallery into `container` for `models` ([{id, label, color}]); `names` are the
 * class names. Images are redrawn only when the run's gallery changes. */
export function renderGallery(container, gallery, items, models, names) {
  if (container.gallery !== gallery) {
    container.gallery = gallery;
    container.replaceChildren(
      ...(gallery?.images ?? []).map((_, i) => {
        const canvas = imageCanvas(gallery, i);
        canvas.setAttribute('role', 'img');
        canvas.setAttribute('aria-label', `image ${i + 1}: ${names[gallery.labels[i]]}`);
        return el('figure', {}, canvas, el('figcaption', { className: 'truth', textContent: names[gallery.labels[i]] }), el('ul'));
      }),
    );
  }
  items.forEach((item, i) => {
    const list = container.children[i]?.querySelector('ul');
    if (!list) return;
    list.replaceChildren(
      ...item.predictions.map((p, m) => {
        const wrong = p.diverged || !p.right;
        const text = p.diverged ? DIVERGED : (names[p.predicted] ?? String(p.predicted));
        const li = el(
          'li',
          { className: wrong ? 'wrong' : 'right', title: `${models[m]?.label}: predicts ${text}` },
          swatch(models[m]?.color ?? '#111827'),
          mark(wrong),
          text,
          el('span', { className: 'visually-hidden', textContent: ` (${models[m]?.label}, ${wrong ? 'wrong' : 'right'})` }),
        );
        li.dataset.init = p.id;
        return li;
      }),
    );
  });
}
