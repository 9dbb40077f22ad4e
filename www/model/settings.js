// @ts-check
// The page's state as one declarative table, serialized to the URL hash so that a run can be
// shared or embedded: `#inits=zeros,general-rule&epochs=1&hide=data,samples`.
//
// A field whose value is null takes the lesson's value from the engine (TrainConfig::default
// and Initializer::lesson), so links keep meaning "the lesson" unless they say otherwise.
// `config` names the TrainConfig field a value is sent to the engine as.
//
// @ts-check
// No DOM and no imports: a pure table, unit-tested under Node (tests/unit/state.test.mjs).

/** Parts of the page that an embedding can hide with `hide=…`. */
const SECTIONS = [
  'header',
  'backend',
  'buttons',
  'inits',
  'params',
  'data',
  'samples',
  'charts',
  'table',
  'diagnostics',
  'health',
  'tiles',
  'sweep',
  'mistakes',
];

// Numbers as a person writes them: digits with an optional sign, fraction and exponent;
// whole numbers as digits only. Not hex, `Infinity`, or padding, which Number() would take.
const DECIMAL = String.raw`-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?`;
const DECIMAL_RE = new RegExp(`^${DECIMAL}$`);
const WHOLE_RE = /^-?\d+$/;
// An initializer id as `--init` takes it: a catalog name (lowercase words joined by dashes),
// or `constant:C`, `uniform:A:B`, `normal:STD`, `gain:G` with decimal numbers. Whether the name is known
// and the numbers usable is the engine's to say; this catches what cannot be an id at all.
const INIT_ID_RE = new RegExp(`^([a-z][a-z0-9]*(-[a-z0-9]+)*|(constant|normal|gain):${DECIMAL}|uniform:${DECIMAL}:${DECIMAL})$`);

export const FIELDS = [
  { name: 'inits', type: 'list', pattern: INIT_ID_RE, default: null, help: 'initializer ids (default: the lesson six)' },
  { name: 'epochs', type: 'int', default: null, min: 1, max: 100, config: 'epochs', label: 'epochs' },
  { name: 'lr', type: 'number', default: null, min: 1e-6, max: 10, config: 'lr', label: 'learning rate', step: 'any' },
  { name: 'batch', type: 'int', default: null, min: 1, max: 10000, config: 'batch_size', label: 'batch size' },
  { name: 'optimizer', type: 'enum', values: ['adam', 'sgd'], default: null, config: 'optimizer', label: 'optimizer' },
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
  { name: 'layer', type: 'int', default: 1, min: 1, max: 3, help: 'the layer the diagnostics panel shows' },
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
 * @typedef {{inits: string[] | null, epochs: number | null, lr: number | null, batch: number | null,
 *   optimizer: string | null, dropout: number | null, seed: number | null, evalEvery: number,
 *   live: number | null, log: boolean, trainAccuracy: boolean, layer: number,
 *   backend: 'auto' | 'gpu' | 'cpu', threads: number, simd: 'auto' | 'base', autorun: boolean,
 *   projector: boolean, hide: string[]}} Settings
 */

const BOOLS = { true: true, 1: true, false: false, 0: false };

// Each returns {value} when the text can be used as written, else {reason}.
const readers = {
  int: (raw, f) => {
    if (!WHOLE_RE.test(raw)) return { reason: 'not a whole number in plain digits' };
    const v = BigInt(raw); // exact: a long seed is not rounded
    return v >= BigInt(f.min) && v <= BigInt(f.max) ? { value: Number(v) } : { reason: `must be from ${f.min} to ${f.max}` };
  },
  number: (raw, f) => {
    if (!DECIMAL_RE.test(raw)) return { reason: 'not a plain decimal number' };
    const v = Number(raw);
    return v >= f.min && v <= f.max ? { value: v } : { reason: `must be from ${f.min} to ${f.max}` };
  },
  bool: (raw) => (Object.hasOwn(BOOLS, raw) ? { value: BOOLS[raw] } : { reason: 'must be true, false, 1 or 0' }),
  enum: (raw, f) => (f.values.includes(raw) ? { value: raw } : { reason: `must be one of ${f.values.join(', ')}` }),
  list: (raw, f) => {
    const items = raw.split(',');
    if (items.includes('')) return { reason: 'has an empty item' };
    const bad = items.filter((i) => (f.values ? !f.values.includes(i) : !f.pattern.test(i)));
    if (bad.length) {
      const [verb, ids] = bad.length > 1 ? ['are', 'initializer ids'] : ['is', 'an initializer id'];
      const expected = f.values ? `one of ${f.values.join(', ')}` : `${ids} (like he-normal or uniform:-0.1:0.1)`;
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
  const params = new URLSearchParams(hash.replace(/^#/, ''));
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

/** The hash for `state`, with only the values that differ from the defaults. */
export function toHash(state) {
  const params = new URLSearchParams();
  for (const f of FIELDS) {
    const v = state[f.name];
    if (v === null || v === undefined || same(v, f.default)) continue;
    params.set(f.name, Array.isArray(v) ? v.join(',') : String(v));
  }
  return readableLists(params);
}

// Commas and colons are legal in a fragment; keep lists readable (`inits=zeros,gain:0.3`).
const readableLists = (params) => params.toString().replaceAll('%2C', ',').replaceAll('%3A', ':');

/** The TrainConfig to send to the engine: the lesson's, overridden by the state. */
export function trainConfig(state, lessonConfig) {
  const config = { ...lessonConfig };
  for (const f of FIELDS) {
    if (f.config && state[f.name] !== null) config[f.config] = state[f.name];
  }
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

const copy = (v) => (Array.isArray(v) ? [...v] : v);
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
