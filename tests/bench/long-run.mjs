// A long run's memory, for the record (a benchmark that prints numbers; it asserts nothing):
// all 13 initializers at batch size 1 for many epochs in headless Chromium, the page's JS
// heap and the renderer process's resident memory (the page and its worker) sampled every
// 30 s. Usage: node tests/bench/long-run.mjs [minutes=10]   (needs dist/, see `cargo xtask dist`)
import { execFileSync } from 'node:child_process';
import { launch, serveDist } from '../e2e/helpers.mjs';

const minutes = Number(process.argv[2] ?? 10);
const INITS = [
  'zeros',
  'ones',
  'uniform',
  'centered',
  'general-rule',
  'normal',
  'pytorch-default',
  'xavier-uniform',
  'xavier-normal',
  'he-uniform',
  'he-normal',
  'lecun-normal',
  'orthogonal',
];

/** Resident memory (MB) of Chromium's renderer processes, which host the page and its worker. */
function rendererMb() {
  const ps = execFileSync('ps', ['-eo', 'rss=,args='], { encoding: 'utf8' });
  const kb = ps
    .split('\n')
    .filter((line) => line.includes('--type=renderer'))
    .reduce((sum, line) => sum + Number(line.trim().split(/\s+/)[0]), 0);
  return kb / 1024;
}

const server = await serveDist();
const browser = await launch({ webgpu: false, args: ['--enable-precise-memory-info'] });
const { page } = browser;
await page.goto(`${server.url}#inits=${INITS.join(',')}&batch=1&epochs=100&evalEvery=0&backend=cpu&autorun=1`);
console.log('minute  step      page heap MB  renderer RSS MB  chart points');
const started = Date.now();
for (let sample = 0; sample <= minutes * 2; sample++) {
  const at = started + sample * 30_000;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
  const s = await page.evaluate(() => ({
    heap: performance.memory?.usedJSHeapSize ?? NaN,
    run: window.weightInitLab.snapshot().run,
    points: window.weightInitLab.snapshot().loss[0]?.values.length ?? 0,
  }));
  console.log(
    `${(sample / 2).toFixed(1).padStart(6)}  ${String(s.run.step).padEnd(8)}  ${(s.heap / 2 ** 20).toFixed(1).padStart(12)}` +
      `  ${rendererMb().toFixed(0).padStart(15)}  ${String(s.points).padStart(12)}`,
  );
}
if (browser.problems.length) console.log(`problems: ${browser.problems.join('; ')}`);
await browser.close();
server.close();
