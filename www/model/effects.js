// @ts-check
// What a change of state asks of the world, as data: the commands for the worker and the URL.
// app.js carries them out after every reduce; nothing else sends commands or writes the URL.
// Pure, so the page's whole policy of *when* to tell the worker what is unit-tested under Node.
import { Command } from '../engine/protocol.js';
import { runSettings, selectedInits } from './intents.js';
import { lessonPause, writeLink } from './lesson.js';
import { trainConfig } from './settings.js';

/** @typedef {import('./reducer.js').State} State */
/** @typedef {import('../engine/protocol.js').Outgoing} Outgoing */

/**
 * Which views the session computes for: diagnostics (the panel, the weight tiles, the
 * mistakes) and layer health, only while a section shows them.
 * @param {State['settings']} settings
 */
export function watched(settings) {
  const shown = (/** @type {string} */ section) => !settings.hide.includes(section);
  return { diagnostics: shown('diagnostics') || shown('tiles') || shown('mistakes'), health: shown('health') };
}

/** Whether this change queued a command of `type` (an intent's outbox, new in `after`). */
const queued = (/** @type {State | null} */ before, /** @type {State} */ after, /** @type {string} */ type) =>
  after.outbox !== before?.outbox && after.outbox.some((c) => c.type === type);

/**
 * The effects of going from `before` to `after`:
 * - `commands`, in order: `watch` when the watched views change; `configure` when the run's
 *   initializers or settings change (and `train` with it under `autorun`, as when a new data
 *   set is in); then what an intent queued (`outbox`); `pause` where a lesson chapter's
 *   reveal has trained the steps it asks for;
 * - `hash`: the URL hash the settings and the lesson now make, or null when neither changed;
 * - `download`: a file the engine exported, or null.
 * @param {State | null} before null at start: everything is new
 * @param {State} after
 * @returns {{commands: Outgoing[], hash: string | null, download: State['download']}}
 */
export function effects(before, after) {
  /** @type {Outgoing[]} */
  const commands = [];
  const watch = JSON.stringify(watched(after.settings));
  if (!before || watch !== JSON.stringify(watched(before.settings))) commands.push({ type: Command.watch, ...watched(after.settings) });
  const run = runSettings(after);
  if (run !== null && run !== (before && runSettings(before))) {
    commands.push({ type: Command.configure, inits: selectedInits(after), config: trainConfig(after.settings, after.catalog.lesson_config) });
    if (after.settings.autorun && !queued(before, after, Command.train)) commands.push({ type: Command.train });
  }
  // Under autorun, a new data set trains once it is in (not when asked for: files that do not
  // parse make no new run, and the run in place must not start instead).
  const dataIn = before && after.data !== before.data && !after.data.loading && after.data.count > 0;
  if (dataIn && after.settings.autorun && !commands.some((c) => c.type === Command.train)) commands.push({ type: Command.train });
  if (after.outbox !== before?.outbox) commands.push(...after.outbox);
  if (lessonPause(before, after)) commands.push({ type: Command.pause });
  return {
    commands,
    hash: !before || after.settings !== before.settings || after.lesson !== before.lesson ? writeLink(after.settings, after.lesson) : null,
    download: after.download !== before?.download ? after.download : null,
  };
}
