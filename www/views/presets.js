// @ts-check
// The catalog's presets, under the lesson preset link: one link each (its href the run's URL,
// so it can be copied or opened in a new tab; a click sets the settings through the `preset`
// intent), and the title and summary of the preset the settings make, so a student knows what
// to look for. Draws what changed; a click dispatches an intent and nothing else.
import { presetOf, presetSettings, toHash } from '../model/settings.js';
import { byId, el } from './dom.js';

/** @typedef {import('../model/reducer.js').State} State */

export class PresetsView {
  /** @param {(intent: {intent: string} & Record<string, any>) => void} dispatch */
  constructor(dispatch) {
    this.dispatch = dispatch;
    this.catalog = null;
    this.settings = null;
  }

  /** @param {State} s */
  show(s) {
    const { catalog, settings } = s;
    if (!catalog || (catalog === this.catalog && settings === this.settings)) return;
    const presets = catalog.presets ?? [];
    const list = byId('presets');
    if (catalog !== this.catalog) {
      list.replaceChildren(
        ...presets.map((p) => {
          // The title's words before its colon on the chip (`30 ReLU layers`), all of it on hover.
          const link = el('a', { className: 'preset', textContent: p.title.split(':')[0], title: p.title });
          link.dataset.preset = p.id;
          link.addEventListener('click', (event) => {
            event.preventDefault();
            this.dispatch({ intent: 'preset', id: p.id });
          });
          return el('li', {}, link);
        }),
      );
      list.closest('nav').hidden = !presets.length;
    }
    this.catalog = catalog;
    this.settings = settings;
    const lesson = catalog.lesson_config;
    const active = presetOf(settings, presets, lesson);
    for (const link of list.querySelectorAll('a')) {
      const preset = presets.find((p) => p.id === link.dataset.preset);
      link.href = `#${toHash({ ...settings, ...presetSettings(preset, lesson) })}`;
      if (preset === active) link.setAttribute('aria-current', 'true');
      else link.removeAttribute('aria-current');
    }
    const about = byId('preset-about');
    about.hidden = !active;
    about.dataset.preset = active?.id ?? '';
    about.replaceChildren(...(active ? [el('strong', { textContent: active.title }), ` ${active.summary}`] : []));
  }
}
