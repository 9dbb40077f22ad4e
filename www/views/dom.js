// @ts-check
// The one element helper of the page's views.

/**
 * A new `tag` element with `props` assigned (`className`, `textContent`, `id`…) and `children`
 * appended.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, any>} [props]
 * @param {...(Node | string)} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/**
 * The element with id `id`, typed as the caller expects it.
 * @template {HTMLElement} [T=HTMLElement]
 * @param {string} id
 * @returns {T}
 */
export const byId = (id) => /** @type {T} */ (document.getElementById(id));

/** A small square in `color`: a model's colour beside its name. */
export function swatch(/** @type {string} */ color) {
  const node = el('span', { className: 'swatch' });
  node.style.background = color;
  return node;
}
