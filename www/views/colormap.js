// @ts-check
// The two colour maps of the weight and histogram pictures, as [r, g, b] bytes. Pure, no DOM.
//
// diverging: blue for negative, white for zero, red for positive (ColorBrewer's RdBu ends), so
// that a weight's sign and size read at a glance and a zero weight is blank paper.
// sequential: white for nothing, then yellow, orange, red, dark red (ColorBrewer's YlOrRd),
// lightness falling all the way, so that it reads in grey and for colour-blind eyes.

const NEGATIVE = [33, 102, 172];
const WHITE = [255, 255, 255];
const POSITIVE = [178, 24, 43];
const RAMP = [WHITE, [255, 237, 160], [254, 178, 76], [240, 59, 32], [128, 0, 38]];
const NOT_A_NUMBER = [160, 160, 160];

const mix = (a, b, f) => a.map((v, i) => Math.round(v + (b[i] - v) * f));
const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

/** The colour of `v` in [−1, 1] (clamped): blue, white at 0, red; grey if not a number. */
export function diverging(v) {
  if (!Number.isFinite(v)) return NOT_A_NUMBER;
  const f = clamp(v, -1, 1);
  return f < 0 ? mix(WHITE, NEGATIVE, -f) : mix(WHITE, POSITIVE, f);
}

/** The colour of `t` in [0, 1] (clamped): white at 0, darker red as t grows. */
export function sequential(t) {
  const f = clamp(Number.isFinite(t) ? t : 0, 0, 1) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(f));
  return mix(RAMP[i], RAMP[i + 1], f - i);
}

/**
 * `colour(i / (size − 1))` for i = 0 … size − 1, as opaque RGBA packed in the platform's byte
 * order, to write into a `Uint32Array` over an ImageData's bytes: a picture's inner loop looks
 * its colours up instead of mixing (and allocating) them per pixel.
 * @param {(t: number) => number[]} colour
 * @param {number} size
 */
export function lookupTable(colour, size) {
  const table = new Uint32Array(size);
  const bytes = new Uint8Array(table.buffer);
  for (let i = 0; i < size; i++) bytes.set([...colour(i / (size - 1)), 255], 4 * i);
  return table;
}

/** A count's shade in a heat map whose largest count is `top`: log(1 + count) / log(1 + top). */
export const countShade = (count, top) => (top > 0 && count > 0 ? Math.log1p(count) / Math.log1p(top) : 0);
