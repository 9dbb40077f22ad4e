// @ts-check
// The course author's panel: a chapter written as JSON (started from the run on screen),
// checked as it is typed with the lesson's own reader (model/chapter.js), previewed in the
// page, and exported as a link and an iframe snippet. docs/lessons.md is its manual.
import { readChapterText } from '../model/chapter.js';
import { toHash } from '../model/settings.js';
import { byId, el } from './dom.js';

/** @typedef {import('../model/reducer.js').State} State */

const CHECK_DELAY_MS = 250;

export class AuthorPanel {
  /** @param {() => State} getState */
  constructor(getState) {
    this.getState = getState;
    this.box = /** @type {HTMLTextAreaElement} */ (byId('author-json'));
    this.errors = byId('author-errors');
    this.link = /** @type {HTMLInputElement} */ (byId('author-link'));
    this.embed = /** @type {HTMLTextAreaElement} */ (byId('author-embed'));
    this.preview = /** @type {HTMLButtonElement} */ (byId('author-preview'));
    let timer = 0;
    this.box.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => this.check(), CHECK_DELAY_MS);
    });
    byId('author-details').addEventListener('toggle', (event) => {
      if (/** @type {HTMLDetailsElement} */ (event.target).open && !this.box.value) {
        this.box.value = JSON.stringify(starter(this.getState()), null, 2);
        this.check();
      }
    });
    this.preview.addEventListener('click', () => {
      if (this.check()) location.hash = this.hash;
    });
    for (const field of [this.link, this.embed]) field.addEventListener('focus', () => field.select());
    if (this.box.value) this.check(); // typed before the page's scripts ran
  }

  /** Checks the box: its errors, or its link and embed snippet. Returns whether it can be shown. */
  check() {
    const text = this.box.value;
    const { chapters, errors } = readChapterText(text);
    this.errors.replaceChildren(...errors.map((e) => el('li', { textContent: e })));
    this.errors.hidden = !errors.length;
    const ok = chapters.length > 0;
    this.preview.disabled = !ok;
    this.hash = ok ? `chapter=${encodeURIComponent(JSON.stringify(JSON.parse(text)))}` : '';
    const url = `${location.origin}${location.pathname}#${this.hash}`;
    this.link.value = ok ? url : '';
    this.embed.value = ok ? embedSnippet(url, chapters[0].title) : '';
    return ok;
  }
}

/**
 * An iframe for a course page: full width, tall enough for a question and two charts.
 * @param {string} url
 * @param {string} title
 */
export const embedSnippet = (url, title) =>
  `<iframe src="${attribute(url)}" title="${attribute(title)}" width="100%" height="760" style="border:0" loading="lazy"></iframe>`;

/** Text as an HTML attribute's value in double quotes. */
const ESCAPES = { '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' };
const attribute = (/** @type {string} */ text) => text.replace(/[&"<>]/g, (c) => ESCAPES[c]);

/** A chapter to start from: the run on screen, its first two models, a placeholder each. */
function starter(/** @type {State} */ s) {
  // The run's models, or (before it is built) the settings' or two of the lesson's.
  const ids = s.run.inits.length ? s.run.inits : (s.settings.inits ?? ['zeros', 'general-rule']);
  const [a, b] = ids;
  const label = (/** @type {number} */ m) => s.run.labels[m] ?? ids[m];
  return {
    title: 'Which start trains?',
    settings: toHash({ ...s.settings, inits: ids, hide: [], autorun: false }),
    show: ['charts', 'table'],
    question: 'Which network ends with the higher validation accuracy?',
    choices: b ? [label(0), label(1)] : ['It learns', 'It stays at 2.30'],
    answer: null,
    train: 'end',
    explain: b ? `{label ${a}} reached {accuracy ${a}}, {label ${b}} {accuracy ${b}}.` : `{label ${a}} reached {accuracy ${a}}.`,
  };
}
