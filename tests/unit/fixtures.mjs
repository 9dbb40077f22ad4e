// What the page's unit tests feed the store: a small catalog of the engine's shape, with the
// lesson's TrainConfig, and a run of given initializers.
import { Event } from '../../www/engine/protocol.js';

const lessonConfig = {
  epochs: 2,
  batch_size: 100,
  lr: 0.001,
  optimizer: 'adam',
  momentum: 0,
  dropout: 0.2,
  hidden: [256, 128],
  activation: 'relu',
  seed: 0,
  eval_every: 0,
  live_validation: 2000,
};

/** Two presets of the catalog's shape: a deep SGD run, and per-model activations with the
 * lesson's settings otherwise. */
export const presets = [
  {
    id: 'deep',
    title: 'Thirty ReLU layers',
    inits: ['zeros', 'general-rule'],
    config: { ...lessonConfig, hidden: Array(30).fill(256), optimizer: 'sgd', lr: 0.01, dropout: 0, epochs: 1 },
    summary: 'Look at the last layer.',
  },
  {
    id: 'grid',
    title: 'tanh against ReLU',
    inits: ['general-rule@tanh', 'general-rule'],
    config: lessonConfig,
    summary: 'Compare the two.',
  },
];

/** The `catalog` event: initializers `ids`, the lesson's two of them, the sweep's three gains,
 * the activations and two presets. */
export const catalog = {
  type: Event.catalog,
  catalog: {
    initializers: ['zeros', 'ones', 'general-rule'].map((id) => ({ id, label: id })),
    lesson_inits: ['zeros', 'ones'],
    lesson_config: lessonConfig,
    sweep_gains: [0.1, 1, 10],
    activations: [
      { id: 'relu', label: 'ReLU' },
      { id: 'tanh', label: 'tanh' },
    ],
    presets,
  },
};

/** A `run` event of 10 steps, 5 an epoch, for initializers `inits`. */
export const runOf = (inits) => ({ type: Event.run, inits, labels: inits, total_steps: 10, steps_per_epoch: 5, batch_size: 100 });
