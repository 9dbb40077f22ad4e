// @ts-check
// A network's depth for people: which layer is which in a run whose models differ in depth
// (the layer pickers), and a model's shape and recipe in a few words (the header, the signal
// view's key). No DOM: unit-tested under Node (tests/unit/depth.test.mjs).
import { f32Text } from './custom-ids.js';
import { formatWidths } from './settings.js';

/**
 * The layer picker's choices for models with `counts` weight matrices each (hidden layers + the
 * output layer): 1 … the most, each named as what it is in every model that has it.
 * @param {number[]} counts
 * @returns {{value: number, text: string}[]}
 */
export function layerChoices(counts) {
  const most = Math.max(0, ...counts);
  const ragged = counts.some((c) => c !== most);
  return Array.from({ length: most }, (_, i) => {
    const layer = i + 1;
    const having = counts.filter((c) => c >= layer);
    const outputs = having.filter((c) => c === layer).length;
    const what =
      outputs === 0
        ? `hidden layer ${layer}`
        : outputs === having.length
          ? ragged
            ? `output layer (layer ${layer})`
            : 'output layer'
          : `layer ${layer}: hidden, or the output`;
    return { value: layer, text: having.length < counts.length ? `${what} (not in every network)` : what };
  });
}

/** Hidden widths as a person reads them: `256 → 128`, `256 ×30`, `512 → 256 ×3`. */
export const widthsText = (/** @type {number[]} */ hidden) => formatWidths(hidden).replaceAll(',', ' → ').replaceAll('x', ' ×');

/**
 * A model's recipe in a few words: `256 ×30 · ReLU · SGD lr 0.01, momentum 0.9`.
 * @param {import('../engine/wire').ModelArch} arch
 * @param {string} activation the activation's name for people
 */
export function archText(arch, activation) {
  // The engine's f32s as their shortest spelling: 0.01, not 0.009999999776482582.
  const momentum = arch.optimizer === 'sgd' && arch.momentum > 0 ? `, momentum ${f32Text(arch.momentum)}` : '';
  return `${widthsText(arch.hidden)} · ${activation} · ${arch.optimizer === 'sgd' ? 'SGD' : 'Adam'} lr ${f32Text(arch.lr)}${momentum}`;
}

/**
 * The run's network in a line: `784 → 256 → 128 → 10 · ReLU · dropout`.
 * @param {{hidden: number[], dropout: number}} config the run's TrainConfig
 * @param {string} activation the activation's name for people
 */
export const networkText = (config, activation) =>
  `784 → ${widthsText(config.hidden)} → 10 · ${activation} · ${config.dropout > 0 ? 'dropout' : 'no dropout'}`;

/**
 * An activation's name for people, as the catalog gives it (the lesson's ReLU before it has).
 * @param {import('../engine/wire').Catalog | null} catalog
 * @param {string | undefined} id
 */
export const activationName = (catalog, id) => catalog?.activations?.find((a) => a.id === id)?.label ?? id ?? 'ReLU';
