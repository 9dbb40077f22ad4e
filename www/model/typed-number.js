// @ts-check
// Numbers as a person types them into the page's fields, in their locale: `0.001`, `0,001`,
// ` 1e-3 `, `1,5e-3`, `−0.5`. The fields are text boxes (views/controls.js), not
// `type=number`, which hands the script "" or the digits without the comma, differently in
// each browser, so that "0,001" trained at 1. Here a typed text becomes its number, or a few
// words on why it cannot, and never a different number.
//
// The rules, where locales disagree:
// - One decimal mark, `.` or `,`, in any locale.
// - No thousands separators: text with both marks (`1.000,5`, `1,000.5`), a mark twice
//   (`0,0,1`, `1,000,000`) or a space inside (`1 000`) is refused, not guessed at.
// - A number beyond a double's range, large (`1e400`) or small (`1e-400`), is refused.
// - One group of three digits after the locale's thousands separator, with a whole part of
//   1 to 3 digits not starting with 0 (`1,000` where `,` groups thousands, as in English;
//   `1.000` where `.` does, as in German), reads as a thousand or as one: refused, and the
//   message names both (with an exponent too: `1,000e3`). `0,001`, `1,5` and `1,2345` can
//   only be decimals.
// No DOM: unit-tested under Node (tests/unit/typed-number.test.mjs).

// A number with `.` for its mark: a sign, digits, one `.`, an exponent (not hex, not Infinity).
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * The decimal mark of `locale` (`.` for en-US, `,` for de-DE or fr-FR); `.` where the
 * locale is unknown.
 * @param {string | undefined} locale
 * @returns {'.' | ','}
 */
export function decimalMarkOf(locale) {
  try {
    const mark = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value;
    return mark === ',' ? ',' : '.';
  } catch {
    return '.';
  }
}

/**
 * Reads `text` as typed in a locale whose decimal mark is `decimalMark`: {value, plain} (the
 * number, and its text in the page's plain form, `0,001` → `0.001`), or {reason} (a few words:
 * "two decimal marks", "could be 1000 or 1").
 * @param {string} text
 * @param {'.' | ','} [decimalMark]
 * @returns {{value: number, plain: string, reason?: undefined} | {reason: string, value?: undefined, plain?: undefined}}
 */
export function readTypedNumber(text, decimalMark = '.') {
  // U+2212, the minus sign some keyboards and locales write.
  const typed = String(text)
    .trim()
    .replace(/^[\u2212]/, '-');
  if (typed === '') return { reason: 'empty' };
  if (/\s/.test(typed)) return { reason: 'a space inside; write it without thousands separators' };
  const [mantissa, exponent = null] = typed.split(/[eE]/, 2);
  const marks = mantissa.replace(/[^.,]/g, '');
  if (marks.includes('.') && marks.includes(',')) return { reason: 'both . and , in it; write one decimal mark and no thousands separators' };
  if (marks.length > 1) return { reason: 'more than one . or , in it; write one decimal mark and no thousands separators' };
  const grouping = decimalMark === ',' ? '.' : ',';
  const unsigned = mantissa.replace(/^[-+]/, '');
  // With an exponent too: "1,000e3" is as ambiguous as "1,000".
  if (marks === grouping && /^[1-9]\d{0,2}[.,]\d{3}$/.test(unsigned)) {
    const [whole, part] = unsigned.split(/[.,]/);
    const sign = mantissa.startsWith('-') ? '-' : '';
    const times = exponent === null ? '' : `e${exponent}`;
    return { reason: `could mean ${sign}${whole}${part}${times} or ${sign}${Number(`${whole}.${part}`)}${times}` };
  }
  const dotted = typed.replace(',', '.');
  if (!DECIMAL.test(dotted)) return { reason: 'not a number' };
  // The page's plain form (settings.js): no `+`.
  const plain = dotted.replace(/^\+/, '');
  const value = Number(plain);
  if (!Number.isFinite(value)) return { reason: 'too large' };
  // Beyond a double's range a nonzero mantissa reads as 0 ("1e-400"): not the number typed.
  if (value === 0 && /[1-9]/.test(mantissa)) return { reason: 'too small' };
  return { value, plain };
}

/**
 * The text one `step` up (`direction` 1) or down (-1) from `text`, kept within `range`
 * ({min, max} or {min, below}, below an open end): what arrow keys do in a number field.
 * Null when `text` is not a number (the keys then leave it alone).
 * @param {string} text
 * @param {number} step
 * @param {1 | -1} direction
 * @param {{min: number, max?: number, below?: number}} range
 * @param {'.' | ','} [decimalMark]
 * @returns {string | null}
 */
export function steppedText(text, step, direction, range, decimalMark = '.') {
  const read = readTypedNumber(text, decimalMark);
  if (read.value === undefined) return null;
  // On the step's grid (0.05 + 0.05 is 0.1, not 0.1000…02), as a number field steps.
  // From a value between two steps, up goes to the next one above and down to the one below.
  const digits = (String(step).split('.')[1] ?? '').length;
  const at = read.value / step;
  const k = direction > 0 ? Math.floor(at + 1e-9) + 1 : Math.ceil(at - 1e-9) - 1;
  const next = Number((k * step).toFixed(digits));
  const top = range.below === undefined ? (range.max ?? Infinity) : range.below - step;
  return String(Math.min(top, Math.max(range.min, next)));
}
