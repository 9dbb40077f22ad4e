// What the page's unit tests feed the store: a small catalog of the engine's shape, with the
// lesson's TrainConfig, and a run of given initializers.
import { Event } from '../../www/engine/protocol.js';

const lessonConfig = {
  epochs: 2,
  batch_size: 100,
  lr: 0.001,
  optimizer: 'adam',
  dropout: 0.2,
  hidden: [256, 128],
  seed: 0,
  eval_every: 0,
  live_validation: 2000,
};

/** The `catalog` event: initializers `ids`, the lesson's two of them, the sweep's three gains. */
export const catalog = {
  type: Event.catalog,
  catalog: {
    initializers: ['zeros', 'ones', 'general-rule'].map((id) => ({ id, label: id })),
    lesson_inits: ['zeros', 'ones'],
    lesson_config: lessonConfig,
    sweep_gains: [0.1, 1, 10],
  },
};

/** A `run` event of 10 steps, 5 an epoch, for initializers `inits`. */
export const runOf = (inits) => ({ type: Event.run, inits, labels: inits, total_steps: 10, steps_per_epoch: 5, batch_size: 100 });
