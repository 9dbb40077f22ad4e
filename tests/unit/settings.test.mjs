// The page's URL table (www/model/settings.js), without a browser: links round-trip, and every value
// the page cannot use as written is named in a problem line while its field keeps the
// default. Run with `node --test tests/unit/`.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FIELDS, lessonPreset, parseHash, readValue, toHash, trainConfig } from '../../www/model/settings.js';

const DEFAULTS = parseHash('').state;
const field = (name) => FIELDS.find((f) => f.name === name);

/** parseHash of `hash`, asserting that exactly `problems` came out and only `changed` moved. */
function parsed(hash, problems, changed = {}) {
  const got = parseHash(hash);
  assert.deepEqual(got.problems, problems, hash);
  assert.deepEqual(got.state, { ...DEFAULTS, ...changed }, hash);
}

test('no hash is the lesson with the page defaults, and no problems', () => {
  assert.deepEqual(parseHash('#'), { state: DEFAULTS, problems: [] });
  assert.equal(DEFAULTS.inits, null);
  assert.equal(DEFAULTS.evalEvery, 0);
  assert.deepEqual(DEFAULTS.hide, []);
  assert.equal(toHash(DEFAULTS), '');
});

test('every usable state round-trips through its link', () => {
  const states = [
    { inits: ['zeros', 'he-normal'], epochs: 1, hide: ['data', 'samples'], log: false },
    { inits: ['uniform:-0.1:0.1', 'normal:0.05', 'constant:1e-3', 'xavier-uniform'], lr: 0.000001, dropout: 0 },
    // The scale sweep's models, and the slider's gains in the engine's spelling.
    { inits: ['gain:0.001', 'gain:0.01', 'gain:0.1', 'gain:0.3', 'gain:1', 'gain:3', 'gain:10', 'gain:30', 'gain:100'] },
    { inits: ['zeros', 'gain:0.0012', 'gain:1e-5', 'gain:2.5e7', 'general-rule'], dropout: 0 },
    { seed: Number.MAX_SAFE_INTEGER, batch: 10000, evalEvery: 0, optimizer: 'sgd', backend: 'cpu' },
    { lr: 10, dropout: 0.95, layer: 33, autorun: true, epochs: 100, seed: 0 },
    { hidden: Array(30).fill(256), activation: 'tanh', optimizer: 'sgd', momentum: 0.9, hide: ['signal'] },
    { hidden: [512, 256, 256, 256], activation: 'leaky-relu', momentum: 0 },
    { inits: ['he-normal@tanh', 'xavier-normal@sgd+lr=0.01', 'he-normal@256x30', 'normal:0.01@tanh+512/256', 'gain:2@momentum=0.5+sgd'] },
    { lr: 0.0015, dropout: 0.25, hide: ['header', 'backend', 'buttons', 'inits', 'params', 'charts', 'table', 'diagnostics'] },
  ];
  for (const patch of states) {
    const state = { ...DEFAULTS, ...patch };
    const hash = toHash(state);
    assert.deepEqual(parseHash(`#${hash}`), { state, problems: [] }, hash);
  }
  assert.equal(toHash({ ...DEFAULTS, inits: ['zeros', 'ones'], epochs: 1 }), 'inits=zeros,ones&epochs=1');
});

test('values written as people write them are read', () => {
  parsed('lr=1e-3&dropout=.5&epochs=007&seed=9007199254740991', [], {
    lr: 0.001,
    dropout: 0.5,
    epochs: 7,
    seed: Number.MAX_SAFE_INTEGER,
  });
  parsed('log=0&autorun=1&inits=uniform:-1:1.5,normal:2E-2', [], {
    log: false,
    autorun: true,
    inits: ['uniform:-1:1.5', 'normal:2E-2'],
  });
});

test('empty values are named and keep the default', () => {
  for (const f of FIELDS) {
    parsed(`${f.name}=`, [`ignored ${f.name}="": empty`]);
  }
  parsed('seed=&evalEvery=&inits=', ['ignored inits="": empty', 'ignored seed="": empty', 'ignored evalEvery="": empty']);
});

test('a repeated setting is named, whatever its values, and keeps the default', () => {
  parsed('seed=1&seed=2', ['ignored seed: given 2 times (seed=1, seed=2)']);
  parsed('seed=1&seed=1', ['ignored seed: given 2 times (seed=1, seed=1)']);
  parsed('epochs=1&hide=data&hide=data&hide=', ['ignored hide: given 3 times (hide=data, hide=data, hide="")'], {
    epochs: 1,
  });
  parsed('bogus=1&bogus=2', ['unknown setting bogus']);
});

