// @ts-check
// The page's state as one declarative table, serialized to the URL hash so that a run can be
// shared or embedded: `#inits=zeros,general-rule&epochs=1&hide=data,samples`.
//
// A field whose value is null takes the lesson's value from the engine (TrainConfig::default
// and Initializer::lesson), so links keep meaning "the lesson" unless they say otherwise.
// `config` names the TrainConfig field a value is sent to the engine as.
//
// @ts-check
// No DOM and no imports: a pure table, unit-tested under Node (tests/unit/settings.test.mjs).

/** Parts of the page that an embedding can hide with `hide=…`. */
export const SECTIONS = [
  'header',
  'backend',
  'buttons',
  'inits',
  'params',
  'data',
  'samples',
  'charts',
  'signal',
  'table',
  'diagnostics',
  'health',
  'tiles',
  'sweep',
  'mistakes',
  'author',
];

// Numbers as a person writes them: digits with an optional sign, fraction and exponent;
// whole numbers as digits only. Not hex, `Infinity`, or padding, which Number() would take.
const DECIMAL = String.raw`-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?`;
const DECIMAL_RE = new RegExp(`^${DECIMAL}$`);
const WHOLE_RE = /^-?\d+$/;

/** The hidden layers' activations (the engine's `Activation`, its names on the wire). */
export const ACTIVATIONS = ['relu', 'leaky-relu', 'tanh', 'sigmoid', 'linear'];
/** How many hidden layers a network may have, and how wide each (src/train/config.rs). */
export const MAX_HIDDEN_LAYERS = 32;
export const MAX_WIDTH = 1024;

// Hidden widths in an override: `256x30`, `512/256/128`, `512/256x3`.
const WIDTHS = String.raw`\d+(x\d+)?(/\d+(x\d+)?)*`;
// One token of a per-model override: an activation, an optimizer, hidden widths, lr or momentum.
const OVERRIDE = `(${ACTIVATIONS.join('|')}|adam|sgd|${WIDTHS}|(lr|momentum)=${DECIMAL})`;
// An initializer id as `--init` takes it: a catalog name (lowercase words joined by dashes),
// or `constant:C`, `uniform:A:B`, `normal:STD`, `gain:G` with decimal numbers, optionally with
// per-model overrides after an `@` joined by `+` (`he-normal@tanh+sgd`). Whether the name is
// known and the numbers usable is the engine's to say; this catches what cannot be an id at all.
const INIT_ID_RE = new RegExp(
  `^([a-z][a-z0-9]*(-[a-z0-9]+)*|(constant|normal|gain):${DECIMAL}|uniform:${DECIMAL}:${DECIMAL})(@${OVERRIDE}(\\+${OVERRIDE})*)?$`,
);

