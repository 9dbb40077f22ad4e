// @ts-check
// One stable colour (and line style) per initializer, shared by the toggles, the charts and
// the table, so a curve keeps its look whichever initializers are switched on. Two palettes:
// the default one, and the projector's, which is colour-blind safe — Okabe & Ito's colours
// (yellow left out: too pale on a white screen), each used once solid and once dashed, so
// that curves with the same dash stay apart under protanopia and deuteranopia
// (tests/unit/palette.test.mjs checks it).
const DEFAULT = {
  zeros: '#6b7280',
  ones: '#d62728',
  uniform: '#ff7f0e',
  centered: '#b8860b',
  'general-rule': '#1f77b4',
  normal: '#2ca02c',
  'pytorch-default': '#9467bd',
  'xavier-uniform': '#17becf',
  'xavier-normal': '#e377c2',
  'he-uniform': '#8c564b',
  'he-normal': '#111111',
  'lecun-normal': '#637939',
  orthogonal: '#7b4173',
};
// For parameterized ids (constant:C, uniform:A:B, normal:STD; gain:G has its own ramp below).
const DEFAULT_EXTRA = ['#0f766e', '#be185d', '#4d7c0f', '#9a3412', '#1e40af'];

const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
};
const DASH = [10, 6];
const O = OKABE_ITO;
const PROJECTOR = {
  zeros: [O.black],
  ones: [O.vermillion],
  uniform: [O.orange],
  centered: [O.reddishPurple],
  'general-rule': [O.blue],
  normal: [O.bluishGreen],
  'pytorch-default': [O.skyBlue],
  'xavier-uniform': [O.blue, DASH],
  'xavier-normal': [O.bluishGreen, DASH],
  'he-uniform': [O.vermillion, DASH],
  'he-normal': [O.black, DASH],
  'lecun-normal': [O.orange, DASH],
  orthogonal: [O.reddishPurple, DASH],
};
const PROJECTOR_EXTRA = [
  [O.skyBlue, DASH],
  [O.black, [2, 4]],
  [O.blue, [2, 4]],
  [O.vermillion, [2, 4]],
];

// The scale sweep's `gain:G` models: one colour per half decade of g, cold (too small) to hot
// (too large), so the sweep's nine curves are told apart and each gain keeps its colour. In
// projector mode every other half decade is dashed, for eyes that mix neighbouring hues.
const GAIN_RAMP = ['#4c1d95', '#6d28d9', '#1d4ed8', '#0284c7', '#0891b2', '#059669', '#65a30d', '#ca8a04', '#ea580c', '#dc2626', '#9d174d'];
function gainStyle(id, onProjector) {
  const g = /^gain:/.test(id) ? Number(id.slice(5)) : NaN;
  if (!(g > 0 && Number.isFinite(g))) return null;
  const bin = Math.min(GAIN_RAMP.length - 1, Math.max(0, Math.round(2 * Math.log10(g)) + 6)); // 1e-3 → 0, 1e2 → 10
  return { color: GAIN_RAMP[bin], dash: onProjector && bin % 2 === 1 ? DASH : null };
}

let projector = false;

/** Switches every colour and line style to the projector's palette, or back. */
export function usePalette({ projector: on }) {
  projector = on;
}

const pick = (list, id) => {
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return list[hash % list.length];
};

/** The look of initializer `id`: {color, dash (a canvas dash pattern, or null: solid)}; an id
 * with per-model overrides (`he-normal@tanh`) looks like its initializer. */
export function styleOf(fullId, palette = { projector }) {
  const id = fullId.split('@')[0];
  const gain = gainStyle(id, palette.projector);
  if (gain) return gain;
  if (palette.projector) {
    const [color, dash = null] = PROJECTOR[id] ?? pick(PROJECTOR_EXTRA, id);
    return { color, dash };
  }
  return { color: DEFAULT[id] ?? pick(DEFAULT_EXTRA, id), dash: null };
}

// Looks for a model whose own one another model of its run has: distinct hues first.
const SPARES = ['#0f766e', '#9a3412', '#1e40af', '#4d7c0f', '#be185d', ...Object.values(DEFAULT)].map((color) => ({ color, dash: null }));
const PROJECTOR_SPARES = [...Object.values(PROJECTOR), ...PROJECTOR_EXTRA].map(([color, dash = null]) => ({ color, dash }));

/**
 * The looks of a run's models, in its order: each id's own (styleOf), except that a model
 * whose look an earlier one of the run has (the same initializer with other overrides, or two
 * custom ids hashed to one colour) takes the first spare look no model of the run has.
 * @param {string[]} ids
 * @returns {{color: string, dash: number[] | null}[]}
 */
export function runStyles(ids, palette = { projector }) {
  const key = ({ color, dash }) => `${color} ${dash}`;
  const own = ids.map((id) => styleOf(id, palette));
  const taken = new Set(own.map(key));
  const spares = (palette.projector ? PROJECTOR_SPARES : SPARES).filter((look) => !taken.has(key(look)));
  const seen = new Set();
  return own.map((look) => {
    const chosen = seen.has(key(look)) ? (spares.shift() ?? look) : look;
    seen.add(key(chosen));
    return chosen;
  });
}

/** A swatch's CSS background for a look: its colour, striped where its curve is dashed. */
export function swatchFor({ color, dash }) {
  return dash ? `repeating-linear-gradient(90deg, ${color} 0 ${dash[0] / 2}px, transparent ${dash[0] / 2}px ${(dash[0] + dash[1]) / 2}px)` : color;
}

/** Every named initializer's projector look, for checks. */
export const projectorStyles = () => Object.keys(PROJECTOR).map((id) => ({ id, ...styleOf(id, { projector: true }) }));
