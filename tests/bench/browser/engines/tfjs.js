// TensorFlow.js (npm @tensorflow/tfjs with its wasm and webgpu backends), written as its
// guide writes a custom training loop: variables, `tf.train.adam`, one `minimize` per step
// over the sum of the models' losses (each model's gradient is its own loss's).
import { ADAM, BATCH, CLASSES, DROPOUT, LAYERS, batchIndices } from './mlp.js';

const SCRIPTS = {
  wasm: ['/vendor/tfjs/tf.min.js', '/vendor/tfjs-backend-wasm/tf-backend-wasm.min.js'],
  webgpu: ['/vendor/tfjs/tf.min.js', '/vendor/tfjs-backend-webgpu/tf-backend-webgpu.min.js'],
};

/** Loads a classic (UMD) script: the backends' bundles attach themselves to the global `tf`. */
function script(src) {
  return new Promise((resolve, reject) => {
    const el = Object.assign(document.createElement('script'), { src, onload: resolve });
    el.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(el);
  });
}

export async function open({ backend, models, data }) {
  if (!SCRIPTS[backend]) throw new Error(`no backend ${backend}`);
  for (const src of SCRIPTS[backend]) await script(src);
  const tf = globalThis.tf;
  if (backend === 'wasm') tf.wasm.setWasmPaths('/vendor/tfjs-backend-wasm/');
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js could not start its ${backend} backend`);
  await tf.ready();

  const x = tf.tensor2d(data.x, [data.count, LAYERS[0]]);
  const y = tf.tensor1d(data.y, 'int32');
  const layer = (fanIn, fanOut) => {
    const bound = 1 / Math.sqrt(fanIn);
    return [tf.variable(tf.randomUniform([fanIn, fanOut], -bound, bound)), tf.variable(tf.randomUniform([fanOut], -bound, bound))];
  };
  const nets = Array.from({ length: models }, () => LAYERS.slice(1).map((out, i) => layer(LAYERS[i], out)));
  const optimizer = tf.train.adam(ADAM.lr, ADAM.beta1, ADAM.beta2, ADAM.eps);
  const logits = (net, batch) =>
    net.reduce((h, [w, b], i) => {
      const z = tf.add(tf.matMul(h, w), b);
      return i === net.length - 1 ? z : tf.dropout(tf.relu(z), DROPOUT);
    }, batch);

  let [step, lastLoss] = [0, null];
  const trainStep = () => {
    const cost = tf.tidy(() => {
      const idx = tf.tensor1d(batchIndices(data.count, step), 'int32');
      const batch = tf.gather(x, idx);
      const labels = tf.oneHot(tf.gather(y, idx), CLASSES);
      return optimizer.minimize(() => tf.addN(nets.map((net) => tf.losses.softmaxCrossEntropy(labels, logits(net, batch)))), true);
    });
    lastLoss?.dispose();
    lastLoss = cost;
    step++;
  };
  return {
    label: `TF.js ${tf.version.tfjs}, ${tf.getBackend()}`,
    // Reading the last loss back waits for every queued step.
    train: async (steps) => {
      for (let i = 0; i < steps; i++) trainStep();
      await lastLoss.data();
    },
    loss: async () => (await lastLoss.data())[0] / models,
  };
}
