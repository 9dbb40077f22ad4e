// @ts-check
// A chapter's explanation with the numbers of the run the student watched: `{accuracy zeros}`
// becomes "9.8 %". Each placeholder is a name and its arguments, separated by spaces; the
// arguments are initializer ids of the chapter's run (and a layer). docs/lessons.md lists them.
// Pure, no DOM.
import { divergenceWords } from './divergence.js';
import { formatLoss, formatNumber, formatPercent, isFiniteNumber } from './format.js';
import { stateWords } from './named-states.js';

/**
 * What the run measured, per model id (measuresOf turns the page's state into this).
 * @typedef {{label: string, accuracy: number | undefined, loss: number | undefined, firstLoss: number | undefined,
 *   divergence: import('./divergence.js').Divergence | null, std: number[], grad: number[],
 *   states: import('../engine/wire').NamedState[]}} ModelMeasures
 * @typedef {{steps: number, models: Map<string, ModelMeasures>}} Measures
 */

/** A layer argument: a number from 1, or `last`. */
const layerOf = (/** @type {string} */ arg, /** @type {number[]} */ values) => (arg === 'last' ? values.length : Number(arg));
const LAYER_RE = /^([1-9]\d*|last)$/;
/** `format(v)`, or "—" for a number the run has not measured (undefined; NaN is divergence). */
const known = (/** @type {number | undefined} */ v, /** @type {(v: number) => string} */ format) => (v === undefined ? '—' : format(v));

/**
 * Each placeholder: its arguments (`id` an initializer of the run, `layer` a number or `last`),
 * what it says, and its text from the measures (`m` the first id's measures).
 * @type {Record<string, {args: string[], help: string, text: (m: ModelMeasures[], layer: string, all: Measures) => string}>}
 */
export const PLACEHOLDERS = {
  accuracy: { args: ['id'], help: 'its validation accuracy at the end, "85.3 %"', text: ([m]) => known(m.accuracy, (v) => formatPercent(v, 1)) },
  loss: { args: ['id'], help: 'its mean training loss over the last 100 batches', text: ([m]) => known(m.loss, formatLoss) },
  'first-loss': { args: ['id'], help: 'its mean training loss over the first 100 batches', text: ([m]) => known(m.firstLoss, formatLoss) },
  gap: {
    args: ['id', 'id'],
    help: 'the first model’s accuracy minus the second’s, in points, "12.4 points"',
    text: ([a, b]) => (isFiniteNumber(a.accuracy) && isFiniteNumber(b.accuracy) ? `${(100 * (a.accuracy - b.accuracy)).toFixed(1)} points` : '—'),
  },
  std: {
    args: ['id', 'layer'],
    help: 'the std of that hidden layer’s outputs on the probe images, as last measured (before training: step 0)',
    text: ([m], layer) => known(m.std[layerOf(layer, m.std) - 1], formatNumber),
  },
  grad: {
    args: ['id', 'layer'],
    help: 'the gradient RMS of that weight matrix (`last`: the output layer’s), as last measured',
    text: ([m], layer) => known(m.grad[layerOf(layer, m.grad) - 1], formatNumber),
  },
  diverged: {
    args: ['id'],
    help: '"diverged at step 37: layer 2’s outputs …", or "did not diverge"',
    text: ([m]) => (m.divergence ? divergenceWords(m.divergence) : 'did not diverge'),
  },
  states: {
    args: ['id'],
    help: 'its named states as last measured, "no gradient reaches the weights of layers 1–3; every ReLU of layers 1–2 is dead", or "none"',
    text: ([m]) => m.states.map(stateWords).join('; ') || 'none',
  },
  label: { args: ['id'], help: 'its name, "All zeros"', text: ([m]) => m.label },
  best: { args: [], help: 'the name of the model with the highest validation accuracy', text: (_, __, all) => bestLabel(all) },
  steps: { args: [], help: 'the steps trained', text: (_, __, all) => String(all.steps) },
};

const PLACEHOLDER_RE = /\{([^{}]*)\}/g;

/**
 * What is wrong with `template`'s placeholders for a run of `inits` (in words; [] when none).
 * @param {string} template
 * @param {string[]} inits the run's initializer ids
 */
export function placeholderProblems(template, inits) {
  const problems = [];
  for (const [whole, inner] of template.matchAll(PLACEHOLDER_RE)) {
    const [name, ...args] = inner.trim().split(/\s+/);
    const spec = PLACEHOLDERS[name];
    if (!spec) {
      problems.push(`${whole} is not a placeholder (known: ${Object.keys(PLACEHOLDERS).join(', ')})`);
      continue;
    }
    if (args.length !== spec.args.length) {
      const wanted = spec.args.length ? `{${name} ${spec.args.join(' ')}}` : `{${name}}`;
      problems.push(`${whole} has ${args.length} argument${args.length === 1 ? '' : 's'}; write ${wanted}`);
      continue;
    }
    spec.args.forEach((kind, i) => {
      if (kind === 'id' && !inits.includes(args[i]))
        problems.push(`${whole}: ${args[i]} is not an initializer of the chapter's run (${inits.join(', ')})`);
      if (kind === 'layer' && !LAYER_RE.test(args[i])) problems.push(`${whole}: ${args[i]} is not a layer (1, 2, … or last)`);
    });
  }
  return problems;
}

/**
 * `template` with each placeholder replaced by its number from `measures` ("—" where the run
 * has none yet). The template has passed placeholderProblems.
 * @param {string} template
 * @param {Measures} measures
 */
export function fillTemplate(template, measures) {
  return template.replace(PLACEHOLDER_RE, (whole, inner) => {
    const [name, ...args] = inner.trim().split(/\s+/);
    const spec = PLACEHOLDERS[name];
    if (!spec) return whole;
    const models = spec.args.flatMap((kind, i) => (kind === 'id' ? [measures.models.get(args[i])] : []));
    if (models.some((m) => !m)) return '—';
    return spec.text(models, args[spec.args.indexOf('layer')], measures);
  });
}

/** The label of the most accurate model, or "—" before any accuracy. */
function bestLabel(/** @type {Measures} */ all) {
  let best = null;
  for (const m of all.models.values()) if (isFiniteNumber(m.accuracy) && (!best || m.accuracy > best.accuracy)) best = m;
  return best ? best.label : '—';
}

/**
 * The measures of the page's state: the results table's numbers, the divergence records and
 * the latest signal, per model id.
 * @param {import('./reducer.js').State} state
 * @returns {Measures}
 */
export function measuresOf(state) {
  const { run } = state;
  const rows = new Map((state.results?.rows ?? []).map((r) => [r.init, r]));
  const models = new Map(
    run.inits.map((id, m) => {
      const row = rows.get(id);
      const signal = state.signal?.models[m];
      return [
        id,
        {
          label: run.labels[m] ?? id,
          // A diverged model's numbers are NaN (or null in JSON): "diverged"; none yet: undefined.
          accuracy: row ? (row.val_accuracy ?? Number.NaN) : undefined,
          loss: row ? (row.mean_loss_last_100 ?? Number.NaN) : undefined,
          firstLoss: row ? (row.mean_loss_first_100 ?? Number.NaN) : undefined,
          divergence: state.divergence[m] ?? null,
          std: signal?.act_std ?? [],
          grad: signal?.grad_rms ?? [],
          states: signal?.states ?? [],
        },
      ];
    }),
  );
  return { steps: run.step, models };
}
