// The page's store end to end without a browser: intents and events through the reducer, and
// what each change sends the worker and writes to the URL (model/effects.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Command, Event, Setup } from '../../www/engine/protocol.js';
import { effects } from '../../www/model/effects.js';
import { initialState, reduce } from '../../www/model/reducer.js';
import { catalog, runOf } from './fixtures.mjs';

/** Applies `actions` from the state of `hash`; returns the last state and every command sent
 * and hash written, in order, as app.js would carry them out. */
function play(actions, hash = '') {
  let state = initialState(hash);
  const sent = [];
  const hashes = [];
  const carry = (before, after) => {
    const todo = effects(before, after);
    sent.push(...todo.commands);
    if (todo.hash !== null) hashes.push(todo.hash);
  };
  carry(null, state);
  for (const action of actions) {
    const before = state;
    state = reduce(before, action);
    carry(before, state);
  }
  return { state, sent, hashes, types: sent.map((c) => c.type) };
}

test('the page starts by asking for its views, and configures the lesson once the catalog is in', () => {
  const { sent, types } = play([catalog]);
  assert.deepEqual(types, [Command.watch, Command.configure]);
  assert.deepEqual(sent[1].inits, ['zeros', 'ones']);
  assert.equal(sent[1].config.lr, 0.001);
});

test('autorun sends configure and train together, again for new settings after a Train, and train once new data is in', () => {
  const pair = ['a-images', 'a-labels'].map((name) => ({ name, bytes: new Uint8Array(1) }));
  const data = { type: Event.data, name: 'MNIST', fashion: false, count: 70_000, rows: 28, cols: 28, samples: null };
  const { types } = play(
    [catalog, runOf(['zeros', 'ones']), { intent: 'train' }, { intent: 'settings', patch: { lr: 0.5 } }, { intent: 'files', files: pair }, data],
    'autorun=1',
  );
  assert.deepEqual(types, [
    Command.watch,
    Command.configure,
    Command.train,
    Command.train,
    Command.configure,
    Command.train,
    Setup.files,
    Command.train,
  ]);
  // Files that make no data set (a wrong name, a broken file) make no new run: nothing starts.
  const refused = play(
    [catalog, runOf(['zeros', 'ones']), { intent: 'files', files: pair }, { type: Event.error, kind: 'data', message: 'x.gz: not gzip' }],
    'autorun=1',
  );
  assert.deepEqual(refused.types.slice(-1), [Setup.files]);
});

test('a new run setting configures and writes the URL; a view setting only writes the URL', () => {
  const { sent, hashes } = play([catalog, { intent: 'settings', patch: { lr: 0.01 } }, { intent: 'settings', patch: { log: false } }]);
  assert.deepEqual(
    sent.map((c) => c.type),
    [Command.watch, Command.configure, Command.configure],
  );
  assert.equal(sent[2].config.lr, 0.01);
  assert.deepEqual(hashes.slice(-2), ['lr=0.01', 'lr=0.01&log=false']);
});

test('hiding the views that need diagnostics stops them being computed', () => {
  const { sent } = play([catalog, { intent: 'settings', patch: { hide: ['diagnostics', 'tiles', 'mistakes', 'health'] } }]);
  assert.deepEqual(sent.at(-1), { type: Command.watch, diagnostics: false, health: false });
});

test('the sweep configures its nine-gain run and trains it at once; pressed again after training, it resets and trains', () => {
  const first = play([catalog, runOf(['zeros', 'ones']), { intent: 'sweep' }]);
  assert.deepEqual(first.types.slice(-2), [Command.configure, Command.train]);
  assert.deepEqual(first.sent.at(-2).inits, ['gain:0.1', 'gain:1', 'gain:10']);
  const ids = ['gain:0.1', 'gain:1', 'gain:10'];
  const progress = {
    type: Event.progress,
    from_step: 0,
    step: 3,
    total_steps: 10,
    losses: ids.map(() => [1, 1, 1]),
    batch_accuracy: [],
    images_per_sec: 1,
  };
  const again = play([catalog, { intent: 'sweep' }, runOf(ids), progress, { type: Event.running, running: false }, { intent: 'sweep' }]);
  assert.deepEqual(again.types.slice(-2), [Command.reset, Command.train]);
  // The same gains with another learning rate are another run: configured and trained, not reset.
  const relearn = play([catalog, { intent: 'sweep' }, runOf(ids), progress, { intent: 'settings', patch: { lr: 0.01 } }, { intent: 'sweep' }]);
  assert.deepEqual(relearn.types.slice(-2), [Command.configure, Command.train]);
});

