// Depth, activation and optimizer as lesson parameters (issue #17), the page's pure parts:
// hidden widths as people write them, the new settings in a link, per-model overrides, the
// catalog's presets as settings, the reducer's `signal` and ragged layers, the signal view's
// columns and notes, and the layer pickers' names in a run of mixed depth.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Event } from '../../www/engine/protocol.js';
import { activationName, archText, layerChoices, networkText, widthsText } from '../../www/model/depth.js';
import { effects } from '../../www/model/effects.js';
import { healthSeries } from '../../www/model/health-series.js';
import { initialState, reduce } from '../../www/model/reducer.js';
import { formatWidths, parseHash, parseWidths, presetOf, presetSettings, toHash, trainConfig } from '../../www/model/settings.js';
import { logAxis, signalColumns, signalNotes, signalReadout, signalWhen } from '../../www/model/signal.js';
import { catalog, presets, runOf } from './fixtures.mjs';

const lesson = catalog.catalog.lesson_config;
const apply = (actions, state = initialState()) => actions.reduce((s, a) => reduce(s, a), state);

test('hidden widths read as people write them, and are written back with runs compressed', () => {
  const cases = [
    ['256', [256]],
    ['256,128', [256, 128]],
    ['256x30', Array(30).fill(256)],
    ['512,256x3', [512, 256, 256, 256]],
    ['512/256/128', [512, 256, 128]],
    ['1x32', Array(32).fill(1)],
    ['1024', [1024]],
    ['007', [7]],
  ];
  for (const [text, widths] of cases) {
    assert.deepEqual(parseWidths(text), { value: widths }, text);
    assert.deepEqual(parseWidths(formatWidths(widths)), { value: widths }, `${text} round-trips`);
  }
  assert.equal(formatWidths(Array(30).fill(256)), '256x30');
  assert.equal(formatWidths([512, 256, 256, 256]), '512,256x3');
  assert.equal(formatWidths([256, 128]), '256,128');
  assert.equal(formatWidths([64, 64, 32, 64]), '64x2,32,64');
});

test('hidden widths that make no network say why', () => {
  const cases = [
    ['256x33', '33 hidden layers; a network has 1 to 32'],
    ['16x20,16x13', '33 hidden layers; a network has 1 to 32'],
    ['256x99999999999', '99999999999 hidden layers; a network has 1 to 32'],
    ['0', 'a layer of 0 units; widths are from 1 to 1024'],
    ['256,1025', 'a layer of 1025 units; widths are from 1 to 1024'],
    ['256x0', '256x0 repeats a width 0 times'],
    ['256,,128', 'an empty item is not a width (like 256) or a run of them (like 256x30)'],
    ['256×2', '256×2 is not a width (like 256) or a run of them (like 256x30)'],
    ['-1', '-1 is not a width (like 256) or a run of them (like 256x30)'],
    ['2.5', '2.5 is not a width (like 256) or a run of them (like 256x30)'],
  ];
  for (const [text, reason] of cases) assert.deepEqual(parseWidths(text), { reason }, text);
});

test('the depth, activation and momentum settings in a link: read, named when unusable, sent to the engine', () => {
  const { state, problems } = parseHash('#hidden=256x30&activation=relu&optimizer=sgd&lr=0.01&momentum=0.9');
  assert.deepEqual(problems, []);
  assert.deepEqual(state.hidden, Array(30).fill(256));
  assert.equal(toHash(state), 'hidden=256x30&activation=relu&lr=0.01&optimizer=sgd&momentum=0.9');
  const config = trainConfig(state, lesson);
  assert.deepEqual([config.hidden.length, config.activation, config.optimizer, config.lr, config.momentum], [30, 'relu', 'sgd', 0.01, 0.9]);
  assert.deepEqual(parseHash('#hidden=256,128').state.hidden, [256, 128]);

  const bad = parseHash('#hidden=256x33&activation=gelu&momentum=1&layer=40');
  assert.deepEqual(bad.problems, [
    'ignored hidden=256x33: 33 hidden layers; a network has 1 to 32',
    'ignored activation=gelu: must be one of relu, leaky-relu, tanh, sigmoid, linear',
    'ignored momentum=1: must be at least 0 and below 1',
    'ignored layer=40: must be from 1 to 33',
  ]);
  assert.equal(bad.state.hidden, null, 'the lesson’s widths');
  assert.deepEqual(parseHash('#hidden=0').problems, ['ignored hidden=0: a layer of 0 units; widths are from 1 to 1024']);
  assert.deepEqual(parseHash('#momentum=0.99').state.momentum, 0.99);
});

