// @ts-check
// What people ask of the page (the controls' intents), as pure state changes. The settings
// (the URL's table, settings.js) live in the store with the run; an intent changes them and,
// where it asks the worker for something beyond what the settings say (Train, Step, an
// export), queues those commands in `outbox`. effects.js turns each change into commands and
// the URL. No DOM.
import { Command, Setup } from '../engine/protocol.js';
import { isCustomId } from './custom-ids.js';
import { dropOutcome } from './data-files.js';
import { openChapter, readLink, settingsForChapter } from './lesson.js';
import { lessonPreset, presetSettings, trainConfig } from './settings.js';
import { gainId, gainOfId, withSliderGain } from './sweep.js';

/** @typedef {import('./reducer.js').State} State */
/** @typedef {import('./reducer.js').Outgoing} Outgoing */

/** The initializer ids a run trains: the settings', else the lesson's. */
export const selectedInits = (/** @type {State} */ state) => state.settings.inits ?? state.catalog?.lesson_inits ?? [];

/** What defines a run: its initializers and its TrainConfig (null before the catalog). */
export const runSettings = (/** @type {State} */ state) =>
  state.catalog ? JSON.stringify([selectedInits(state), trainConfig(state.settings, state.catalog.lesson_config)]) : null;

/** `state` with `commands` queued for the worker (sent once, by effects.js). */
const queue = (/** @type {State} */ state, /** @type {Outgoing[]} */ commands) => (commands.length ? { ...state, outbox: commands } : state);

/**
 * An initializer the engine does not know (a link's `inits=zeros,foo`) is left out and named
 * among the link's problems; custom ids (`constant:…`, `uniform:…`) and a known one's
 * overrides (`he-normal@tanh`) go to the engine, which checks their parameters. Needs the
 * catalog; without it, `state` as it is.
 * @param {State} state
 * @returns {State}
 */
export function dropUnknownInits(state) {
  if (!state.catalog || !state.settings.inits) return state;
  const known = new Set(state.catalog.initializers.map((i) => i.id));
  const usable = (/** @type {string} */ id) => known.has(id.split('@')[0]) || isCustomId(id);
  const unknown = state.settings.inits.filter((id) => !usable(id));
  if (!unknown.length) return state;
  const problems = unknown.map((id) => `ignored unknown initializer ${id} (known: ${[...known].join(', ')})`);
  const inits = state.settings.inits.filter(usable);
  return withProblems({ ...state, settings: { ...state.settings, inits: inits.length ? inits : null } }, problems);
}

/** `state` with more link problems, shown in the error line. */
export function withProblems(/** @type {State} */ state, /** @type {string[]} */ problems) {
  if (!problems.length) return state;
  const all = [...state.problems, ...problems];
  return { ...state, problems: all, error: { kind: 'link', message: `Link settings: ${all.join('; ')}` } };
}

/**
 * New settings: every custom id chosen joins the ones offered, and a link's one `gain:G`
 * model becomes the slider's. (That new run settings replace the run in place is the
 * reducer's `configuring`, after every action.)
 * @param {State} state
 * @param {Partial<State['settings']>} patch
 * @returns {State}
 */
export function withSettings(state, patch) {
  const settings = { ...state.settings, ...patch };
  const custom = [...new Set([...state.custom, ...(settings.inits ?? []).filter(isCustomId)])];
  const gains = (settings.inits ?? []).filter((id) => gainOfId(id) !== null);
  // The slider keeps its model while it is offered, checked or not (its next move replaces it).
  const slider =
    state.slider && (gains.includes(state.slider) || custom.includes(state.slider)) ? state.slider : gains.length === 1 ? gains[0] : null;
  return { ...state, settings, custom, slider };
}

