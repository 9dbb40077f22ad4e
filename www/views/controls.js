// @ts-check
// The controls built from the catalog and the state table: one toggle per initializer (its
// formula shown on hover and focus) and one input per training setting. They report changes
// as state patches; they never talk to the worker.
import { selectedInits } from '../model/intents.js';
import { effective, FIELDS, formatValue, MAX_HIDDEN_LAYERS, MAX_WIDTH, rangeText, readValue } from '../model/settings.js';
import { decimalMarkOf, readTypedNumber, steppedText } from '../model/typed-number.js';
import { runStyles, styleOf, swatchFor } from './palette.js';

/** The initializers to offer: the catalog's, then any other id the state names (custom ones,
 * which a person can remove). */
export function offeredInits(catalog, selected) {
  const known = catalog.initializers;
  const extra = [...new Set(selected ?? [])].filter((id) => !known.some((i) => i.id === id));
  return [...known, ...extra.map((id) => ({ id, label: id, formula: 'custom initializer', custom: true }))];
}

/** Builds the initializer toggles (setInitToggles checks them and colours their swatches);
 * `onChange(ids)` gets the ids switched on, in list order; `onRemove(id)`, where given, gets a
 * custom one whose × a person pressed. */
export function buildInitToggles(list, inits, onChange, onRemove = null) {
  const items = inits.map((init) => {
    const li = document.createElement('li');
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = init.id;
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    const formula = document.createElement('span');
    formula.className = 'formula';
    formula.id = `formula-${init.id.replace(/[^\w-]/g, '_')}`;
    formula.setAttribute('role', 'tooltip');
    formula.textContent = init.formula;
    box.setAttribute('aria-describedby', formula.id);
    label.append(box, swatch, init.label);
    li.append(label, formula);
    if (init.custom && onRemove) {
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'remove';
      remove.textContent = '×';
      remove.setAttribute('aria-label', `Remove ${init.label}`);
      remove.addEventListener('click', () => onRemove(init.id));
      li.append(remove);
    }
    return li;
  });
  list.replaceChildren(...items);
  list.onchange = () => {
    onChange([...list.querySelectorAll('input:checked')].map((box) => box.value));
  };
}

/** Checks the toggles of the `selected` ids; a chosen one's swatch is its curves' look in the
 * run they make (palette.js runStyles), the others' their own. */
export function setInitToggles(list, selected) {
  const looks = runStyles(selected);
  for (const box of list.querySelectorAll('input')) {
    const chosen = selected.indexOf(box.value);
    box.checked = chosen >= 0;
    /** @type {HTMLElement} */ (box.nextElementSibling).style.background = swatchFor(chosen >= 0 ? looks[chosen] : styleOf(box.value));
  }
}

/** What a field takes, in words, for the message about a value it cannot use; `example` is
 * the lesson's value. */
function expected(f, example) {
  if (f.type === 'widths') return `widths like 256,128 or 256x30: ${MAX_HIDDEN_LAYERS} hidden layers at most, each 1 to ${MAX_WIDTH} units wide`;
  const such = example === undefined ? '' : `, such as ${example}`;
  return `${f.type === 'int' ? 'a whole number' : 'a number'} ${rangeText(f)}${such}`;
}

const isNumeric = (f) => f.type === 'int' || f.type === 'number';

/** Reads a field's text as typed: a number in the person's locale (typed-number.js: `0,001`
 * is 0.001, `0,0,1` is refused), then by the same rules as a link's (settings.js readValue).
 * {value}, or {reason} with `why`, the words on text that is not one number. */
function readTyped(f, text, decimalMark) {
  if (!isNumeric(f)) return readValue(f, text);
  const typed = readTypedNumber(text, decimalMark);
  return typed.reason ? { reason: typed.reason, why: typed.reason } : readValue(f, typed.plain);
}

/** Builds one input per state field with a label (a choice's options named as `names` says,
 * where it does); `onChange(patch)` on a valid change, `onInvalid(message)` (what is wrong,
 * what is expected) on one the run cannot use. */
