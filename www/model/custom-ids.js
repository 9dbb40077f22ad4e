// @ts-check
// The custom-initializer ids of the form beside the toggles (views/custom-init-form.js): a kind (constant C, uniform [a, b),
// normal σ, gain g), its numbers, and Add, which appends the initializer's id
// (`constant:C`, `uniform:A:B`, `normal:STD`, `gain:G`) to the chosen ones. Whether the numbers
// can be honoured (a < b, σ > 0, f32's range) is the engine's to say: its `error` event of
// kind settings is shown next to the form. The pure parts (ids) are unit-tested under Node.

import { readTypedNumber } from './typed-number.js';

export const CUSTOM_KINDS = {
  constant: { label: 'constant C', params: ['C'], defaults: ['0.01'], help: 'every weight is C' },
  uniform: {
    label: 'uniform [a, b)',
    params: ['a', 'b'],
    defaults: ['-0.05', '0.05'],
    help: 'weights drawn evenly from a (included) to b (left out)',
  },
  normal: {
    label: 'normal σ',
    params: ['σ'],
    defaults: ['0.05'],
    help: 'weights drawn from a normal distribution with mean 0 and standard deviation σ',
  },
  gain: {
    label: 'gain g',
    params: ['g'],
    defaults: ['1'],
    help: 'weights drawn evenly from [−g/√n, g/√n): the general rule (g = 1) scaled by g; n is the fan-in',
  },
};

/**
 * A number as the engine writes it in ids (`Initializer::id`, src/init/parse.rs `show`): the
 * shortest text that reads back as the same f32, in exponent notation (`1e-5`, `2.5e7`) when
 * it is not 0 and under 1e-4 or at least 1e7. So an id the page forms is the id the engine
 * sends back, and its colour and toggle stay one.
 */
export function f32Text(x) {
  const f = Math.fround(x);
  if (!Number.isFinite(f)) return String(x).replace('e+', 'e'); // beyond f32: the engine names it
  if (Object.is(f, -0)) return '-0';
  let digits = 1;
  while (digits < 9 && Math.fround(Number(f.toPrecision(digits))) !== f) digits++;
  const short = Number(f.toPrecision(digits));
  const exponent = f !== 0 && (Math.abs(f) < Math.fround(1e-4) || Math.abs(f) >= 1e7); // compared as f32s
  return exponent ? short.toExponential().replace('e+', 'e') : String(short);
}

/** The id for `kind` with the numbers typed as `texts` ({id}), each read as typed in a locale
 * whose decimal mark is `decimalMark` (typed-number.js: `0,05` is 0.05), or {reason} when a
 * box does not hold one number. */
export function customInitId(kind, texts, decimalMark = /** @type {'.' | ','} */ ('.')) {
  const spec = CUSTOM_KINDS[kind];
  if (!spec) return { reason: `unknown kind ${kind}` };
  const numbers = [];
  for (const [i, name] of spec.params.entries()) {
    const text = String(texts[i] ?? '');
    const read = readTypedNumber(text, decimalMark);
    if (read.reason) {
      const got = text.trim() === '' ? 'empty' : `${JSON.stringify(text)}: ${read.reason}`;
      return { reason: `${name} must be a number such as ${spec.defaults[i]} (it is ${got})` };
    }
    numbers.push(f32Text(read.value));
  }
  return { id: `${kind}:${numbers.join(':')}` };
}

/** Whether `id` is a parameterized (custom) initializer id rather than a catalog name. */
export const isCustomId = (id) => /^(constant|uniform|normal|gain):/.test(id);
