// @ts-check
// The guided lesson in the page's store: which chapter is open, what the student predicted,
// and whether the reveal has started; and the link that says so (`#lesson=3`, or an author's
// `#chapter={…}`), read and written here for the whole page. A lesson link may add any
// setting (`#lesson=1&seed=7&projector=1`): it applies on top of each chapter's own.
// Pure, no DOM.
import { chapterSettings, readChapterText } from './chapter.js';
import { LESSON } from './lesson-chapters.js';
import { parseHash, toHash } from './settings.js';

/**
 * @typedef {import('./chapter.js').Chapter} Chapter
 * @typedef {import('./settings.js').Settings} Settings
 * @typedef {{source: 'lesson' | 'chapter', text: string | null, chapters: Chapter[], index: number,
 *   errors: string[], prediction: string | null, revealed: boolean}} Lesson
 *   `source`: the built-in lesson, or an author's chapters (`text`, their JSON as the link
 *   carried it); `errors`: why an author's chapters cannot be shown (then no chapters)
 */

/** Reads a link's `+` as itself (it joins an initializer's overrides), as settings.js does. */
const paramsOf = (/** @type {string} */ hash) => new URLSearchParams(hash.replace(/^#/, '').replaceAll('+', '%2B'));

/**
 * A link's settings, the problems with it, and the lesson it opens (null for none).
 * @param {string} hash
 * @returns {{state: Settings, problems: string[], lesson: Lesson | null}}
 */
export function readLink(hash) {
  const params = paramsOf(hash);
  const [lessons, texts] = [params.getAll('lesson'), params.getAll('chapter')];
  if (!lessons.length && !texts.length) return { ...parseHash(hash), lesson: null };
  params.delete('lesson');
  params.delete('chapter');
  const own = parseHash(params.toString());
  const problems = [...own.problems];
  if (lessons.length > 1 || texts.length > 1) problems.push('ignored a repeated lesson= or chapter=: the first is used');
  const text = texts[0] ?? null;
  const read = text === null ? { chapters: LESSON, errors: [] } : readChapterText(text);
  const lesson = {
    source: text === null ? 'lesson' : 'chapter',
    text,
    chapters: read.chapters,
    index: 0,
    errors: read.errors,
    prediction: null,
    revealed: false,
  };
  if (lessons.length) {
    const n = Number(lessons[0]);
    if (Number.isInteger(n) && n >= 1 && n <= Math.max(1, lesson.chapters.length)) lesson.index = n - 1;
    else if (lesson.chapters.length) problems.push(`ignored lesson=${lessons[0]}: this lesson has chapters 1 to ${lesson.chapters.length}`);
  }
  const chapter = lesson.chapters[lesson.index];
  if (!chapter) return { state: own.state, problems, lesson: /** @type {Lesson} */ (lesson) };
  // The link's own settings apply on top of the chapter's.
  const given = new Set(params.keys());
  const state = chapterSettings(chapter);
  for (const [name, value] of Object.entries(own.state)) if (given.has(name)) state[name] = value;
  return { state, problems, lesson: /** @type {Lesson} */ (lesson) };
}

/**
 * The link for `settings` with `lesson` open: `lesson=N` (or the author's `chapter=…`) and
 * whatever differs from the chapter's own settings; without a lesson, the settings' link.
 * @param {Settings} settings
 * @param {Lesson | null} lesson
 */
export function writeLink(settings, lesson) {
  if (!lesson) return toHash(settings);
  const chapter = lesson.chapters[lesson.index];
  const parts = [];
  if (lesson.text !== null) parts.push(`chapter=${encodeURIComponent(lesson.text)}`);
  if (lesson.text === null || lesson.chapters.length > 1) parts.push(`lesson=${lesson.index + 1}`);
  const rest = chapter ? toHash(settings, chapterSettings(chapter)) : toHash(settings);
  if (rest) parts.push(rest);
  return parts.join('&');
}

/** A link as the page would write it for the state it opens (to compare links). */
export const normalLink = (/** @type {string} */ hash) => {
  const { state, lesson } = readLink(hash);
  return writeLink(state, lesson);
};

/** The open chapter, or null. */
export const openChapter = (/** @type {Lesson | null} */ lesson) => lesson?.chapters[lesson.index] ?? null;

/**
 * Where the open chapter stands: 'ask' until the student reveals, 'watch' while it trains,
 * 'explain' once the run has the numbers its explanation quotes.
 * @param {import('./reducer.js').State} state
 * @returns {'ask' | 'watch' | 'explain'}
 */
export function lessonPhase(state) {
  const chapter = openChapter(state.lesson);
  if (!chapter || !state.lesson.revealed) return 'ask';
  const { run } = state;
  if (chapter.train === 0) return state.signal?.step === 0 && run.ready ? 'explain' : 'watch';
  if (chapter.train === 'end') return run.finished && state.results?.finished ? 'explain' : 'watch';
  return (run.step >= chapter.train || run.finished) && !run.running ? 'explain' : 'watch';
}

/**
 * The settings of chapter `index` of `lesson`, carrying what the student or the link changed
 * from the open chapter's (the seed, projector mode, the backend), except what the next
 * chapter's own settings name (its initializers stay its own: its explanation quotes them).
 * @param {Settings} settings the settings now
 * @param {Lesson} lesson
 * @param {number} index
 * @returns {Settings}
 */
export function settingsForChapter(settings, lesson, index) {
  const from = chapterSettings(lesson.chapters[lesson.index]);
  const next = chapterSettings(lesson.chapters[index]);
  const own = new Set(paramsOf(lesson.chapters[index].settings).keys());
  for (const [name, value] of Object.entries(settings)) {
    if (!own.has(name) && JSON.stringify(value) !== JSON.stringify(from[name])) next[name] = value;
  }
  return next;
}

/**
 * Whether going from `before` to `after` is where a chapter of `train: N` steps pauses: its
 * reveal has just reached step N and still runs.
 * @param {import('./reducer.js').State | null} before
 * @param {import('./reducer.js').State} after
 */
export function lessonPause(before, after) {
  const chapter = openChapter(after.lesson);
  if (!before || !chapter || !after.lesson.revealed || typeof chapter.train !== 'number' || chapter.train === 0) return false;
  return after.run.running && before.run.step < chapter.train && after.run.step >= chapter.train;
}
