// The page's state as one declarative table, serialized to the URL hash so that a run can be
// shared or embedded: `#inits=zeros,general-rule&epochs=1&hide=data,samples`.
//
// A field whose value is null takes the lesson's value from the engine (TrainConfig::default
// and Initializer::lesson), so links keep meaning "the lesson" unless they say otherwise.
// `config` names the TrainConfig field a value is sent to the engine as.
//
// No DOM and no imports: `embed.js` loads this module on the course author's page too.

/** Parts of the page that an embedding can hide with `hide=…`. */
export const SECTIONS = [
  'header', 'backend', 'buttons', 'inits', 'params', 'data', 'samples', 'charts', 'table', 'diagnostics',
];

export const FIELDS = [
  { name: 'inits', type: 'list', default: null, help: 'initializer ids (default: the lesson six)' },
  { name: 'epochs', type: 'int', default: null, min: 1, max: 100, config: 'epochs', label: 'epochs' },
  { name: 'lr', type: 'number', default: null, min: 1e-6, max: 10, config: 'lr', label: 'learning rate', step: 'any' },
  { name: 'batch', type: 'int', default: null, min: 1, max: 10000, config: 'batch_size', label: 'batch size' },
  { name: 'optimizer', type: 'enum', values: ['adam', 'sgd'], default: null, config: 'optimizer', label: 'optimizer' },
  { name: 'dropout', type: 'number', default: null, min: 0, max: 0.95, config: 'dropout', label: 'dropout', step: 0.05 },
  { name: 'seed', type: 'int', default: null, min: 0, max: Number.MAX_SAFE_INTEGER, config: 'seed', label: 'seed' },
  // Validation points on the accuracy chart: 8 per lesson run (0 = after each epoch only).
  { name: 'evalEvery', type: 'int', default: 120, min: 0, max: 100000, config: 'eval_every', label: 'validate every (steps)' },
  { name: 'log', type: 'bool', default: true, help: 'log-scale loss chart' },
  { name: 'layer', type: 'int', default: 1, min: 1, max: 3, help: 'the layer the diagnostics panel shows' },
  { name: 'backend', type: 'enum', values: ['auto', 'gpu', 'cpu'], default: 'auto' },
  { name: 'autorun', type: 'bool', default: false, help: 'start training as soon as the data is in' },
  { name: 'hide', type: 'list', values: SECTIONS, default: [] },
];

const parsers = {
  int: (raw, f) => {
    const v = Number(raw);
    return Number.isInteger(v) && v >= f.min && v <= f.max ? v : undefined;
  },
  number: (raw, f) => {
    const v = Number(raw);
    return raw !== '' && Number.isFinite(v) && v >= f.min && v <= f.max ? v : undefined;
  },
  bool: (raw) => ({ true: true, '1': true, false: false, '0': false })[raw],
  enum: (raw, f) => (f.values.includes(raw) ? raw : undefined),
  list: (raw, f) => {
    const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
    return f.values && items.some((i) => !f.values.includes(i)) ? undefined : items;
  },
};

/** Reads the state from a URL hash; returns {state, problems} with a line per bad value. */
export function parseHash(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const state = {};
  const problems = [];
  for (const f of FIELDS) {
    const raw = params.get(f.name);
    const value = raw === null ? undefined : parsers[f.type](raw, f);
    if (raw !== null && value === undefined) problems.push(`ignored ${f.name}=${raw}`);
    state[f.name] = value === undefined ? copy(f.default) : value;
  }
  for (const key of params.keys()) {
    if (!FIELDS.some((f) => f.name === key)) problems.push(`unknown setting ${key}`);
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
  // Commas are legal in a fragment; keep lists readable.
  return params.toString().replaceAll('%2C', ',');
}

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