export const FIELDS = [
  { name: 'inits', type: 'list', pattern: INIT_ID_RE, default: null, help: 'initializer ids (default: the lesson six)' },
  // The network's shape and activation: `hidden=256x30` is 30 hidden layers of 256 units.
  { name: 'hidden', type: 'widths', default: null, config: 'hidden', label: 'hidden layers' },
  { name: 'activation', type: 'enum', values: ACTIVATIONS, default: null, config: 'activation', label: 'activation' },
  { name: 'epochs', type: 'int', default: null, min: 1, max: 100, config: 'epochs', label: 'epochs' },
  { name: 'lr', type: 'number', default: null, min: 1e-6, max: 10, config: 'lr', label: 'learning rate', step: 'any' },
  { name: 'batch', type: 'int', default: null, min: 1, max: 10000, config: 'batch_size', label: 'batch size' },
  { name: 'optimizer', type: 'enum', values: ['adam', 'sgd'], default: null, config: 'optimizer', label: 'optimizer' },
  // SGD's momentum as PyTorch defines it (not sent with Adam, whose β₁ is its own); 1 would never forget a gradient.
  { name: 'momentum', type: 'number', default: null, min: 0, below: 1, config: 'momentum', label: 'SGD momentum (SGD only)', step: 'any' },
  { name: 'dropout', type: 'number', default: null, min: 0, max: 0.95, config: 'dropout', label: 'dropout', step: 0.05 },
  { name: 'seed', type: 'int', default: null, min: 0, max: Number.MAX_SAFE_INTEGER, config: 'seed', label: 'seed' },
  // Full validation passes (all 12,000 images) besides each epoch's end; 0: epoch ends only, as
  // the session's live passes on 2,000 fixed images give the accuracy chart its early points.
  { name: 'evalEvery', type: 'int', default: 0, min: 0, max: 100000, config: 'eval_every', label: 'validate every (steps)' },
  // Validation images of the live subset, validated after steps 10, 25, 50, 100 and every 200
  // so that accuracy curves start within seconds (0: off).
  { name: 'live', type: 'int', default: null, min: 0, max: 1000000, config: 'live_validation', label: 'live validation images' },
  { name: 'log', type: 'bool', default: true, help: 'log-scale loss chart' },
  { name: 'trainAccuracy', type: 'bool', default: true, help: 'running training accuracy on the accuracy chart' },
  // A weight matrix: the hidden layers, then the output layer.
  { name: 'layer', type: 'int', default: 1, min: 1, max: MAX_HIDDEN_LAYERS + 1, help: 'the layer the diagnostics panel shows' },
  { name: 'backend', type: 'enum', values: ['auto', 'gpu', 'cpu'], default: 'auto' },
  // The CPU fallback's build (www/engine/engine-build.js): threads where the page is cross-origin
  // isolated (0: one per core, at most 4; 1: one, and no reload to become isolated), and
  // relaxed SIMD where the browser has it ('base': the build every browser runs).
  { name: 'threads', type: 'int', default: 0, min: 0, max: 16, help: 'CPU threads (0: one per core, at most 4)' },
  { name: 'simd', type: 'enum', values: ['auto', 'base'], default: 'auto', help: 'relaxed SIMD where the browser has it, or the base build' },
  { name: 'autorun', type: 'bool', default: false, help: 'start training as soon as the data is in' },
  { name: 'projector', type: 'bool', default: false, help: 'large type, thick lines, high contrast, colour-blind-safe colours' },
  { name: 'hide', type: 'list', values: SECTIONS, default: [] },
];

/**
 * The settings, one per field of FIELDS; null takes the lesson's value from the engine.
 * @typedef {{inits: string[] | null, hidden: number[] | null, activation: string | null, epochs: number | null,
 *   lr: number | null, batch: number | null, optimizer: string | null, momentum: number | null, dropout: number | null,
 *   seed: number | null, evalEvery: number, live: number | null, log: boolean, trainAccuracy: boolean, layer: number,
 *   backend: 'auto' | 'gpu' | 'cpu', threads: number, simd: 'auto' | 'base', autorun: boolean,
 *   projector: boolean, hide: string[]}} Settings
 */

/**
 * Hidden layer widths as people write them: `256,128`, `256x30` (30 layers of 256),
 * `512,256x3`, and with `/` between layers as in an override (`512/256`). {value: widths}
 * when the network can be built, else {reason}.
 * @param {string} text
 * @returns {{value: number[], reason?: undefined} | {reason: string, value?: undefined}}
 */
export function parseWidths(text) {
  const runs = [];
  for (const part of text.split(/[,/]/)) {
    const run = /^(\d+)(?:x(\d+))?$/.exec(part);
    if (!run) return { reason: `${part === '' ? 'an empty item' : part} is not a width (like 256) or a run of them (like 256x30)` };
    const [width, count] = [Number(run[1]), run[2] === undefined ? 1 : Number(run[2])];
    if (width < 1 || width > MAX_WIDTH) return { reason: `a layer of ${run[1]} units; widths are from 1 to ${MAX_WIDTH}` };
    if (count < 1) return { reason: `${part} repeats a width 0 times` };
    runs.push([width, count]);
  }
  const layers = runs.reduce((sum, [, count]) => sum + count, 0);
  if (layers > MAX_HIDDEN_LAYERS) return { reason: `${layers} hidden layers; a network has 1 to ${MAX_HIDDEN_LAYERS}` };
  return { value: runs.flatMap(([width, count]) => Array(count).fill(width)) };
}