test('whole numbers must be plain digits in range', () => {
  const cases = [
    ['seed=1e3', 'seed=1e3: not a whole number in plain digits'],
    ['seed=0x10', 'seed=0x10: not a whole number in plain digits'],
    ['seed=1.0', 'seed=1.0: not a whole number in plain digits'],
    ['seed=1.5', 'seed=1.5: not a whole number in plain digits'],
    ['seed=Infinity', 'seed=Infinity: not a whole number in plain digits'],
    ['seed=%2B5', 'seed=+5: not a whole number in plain digits'],
    ['seed=%205', 'seed=" 5": contains a space'],
    ['seed=5%20', 'seed="5 ": contains a space'],
    ['seed=+5', 'seed=+5: not a whole number in plain digits'], // a `+` is itself (it joins overrides)
    ['seed=%095', 'seed="\\t5": contains a space'],
    ['seed=-1', 'seed=-1: must be from 0 to 9007199254740991'],
    ['seed=9007199254740993', 'seed=9007199254740993: must be from 0 to 9007199254740991'],
    ['epochs=0', 'epochs=0: must be from 1 to 100'],
    ['epochs=101', 'epochs=101: must be from 1 to 100'],
    ['batch=10001', 'batch=10001: must be from 1 to 10000'],
    ['evalEvery=-0', null], // minus zero is 0, which is allowed
    ['layer=34', 'layer=34: must be from 1 to 33'],
  ];
  for (const [hash, problem] of cases) {
    const name = hash.split('=')[0];
    if (problem) parsed(hash, [`ignored ${problem}`]);
    else parsed(hash, [], { [name]: 0 });
  }
});

test('decimal numbers must be plain decimal in range', () => {
  const cases = [
    ['lr=0x1', 'lr=0x1: not a plain decimal number'],
    ['lr=Infinity', 'lr=Infinity: not a plain decimal number'],
    ['lr=NaN', 'lr=NaN: not a plain decimal number'],
    ['lr=1e', 'lr=1e: not a plain decimal number'],
    ['lr=.', 'lr=.: not a plain decimal number'],
    ['lr=1,5', 'lr=1,5: not a plain decimal number'],
    ['lr=1e999', 'lr=1e999: must be from 0.000001 to 10'],
    ['lr=0', 'lr=0: must be from 0.000001 to 10'],
    ['lr=1e-7', 'lr=1e-7: must be from 0.000001 to 10'],
    ['dropout=0.96', 'dropout=0.96: must be from 0 to 0.95'],
    ['dropout=-0.1', 'dropout=-0.1: must be from 0 to 0.95'],
    ['dropout=%200.1', 'dropout=" 0.1": contains a space'],
  ];
  for (const [hash, problem] of cases) parsed(hash, [`ignored ${problem}`]);
});

