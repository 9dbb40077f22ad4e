// The lab's own engine (dist/pkg), through its benchmark entry `BenchRun` (src/web_bench.rs):
// the trainer the page uses, on the wasm CPU backend or on WebGPU, with N models side by side.
import { BenchRun } from '/dist/pkg/weight_init_lab.js';

export async function open({ backend, models, data }) {
  const choice = { wasm: 'cpu', webgpu: 'gpu' }[backend];
  if (!choice) throw new Error(`no backend ${backend}`);
  const run = await BenchRun.open(choice, data.files.images, data.files.labels, models);
  return {
    label: run.backend(),
    // `run` resolves once the steps' metrics are read back: the work is done.
    train: async (steps) => {
      const ran = await run.run(steps);
      if (ran !== steps) throw new Error(`only ${ran} of ${steps} steps ran (the epoch ended)`);
    },
    loss: async () => run.loss(),
  };
}
