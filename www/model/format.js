// @ts-check
// The one number formatter of the page: losses, accuracies and statistics, with one wording
// for a diverged value (NaN or ∞ from the engine, null from JSON): "diverged", as the CLI
// prints it. No imports, no DOM.

export const DIVERGED = 'diverged';

/** Whether `v` is a number the lesson can show (null, NaN and ±∞ are divergence). */
export const isFiniteNumber = (v) => typeof v === 'number' && Number.isFinite(v);

/** A finite number, or null: what the charts draw (null is a gap). */
export const finiteOrNull = (v) => (isFiniteNumber(v) ? v : null);

/** A loss: 3 decimals below 100, whole numbers above (all-ones' losses are in the thousands). */
export function formatLoss(v) {
  if (!isFiniteNumber(v)) return DIVERGED;
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3);
}

/** An accuracy given as a fraction (0–1), as a percentage with `decimals` decimals. */
export function formatPercent(v, decimals = 2) {
  return isFiniteNumber(v) ? `${(100 * v).toFixed(decimals)} %` : DIVERGED;
}

/** Short, readable statistics: 0.58, 12.3, 430, 4.3e4. */
export function formatNumber(v) {
  if (!isFiniteNumber(v)) return DIVERGED;
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1000 || a < 0.01) return v.toExponential(1).replace('e+', 'e');
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** A share (0–1) as a percentage, keeping small non-zero shares visible. */
export function formatShare(f) {
  if (!isFiniteNumber(f)) return DIVERGED;
  return f > 0 && f < 0.01 ? `${(100 * f).toFixed(1)} %` : `${Math.round(100 * f)} %`;
}

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A count or rate for people: 12,345. */
export const formatCount = (v) => (isFiniteNumber(v) ? whole.format(v) : '—');

/**
 * A download's progress in words: "12.3 of 26.5 MB · 8 s left" (the time left at the rate so
 * far), or "12.3 MB" while the total is unknown.
 * @param {{loaded: number, total: number, seconds: number}} d bytes, bytes, seconds so far
 */
export function downloadText({ loaded, total, seconds }) {
  const mb = (bytes) => (bytes / 1e6).toFixed(1);
  if (!(total > 0)) return `${mb(loaded)} MB`;
  const left = loaded > 0 && seconds > 0.5 ? Math.ceil((seconds * (total - loaded)) / loaded) : NaN;
  return `${mb(loaded)} of ${mb(total)} MB${Number.isFinite(left) ? ` · ${left} s left` : ''}`;
}
