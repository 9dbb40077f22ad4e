// The training-speed table of `cargo xtask bench` (a benchmark that prints numbers; it asserts
// nothing): the lab's engine natively (measured by `weight-init-lab bench --json`, passed in
// with --native), and in headless Chromium its wasm CPU fallback and its WebGPU path next to
// TF.js and jax-js training the same MLP on the same data (browser/), plus the lesson preset's
// time from Train to the table in the page. Medians of the repeats; measurements of one
// repeat are interleaved so that a noisy machine slows all alike.
// Usage: node tests/bench/speed.mjs [--native FILE] [--repeats 3] [--quick] [--only wasm,webgpu,lesson,depth]
//        (needs dist/, see `cargo xtask dist`; `cargo xtask bench` does all of it)
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DIST, launch, longTasksBetween, recordLongTasks, serveDist } from '../e2e/helpers.mjs';
import { freshLoad, timeToTable } from './lesson-time.mjs';
import { cells, formatRatio, HEADER, layout, median, pairedRatio, summarize } from './table.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values: opts } = parseArgs({
  options: {
    native: { type: 'string' },
    repeats: { type: 'string', default: '3' },
    quick: { type: 'boolean', default: false },
    only: { type: 'string', default: 'wasm,webgpu,lesson' },
  },
});
const repeats = opts.quick ? 1 : Number(opts.repeats);
if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`--repeats must be a whole number from 1, not ${opts.repeats}`);
const started = Date.now();
/** A progress line on stderr, with the seconds since the start. */
const progress = (line) => console.error(`  ${String(Math.round((Date.now() - started) / 1000)).padStart(4)} s  ${line}`);
const parts = new Set(opts.only.split(','));

// Steps per measurement: WebGPU on a software adapter (SwiftShader) runs a few steps a second.
const PLANS = {
  wasm: { warmup: 5, maxSteps: 50, budgetMs: 8000, chunk: 10 },
  webgpu: { warmup: 2, maxSteps: 20, budgetMs: 8000, chunk: 5 },
};
const QUICK = { wasm: { warmup: 2, maxSteps: 10, budgetMs: 4000, chunk: 5 }, webgpu: { warmup: 1, maxSteps: 5, budgetMs: 4000, chunk: 5 } };
const MODELS = [1, 6];
const ENGINES = ['ours', 'tfjs', 'jax'];
const MEASURE_TIMEOUT_MS = 180_000;
// The lesson's PyTorch reference run (same MLP, data and recipe; CPU, 2 threads, on a 2-core
// machine), printed for comparison: this benchmark does not run PyTorch.
const PYTORCH = { samplesPerS: 32_000, what: 'PyTorch 2.15 CPU, 2 threads (the lesson’s reference run)' };