/** Widths as parseWidths reads them, repeats run together: [512, 256, 256, 256] → `512,256x3`. */
export function formatWidths(widths) {
  const parts = [];
  for (let i = 0; i < widths.length; ) {
    let n = 1;
    while (widths[i + n] === widths[i]) n++;
    parts.push(n > 1 ? `${widths[i]}x${n}` : String(widths[i]));
    i += n;
  }
  return parts.join(',');
}

/** A field's value as its text in a link or an input. */
export const formatValue = (f, v) => (f.type === 'widths' ? formatWidths(v) : Array.isArray(v) ? v.join(',') : String(v));

/** Whether number `v` is in field `f`'s range (`below` is an open upper end). */
const inRange = (v, f) => v >= f.min && (f.below === undefined ? v <= f.max : v < f.below);

/** Field `f`'s range in words: `from 1 to 100`, `at least 0 and below 1`. */
export const rangeText = (f) => (f.below === undefined ? `from ${f.min} to ${f.max}` : `at least ${f.min} and below ${f.below}`);

const BOOLS = { true: true, 1: true, false: false, 0: false };

// Each returns {value} when the text can be used as written, else {reason}.
const readers = {
  int: (raw, f) => {
    if (!WHOLE_RE.test(raw)) return { reason: 'not a whole number in plain digits' };
    const v = BigInt(raw); // exact: a long seed is not rounded
    return v >= BigInt(f.min) && v <= BigInt(f.max) ? { value: Number(v) } : { reason: `must be ${rangeText(f)}` };
  },
  number: (raw, f) => {
    if (!DECIMAL_RE.test(raw)) return { reason: 'not a plain decimal number' };
    const v = Number(raw);
    return inRange(v, f) ? { value: v } : { reason: `must be ${rangeText(f)}` };
  },
  widths: (raw) => parseWidths(raw),
  bool: (raw) => (Object.hasOwn(BOOLS, raw) ? { value: BOOLS[raw] } : { reason: 'must be true, false, 1 or 0' }),
  enum: (raw, f) => (f.values.includes(raw) ? { value: raw } : { reason: `must be one of ${f.values.join(', ')}` }),
  list: (raw, f) => {
    const items = raw.split(',');
    if (items.includes('')) return { reason: 'has an empty item' };
    const bad = items.filter((i) => (f.values ? !f.values.includes(i) : !f.pattern.test(i)));
    if (bad.length) {
      const [verb, ids] = bad.length > 1 ? ['are', 'initializer ids'] : ['is', 'an initializer id'];
      const expected = f.values ? `one of ${f.values.join(', ')}` : `${ids} (like he-normal, uniform:-0.1:0.1 or he-normal@tanh+sgd)`;
      return { reason: `${bad.join(', ')} ${verb} not ${expected}` };
    }
    const repeated = items.find((item, i) => items.indexOf(item) !== i);
    return repeated ? { reason: `lists ${repeated} twice` } : { value: items };
  },
};

/**
 * Reads one field's text as it came (from a URL or an attribute): {value} when the page can
 * use it as written, else {reason}, a few words on what is wrong. Refused: empty text, spaces,
 * numbers that are not plain decimal (`1e3` for a whole number, `0x10`), values out of range,
 * unknown choices, empty or repeated list items, and ids that cannot be initializer ids.
 */
export function readValue(field, raw) {
  if (raw === '') return { reason: 'empty' };
  if (/\s/.test(raw)) return { reason: 'contains a space' };
  return readers[field.type](raw, field);
}

/** Text in a message: as is, or quoted when empty or holding spaces. */
const shown = (raw) => (/^\S+$/.test(raw) ? raw : JSON.stringify(raw));

/**
 * Reads the state from a URL hash; returns {state, problems}. A field the hash cannot set as
 * written (a bad value, or given more than once) keeps its default and gets a line in
 * `problems`, as does every key that is not a field.
 */
