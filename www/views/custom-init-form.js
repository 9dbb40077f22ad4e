// @ts-check
// The custom-initializer form beside the toggles: a kind, its numbers, and Add, which hands
// the id (model/custom-ids.js) to the page's store as an `add-init` intent.
import { CUSTOM_KINDS, customInitId } from '../model/custom-ids.js';
import { decimalMarkOf } from '../model/typed-number.js';
import { el } from './dom.js';

export class CustomInitForm {
  /** Builds the form in `root`; `onAdd(id)` gets each id a person adds. */
  constructor(root, onAdd) {
    this.kind = el('select', { id: 'custom-kind', name: 'kind' });
    this.kind.append(...Object.entries(CUSTOM_KINDS).map(([k, s]) => new Option(s.label, k)));
    this.inputs = [0, 1].map((i) => el('input', { id: `custom-p${i}`, type: 'text', inputMode: 'decimal', size: 6, autocomplete: 'off' }));
    this.labels = this.inputs.map((input) => el('label', { htmlFor: input.id }));
    this.message = el('p', { id: 'custom-init-error', className: 'custom-error' });
    this.message.setAttribute('role', 'alert');
    const fields = this.inputs.map((input, i) => el('span', { className: 'custom-field' }, this.labels[i], input));
    const add = el('button', { type: 'submit', textContent: 'Add' });
    const form = el(
      'form',
      { className: 'custom-init-form' },
      el('label', { htmlFor: this.kind.id, className: 'custom-kind' }, 'custom', this.kind),
      ...fields,
      add,
    );
    form.setAttribute('aria-label', 'Add a custom initializer');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const made = customInitId(
        this.kind.value,
        this.inputs.map((input) => input.value),
        decimalMarkOf(navigator.language),
      );
      this.showError(made.reason ? `Cannot add: ${made.reason}.` : '');
      if (made.id) onAdd(made.id);
    });
    this.kind.addEventListener('change', () => this.setKind());
    root.replaceChildren(form, this.message);
    this.setKind();
    this.showError('');
  }

  /** Shows the fields `kind` takes, with its defaults. */
  setKind() {
    const spec = CUSTOM_KINDS[this.kind.value];
    this.kind.title = spec.help;
    this.inputs.forEach((input, i) => {
      const name = spec.params[i];
      input.parentElement.hidden = !name;
      input.disabled = !name;
      this.labels[i].textContent = name ?? '';
      input.value = spec.defaults[i] ?? '';
    });
  }

  /** The engine's message about a custom initializer (or '' to clear it). */
  showError(message) {
    this.message.textContent = message;
    this.message.hidden = !message;
  }
}