test('choices, switches and lists say what they take', () => {
  const cases = [
    ['optimizer=Adam', 'optimizer=Adam: must be one of adam, sgd'],
    ['backend=webgpu', 'backend=webgpu: must be one of auto, gpu, cpu'],
    ['log=yes', 'log=yes: must be true, false, 1 or 0'],
    ['autorun=toString', 'autorun=toString: must be true, false, 1 or 0'],
    ['hide=data,,params', 'hide=data,,params: has an empty item'],
    ['hide=data,', 'hide=data,: has an empty item'],
    ['hide=data,footer', `hide=data,footer: footer is not one of ${field('hide').values.join(', ')}`],
    ['hide=data,data', 'hide=data,data: lists data twice'],
    ['hide=data,%20params', 'hide="data, params": contains a space'],
    ['inits=,zeros', 'inits=,zeros: has an empty item'],
    ['inits=zeros,zeros', 'inits=zeros,zeros: lists zeros twice'],
    ['inits=Zeros', 'inits=Zeros: Zeros is not an initializer id (like he-normal, uniform:-0.1:0.1 or he-normal@tanh+sgd)'],
    [
      'inits=zeros,uniform:0:inf,normal:-,he_normal',
      'inits=zeros,uniform:0:inf,normal:-,he_normal: uniform:0:inf, normal:-, he_normal are not initializer ids ' +
        '(like he-normal, uniform:-0.1:0.1 or he-normal@tanh+sgd)',
    ],
    ['inits=uniform:0', 'inits=uniform:0: uniform:0 is not an initializer id (like he-normal, uniform:-0.1:0.1 or he-normal@tanh+sgd)'],
    ['inits=constant:1:2', 'inits=constant:1:2: constant:1:2 is not an initializer id (like he-normal, uniform:-0.1:0.1 or he-normal@tanh+sgd)'],
    ['inits=gain:', 'inits=gain:: gain: is not an initializer id (like he-normal, uniform:-0.1:0.1 or he-normal@tanh+sgd)'],
    ['inits=gain:1:2', 'inits=gain:1:2: gain:1:2 is not an initializer id (like he-normal, uniform:-0.1:0.1 or he-normal@tanh+sgd)'],
    ['inits=gain:0x1', 'inits=gain:0x1: gain:0x1 is not an initializer id (like he-normal, uniform:-0.1:0.1 or he-normal@tanh+sgd)'],
    ['inits=gain:Infinity', 'inits=gain:Infinity: gain:Infinity is not an initializer id (like he-normal, uniform:-0.1:0.1 or he-normal@tanh+sgd)'],
    ['inits=Gain:1', 'inits=Gain:1: Gain:1 is not an initializer id (like he-normal, uniform:-0.1:0.1 or he-normal@tanh+sgd)'],
    ['inits=%3Cb%3E', 'inits=<b>: <b> is not an initializer id (like he-normal, uniform:-0.1:0.1 or he-normal@tanh+sgd)'],
  ];
  for (const [hash, problem] of cases) parsed(hash, [`ignored ${problem}`]);
});

test('unknown settings are named, and the rest of the link still applies', () => {
  parsed('epochs=1&bogus=1&Seed=3', ['unknown setting bogus', 'unknown setting Seed'], { epochs: 1 });
  parsed('=5&epochs=2', ['unknown setting ""'], { epochs: 2 });
});

test('readValue reads one value for any caller', () => {
  assert.deepEqual(readValue(field('epochs'), '3'), { value: 3 });
  assert.deepEqual(readValue(field('epochs'), ''), { reason: 'empty' });
  assert.deepEqual(readValue(field('inits'), 'he-normal'), { value: ['he-normal'] });
});

test('what an embedding tag passes on as written, the page names and replaces by its defaults', () => {
  // embed.js puts every data-* attribute into the frame's hash as written.
  const hash = new URLSearchParams({ inits: '', seed: '', evalEvery: '1e3', sede: '3', log: 'no' }).toString();
  const page = parseHash(`#${hash}`);
  assert.deepEqual(page.state, DEFAULTS);
  assert.equal(page.problems.length, 5, page.problems.join('; '));
  assert.ok(
    page.problems.some((p) => p.includes('sede')),
    page.problems.join('; '),
  );
});

test('the engine gets the lesson overridden by the state; the preset clears the training settings', () => {
  const lesson = { epochs: 2, batch_size: 100, lr: 0.001, optimizer: 'adam', momentum: 0, dropout: 0.2, seed: 0, eval_every: 0 };
  const state = { ...DEFAULTS, epochs: 1, lr: 0.01, evalEvery: 60, hide: ['data'], inits: ['zeros'] };
  assert.deepEqual(trainConfig(state, lesson), { ...lesson, epochs: 1, lr: 0.01, eval_every: 60 });
  assert.deepEqual(lessonPreset(state), { ...DEFAULTS, hide: ['data'] });
  // SGD's momentum is kept in the settings but sent only with SGD: Adam has its own.
  assert.equal(trainConfig({ ...state, momentum: 0.9 }, lesson).momentum, 0);
  assert.equal(trainConfig({ ...state, momentum: 0.9, optimizer: 'sgd' }, lesson).momentum, 0.9);
});

test('initializer lists stay readable in a link: commas and colons as written', () => {
  const state = { ...DEFAULTS, inits: ['zeros', 'gain:0.3', 'uniform:-0.1:0.1'] };
  assert.equal(toHash(state), 'inits=zeros,gain:0.3,uniform:-0.1:0.1');
  assert.deepEqual(parseHash(`#${toHash(state)}`), { state, problems: [] });
  assert.deepEqual(parseHash('#inits=gain%3A0.3').state.inits, ['gain:0.3'], 'an escaped colon reads the same');
});
