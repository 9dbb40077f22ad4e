// @ts-check
// A deep run's overview in the layer health section: for the network chosen, every layer
// (y: layer 1 at the top, the output layer at the bottom) over the run's health samples (x),
// coloured by the layer's activation std on a log scale centred on 1 — blue where the signal
// has shrunk (10⁻⁴ and less the darkest), white near 1, red where it has grown (10⁴ and more),
// grey where it diverged. Shown only for runs deeper than DEEP weight matrices, where one
// layer at a time hides where the signal dies. Draws only; the samples are the state's.
import { formatNumber, isFiniteNumber } from '../model/format.js';
import { keepSharp } from './canvas.js';
import { diverging, lookupTable } from './colormap.js';
import { drawGrid } from './heatmap.js';

/** Weight matrices (hidden layers and the output layer) beyond which the overview shows. */
export const DEEP = 6;
// The colour scale's reach each side of 1, in powers of ten.
const DECADES = 4;
const SHADES = lookupTable((t) => diverging(2 * t - 1), 257);
const [GREY] = lookupTable(() => diverging(Number.NaN), 1);

/** A std's packed colour: log10 of it over DECADES, blue below 1, red above, grey if not finite. */
function shade(std) {
  if (!isFiniteNumber(std)) return GREY;
  const t = std > 0 ? Math.max(-1, Math.min(1, Math.log10(std) / DECADES)) : -1;
  return SHADES[Math.round(((t + 1) / 2) * 256)];
}

export class DepthMap {
  /** `figure` holds `select` (the network shown), `canvas`, `.depth-scale` and `.depth-note`. */
  constructor(/** @type {HTMLElement} */ figure) {
    this.figure = figure;
    this.select = figure.querySelector('select');
    this.canvas = figure.querySelector('canvas');
    this.models = [];
    this.health = null;
    this.big = false;
    this.chosen = null; // the id of the network shown, once a person picks one
    this.select.addEventListener('change', () => {
      this.chosen = this.select.value;
      this.paint();
    });
    const rgb = (v) => `rgb(${diverging(v).join(' ')})`;
    /** @type {HTMLElement} */ (figure.querySelector('.depth-scale')).style.background =
      `linear-gradient(to right, ${rgb(-1)}, ${rgb(0)}, ${rgb(1)})`;
    keepSharp(this.canvas, () => this.paint());
  }

  /** Shows `health` (the state's samples) of `models` ([{id, label, layers}]) when the run is deep. */
  show(models, health, big = false) {
    if (models === this.models && health === this.health && big === this.big) return;
    if (models !== this.models) {
      this.select.replaceChildren(...models.map((m) => new Option(m.label, m.id)));
    }
    Object.assign(this, { models, health, big });
    this.paint();
  }

  paint() {
    const { models, health } = this;
    const counts = models.map((m, i) => m.layers ?? health?.samples[0]?.layers[i]?.length ?? 0);
    this.figure.hidden = !(Math.max(0, ...counts) > DEEP);
    if (this.figure.hidden) return;
    // The network a person chose, else the deepest.
    let m = models.findIndex((model) => model.id === this.chosen);
    if (m < 0) m = counts.indexOf(Math.max(...counts));
    this.select.value = models[m].id;
    const rows = counts[m];
    const samples = health?.samples ?? [];
    const std = (x, layer) => samples[x].layers[m]?.[layer]?.act_std;
    const every = (plotHeight) => Math.max(1, Math.ceil(rows / Math.max(2, Math.floor(plotHeight / (this.big ? 22 : 16)))));
    const drawn = drawGrid(this.canvas, {
      columns: samples.length,
      rows,
      colourAt: (x, y) => shade(std(x, rows - 1 - y)),
      yTicks: (plotHeight) =>
        Array.from({ length: rows }, (_, l) => l)
          .filter((l) => l === rows - 1 || l % every(plotHeight) === 0)
          .map((l) => ({ at: 1 - (l + 0.5) / rows, label: l === rows - 1 ? 'output' : `layer ${l + 1}` })),
      steps: samples.map((s) => s.step),
      big: this.big,
    });
    this.canvas.dataset.samples = String(drawn);
    this.canvas.dataset.model = models[m].id;
    const last = samples.at(-1);
    const picks = [...new Set([0, Math.floor((rows - 1) / 2), rows - 1])];
    const numbers = last ? picks.map((l) => `${l === rows - 1 ? 'output layer' : `layer ${l + 1}`} ${formatNumber(std(samples.length - 1, l))}`) : [];
    const text = last ? `At step ${last.step}, activation std: ${numbers.join(', ')}.` : 'The map fills in as the network trains.';
    this.canvas.setAttribute(
      'aria-label',
      `${models[m].label}: activation std of each of its ${rows} layers over ${samples.length} samples. ${text}`,
    );
    this.figure.querySelector('.depth-note').textContent = text;
  }
}
