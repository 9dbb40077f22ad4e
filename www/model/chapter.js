// @ts-check
// A lesson chapter as data: the settings of its run, the views it shows, one question with
// choices, how far the reveal trains, and an explanation whose {placeholders} are filled with
// the numbers of the run the student watched (chapter-text.js). The guided lesson's chapters
// (lesson-chapters.js) and a course author's own (a `#chapter=` link, docs/lessons.md) are
// read by the same function, so an author gets the errors the built-in ones would.
// Pure, no DOM: unit-tested under Node (tests/unit/chapter.test.mjs).
import { placeholderProblems } from './chapter-text.js';
import { parseHash, SECTIONS } from './settings.js';

/**
 * @typedef {{title: string, settings: string, show: string[], question: string, choices: string[],
 *   answer: string | null, train: 'end' | number, explain: string}} Chapter
 */

/** The fields of a chapter, in the order the docs give them. */
export const CHAPTER_FIELDS = ['title', 'settings', 'show', 'question', 'choices', 'answer', 'train', 'explain'];
/** The views a chapter shows when it does not say. */
const DEFAULT_SHOW = ['charts', 'table'];
/** Sections every chapter keeps: the title and the status bar (backend, steps, speed). */
const ALWAYS_SHOWN = ['header', 'backend'];
/** The lesson's six, which a chapter trains when its settings name no initializers. */
const LESSON_INITS = ['zeros', 'ones', 'uniform', 'centered', 'general-rule', 'normal'];
const MAX_CHOICES = 6;
const MAX_TEXT = 2000;
/** Settings a chapter cannot set in `settings`: its views are `show`, and the reveal trains. */
const NOT_IN_SETTINGS = { hide: 'the views a chapter shows are its "show" field', autorun: 'the chapter trains when the student asks' };

/**
 * Reads a chapter, or a course of them (a JSON array), as an author wrote it.
 * @param {unknown} data the parsed JSON
 * @returns {{chapters: Chapter[], errors: string[]}} the chapters when `errors` is empty; else
 *   every problem, each naming the chapter (when there are several) and the field
 */
export function readChapters(data) {
  const list = Array.isArray(data) ? data : [data];
  if (!list.length) return { chapters: [], errors: ['the course has no chapters: write one chapter object, or a list of them'] };
  const chapters = [];
  const errors = [];
  list.forEach((item, i) => {
    const where = list.length > 1 || Array.isArray(data) ? `chapter ${i + 1}, ` : '';
    const read = readChapter(item);
    errors.push(...read.errors.map((e) => where + e));
    if (read.chapter) chapters.push(read.chapter);
  });
  return errors.length ? { chapters: [], errors } : { chapters, errors };
}

/**
 * Reads a chapter's JSON text (a link's `chapter=` value, the author panel's box).
 * @param {string} text
 * @returns {{chapters: Chapter[], errors: string[]}}
 */
export function readChapterText(text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { chapters: [], errors: [`the chapter is not JSON: ${/** @type {Error} */ (error).message}`] };
  }
  return readChapters(data);
}

/**
 * One chapter: {chapter} or {errors}.
 * @param {unknown} item
 * @returns {{chapter: Chapter | null, errors: string[]}}
 */
function readChapter(item) {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return { chapter: null, errors: [`a chapter is an object with the fields ${CHAPTER_FIELDS.join(', ')}; this is ${JSON.stringify(item)}`] };
  }
  const c = /** @type {Record<string, unknown>} */ (item);
  const errors = [];
  const field = (/** @type {string} */ name, /** @type {string} */ problem) => errors.push(`field "${name}": ${problem}`);
  for (const key of Object.keys(c)) {
    if (!CHAPTER_FIELDS.includes(key)) errors.push(`unknown field "${key}" (a chapter's fields: ${CHAPTER_FIELDS.join(', ')})`);
  }
  for (const name of ['title', 'settings', 'question', 'explain']) {
    if (c[name] === undefined) field(name, 'missing');
    else if (typeof c[name] !== 'string') field(name, `must be text in quotes, not ${JSON.stringify(c[name])}`);
    else if (name !== 'settings' && !c[name].trim()) field(name, 'is empty');
    else if (c[name].length > MAX_TEXT) field(name, `is ${c[name].length} characters; at most ${MAX_TEXT}`);
  }
  const settings = typeof c.settings === 'string' ? settingsProblems(c.settings, field) : null;

  const choices = c.choices;
  if (choices === undefined) field('choices', 'missing');
  else if (!Array.isArray(choices) || choices.some((x) => typeof x !== 'string' || !x.trim())) {
    field('choices', 'must be a list of texts in quotes, like ["About 10 %", "About 85 %"]');
  } else if (choices.length < 2 || choices.length > MAX_CHOICES) {
    field('choices', `has ${choices.length}; a question has 2 to ${MAX_CHOICES} choices`);
  } else if (new Set(choices).size < choices.length) field('choices', 'lists the same choice twice');

  const answer = c.answer ?? null;
  if (answer !== null && (typeof answer !== 'string' || !Array.isArray(choices) || !choices.includes(answer))) {
    field('answer', `${JSON.stringify(answer)} is not one of the choices: write the right choice's text exactly, or leave "answer" out`);
  }

  const show = c.show ?? DEFAULT_SHOW;
  const views = SECTIONS.filter((s) => !ALWAYS_SHOWN.includes(s));
  if (!Array.isArray(show) || show.some((s) => !views.includes(s))) {
    field('show', `must be a list of views from ${views.join(', ')}; this is ${JSON.stringify(show)}`);
  }

  const train = c.train ?? 'end';
  if (train !== 'end' && !(Number.isInteger(train) && /** @type {number} */ (train) >= 0)) {
    field('train', `${JSON.stringify(train)}: write "end" to train the whole run, or a number of steps (0: the step-0 views alone)`);
  }

  if (typeof c.explain === 'string' && settings) {
    for (const problem of placeholderProblems(c.explain, settings.inits ?? LESSON_INITS)) field('explain', problem);
  }
  if (errors.length) return { chapter: null, errors };
  return {
    chapter: /** @type {Chapter} */ ({ ...c, show: [.../** @type {string[]} */ (show)], answer, train }),
    errors,
  };
}

/**
 * The chapter's `settings` read as a link's: its problems said under the field's name.
 * @param {string} text
 * @param {(name: string, problem: string) => void} field
 */
function settingsProblems(text, field) {
  const { state, problems } = parseHash(text);
  for (const problem of problems) field('settings', problem.replace(/^ignored /, ''));
  const keys = new URLSearchParams(text.replace(/^#/, '')).keys();
  for (const key of new Set(keys)) if (Object.hasOwn(NOT_IN_SETTINGS, key)) field('settings', `${key}= cannot be set here: ${NOT_IN_SETTINGS[key]}`);
  return state;
}

/**
 * The settings a chapter's run has: its `settings`, the sections it does not show hidden.
 * @param {Chapter} chapter
 * @returns {import('./settings.js').Settings}
 */
export function chapterSettings(chapter) {
  const { state } = parseHash(chapter.settings);
  return { ...state, hide: SECTIONS.filter((s) => !ALWAYS_SHOWN.includes(s) && !chapter.show.includes(s)) };
}