/** @type {Record<string, (state: State, intent: any) => State>} */
export const intents = {
  /** {patch}: settings from a control (a field, a toggle, the layer picker…). */
  settings: (state, { patch }) => withSettings(state, patch),
  /** {hash}: the URL changed (a person edited it, or followed a link to another run). */
  hash: (state, { hash }) => {
    const { state: settings, problems, lesson } = readLink(hash);
    const cleared = { ...state, problems: [], error: state.error?.kind === 'link' ? null : state.error, lesson };
    const next = dropUnknownInits(withProblems(withSettings(cleared, settings), problems));
    // The same chapter again (a setting added to its link) keeps the student's prediction, and
    // the reveal too where the run is still the one revealed.
    const same = lesson && state.lesson && lesson.text === state.lesson.text && lesson.index === state.lesson.index;
    if (!same) return next;
    const revealed = state.lesson.revealed && runSettings(next) === runSettings(state);
    return { ...next, lesson: { ...state.lesson, revealed } };
  },
  /** {choice}: the student's prediction for the open chapter's question, until the reveal. */
  'lesson-choose': (state, { choice }) =>
    state.lesson && !state.lesson.revealed ? { ...state, lesson: { ...state.lesson, prediction: choice } } : state,
  /** The reveal, once the student has predicted: the chapter's run trains from step 0 (a
   * chapter of `train: 0` shows its step-0 views). */
  'lesson-reveal': (state) => {
    const chapter = openChapter(state.lesson);
    if (!chapter || state.lesson.revealed || !state.lesson.prediction) return state;
    const next = { ...state, lesson: { ...state.lesson, revealed: true } };
    const train = chapter.train === 0 ? [] : [{ type: Command.train }];
    if (state.run.step === 0) return queue(next, train);
    // The run in place has trained (the chapter before had the same settings): back to step 0
    // first, and until the engine says it is there, nothing of that run is the answer.
    const cleared = { ...next, run: { ...next.run, finished: false }, results: null, signal: chapter.train === 0 ? null : next.signal };
    return queue(cleared, [{ type: Command.reset }, ...train]);
  },
  /** {index}: another chapter (0-based), with its settings and the changes carried over. */
  'lesson-go': (state, { index }) => {
    const { lesson } = state;
    if (!lesson?.chapters[index] || index === lesson.index) return state;
    const settings = settingsForChapter(state.settings, lesson, index);
    const paused = state.run.running ? queue(state, [{ type: Command.pause }]) : state;
    return withSettings({ ...paused, lesson: { ...lesson, index, prediction: null, revealed: false } }, settings);
  },
  /** The full lab, with the chapter's run and every section shown. */
  'lesson-leave': (state) => (state.lesson ? withSettings({ ...state, lesson: null }, { hide: [] }) : state),
  lesson: (state) => withSettings(state, lessonPreset(state.settings)),
  /** {id}: one of the catalog's presets (its initializers and training settings). */
  preset: (state, { id }) => {
    const preset = state.catalog?.presets?.find((p) => p.id === id);
    return preset ? withSettings(state, presetSettings(preset, state.catalog.lesson_config)) : state;
  },
  /** {id}: the custom form's new initializer, until the engine accepts or refuses it. */
  'add-init': (state, { id }) => {
    const inits = selectedInits(state);
    if (inits.includes(id)) return { ...state, formError: { text: `${id} is chosen already.` } };
    return { ...withSettings(state, { inits: [...inits, id] }), justAdded: id, formError: { text: '' } };
  },
  /** {id}: a custom initializer's × pressed. */
  'remove-init': (state, { id }) => {
    const inits = selectedInits(state).filter((x) => x !== id);
    const next = withSettings(state, { inits });
    return { ...next, custom: next.custom.filter((x) => x !== id), slider: next.slider === id ? null : next.slider };
  },
  /** {gain}: the slider's model becomes `gain:g`, in place of its last one, else added. */
  'slider-gain': (state, { gain }) => {
    const id = gainId(gain);
    const previous = state.slider;
    const inits = withSliderGain(selectedInits(state), previous, id);
    const next = withSettings(state, { inits });
    const custom = previous && previous !== id && !inits.includes(previous) ? next.custom.filter((x) => x !== previous) : next.custom;
    return { ...next, custom, slider: id };
  },
  /** The catalog's gains with the lesson's recipe, trained side by side at once: a new run
   * is configured and trained together; the same run again is reset and trained. */
  sweep: (state) => {
    const ids = (state.catalog?.sweep_gains ?? []).map(gainId);
    if (!ids.length) return state;
    const next = { ...withSettings(state, { ...lessonPreset(state.settings), inits: ids }), slider: null };
    const same = runSettings(next) === runSettings(state) && state.run.ready;
    if (!same) return queue(next, [{ type: Command.train }]);
    if (state.run.running) return next;
    return queue(next, state.run.step > 0 ? [{ type: Command.reset }, { type: Command.train }] : [{ type: Command.train }]);
  },
  /** Train or Pause, as the button reads. */
  train: (state) => queue(state, [{ type: state.run.running ? Command.pause : Command.train }]),
  step: (state) => queue(state, [{ type: Command.step }]),
  reset: (state) => queue(state, [{ type: Command.reset }]),
  /** {kind}: a person's switch of backend, final for the session. */
  'use-backend': (state, { kind }) => queue(withSettings(state, { backend: kind }), [{ type: Command.backend, kind }]),
  /** {format}: the run as a CSV or JSON file (the engine's `export` event brings it). */
  export: (state, { format }) => queue(state, [{ type: Command.export, format }]),
  /** {files}: what a person dropped or chose, read or set aside (views/datafiles.js). A pair
   * goes to the worker, with a note naming what was ignored, and a bad drop's error goes; no
   * pair is an error that says why, named file by file. */
  files: (state, { files }) => {
    const { files: pair, note, error } = dropOutcome(files);
    if (error) return { ...state, error: { kind: 'data', message: error }, dataNote: null };
    const cleared = state.error?.kind === 'data' ? null : state.error;
    return queue({ ...state, dataNote: note, error: cleared }, [{ type: Setup.files, files: pair }]);
  },
  /** Back to Fashion-MNIST. */
  fashion: (state) => queue({ ...state, dataNote: null }, [{ type: Setup.fashion }]),
  /** {message}: a number field holds what the run cannot use. */
  'invalid-input': (state, { message }) => ({ ...state, error: { kind: 'input', message } }),
  dismissed: (state) => ({ ...state, error: null }),
};
