// @ts-check
// The layer picker of the "Why?" panel and of layer health: a <select> of the run's weight
// matrices (up to 33: 32 hidden layers and the output layer), each named as what it is in the
// networks that have it (model/depth.js layerChoices), so that a deep run's layers stay one
// compact, keyboard-usable control. The choice is the `layer` setting, shared by both views.
import { layerChoices } from '../model/depth.js';

// Before a run is built: the lesson's two hidden layers and its output layer.
const LESSON_COUNTS = [3];

export class LayerPicker {
  /**
   * @param {HTMLSelectElement} select
   * @param {(layer: number) => void} onLayer gets the layer (1-based) a person picks
   */
  constructor(select, onLayer) {
    this.select = select;
    this.key = '';
    select.addEventListener('change', () => onLayer(Number(select.value)));
  }

  /**
   * Offers the layers of models with `counts` weight matrices each and shows `layer`, within
   * them; returns the layer shown.
   * @param {number[]} counts
   * @param {number} layer
   */
  show(counts, layer) {
    const choices = layerChoices(counts.length && Math.max(...counts) > 0 ? counts : LESSON_COUNTS);
    const key = choices.map((c) => c.text).join('\n');
    if (key !== this.key) {
      this.key = key;
      this.select.replaceChildren(...choices.map((c) => new Option(c.text, String(c.value))));
    }
    const shown = Math.max(1, Math.min(layer, choices.length));
    this.select.value = String(shown);
    return shown;
  }
}
