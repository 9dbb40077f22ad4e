// @ts-check
// The guided lesson's panel above the views: the chapter's place in the lesson, its question
// and choices, the reveal ("Train and see"), then the answer and the explanation with this
// run's numbers; Previous, Next, and the way out to the full lab. Every control is a form
// control or a button, so the lesson runs on the keyboard alone; focus follows the lesson
// (the explanation when it appears, the title on a new chapter). Draws what changed and
// dispatches intents; an author's chapter that cannot be read shows its errors instead.
import { fillTemplate, measuresOf } from '../model/chapter-text.js';
import { lessonPhase, openChapter } from '../model/lesson.js';
import { byId, el } from './dom.js';

/** @typedef {import('../model/reducer.js').State} State */

export class LessonView {
  /** @param {(action: {intent: string} & Record<string, any>) => void} dispatch */
  constructor(dispatch) {
    this.root = byId('lesson-panel');
    this.dispatch = dispatch;
    this.progress = el('p', { className: 'lesson-progress note' });
    this.title = el('h2', { id: 'lesson-title', tabIndex: -1 });
    this.legend = el('legend', { className: 'lesson-question' });
    this.choices = el('div', { className: 'lesson-choices' });
    this.reveal = el('button', { type: 'submit', className: 'primary', id: 'lesson-reveal' });
    this.hint = el('p', { className: 'note lesson-hint' });
    this.hint.setAttribute('role', 'status');
    this.form = el('form', { className: 'lesson-ask' }, el('fieldset', {}, this.legend, this.choices), this.reveal, this.hint);
    // The reveal button stays enabled (a disabled one would stop Enter in the choices from
    // submitting): without a choice it points to them instead.
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const picked = /** @type {HTMLInputElement | null} */ (this.choices.querySelector('input:checked'));
      if (!picked) {
        this.hint.textContent = 'Choose what you expect first.';
        this.hint.hidden = false;
        /** @type {HTMLInputElement} */ (this.choices.querySelector('input'))?.focus();
        return;
      }
      dispatch({ intent: 'lesson-choose', choice: picked.value });
      dispatch({ intent: 'lesson-reveal' });
    });
    this.form.addEventListener('change', (event) => {
      dispatch({ intent: 'lesson-choose', choice: /** @type {HTMLInputElement} */ (event.target).value });
    });
    this.watch = el('p', { className: 'lesson-watch', tabIndex: -1 });
    this.verdict = el('p', { className: 'lesson-verdict' });
    this.text = el('p', { className: 'lesson-text' });
    this.explain = el('div', { className: 'lesson-explain', id: 'lesson-explain', tabIndex: -1 }, this.verdict, this.text);
    this.errors = el('div', { className: 'lesson-errors error' });
    this.errors.setAttribute('role', 'alert');
    const button = (/** @type {string} */ id, /** @type {string} */ text, /** @type {() => void} */ onClick, className = '') => {
      const b = el('button', { type: 'button', id, textContent: text, className });
      b.addEventListener('click', onClick);
      return b;
    };
    this.previous = button('lesson-previous', '← Previous', () => this.go(-1));
    this.next = button('lesson-next', 'Next →', () => this.go(1), 'primary');
    this.leave = button('lesson-leave', 'Open the full lab with this run', () => dispatch({ intent: 'lesson-leave' }), 'link');
    const nav = el('nav', { className: 'lesson-nav' }, this.previous, this.next, this.leave);
    nav.setAttribute('aria-label', 'Lesson chapters');
    this.root.replaceChildren(this.progress, this.title, this.errors, this.form, this.watch, this.explain, nav);
    /** What was drawn: the chapter (its lesson and index), and the phase. */
    this.shown = { lesson: /** @type {State['lesson']} */ (null), chapter: null, phase: '' };
  }

  /** Opens the chapter `delta` away from the open one. */
  go(/** @type {number} */ delta) {
    const index = (this.shown.lesson?.index ?? 0) + delta;
    this.dispatch({ intent: 'lesson-go', index });
  }

  /** @param {State} s */
  show(s) {
    const { lesson } = s;
    this.root.hidden = !lesson;
    if (!lesson) {
      this.shown = { lesson: null, chapter: null, phase: '' };
      document.documentElement.classList.remove('lesson-asking');
      return;
    }
    const chapter = openChapter(lesson);
    const phase = lessonPhase(s);
    const newChapter = chapter !== this.shown.chapter || lesson.errors !== this.shown.lesson?.errors;
    if (newChapter) this.chapter(lesson, chapter);
    // Before the reveal, the chapter's views are kept from sight: they would give the answer.
    document.documentElement.classList.toggle('lesson-asking', !!chapter && phase === 'ask');
    this.reveal.hidden = lesson.revealed;
    if (lesson.prediction) this.hint.textContent = '';
    this.hint.hidden = !this.hint.textContent;
    for (const input of this.choices.querySelectorAll('input')) {
      /** @type {HTMLInputElement} */ (input).disabled = lesson.revealed;
      /** @type {HTMLInputElement} */ (input).checked = /** @type {HTMLInputElement} */ (input).value === lesson.prediction;
    }
    this.watch.hidden = phase !== 'watch';
    if (phase === 'watch') this.watch.textContent = watchText(s, chapter);
    this.explain.hidden = phase !== 'explain';
    if (phase === 'explain' && (phase !== this.shown.phase || newChapter)) {
      // Drawn once: the run it quotes has ended (or paused at its step) when it appears.
      this.verdict.replaceChildren(...verdict(lesson.prediction, chapter.answer));
      this.text.textContent = fillTemplate(chapter.explain, measuresOf(s));
    }
    if (!newChapter && phase !== this.shown.phase) {
      if (phase === 'watch') this.watch.focus();
      if (phase === 'explain') this.explain.focus();
    }
    this.shown = { lesson, chapter, phase };
  }

  /** Draws a newly opened chapter (or an author's errors) and puts focus on its title. */
  chapter(/** @type {NonNullable<State['lesson']>} */ lesson, /** @type {import('../model/chapter.js').Chapter | null} */ chapter) {
    const count = lesson.chapters.length;
    this.errors.hidden = !lesson.errors.length;
    this.errors.replaceChildren(
      ...(lesson.errors.length
        ? [
            el('p', { textContent: 'This chapter cannot be shown (docs/lessons.md says how chapters are written):' }),
            el('ul', {}, ...lesson.errors.map((e) => el('li', { textContent: e }))),
          ]
        : []),
    );
    this.form.hidden = !chapter;
    this.progress.textContent = chapter ? `${lesson.source === 'lesson' ? 'Lesson' : 'Chapter'} ${lesson.index + 1} of ${count}` : '';
    this.title.textContent = chapter ? chapter.title : 'A lesson chapter';
    this.previous.hidden = this.next.hidden = count < 2;
    this.previous.disabled = lesson.index === 0;
    this.next.disabled = lesson.index >= count - 1;
    if (!chapter) return;
    this.legend.textContent = chapter.question;
    this.hint.textContent = '';
    this.reveal.textContent = chapter.train === 0 ? 'Show me' : 'Train and see';
    this.choices.replaceChildren(
      ...chapter.choices.map((choice, i) =>
        el(
          'label',
          { className: 'lesson-choice' },
          el('input', { type: 'radio', name: 'prediction', value: choice, id: `lesson-choice-${i + 1}` }),
          ` ${choice}`,
        ),
      ),
    );
    if (this.shown.lesson) this.title.focus();
  }
}

/** The reveal's progress in words. */
function watchText(/** @type {State} */ s, /** @type {import('../model/chapter.js').Chapter} */ chapter) {
  if (chapter.train === 0) return 'Measuring the signal…';
  const total = chapter.train === 'end' ? s.run.total : chapter.train;
  return s.run.running || s.run.step ? `Training… step ${s.run.step} of ${total}` : 'Starting…';
}

/** The student's prediction against the chapter's answer. */
function verdict(/** @type {string | null} */ prediction, /** @type {string | null} */ answer) {
  const you = `You expected “${prediction}”`;
  if (answer === null) return [`${you}.`];
  if (prediction === answer) return [el('strong', { textContent: 'Right.' }), ` ${you}.`];
  return [el('strong', { textContent: 'Not quite.' }), ` ${you}; the run says “${answer}”.`];
}
