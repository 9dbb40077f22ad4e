// The speed benchmark's table (`cargo xtask bench`, speed.mjs): medians of repeated
// measurements, ratios of ours to each peer, and plain-text columns. Pure: no I/O.

/** The median of `xs` (the mean of the middle two for an even count); NaN for none. */
export function median(xs) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Folds repeated measurements into one row per `key(m)`, in first-seen order. A measurement
 * is `{repeat, samplesPerS, loss, ...}` or `{repeat, error, ...}`; a row keeps the first
 * measurement's other fields, `runs` (the `{repeat, samplesPerS}` of the runs that succeeded),
 * the medians of their `samplesPerS` and `loss`, and the first `error` when none succeeded.
 */
export function summarize(measurements, key) {
  const groups = new Map();
  for (const m of measurements) {
    const k = key(m);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(m);
  }
  return [...groups.values()].map((group) => {
    const ok = group.filter((m) => m.error === undefined);
    const { samplesPerS: _s, loss: _l, error: _e, repeat: _r, ...rest } = group[0];
    const runs = ok.map(({ repeat, samplesPerS }) => ({ repeat, samplesPerS }));
    if (ok.length === 0) return { ...rest, runs, error: group[0].error };
    return { ...rest, runs, samplesPerS: median(ok.map((m) => m.samplesPerS)), loss: median(ok.map((m) => m.loss)) };
  });
}

/**
 * How many times faster `ours` is than `peer` (each a row's `runs`): the median over the
 * repeats of the ratio of the two runs of that repeat, which ran one shortly after the other,
 * so that a slow spell of a shared machine cancels out. NaN when no repeat has both.
 */
export function pairedRatio(ours, peer) {
  const byRepeat = new Map(ours.map((r) => [r.repeat, r.samplesPerS]));
  return median(peer.filter((p) => byRepeat.has(p.repeat) && p.samplesPerS > 0).map((p) => byRepeat.get(p.repeat) / p.samplesPerS));
}

/** "×1.23" for a ratio; '' when there is none. */
export function formatRatio(r) {
  if (!(r > 0) || !Number.isFinite(r)) return '';
  return `×${r < 10 ? r.toFixed(2) : r.toFixed(1)}`;
}

const count = (x) => Math.round(x).toLocaleString('en-US');

/** A row's cells: its speed, or "failed: why" across the figures' columns. */
export function cells(row) {
  const speed =
    row.error !== undefined
      ? [`failed: ${oneLine(row.error)}`]
      : [
          count(row.samplesPerS),
          count(row.samplesPerS * row.models),
          row.ratio ?? '',
          Number.isFinite(row.loss) ? row.loss.toFixed(3) : String(row.loss),
        ];
  return [row.where, row.engine, String(row.models), ...speed];
}

const oneLine = (text) => String(text).split('\n')[0].slice(0, 120);

export const HEADER = ['where', 'engine, backend', 'models', 'samples/s', 'model-samples/s', 'ours ÷ it', 'loss'];
const RIGHT = new Set([2, 3, 4, 5, 6]);

/**
 * Lays `rows` (arrays of cells) out under `header` in columns wide enough for every cell,
 * numbers right-aligned; a row shorter than the header (a failure) runs its last cell on. A
 * `where` equal to the row above's is left blank, so the table reads in groups.
 */
export function layout(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.filter((r) => r.length === header.length).map((r) => r[i].length)));
  const line = (cells) =>
    cells
      .map((c, i) => (i === cells.length - 1 && cells.length < header.length ? c : RIGHT.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const shown = rows.map((r, i) => (i > 0 && r[0] === rows[i - 1][0] ? ['', ...r.slice(1)] : r));
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...shown.map(line)].join('\n');
}
