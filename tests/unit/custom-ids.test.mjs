// The custom-initializer form's ids (www/model/custom-ids.js): what a person types becomes the id
// the engine takes and writes back; a box without a number is named.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { customInitId, f32Text, isCustomId } from '../../www/model/custom-ids.js';
import { parseHash } from '../../www/model/settings.js';

test('numbers are written as the engine writes an f32', () => {
  const cases = [
    [0.3, '0.3'],
    [1, '1'],
    [-0.05, '-0.05'],
    [0, '0'],
    [-0, '-0'],
    [0.0001, '0.0001'],
    [1e-5, '1e-5'],
    [1.5e-5, '1.5e-5'],
    [9999999, '9999999'],
    [1e7, '1e7'],
    [2.5e7, '2.5e7'],
    [0.1 + 0.2, '0.3'],
    [0.123456789, '0.12345679'],
    [1e39, '1e39'],
  ];
  for (const [x, text] of cases) assert.equal(f32Text(x), text, String(x));
});

test('each kind makes its id from the numbers typed', () => {
  assert.deepEqual(customInitId('constant', ['0.01']), { id: 'constant:0.01' });
  assert.deepEqual(customInitId('uniform', ['-0.1', ' 0.1 ']), { id: 'uniform:-0.1:0.1' });
  assert.deepEqual(customInitId('uniform', ['1', '0']), { id: 'uniform:1:0' }, 'a ≥ b is the engine’s to refuse');
  assert.deepEqual(customInitId('normal', ['2E-2']), { id: 'normal:0.02' });
  assert.deepEqual(customInitId('gain', ['.30']), { id: 'gain:0.3' });
  assert.deepEqual(customInitId('gain', ['1e-5']), { id: 'gain:1e-5' });
  // An id the form makes is one a link can carry.
  for (const id of ['constant:0.01', 'uniform:-0.1:0.1', 'normal:0.02', 'gain:0.3', 'gain:1e-5', 'constant:1e39']) {
    assert.deepEqual(parseHash(`#inits=${id}`).problems, [], id);
    assert.ok(isCustomId(id));
  }
  assert.ok(!isCustomId('general-rule'));
});

test('a box without one finite number is named, with why', () => {
  assert.deepEqual(customInitId('constant', ['']), { reason: 'C must be a number such as 0.01 (it is empty)' });
  assert.deepEqual(customInitId('uniform', ['0', 'x']), { reason: 'b must be a number such as 0.05 (it is "x": not a number)' });
  assert.deepEqual(customInitId('normal', ['1e400']), { reason: 'σ must be a number such as 0.05 (it is "1e400": too large)' });
  assert.deepEqual(customInitId('gain', ['0x10']), { reason: 'g must be a number such as 1 (it is "0x10": not a number)' });
  assert.deepEqual(customInitId('gain', ['0,0,1']), {
    reason: 'g must be a number such as 1 (it is "0,0,1": more than one . or , in it; write one decimal mark and no thousands separators)',
  });
  assert.deepEqual(customInitId('gain', ['1,000']), { reason: 'g must be a number such as 1 (it is "1,000": could mean 1000 or 1)' });
  assert.deepEqual(customInitId('gain', ['+2']), { id: 'gain:2' });
  assert.deepEqual(customInitId('orthogonal', ['1']), { reason: 'unknown kind orthogonal' });
});

test('a decimal comma is a decimal mark, in any locale', () => {
  assert.deepEqual(customInitId('gain', ['1,5']), { id: 'gain:1.5' });
  assert.deepEqual(customInitId('uniform', ['-0,05', '0,05']), { id: 'uniform:-0.05:0.05' });
  assert.deepEqual(customInitId('normal', ['5e-2']), { id: 'normal:0.05' });
  assert.deepEqual(customInitId('gain', ['1,000'], ','), { id: 'gain:1' }, 'where , is the decimal mark');
});
