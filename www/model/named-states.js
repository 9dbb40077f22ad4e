// @ts-check
// A model's named states (the engine's, in each `signal`: weights no gradient reaches, layers
// of dead ReLUs) in words: the same words as the CLI's table (src/train/named_states.rs), both
// tested against tests/unit/named-state-words.json. Pure, no DOM.

/** @typedef {import('../engine/wire').NamedState} NamedState */

/** @param {NamedState} state */
export function stateWords(state) {
  switch (state.kind) {
    case 'no_gradient':
      return `no gradient reaches the weights of ${layerList(Array.from({ length: state.up_to }, (_, i) => i + 1))}`;
    case 'dead_relus':
      return `every ReLU of ${layerList(state.layers)} is dead`;
  }
}

/** "layer 3", "layers 1–4", "layers 1–2 and 5", "layers 1, 3 and 5": ascending layers with
 * each run of consecutive ones as a range. */
function layerList(/** @type {number[]} */ layers) {
  /** @type {[number, number][]} */
  const runs = [];
  for (const l of layers) {
    const last = runs.at(-1);
    if (last && last[1] + 1 === l) last[1] = l;
    else runs.push([l, l]);
  }
  const items = runs.map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`));
  const noun = layers.length === 1 ? 'layer' : 'layers';
  const last = items.pop();
  return items.length ? `${noun} ${items.join(', ')} and ${last}` : `${noun} ${last}`;
}
