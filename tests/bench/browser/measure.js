// One measurement in this page: an engine trains the lesson's MLP on one backend, N models on
// the same batches; untimed warm-up steps (compiling kernels, tracing), then timed chunks of
// steps, each ending when its work is done (a readback), until `maxSteps` steps or `budgetMs`
// have passed. The driver (tests/bench/speed.mjs) loads a fresh page for each measurement.
import { loadTraining } from './data.js';
import { BATCH } from './engines/mlp.js';

const ENGINES = {
  ours: () => import('./engines/ours.js'),
  tfjs: () => import('./engines/tfjs.js'),
  jax: () => import('./engines/jax.js'),
};
const PEER_IMAGES = 20_000; // 63 MB of floats: under WebGPU's default 128 MiB binding limit

/**
 * Measures `engine` ('ours' | 'tfjs' | 'jax') on `backend` ('wasm' | 'webgpu') with `models`
 * models. Resolves to {label, adapter, isolated, steps, seconds, samplesPerS, loss}: label names
 * the backend the engine actually runs on (no silent fallback goes unseen);
 * samples/s counts each image once however many models train on it; loss is the mean over
 * the models of the last batch's.
 */
export async function measure({ engine, backend, models, warmup, maxSteps, budgetMs, chunk }) {
  const data = await loadTraining(PEER_IMAGES);
  const adapter = backend === 'webgpu' ? await adapterInfo() : null;
  const run = await (await ENGINES[engine]()).open({ backend, models, data });
  await run.train(warmup);
  let [steps, ms] = [0, 0];
  while (steps < maxSteps && ms < budgetMs) {
    const n = Math.min(chunk, maxSteps - steps);
    const started = performance.now();
    await run.train(n);
    ms += performance.now() - started;
    steps += n;
  }
  const seconds = ms / 1000;
  return {
    label: run.label,
    adapter,
    isolated: globalThis.crossOriginIsolated === true,
    steps,
    seconds,
    samplesPerS: (steps * BATCH) / seconds,
    loss: await run.loss(),
  };
}

/** The WebGPU adapter, as the page sees it: a software one (SwiftShader) says so. */
async function adapterInfo() {
  const adapter = await navigator.gpu?.requestAdapter();
  if (!adapter) throw new Error('this browser has no WebGPU adapter');
  const info = adapter.info ?? {};
  const name = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unnamed adapter';
  return { name, software: info.isFallbackAdapter === true || /swiftshader|llvmpipe|lavapipe/i.test(name) };
}
