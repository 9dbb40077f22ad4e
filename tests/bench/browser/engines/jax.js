// jax-js (npm @jax-js/jax), the way its MNIST demo trains this MLP, with the whole step —
// batch gather, forward, backward, Adam — under one `jit` (one compiled program per step).
// Every array argument is owned by the call it is passed to (`.ref` keeps one).
import { defaultDevice, init, jit, nn, numpy as np, random, valueAndGrad } from '/vendor/jax/index.js';
import { ADAM, BATCH, CLASSES, DROPOUT, LAYERS, batchIndices } from './mlp.js';

/** Inverted dropout: keep each unit with probability 1 − DROPOUT, scaled up to match. */
const dropout = (h, key) => h.mul(random.bernoulli(key, 1 - DROPOUT, h.shape).astype(np.float32)).mul(1 / (1 - DROPOUT));

/** The sum of the models' mean cross-entropies; `params` is flat: [w1, b1, w2, b2, w3, b3] per model. */
function totalLoss(params, x, y, key) {
  const models = params.length / 6;
  const keys = random.split(key, 2 * models);
  const onehot = nn.oneHot(y, CLASSES);
  let total = null;
  for (let m = 0; m < models; m++) {
    const [w1, b1, w2, b2, w3, b3] = params.slice(6 * m, 6 * m + 6);
    const h1 = dropout(nn.relu(np.dot(x.ref, w1).add(b1)), keys.ref.slice(2 * m));
    const h2 = dropout(nn.relu(np.dot(h1, w2).add(b2)), keys.ref.slice(2 * m + 1));
    const loss = nn.logSoftmax(np.dot(h2, w3).add(b3)).mul(onehot.ref).sum().mul(-1 / BATCH);
    total = total === null ? loss : total.add(loss);
  }
  [x, keys, onehot].forEach((a) => a.dispose());
  return total;
}

/** One training step: params, Adam's moments m and v (flat lists), the data, this batch's
 * indices and dropout key, and Adam's bias corrections 1/(1 − β^t). */
const trainStep = jit((params, m, v, xs, ys, idx, key, c1, c2) => {
  const x = xs.slice(idx.ref);
  const y = ys.slice(idx);
  const [loss, grads] = valueAndGrad(totalLoss)(params.map((p) => p.ref), x, y, key);
  const next = grads.map((g, i) => {
    const mi = m[i].mul(ADAM.beta1).add(g.ref.mul(1 - ADAM.beta1));
    const vi = v[i].mul(ADAM.beta2).add(np.square(g).mul(1 - ADAM.beta2));
    const step = mi.ref.mul(c1.ref).div(np.sqrt(vi.ref.mul(c2.ref)).add(ADAM.eps)).mul(ADAM.lr);
    return [params[i].sub(step), mi, vi];
  });
  [c1, c2].forEach((a) => a.dispose());
  return [next.map((n) => n[0]), next.map((n) => n[1]), next.map((n) => n[2]), loss];
});

export async function open({ backend, models, data }) {
  const available = await init(backend);
  if (!available.includes(backend)) throw new Error(`jax-js has no ${backend} device here`);
  defaultDevice(backend); // every array below, and the keys, live there
  const xs = np.array(data.x).reshape([data.count, LAYERS[0]]);
  const ys = np.array(data.y, { dtype: np.int32 });
  let params = [];
  const keys = random.split(random.key(0), 6 * models);
  for (let m = 0; m < models; m++) {
    LAYERS.slice(1).forEach((out, i) => {
      const bound = 1 / Math.sqrt(LAYERS[i]);
      const at = 6 * m + 2 * i;
      params.push(random.uniform(keys.ref.slice(at), [LAYERS[i], out], { minval: -bound, maxval: bound }));
      params.push(random.uniform(keys.ref.slice(at + 1), [out], { minval: -bound, maxval: bound }));
    });
  }
  keys.dispose();
  let m = params.map((p) => np.zeros(p.shape));
  let v = params.map((p) => np.zeros(p.shape));
  let [step, lastLoss] = [0, null];
  const one = () => {
    step++;
    const idx = np.array(batchIndices(data.count, step - 1), { dtype: np.int32 });
    const scalar = (value) => np.array(new Float32Array([value]), { shape: [] });
    const c1 = scalar(1 / (1 - ADAM.beta1 ** step));
    const c2 = scalar(1 / (1 - ADAM.beta2 ** step));
    let loss;
    [params, m, v, loss] = trainStep(params, m, v, xs.ref, ys.ref, idx, random.key(step), c1, c2);
    lastLoss?.dispose();
    lastLoss = loss;
  };
  return {
    label: `jax-js, ${backend}`,
    // Reading the last loss back waits for every dispatched step.
    train: async (steps) => {
      for (let i = 0; i < steps; i++) one();
      await lastLoss.ref.data();
    },
    loss: async () => (await lastLoss.ref.data())[0] / models,
  };
}
