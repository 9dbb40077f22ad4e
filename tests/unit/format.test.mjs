// One wording for divergence, and readable numbers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DIVERGED, downloadText, finiteOrNull, formatLoss, formatNumber, formatPercent, formatShare } from '../../www/model/format.js';

test('every non-finite value reads "diverged"', () => {
  for (const v of [NaN, Infinity, -Infinity, null, undefined]) {
    assert.equal(formatLoss(v), DIVERGED);
    assert.equal(formatPercent(v), DIVERGED);
    assert.equal(formatNumber(v), DIVERGED);
    assert.equal(formatShare(v), DIVERGED);
    assert.equal(finiteOrNull(v), null);
  }
  assert.equal(DIVERGED, 'diverged');
});

test('losses, percentages and statistics', () => {
  assert.equal(formatLoss(Math.LN10), '2.303');
  assert.equal(formatLoss(1552.28), '1552');
  assert.equal(formatPercent(0.85208), '85.21 %');
  assert.equal(formatPercent(0.5, 1), '50.0 %');
  assert.equal(formatNumber(0), '0');
  assert.equal(formatNumber(0.5812), '0.58');
  assert.equal(formatNumber(12.34), '12.3');
  assert.equal(formatNumber(430.2), '430');
  assert.equal(formatNumber(43000), '4.3e4');
  assert.equal(formatNumber(-0.004), '-4.0e-3');
  assert.equal(formatShare(0.004), '0.4 %');
  assert.equal(formatShare(0.5), '50 %');
  assert.equal(finiteOrNull(0), 0);
});

test('a download in words: bytes so far of the total, and the time left at the rate so far', () => {
  assert.equal(downloadText({ loaded: 5e6, total: 0, seconds: 2 }), '5.0 MB', 'no total yet');
  assert.equal(downloadText({ loaded: 13.2e6, total: 26.4e6, seconds: 4 }), '13.2 of 26.4 MB · 4 s left');
  assert.equal(downloadText({ loaded: 1e6, total: 26.4e6, seconds: 0.2 }), '1.0 of 26.4 MB', 'too soon for a rate');
  assert.equal(downloadText({ loaded: 26.4e6, total: 26.4e6, seconds: 9 }), '26.4 of 26.4 MB · 0 s left');
});
