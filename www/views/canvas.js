// @ts-check
// Canvases the page draws itself (histograms, heat maps), sharp at every devicePixelRatio:
// the backing store is the CSS box × the ratio, and the context draws in CSS pixels. A canvas
// kept sharp is drawn again when its box changes and when the ratio does (browser zoom, a
// window moved to another screen), which leaves the box as it is. uPlot's charts do this
// themselves; images shown at their own pixels (samples, tiles) need none of it.

/** The device pixels per CSS pixel now. */
export const pixelRatio = () => globalThis.devicePixelRatio || 1;

/**
 * Sizes `canvas`'s backing store to its CSS box × the pixel ratio (`fallback`, CSS px, while
 * it has no box) and resolves to its context, scaled so that one unit is one CSS pixel and
 * cleared, and the box's width and height. The box must not follow the backing store (each
 * caller's CSS sets the canvas's width and height): else a ResizeObserver redraw would grow it.
 * @param {HTMLCanvasElement} canvas
 * @param {{width: number, height: number}} [fallback]
 */
export function fitCanvas(canvas, fallback = { width: 400, height: 150 }) {
  const ratio = pixelRatio();
  const [width, height] = [canvas.clientWidth || fallback.width, canvas.clientHeight || fallback.height];
  // Set only when it changes: setting a size reallocates the backing store.
  const [pixelsWide, pixelsHigh] = [Math.round(width * ratio), Math.round(height * ratio)];
  if (canvas.width !== pixelsWide) canvas.width = pixelsWide;
  if (canvas.height !== pixelsHigh) canvas.height = pixelsHigh;
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return { ctx, width, height };
}

/** What draws each canvas kept sharp: weakly held, so a canvas a view drops is let go. */
const painters = new WeakMap();

/** @type {ResizeObserver | null} */
let resized = null;

/** Calls each painter once for `canvases` (a view that draws all its canvases at once is
 * called once). */
function repaint(canvases) {
  const paints = new Set(canvases.map((c) => painters.get(c)).filter(Boolean));
  for (const paint of paints) paint();
}

let watching = false;

/** Calls the painters of the canvases in the page whenever the pixel ratio changes. A media
 * query matches one ratio, so each change watches the new one. */
function watchPixelRatio() {
  if (watching || !globalThis.matchMedia) return;
  watching = true;
  const watch = () => {
    matchMedia(`(resolution: ${pixelRatio()}dppx)`).addEventListener(
      'change',
      () => {
        watch();
        repaint([...document.querySelectorAll('canvas')]);
      },
      { once: true },
    );
  };
  watch();
}

/**
 * Keeps `canvas` sharp: `paint()` draws it again (through fitCanvas) once it has a box, when
 * the box changes size, and when the pixel ratio changes. Canvases that share one `paint` get
 * one call.
 * @param {HTMLCanvasElement} canvas
 * @param {() => void} paint
 */
export function keepSharp(canvas, paint) {
  painters.set(canvas, paint);
  // A canvas taken out of the page reports a last change: it is no longer watched.
  resized ??= new ResizeObserver((entries) => {
    for (const { target } of entries) if (!target.isConnected) resized?.unobserve(target);
    repaint(entries.map((e) => e.target).filter((t) => t.isConnected));
  });
  resized.observe(canvas);
  watchPixelRatio();
}