test('per-model overrides are initializer ids, written in a link as the CLI writes them', () => {
  const ids = ['he-normal@tanh', 'xavier-normal@sgd+lr=0.01', 'he-normal@256x30', 'normal:0.01@tanh+512/256', 'zeros@512/256x3+momentum=0.9+sgd'];
  const state = { ...parseHash('').state, inits: ids };
  const hash = toHash(state);
  assert.equal(hash, `inits=${ids.join(',')}`, 'no %2B, %40, %2F or %3D');
  assert.deepEqual(parseHash(`#${hash}`), { state, problems: [] });
  // Escaped, as an embed's URLSearchParams writes them, they read the same.
  assert.deepEqual(parseHash(`#${new URLSearchParams({ inits: ids.join(',') })}`).state.inits, ids);
  for (const id of ['he-normal@', 'he-normal@tanh+', 'he-normal@gelu', 'he-normal@lr=', 'he-normal@tanh@sgd', 'he-normal@256x']) {
    assert.match(parseHash(`#inits=${id}`).problems[0], /is not an initializer id/, id);
  }
});

test("a known initializer's override is kept once the catalog is in; an unknown one is named", () => {
  const s = apply([catalog], initialState('#inits=general-rule@tanh,bogus@tanh,zeros'));
  assert.deepEqual(s.settings.inits, ['general-rule@tanh', 'zeros']);
  assert.match(s.error.message, /ignored unknown initializer bogus@tanh/);
});

test('a preset is its initializers and, where they differ from the lesson, its training settings', () => {
  const [deep, grid] = presets;
  const patch = presetSettings(deep, lesson);
  assert.deepEqual(patch, {
    inits: ['zeros', 'general-rule'],
    hidden: Array(30).fill(256),
    activation: null,
    epochs: 1,
    lr: 0.01,
    batch: null,
    optimizer: 'sgd',
    momentum: null,
    dropout: 0,
    seed: null,
    evalEvery: 0,
    live: null,
  });
  const settings = { ...parseHash('#projector=1&hide=data').state, ...patch };
  assert.equal(toHash(settings), 'inits=zeros,general-rule&hidden=256x30&epochs=1&lr=0.01&optimizer=sgd&dropout=0&projector=true&hide=data');
  assert.deepEqual(trainConfig(settings, lesson), deep.config, 'the engine gets the preset’s config');
  assert.equal(presetOf(settings, presets, lesson), deep);
  assert.equal(presetOf({ ...settings, lr: 0.02 }, presets, lesson), null, 'changed: no longer the preset');
  assert.equal(presetOf({ ...parseHash('').state, ...presetSettings(grid, lesson) }, presets, lesson), grid);
  assert.equal(presetOf(parseHash('').state, presets, lesson), null, 'the lesson is no preset');
});

test('the preset intent sets the settings and configures the preset’s run', () => {
  const before = apply([catalog, runOf(['zeros', 'ones'])], initialState('#layer=2'));
  const after = reduce(before, { intent: 'preset', id: 'deep' });
  const { commands, hash } = effects(before, after);
  assert.deepEqual(commands[0], { type: 'configure', inits: ['zeros', 'general-rule'], config: presets[0].config });
  assert.equal(hash, 'inits=zeros,general-rule&hidden=256x30&epochs=1&lr=0.01&optimizer=sgd&dropout=0&layer=2');
  assert.equal(reduce(before, { intent: 'preset', id: 'nope' }), before, 'an unknown preset changes nothing');
});

