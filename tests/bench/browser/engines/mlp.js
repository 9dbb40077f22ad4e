// What every peer trains, as the lesson defines it (and the lab's engine trains): the MLP
// 784 → 256 → 128 → 10 with ReLU and dropout 0.2 after each hidden layer, softmax
// cross-entropy, Adam (lr 0.001, β1 0.9, β2 0.999, ε 1e-8), batches of 100; weights and
// biases uniform in ±1/√fan-in (PyTorch's nn.Linear default).
export const LAYERS = [784, 256, 128, 10];
export const CLASSES = 10;
export const DROPOUT = 0.2;
export const BATCH = 100;
export const ADAM = { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

/** The batch of step `step` (0-based): `BATCH` indices into `count` images, a seeded
 * shuffle taken in order and reshuffled alike every pass, the same for every engine. */
export function batchIndices(count, step) {
  const perPass = Math.floor(count / BATCH);
  const order = shuffled(count);
  const at = (step % perPass) * BATCH;
  return Int32Array.from(order.subarray(at, at + BATCH));
}

const orders = new Map();
/** 0..count-1 in a fixed pseudo-random order (Fisher–Yates with xorshift32, seed 1). */
function shuffled(count) {
  if (!orders.has(count)) {
    const order = Int32Array.from({ length: count }, (_, i) => i);
    let s = 1;
    for (let i = count - 1; i > 0; i--) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      const j = (s >>> 0) % (i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    orders.set(count, order);
  }
  return orders.get(count);
}