export function buildParams(container, state, lessonConfig, onChange, onInvalid = (/** @type {string} */ _message) => {}, names = {}) {
  const decimalMark = decimalMarkOf(globalThis.navigator?.language);
  const rows = FIELDS.filter((f) => f.label).map((f) => {
    const label = document.createElement('label');
    label.textContent = f.label;
    const input = f.type === 'enum' ? select(f.values, names) : f.type === 'widths' ? widths() : number(f);
    input.name = f.name;
    input.addEventListener('change', () => {
      const read = readTyped(f, input.value, decimalMark);
      const valid = read.value !== undefined;
      input.classList.toggle('invalid', !valid);
      input.setAttribute('aria-invalid', String(!valid));
      if (valid) return onChange({ [f.name]: read.value });
      const why = read.why ? ` (${read.why})` : '';
      const lesson = isNumeric(f) && f.config ? lessonConfig[f.config] : undefined;
      onInvalid(`${f.label} = ${JSON.stringify(input.value)} cannot be used${why}: expected ${expected(f, lesson)}; the run keeps its current value`);
    });
    // Steps as the number boxes had them: 1 for a whole number, none for `any`.
    const step = f.type === 'int' ? 1 : f.step;
    if (typeof step === 'number') stepWithArrows(input, step, f, decimalMark);
    label.append(input);
    return label;
  });
  container.replaceChildren(...rows);
  setParams(container, state, lessonConfig);
}

export function setParams(container, state, lessonConfig) {
  for (const f of FIELDS.filter((field) => field.label)) {
    const input = container.querySelector(`[name="${f.name}"]`);
    const value = effective(state, f, lessonConfig);
    if (input && document.activeElement !== input && value !== undefined) {
      input.value = formatValue(f, value);
      input.classList.remove('invalid');
    }
  }
}

function select(values, names) {
  const el = document.createElement('select');
  el.append(...values.map((v) => new Option(names[v] ?? v, v)));
  return el;
}

/** A number field: text, so that the script sees what was typed (a `type=number` box hands
 * it "" or `0,001` as 1, depending on the browser); a decimal keypad where there is one. */
function number(f) {
  const el = document.createElement('input');
  el.type = 'text';
  el.inputMode = f.type === 'int' ? 'numeric' : 'decimal';
  el.required = true;
  el.spellcheck = false;
  el.autocomplete = 'off';
  return el;
}

/** ↑ and ↓ change field `f`'s value by `step` within its range, as in a number box, and
 * apply it at once. */
function stepWithArrows(input, step, f, decimalMark) {
  input.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
    const next = steppedText(input.value, step, event.key === 'ArrowUp' ? 1 : -1, f, decimalMark);
    if (next === null) return;
    event.preventDefault();
    input.value = next;
    input.dispatchEvent(new Event('change'));
  });
}

/** Hidden layer widths as text: `256,128`, `256x30`. */
function widths() {
  const el = document.createElement('input');
  el.type = 'text';
  el.required = true;
  el.spellcheck = false;
  el.autocomplete = 'off';
  el.title = `Widths of the hidden layers, first to last: 256,128 or 256x30 (30 layers of 256); ${MAX_HIDDEN_LAYERS} layers at most`;
  return el;
}

/** The initializer toggles and the training settings' inputs, drawn from the state; a person's
 * change is dispatched as a `settings` intent (the toggles' × as `remove-init`). */
export class ControlsPanel {
  /** @param {(intent: {intent: string} & Record<string, any>) => void} dispatch */
  constructor(dispatch) {
    this.dispatch = dispatch;
    this.offeredKey = '';
    this.catalog = null;
  }

  /** The toggles are built again in new colours at the next `show`. */
  recolour() {
    this.offeredKey = '';
  }

  /** Builds the toggles again when the ids offered change, else only checks and unchecks them;
   * the inputs follow the settings. @param {import('../model/reducer.js').State} s */
  show(s) {
    const settings = (patch) => this.dispatch({ intent: 'settings', patch });
    const offered = offeredInits(s.catalog, [...(s.settings.inits ?? []), ...s.custom]);
    const chosen = selectedInits(s);
    const key = offered.map((i) => i.id).join();
    const list = document.getElementById('inits');
    if (key !== this.offeredKey) {
      this.offeredKey = key;
      const remove = (id) => {
        this.dispatch({ intent: 'remove-init', id });
        document.getElementById('custom-kind').focus(); // its × is gone with the toggles rebuilt
      };
      buildInitToggles(list, offered, (inits) => settings({ inits }), remove);
    }
    setInitToggles(list, chosen);
    const params = document.getElementById('params');
    if (s.catalog !== this.catalog) {
      this.catalog = s.catalog;
      const invalid = (message) => this.dispatch({ intent: 'invalid-input', message });
      const names = Object.fromEntries((s.catalog.activations ?? []).map((a) => [a.id, a.label]));
      buildParams(params, s.settings, s.catalog.lesson_config, settings, invalid, names);
    } else {
      setParams(params, s.settings, s.catalog.lesson_config);
    }
  }
}