const signalOf = (step, act) => ({
  type: Event.signal,
  step,
  models: act.map((a) => ({ act_std: a, grad_rms: [1, 1, 1], theory_std: a, states: [] })),
});

test('the reducer keeps the latest signal of the run; a new run drops it, a reset and a recovery drop later ones', () => {
  const run = { ...runOf(['zeros', 'ones']), models: [] };
  let s = apply([catalog, run, signalOf(0, [[1], [2]])]);
  assert.equal(s.signal.step, 0);
  s = reduce(s, signalOf(480, [[3], [4]]));
  assert.deepEqual(s.signal.models[1].act_std, [4]);
  assert.equal(reduce(s, { type: Event.recovered, from_step: 500, reason: '' }).signal.step, 480);
  assert.equal(reduce(s, { type: Event.recovered, from_step: 240, reason: '' }).signal, null);
  assert.equal(reduce(s, { type: Event.reset, total_steps: 10 }).signal, null, 'the step-0 signal comes again after a reset');
  const atZero = reduce(reduce(s, signalOf(0, [[1], [2]])), { type: Event.reset, total_steps: 10 });
  assert.equal(atZero.signal.step, 0, 'a step-0 signal that came before the reset stays');
  assert.equal(reduce(s, run).signal, null, 'a new run');
});

test('a run of models with their own depth keeps each one’s settings, and its layers stay ragged', () => {
  const arch = (hidden) => ({ hidden, activation: 'relu', optimizer: 'adam', lr: 0.001, momentum: 0 });
  const run = { ...runOf(['he-normal', 'he-normal@256x6']), models: [arch([64]), arch(Array(6).fill(256))] };
  const layer = (v) => ({ grad_rms: v, update_ratio: v, act_mean: v, act_std: v, dead_fraction: 0, non_finite: 0, histogram: [] });
  const s = apply([
    catalog,
    run,
    { type: Event.health, step: 10, layers: [[layer(1), layer(2)], Array.from({ length: 7 }, (_, l) => layer(l + 10))] },
  ]);
  assert.deepEqual(
    s.run.archs.map((m) => m.hidden.length),
    [1, 6],
  );
  assert.deepEqual(healthSeries(s.health, 4, 'act_std').series, [[null], [14]], 'a layer the shallow model lacks is a gap');
  assert.deepEqual(
    layerChoices([2, 7]).map((c) => c.text),
    [
      'hidden layer 1',
      'layer 2: hidden, or the output',
      'hidden layer 3 (not in every network)',
      'hidden layer 4 (not in every network)',
      'hidden layer 5 (not in every network)',
      'hidden layer 6 (not in every network)',
      'output layer (layer 7) (not in every network)',
    ],
  );
  assert.deepEqual(
    layerChoices([3, 3]).map((c) => c.text),
    ['hidden layer 1', 'hidden layer 2', 'output layer'],
  );
});

