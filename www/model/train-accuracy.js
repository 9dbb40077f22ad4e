// @ts-check
// The running training accuracy of each model: the mean of its last WINDOW batch accuracies
// (the `progress` event's `batch_accuracy`), a trivial mean of what the session sent. One
// batch of 100 images is too noisy to read; 50 of them (5,000 images) make a curve that sits
// just above the validation points while a model learns. Pure, no DOM.

export const WINDOW = 50;

/** No batches yet: the window of each of `models` models is empty, at step 0. */
export function emptyWindow(models) {
  return { step: 0, values: Array.from({ length: models }, () => []) };
}

/**
 * The window after the batches `from + 1 …` whose accuracies are `batchAccuracy[model][i]`
 * (0–1), and `means[model][i]`, the running mean after each of them. A window that does not
 * end at `from` (a replay after a recovery, a reset) starts again: the means of a replayed
 * stretch then cover fewer batches, never batches of another timeline.
 */
export function runningAccuracy(window, from, batchAccuracy, size = WINDOW) {
  const models = batchAccuracy.length;
  const fresh = window.step !== from || window.values.length !== models;
  const values = fresh ? Array.from({ length: models }, () => []) : window.values.map((v) => [...v]);
  const means = batchAccuracy.map((batches, m) =>
    batches.map((a) => {
      values[m].push(a);
      if (values[m].length > size) values[m].shift();
      return values[m].reduce((sum, v) => sum + v, 0) / values[m].length;
    }),
  );
  return { window: { step: from + (batchAccuracy[0]?.length ?? 0), values }, means };
}
