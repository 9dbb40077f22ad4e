// The projector palette stays readable for the most common colour blindness: every two
// curves drawn with the same dash differ by at least ΔE 15 (CIE76) after simulating
// protanopia and deuteranopia (Machado, Oliveira & Fernandes 2009, severity 1, in linear RGB).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { projectorStyles, runStyles, styleOf } from '../../www/views/palette.js';

const linear = (c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const rgb = (hex) => [1, 3, 5].map((i) => linear(parseInt(hex.slice(i, i + 2), 16) / 255));
const SIMULATE = {
  normal: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
};
const apply = (m, v) => m.map((r) => Math.min(1, Math.max(0, r[0] * v[0] + r[1] * v[1] + r[2] * v[2])));

/** CIELAB of a linear sRGB colour (D65). */
function lab([r, g, b]) {
  const [x, y, z] = [
    (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
    0.2126 * r + 0.7152 * g + 0.0722 * b,
    (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
  ];
  const f = (t) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

const deltaE = (a, b, m) => {
  const [p, q] = [lab(apply(m, rgb(a))), lab(apply(m, rgb(b)))];
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
};

test('curves of the same dash stay apart under protanopia and deuteranopia', () => {
  const styles = projectorStyles();
  assert.equal(styles.length, 13);
  for (const [vision, m] of Object.entries(SIMULATE)) {
    for (const a of styles) {
      for (const b of styles) {
        if (a.id >= b.id || JSON.stringify(a.dash) !== JSON.stringify(b.dash)) continue;
        const d = deltaE(a.color, b.color, m);
        assert.ok(d >= 15, `${vision}: ${a.id} and ${b.id} differ by ΔE ${d.toFixed(1)}`);
      }
    }
  }
});

test('no two initializers share colour and dash; the default palette is unchanged', () => {
  const looks = projectorStyles().map((s) => `${s.color} ${s.dash}`);
  assert.equal(new Set(looks).size, looks.length);
  assert.deepEqual(styleOf('general-rule', { projector: false }), { color: '#1f77b4', dash: null });
  assert.equal(styleOf('uniform:-1:1', { projector: true }).color, styleOf('uniform:-1:1', { projector: true }).color);
});

test("a run's models never share a look: overrides and colliding custom ids take spares", () => {
  const key = (l) => `${l.color} ${l.dash}`;
  const runs = [
    ['xavier-normal@tanh', 'he-normal@tanh', 'xavier-normal@relu', 'he-normal@relu'],
    ['normal:0.01', 'normal:1', 'xavier-normal'],
    ['zeros', 'general-rule', 'lecun-normal', 'normal:1'],
    ['he-normal', 'he-normal@256x6'],
  ];
  for (const projector of [false, true]) {
    for (const ids of runs) {
      const looks = runStyles(ids, { projector });
      assert.equal(new Set(looks.map(key)).size, ids.length, `${ids} (projector: ${projector}): ${looks.map(key)}`);
      assert.deepEqual(looks[0], styleOf(ids[0], { projector }), 'the first keeps its own');
    }
  }
  assert.deepEqual(styleOf('he-normal@tanh'), styleOf('he-normal'), 'an override looks like its initializer');
  assert.deepEqual(runStyles(['zeros', 'ones']), [styleOf('zeros'), styleOf('ones')], 'distinct looks stay');
});