export function parseHash(hash) {
  // A `+` is itself (it joins an initializer's overrides), not a form's space.
  const params = new URLSearchParams(hash.replace(/^#/, '').replaceAll('+', '%2B'));
  /** @type {Settings} */
  const state = /** @type {any} */ ({});
  const problems = [];
  for (const f of FIELDS) {
    const raws = params.getAll(f.name);
    let read = {};
    if (raws.length > 1) {
      problems.push(`ignored ${f.name}: given ${raws.length} times (${raws.map((r) => `${f.name}=${shown(r)}`).join(', ')})`);
    } else if (raws.length === 1) {
      read = readValue(f, raws[0]);
      if (read.reason) problems.push(`ignored ${f.name}=${shown(raws[0])}: ${read.reason}`);
    }
    state[f.name] = read.value === undefined ? copy(f.default) : read.value;
  }
  for (const key of new Set(params.keys())) {
    if (!FIELDS.some((f) => f.name === key)) problems.push(`unknown setting ${shown(key)}`);
  }
  return { state, problems };
}

/**
 * The hash for `state`, with only the values that differ from `base`'s (by default, the
 * fields' defaults; a lesson chapter's link, the chapter's settings).
 * @param {Partial<Settings>} state
 * @param {Partial<Settings>} [base]
 */
export function toHash(state, base) {
  const params = new URLSearchParams();
  for (const f of FIELDS) {
    const v = state[f.name];
    if (v === null || v === undefined || same(v, base ? base[f.name] : f.default)) continue;
    params.set(f.name, formatValue(f, v));
  }
  return readableLists(params);
}

// These are legal in a fragment; keep lists and ids readable as people write them
// (`inits=zeros,gain:0.3,he-normal@tanh+512/256+lr=0.01`).
const READABLE = { '%2C': ',', '%3A': ':', '%40': '@', '%2B': '+', '%2F': '/', '%3D': '=' };
const readableLists = (params) => params.toString().replace(/%2C|%3A|%40|%2B|%2F|%3D/g, (code) => READABLE[code]);

/** The TrainConfig to send to the engine: the lesson's, overridden by the state. */
export function trainConfig(state, lessonConfig) {
  const config = { ...lessonConfig };
  for (const f of FIELDS) {
    if (f.config && state[f.name] !== null) config[f.config] = state[f.name];
  }
  // Momentum is SGD's (its field says so): kept for when SGD is chosen, never sent with Adam,
  // which the engine would refuse, blocking the run until the field is cleared.
  if (config.optimizer === 'adam') config.momentum = 0;
  return config;
}

/** The value a field shows: the state's, else the lesson's. */
export function effective(state, field, lessonConfig) {
  const v = state[field.name];
  return v !== null ? v : lessonConfig[field.config];
}

/** Clears every training setting and the initializer choice: the lesson as published. */
export function lessonPreset(state) {
  const next = { ...state, inits: null };
  for (const f of FIELDS) if (f.config) next[f.name] = copy(f.default);
  return next;
}

/**
 * The settings of a catalog preset ({inits, config}): its initializers, and for each training
 * setting the preset's value, or the field's default where that is the lesson's (so that its
 * link says only what differs from the lesson).
 * @param {{inits: string[], config: Record<string, any>}} preset
 * @param {Record<string, any>} lessonConfig
 * @returns {Partial<Settings>}
 */
export function presetSettings(preset, lessonConfig) {
  const patch = { inits: [...preset.inits] };
  for (const f of FIELDS) {
    if (!f.config) continue;
    const v = preset.config[f.config];
    patch[f.name] = v === undefined || same(v, lessonConfig[f.config]) ? copy(f.default) : copy(v);
  }
  return patch;
}

/**
 * The preset whose run `settings` make (its initializers and training settings), or null.
 * @template {{inits: string[], config: Record<string, any>}} P
 * @param {Settings} settings
 * @param {P[]} presets
 * @param {Record<string, any>} lessonConfig
 * @returns {P | null}
 */
export function presetOf(settings, presets, lessonConfig) {
  const run = (s) => JSON.stringify([s.inits, trainConfig(s, lessonConfig)]);
  return presets.find((p) => run({ ...settings, ...presetSettings(p, lessonConfig) }) === run(settings)) ?? null;
}

const copy = (v) => (Array.isArray(v) ? [...v] : v);
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