test('the signal charts draw what a log axis can, and say what they leave out', () => {
  const models = [
    { act_std: [0.8, 0.6, 0.5], grad_rms: [0.01, 0.02, 0.03, 0.04], theory_std: [0.8, 0.57, 0.4], states: [] },
    { act_std: [0.1, 0], grad_rms: [0, 0, 0], theory_std: [0.1, 0.01], states: [{ kind: 'no_gradient', up_to: 3 }] },
    {
      act_std: [1e20, Number.NaN, Number.POSITIVE_INFINITY],
      grad_rms: [Number.NaN, 1, 1, 1],
      theory_std: [1e20, 1e40, Number.NaN],
      states: [],
    },
  ];
  const act = signalColumns(models, 'act_std');
  assert.deepEqual(act.xs, [1, 2, 3]);
  assert.deepEqual(act.measured, [
    [0.8, 0.6, 0.5],
    [0.1, null, null],
    [1e20, null, null],
  ]);
  assert.deepEqual(act.theory[2], [1e20, 1e40, null]);
  const grad = signalColumns(models, 'grad_rms');
  assert.deepEqual(grad.xs, [1, 2, 3, 4]);
  assert.equal(grad.theory, null);
  assert.deepEqual(signalNotes(models[0]), []);
  assert.deepEqual(signalNotes(models[1]), [
    'signal vanished: every unit gives the same output from hidden layer 2 on (std 0)',
    'no gradient reaches the weights of layers 1–3',
  ]);
  assert.deepEqual(signalNotes(models[2]), ['diverged: the activations overflow from hidden layer 2 on']);
  assert.deepEqual(signalNotes({ act_std: [5, 25], grad_rms: [1, 1, 1], theory_std: [Number.NaN, Number.NaN], states: [] }), [
    'no mean-field prediction from hidden layer 1 on: the theory takes weights centred on 0 (or its value overflows)',
  ]);
  assert.deepEqual(signalReadout(models[0]), {
    act: [
      { layer: 1, measured: '0.80', theory: '0.80' },
      { layer: 2, measured: '0.60', theory: '0.57' },
      { layer: 3, measured: '0.50', theory: '0.40' },
    ],
    grad: ['0.01', '0.04'],
  });
  assert.deepEqual(signalReadout(models[2]).act[1], { layer: 2, measured: 'diverged', theory: '1.0e40' });
  assert.equal(signalWhen(0), 'at step 0, before training');
  assert.equal(signalWhen(480), 'after step 480');
});

test('the log axes span whole decades and label at most a few, 1 among them', () => {
  assert.deepEqual(logAxis(0.02, 3), { lo: -2, hi: 1, ticks: [-2, -1, 0, 1] });
  assert.deepEqual(logAxis(1e-30, 10, 6), { lo: -31, hi: 2, ticks: [-30, -24, -18, -12, -6, 0] });
  const wide = logAxis(3e-31, 2e10, 6);
  assert.deepEqual([wide.lo, wide.hi], [-31, 11]);
  assert.ok(wide.ticks.length <= 6 && wide.ticks.includes(0), String(wide.ticks));
  assert.deepEqual(logAxis(1, 1), { lo: -1, hi: 1, ticks: [-1, 0, 1] }, 'one value: a decade each side');
  assert.deepEqual(logAxis(Number.NaN, 1).ticks, [-1, 0, 1], 'nothing to draw');
});

test("a model's shape and recipe in a few words", () => {
  assert.equal(widthsText([256, 128]), '256 → 128');
  assert.equal(widthsText(Array(30).fill(256)), '256 ×30');
  assert.equal(
    archText({ hidden: Array(30).fill(256), activation: 'relu', optimizer: 'sgd', lr: 0.01, momentum: 0.9 }, 'ReLU'),
    '256 ×30 · ReLU · SGD lr 0.01, momentum 0.9',
  );
  assert.equal(
    archText({ hidden: [256, 128], activation: 'tanh', optimizer: 'adam', lr: 0.001, momentum: 0 }, 'tanh'),
    '256 → 128 · tanh · Adam lr 0.001',
  );
  assert.equal(
    archText({ hidden: [64], activation: 'relu', optimizer: 'sgd', lr: Math.fround(0.01), momentum: Math.fround(0.9) }, 'ReLU'),
    '64 · ReLU · SGD lr 0.01, momentum 0.9',
    'the engine’s f32s read as people wrote them',
  );
  assert.equal(networkText({ hidden: [256, 128], dropout: 0.2 }, 'ReLU'), '784 → 256 → 128 → 10 · ReLU · dropout');
  assert.equal(activationName(catalog.catalog, 'tanh'), 'tanh');
  assert.equal(activationName(null, undefined), 'ReLU');
});