test('Train, Pause, Step, Reset and the exports are commands, sent once each', () => {
  const running = { type: Event.running, running: true };
  const { types } = play([
    catalog,
    runOf(['zeros', 'ones']),
    { intent: 'train' },
    running,
    { intent: 'train' },
    { type: Event.progress, from_step: 0, step: 1, total_steps: 10, losses: [[1], [1]], batch_accuracy: [], images_per_sec: 1 },
    { intent: 'export', format: 'csv' },
  ]);
  assert.deepEqual(types.slice(2), [Command.train, Command.pause, Command.export]);
});

test("an initializer the engine refuses leaves the link's settings by its id, not its message, and the rest trains", () => {
  const refused = { type: Event.error, kind: 'settings', message: 'something about it', setting: 'inits', init: 'uniform:1:0' };
  const { state, sent } = play([catalog, refused], 'inits=zeros,uniform:1:0');
  assert.deepEqual(state.settings.inits, ['zeros']);
  assert.equal(state.error.kind, 'link');
  assert.match(state.error.message, /ignored something about it/);
  assert.deepEqual(sent.at(-1).inits, ['zeros'], 'configured again without it');
});

test("the custom form's refused initializer goes back out, with the engine's reason next to the form", () => {
  const added = { intent: 'add-init', id: 'normal:-1' };
  const refused = { type: Event.error, kind: 'settings', message: 'σ must be positive', setting: 'inits', init: 'normal:-1' };
  const { state } = play([catalog, runOf(['zeros', 'ones']), added, refused]);
  assert.deepEqual(state.settings.inits, ['zeros', 'ones']);
  assert.equal(state.formError.text, 'σ must be positive — not added.');
  assert.equal(state.error, null, 'no banner for what the form says');
  assert.deepEqual(state.custom, []);
  const twice = play([catalog, { intent: 'add-init', id: 'zeros' }]).state;
  assert.notEqual(reduce(twice, { intent: 'add-init', id: 'zeros' }).formError, twice.formError, 'said again, shown again');
  const accepted = play([catalog, { intent: 'add-init', id: 'normal:0.1' }, runOf(['zeros', 'ones', 'normal:0.1'])]).state;
  assert.equal(accepted.justAdded, null);
  assert.deepEqual(accepted.custom, ['normal:0.1']);
});

test("a link's unknown initializer is named and left out once the catalog is in", () => {
  const { state } = play([catalog], 'inits=zeros,nope');
  assert.deepEqual(state.settings.inits, ['zeros']);
  assert.match(state.error.message, /ignored unknown initializer nope/);
});

test('a setting error that names no initializer is shown as it is and stops the run in place', () => {
  const error = { type: Event.error, kind: 'settings', message: 'the learning rate must be a positive number', setting: 'lr' };
  const { state } = play([catalog, runOf(['zeros', 'ones']), error]);
  assert.equal(state.error.message, 'the learning rate must be a positive number');
  assert.equal(state.run.ready, false);
});

test('the slider replaces its own model; removing a custom one stops offering it', () => {
  const { state } = play([catalog, { intent: 'slider-gain', gain: 2 }, { intent: 'slider-gain', gain: 3 }]);
  assert.deepEqual(state.settings.inits, ['zeros', 'ones', 'gain:3']);
  assert.deepEqual(state.custom, ['gain:3']);
  const removed = reduce(state, { intent: 'remove-init', id: 'gain:3' });
  assert.deepEqual(removed.settings.inits, ['zeros', 'ones']);
  assert.deepEqual(removed.custom, []);
  assert.equal(removed.slider, null);
  // Unchecked, the slider's model stays its own: the next move replaces it in the offer.
  const unchecked = reduce(state, { intent: 'settings', patch: { inits: ['zeros', 'ones'] } });
  assert.equal(unchecked.slider, 'gain:3');
  assert.deepEqual(reduce(unchecked, { intent: 'slider-gain', gain: 4 }).custom, ['gain:4']);
});

test('following a link to another run reads it whole, and its problems replace the old ones', () => {
  const { state } = play([catalog, { intent: 'hash', hash: '#seed=x' }, { intent: 'hash', hash: '#seed=3' }], 'epochs=0');
  assert.equal(state.settings.seed, 3);
  assert.equal(state.error, null);
});

test('a start that stalls is said, and the words go once the engine opens a backend', () => {
  let state = reduce(initialState(), { type: 'error', kind: 'slow-start', message: 'not started after 60 s' });
  assert.equal(state.error.kind, 'slow-start');
  assert.equal(state.backend.kind, null, 'still starting, not failed');
  state = reduce(state, { type: 'backend', kind: 'cpu', name: 'CPU', reason: '', gpu_available: false });
  assert.equal(state.error, null);
  state = reduce(initialState(), { type: 'error', kind: 'internal', message: 'The training worker could not start: …' });
  assert.equal(state.backend.kind, 'none', 'the status bar says "not started"');
});