const version = async (pkg) => JSON.parse(await readFile(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
const NAMES = {
  ours: () => 'ours',
  tfjs: async () => `TF.js ${await version('@tensorflow/tfjs')}`,
  jax: async () => `jax-js ${await version('@jax-js/jax')}`,
};

/** A folder to serve: dist/ and the peers' packages, linked (not copied) under one root. */
async function site() {
  const dir = await mkdtemp(path.join(tmpdir(), 'wil-bench-'));
  const links = {
    dist: DIST,
    bench: path.join(root, 'tests/bench/browser'),
    'vendor/tfjs': 'node_modules/@tensorflow/tfjs/dist',
    'vendor/tfjs-backend-wasm': 'node_modules/@tensorflow/tfjs-backend-wasm/dist',
    'vendor/tfjs-backend-webgpu': 'node_modules/@tensorflow/tfjs-backend-webgpu/dist',
    'vendor/jax': 'node_modules/@jax-js/jax/dist',
  };
  await mkdir(path.join(dir, 'vendor'));
  for (const [at, target] of Object.entries(links)) await symlink(path.resolve(root, target), path.join(dir, at));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** One measurement in a fresh page; a failure becomes `{error}` instead of ending the run. */
async function measureInPage(context, url, options) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(err.message));
  let timer;
  try {
    await page.goto(`${url}bench/index.html`);
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no result after ${MEASURE_TIMEOUT_MS / 1000} s`)), MEASURE_TIMEOUT_MS);
    });
    const measured = page.evaluate(async (o) => (await import('/bench/measure.js')).measure(o), options);
    return await Promise.race([measured, timeout]);
  } catch (err) {
    const why = err.message.replace(/^page\.evaluate: (Error: )?/, '');
    return { error: problems.length ? `${why} (${problems[0]})` : why };
  } finally {
    clearTimeout(timer);
    await page.close().catch(() => {});
  }
}

async function browserRows() {
  const kinds = ['wasm', 'webgpu'].filter((k) => parts.has(k));
  if (kinds.length === 0) return [];
  const { dir, remove } = await site();
  const server = await serveDist({ root: dir });
  const browser = await launch({ webgpu: true });
  const context = browser.page.context();
  const results = [];
  try {
    for (let r = 0; r < repeats; r++) {
      for (const backend of kinds) {
        for (const models of MODELS) {
          for (const engine of ENGINES) {
            const plan = (opts.quick ? QUICK : PLANS)[backend];
            const m = await measureInPage(context, server.url, { engine, backend, models, ...plan });
            const shown = m.error
              ? `failed: ${m.error}`
              : `${m.label}: ${Math.round(m.samplesPerS)} samples/s, ${m.steps} steps, loss ${m.loss.toFixed(3)}`;
            progress(`[${r + 1}/${repeats}] ${backend} ${engine} ×${models}: ${shown}`);
            results.push({ repeat: r, backend, engine, models, ...m });
          }
        }
      }
    }
  } finally {
    await browser.close();
    server.close();
    await remove();
  }
  const rows = summarize(results, (m) => `${m.backend} ${m.models} ${m.engine}`);
  for (const row of rows) {
    row.engine = await NAMES[row.engine]();
    const adapter = results.find((m) => m.backend === row.backend && m.adapter)?.adapter;
    // Without cross-origin isolation no page can share memory between threads: one thread each.
    const isolated = results.some((m) => m.backend === row.backend && m.isolated);
    row.where =
      row.backend === 'wasm'
        ? `Chromium, wasm CPU, ${isolated ? 'cross-origin isolated' : '1 thread'}`
        : `Chromium, WebGPU: ${adapter ? `${adapter.name}${adapter.software ? ' (software)' : ''}` : 'no adapter'}`;
    const ours = rows.find((o) => o.backend === row.backend && o.models === row.models && o.engine === 'ours');
    if (ours && row !== ours) row.ratio = formatRatio(pairedRatio(ours.runs, row.runs));
  }
  return rows;
}

/** The native rows, from `weight-init-lab bench --json` lines of every repeat. */
async function nativeRows(file) {
  const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim().startsWith('{'));
  const runs = lines.map((l) => JSON.parse(l)).map((m) => (m.skipped ? { ...m, models: 1, error: `no adapter (${m.skipped})` } : m));
  return summarize(
    runs.map((m) => ({ ...m, samplesPerS: m.samples_per_s })),
    (m) => `${m.backend} ${m.models}`,
  ).map((row) => {
    const gpu = row.threads === 0;
    const software = /llvmpipe|lavapipe|swiftshader/i.test(row.backend);
    return { ...row, where: gpu ? `native, GPU${software ? ' (software)' : ''}` : 'native, CPU', engine: `ours, ${row.backend}` };
  });
}

// The page as a student opens it (the build it picks: threads where cross-origin isolated)
// and with one thread, as in another site's iframe, which cannot be isolated; alternated. With
// `depth`, also the He et al. 2015 preset (2 models × 30 ReLU layers of 256 × 480 SGD steps) at
// top level: the deep run a class opens.
const HE_2015 = 'inits=xavier-normal,he-normal&hidden=256x30&activation=relu&optimizer=sgd&lr=0.01&dropout=0&epochs=1';
const LESSON_MODES = {
  'lesson preset, top level': 'backend=cpu',
  'lesson preset, one thread, as embedded': 'backend=cpu&threads=1',
  ...(parts.has('depth') ? { 'He 2015 preset, top level': `backend=cpu&${HE_2015}` } : {}),
};

/**
 * The lesson preset's time to its table in each mode, and how smooth the main thread stayed
 * meanwhile, every view on: the longest main-thread task and the total blocking time (each long
 * task's time past 50 ms) as a share of the training time; medians of the repeats.
 */
async function lessonTime() {
  const server = await serveDist();
  const browser = await launch({ webgpu: false });
  await recordLongTasks(browser.page);
  const times = Object.fromEntries(Object.keys(LESSON_MODES).map((m) => [m, { seconds: [], longest: [], share: [], count: [], backend: '' }]));
  try {
    for (let r = 0; r < repeats; r++) {
      for (const [mode, hash] of Object.entries(LESSON_MODES)) {
        await freshLoad(browser.page, `${server.url}#${hash}`);
        const { seconds, backend, started, ended } = await timeToTable(browser.page);
        const tasks = await longTasksBetween(browser.page, started, ended);
        progress(
          `[${r + 1}/${repeats}] ${mode} (${backend}): ${seconds.toFixed(2)} s; main thread: ${tasks.count} long tasks, ` +
            `longest ${tasks.longest.toFixed(0)} ms, blocking ${tasks.blocking.toFixed(0)} ms (${(100 * tasks.blockingShare).toFixed(2)} %) ` +
            JSON.stringify(tasks.durations),
        );
        const t = times[mode];
        t.seconds.push(seconds);
        t.longest.push(tasks.longest);
        t.share.push(tasks.blockingShare);
        t.count.push(tasks.count);
        t.backend = backend;
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  return Object.entries(times).map(
    ([mode, t]) =>
      `${mode} (${t.backend}): ${median(t.seconds).toFixed(1)} s to the table; main thread ${median(t.count)} long tasks, ` +
      `longest ${median(t.longest).toFixed(0)} ms, blocking ${(100 * median(t.share)).toFixed(2)} % of the training time`,
  );
}

const rows = [];
if (opts.native) rows.push(...(await nativeRows(opts.native)));
rows.push(...(await browserRows()));
const lesson = parts.has('lesson') ? await lessonTime().catch((err) => [`failed: ${err.message.split('\n')[0]}`]) : null;

console.log(`\nTraining speed: the lesson's MLP (784-256-128-10, ReLU, dropout 0.2, Adam), batch 100; in the browser on real Fashion-MNIST`);
console.log(`(${repeats === 1 ? 'one run' : `medians of ${repeats} runs`}; samples/s counts each image once, model-samples/s once per model;`);
console.log(` "ours ÷ it": our speed over that row's, same backend kind and model count, the median of each run's pair;
 peers in the browser run on one thread)\n`);
console.log(layout(HEADER, rows.map(cells)));
if (rows.some((r) => r.where.startsWith('native'))) {
  console.log('native rows: `weight-init-lab bench`, on random images (speed does not depend on the pixels), so their loss stays near ln 10');
}
const ours2 = rows.find((r) => r.threads === 2 && r.models === 1 && r.error === undefined);
console.log(
  `reference, not this run: ${PYTORCH.what}, 1 model: ~${PYTORCH.samplesPerS.toLocaleString('en-US')} samples/s` +
    (ours2 ? `; ours native, 2 threads ÷ it: ${formatRatio(ours2.samplesPerS / PYTORCH.samplesPerS)}` : ''),
);
if (lesson !== null) {
  console.log('presets in the page (lesson: 6 models × 960 steps), Train to the finished table (CPU path, every view on;');
  console.log(' goal for the main thread: longest task < 50 ms, blocking < 1 % of the training time):');
  for (const line of lesson) console.log(`  ${line}`);
}
