// Numbers as typed into the page's fields (www/model/typed-number.js): a decimal comma is a
// decimal mark in every locale; what could mean two numbers, or none, is refused with why.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decimalMarkOf, readTypedNumber, steppedText } from '../../www/model/typed-number.js';

test('a decimal point or a decimal comma, an exponent, spaces around', () => {
  const cases = [
    ['0.001', 0.001, '0.001'],
    ['0,001', 0.001, '0.001'],
    [' 1e-3 ', 0.001, '1e-3'],
    ['1,5e-3', 0.0015, '1.5e-3'],
    ['1.5E-3', 0.0015, '1.5E-3'],
    [',5', 0.5, '.5'],
    ['5,', 5, '5.'],
    ['+2', 2, '2'],
    ['−0,5', -0.5, '-0.5'],
    ['1,2345', 1.2345, '1.2345'],
    ['12,34', 12.34, '12.34'],
    ['0,100', 0.1, '0.100'],
    ['1000', 1000, '1000'],
    ['7', 7, '7'],
  ];
  for (const [text, value, plain] of cases) assert.deepEqual(readTypedNumber(text), { value, plain }, text);
});

test('what is not one number is refused with why, never read as another', () => {
  const cases = [
    ['', 'empty'],
    ['   ', 'empty'],
    ['0,0,1', 'more than one . or , in it; write one decimal mark and no thousands separators'],
    ['0..1', 'more than one . or , in it; write one decimal mark and no thousands separators'],
    ['1,000,000', 'more than one . or , in it; write one decimal mark and no thousands separators'],
    ['1.000.000', 'more than one . or , in it; write one decimal mark and no thousands separators'],
    ['1.000,5', 'both . and , in it; write one decimal mark and no thousands separators'],
    ['1,000.5', 'both . and , in it; write one decimal mark and no thousands separators'],
    ['1 000', 'a space inside; write it without thousands separators'],
    ['0x10', 'not a number'],
    ['Infinity', 'not a number'],
    ['1e', 'not a number'],
    ['e3', 'not a number'],
    ['+-1', 'not a number'],
    ['1e3,5', 'not a number'],
    ['abc', 'not a number'],
    ['1e400', 'too large'],
    ['1e-400', 'too small'],
    ['-2.5e-999', 'too small'],
  ];
  for (const [text, reason] of cases) assert.deepEqual(readTypedNumber(text), { reason }, text);
});

test('a thousands-looking group in the locale’s grouping is refused, naming both readings', () => {
  // Where `.` is the decimal mark (en), `1,000` is a thousand to some and one to others.
  assert.deepEqual(readTypedNumber('1,000'), { reason: 'could mean 1000 or 1' });
  assert.deepEqual(readTypedNumber('-12,500'), { reason: 'could mean -12500 or -12.5' });
  assert.deepEqual(readTypedNumber('1.000'), { value: 1, plain: '1.000' }, 'the decimal point of the page');
  // Where `,` is the decimal mark (de, fr), `1.000` is the one in doubt.
  assert.deepEqual(readTypedNumber('1.000', ','), { reason: 'could mean 1000 or 1' });
  assert.deepEqual(readTypedNumber('1,000', ','), { value: 1, plain: '1.000' });
  // With an exponent too.
  assert.deepEqual(readTypedNumber('1,000e3'), { reason: 'could mean 1000e3 or 1e3' });
  // A leading 0 or another count of digits cannot be grouping.
  for (const mark of /** @type {const} */ (['.', ','])) {
    assert.equal(readTypedNumber('0,001', mark).value, 0.001);
    assert.equal(readTypedNumber('0.001', mark).value, 0.001);
    assert.equal(readTypedNumber('1,5', mark).value, 1.5);
    assert.equal(readTypedNumber('0,000e-3', mark).value, 0);
    assert.equal(readTypedNumber('1000,5', mark).value, 1000.5);
  }
});

test('the locale’s decimal mark', () => {
  assert.equal(decimalMarkOf('en-US'), '.');
  assert.equal(decimalMarkOf('de-DE'), ',');
  assert.equal(decimalMarkOf('fr-FR'), ',');
  assert.equal(decimalMarkOf('not a locale!'), '.');
});

test('arrow keys step on the step’s grid, within the range', () => {
  const dropout = { min: 0, max: 0.95 };
  assert.equal(steppedText('0.1', 0.05, 1, dropout), '0.15');
  assert.equal(steppedText('0,1', 0.05, -1, dropout), '0.05');
  assert.equal(steppedText('0.12', 0.05, 1, dropout), '0.15');
  assert.equal(steppedText('0.12', 0.05, -1, dropout), '0.1');
  assert.equal(steppedText('0', 0.05, -1, dropout), '0');
  assert.equal(steppedText('0.95', 0.05, 1, dropout), '0.95');
  assert.equal(steppedText('41', 1, 1, { min: 0, max: 100 }), '42');
  assert.equal(steppedText('1', 1, -1, { min: 1, max: 100 }), '1');
  assert.equal(steppedText('0.5', 0.1, 1, { min: 0, below: 1 }), '0.6');
  assert.equal(steppedText('0.9', 0.1, 1, { min: 0, below: 1 }), '0.9');
  assert.equal(steppedText('0,0,1', 1, 1, { min: 0, max: 9 }), null, 'not a number: left alone');
});
