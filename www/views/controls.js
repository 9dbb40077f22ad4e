// @ts-check
// The controls built from the catalog and the state table: one toggle per initializer (its
// formula shown on hover and focus) and one input per training setting. They report changes
// as state patches; they never talk to the worker.
import { selectedInits } from '../model/intents.js';
import { effective, FIELDS } from '../model/settings.js';
import { swatchOf } from './palette.js';

/** The initializers to offer: the catalog's, then any other id the state names (custom ones,
 * which a person can remove). */
export function offeredInits(catalog, selected) {
  const known = catalog.initializers;
  const extra = [...new Set(selected ?? [])].filter((id) => !known.some((i) => i.id === id));
  return [...known, ...extra.map((id) => ({ id, label: id, formula: 'custom initializer', custom: true }))];
}

/** Builds the initializer toggles; `onChange(ids)` gets the ids switched on, in list order;
 * `onRemove(id)`, where given, gets a custom one whose × a person pressed. */
export function buildInitToggles(list, inits, selected, onChange, onRemove = null) {
  const items = inits.map((init) => {
    const li = document.createElement('li');
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = init.id;
    box.checked = selected.includes(init.id);
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = swatchOf(init.id);
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

export function setInitToggles(list, selected) {
  for (const box of list.querySelectorAll('input')) box.checked = selected.includes(box.value);
}

/** Builds one input per state field with a label; `onChange(patch)` on a valid change,
 * `onInvalid(message)` (what is wrong, what is expected) on one the run cannot use. */
export function buildParams(container, state, lessonConfig, onChange, onInvalid = (/** @type {string} */ _message) => {}) {
  const rows = FIELDS.filter((f) => f.label).map((f) => {
    const label = document.createElement('label');
    label.textContent = f.label;
    const input = f.type === 'enum' ? select(f.values) : number(f);
    input.name = f.name;
    input.addEventListener('change', () => {
      const value = f.type === 'enum' ? input.value : Number(input.value);
      const valid = f.type === 'enum' || (input.checkValidity() && input.value !== '');
      input.classList.toggle('invalid', !valid);
      input.setAttribute('aria-invalid', String(!valid));
      if (valid) onChange({ [f.name]: value });
      else {
        const whole = f.type === 'int' ? 'a whole number' : 'a number';
        onInvalid(
          `${f.label} = ${JSON.stringify(input.value)} cannot be used: expected ${whole} from ${f.min} to ${f.max}; the run keeps its current value`,
        );
      }
    });
    label.append(input);
    return label;
  });
  container.replaceChildren(...rows);
  setParams(container, state, lessonConfig);
}

export function setParams(container, state, lessonConfig) {
  for (const f of FIELDS.filter((field) => field.label)) {
    const input = container.querySelector(`[name="${f.name}"]`);
    if (input && document.activeElement !== input) {
      input.value = String(effective(state, f, lessonConfig));
      input.classList.remove('invalid');
    }
  }
}

function select(values) {
  const el = document.createElement('select');
  el.append(...values.map((v) => new Option(v, v)));
  return el;
}

function number(f) {
  const el = document.createElement('input');
  el.type = 'number';
  el.min = String(f.min);
  el.max = String(f.max);
  el.step = String(f.step ?? 1);
  el.required = true;
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
      buildInitToggles(list, offered, chosen, (inits) => settings({ inits }), remove);
    } else {
      setInitToggles(list, chosen);
    }
    const params = document.getElementById('params');
    if (s.catalog !== this.catalog) {
      this.catalog = s.catalog;
      const invalid = (message) => this.dispatch({ intent: 'invalid-input', message });
      buildParams(params, s.settings, s.catalog.lesson_config, settings, invalid);
    } else {
      setParams(params, s.settings, s.catalog.lesson_config);
    }
  }
}
