// The checks every browser engine runs (engine-*.test.mjs), through the drivers of
// drivers.mjs: the lab starts, takes the CPU path and trains; its losses equal Chromium's
// for the same seed, bit for bit (the CPU backend is deterministic, and wasm's float
// operations, simd128 included, round the same in every engine; the runs take the base build,
// `simd=base`, as relaxed SIMD's fused multiply-adds may round otherwise, and one thread or
// several give the same numbers); and a broken data file gets its error.
// One browser runs at a time: Chromium's reference run first, then the engine's.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from './drivers.mjs';
import { DIST, leaveLab, serveDist } from './helpers.mjs';

/** Uniform and normal draws and an exploding start, at seed 5: the losses compared. */
const COMPARED = { inits: ['general-rule', 'he-normal', 'ones'], seed: 5, steps: 20 };
const HASH = `inits=${COMPARED.inits.join(',')}&seed=${COMPARED.seed}&simd=base`;
const TRAIN_STEPS = 30;

/** Polls `fn(arg)` in the page every 250 ms until it returns something truthy. */
export async function waitUntil(driver, fn, arg, timeout, what) {
  const end = Date.now() + timeout;
  for (;;) {
    // A first visit reloads once into cross-origin isolation (www/engine/isolation.js), which may
    // replace the page being polled: poll the new one.
    const value = await driver.evaluate(fn, arg).catch((err) => {
      if (/context was destroyed|navigat/i.test(err.message)) return undefined;
      throw err;
    });
    if (value) return value;
    if (Date.now() > end) {
      // What the page shows, and where the start stands (isolation.js's one reload).
      const status = await driver.evaluate(() =>
        [
          ...['backend-name', 'progress-text', 'error-text'].map((id) => document.getElementById(id)?.textContent),
          `isolated ${self.crossOriginIsolated}, controlled ${Boolean(navigator.serviceWorker?.controller)}`,
          `reloaded ${sessionStorage.getItem('weight-init-lab: reloaded to be cross-origin isolated')}`,
          `last loaded: ${performance
            .getEntriesByType('resource')
            .slice(-6)
            .map((e) => new URL(e.name).pathname)
            .join(' ')}`,
        ].join(' | '),
      );
      throw new Error(`${driver.name}: no ${what} after ${timeout / 1000} s; the page says: ${status}`);
    }
    await sleep(250);
  }
}

/** Opens the lab with URL state `hash`; resolves once a run is ready, fails on a shown error. */
export async function openLab(driver, url, hash) {
  await leaveLab(driver);
  await driver.goto(`${url}#${hash}`);
  const seen = await waitUntil(
    driver,
    () => {
      const box = document.getElementById('error');
      if (box && !box.hidden) return { error: document.getElementById('error-text').textContent };
      return window.weightInitLab?.snapshot().run.ready && { ready: true };
    },
    null,
    120_000,
    'ready run',
  );
  assert.equal(seen.error, undefined, `${driver.name} shows an error while starting`);
}

/** Waits for the page's error line and returns its text. */
export const shownError = (driver) =>
  waitUntil(
    driver,
    () => !document.getElementById('error').hidden && document.getElementById('error-text').textContent,
    null,
    60_000,
    'error message',
  );

/** Trains at least `steps` steps with the Train button, pauses, and returns the snapshot. */
export async function train(driver, steps) {
  await driver.click('#train');
  await waitUntil(driver, (n) => window.weightInitLab.snapshot().run.step >= n, steps, 120_000, `step ${steps}`);
  await driver.click('#train');
  await waitUntil(driver, () => !window.weightInitLab.snapshot().run.running, null, 60_000, 'pause');
  return driver.evaluate(() => window.weightInitLab.snapshot());
}

/** The first COMPARED.steps losses of each compared initializer, by id. */
const firstLosses = (snap) => Object.fromEntries(snap.loss.map((s) => [s.id, s.values.slice(0, COMPARED.steps)]));

/** Chromium's losses for the compared settings: the reference the other engines must equal. */
async function chromiumLosses(url) {
  const driver = await chromium();
  try {
    await openLab(driver, url, HASH);
    return firstLosses(await train(driver, COMPARED.steps));
  } finally {
    await driver.close();
  }
}

/** Registers the checks for the engine that `open()` starts (a driver of drivers.mjs). */
export function engineSuite(name, open) {
  const ctx = {};
  before(async () => {
    ctx.server = await serveDist();
    ctx.reference = await chromiumLosses(ctx.server.url);
    ctx.driver = await open();
  });
  after(async () => {
    await ctx.driver?.close();
    ctx.server?.close();
  });

  test(`${name}: starts, takes the CPU path and trains ${TRAIN_STEPS} steps`, async () => {
    const { driver } = ctx;
    const start = Date.now();
    await openLab(driver, ctx.server.url, HASH);
    const ready = Date.now();
    ctx.snap = await train(driver, TRAIN_STEPS);
    const { run, backend, loss } = ctx.snap;
    console.log(`${name}: ready in ${(ready - start) / 1000} s on "${backend}", ` + `${run.step} steps in ${(Date.now() - ready) / 1000} s`);
    assert.match(backend, /CPU/);
    assert.deepEqual(
      loss.map((s) => s.id),
      COMPARED.inits,
    );
    for (const s of loss) assert.equal(s.values.length, run.step, `${s.id}: one loss per step`);
    const ones = loss.find((s) => s.id === 'ones').values;
    assert.ok(Math.max(...ones) > 100, 'all-ones explodes');
    assert.equal(await driver.evaluate(() => document.getElementById('error').hidden), true, 'no error shown');
  });

  test(`${name}: the first ${COMPARED.steps} losses of ${COMPARED.inits.length} initializers at seed ${COMPARED.seed} equal Chromium's, bit for bit`, () => {
    assert.ok(ctx.snap, 'needs the training run above');
    const losses = firstLosses(ctx.snap);
    for (const id of COMPARED.inits) {
      assert.equal(losses[id].length, COMPARED.steps);
      assert.deepEqual(losses[id], ctx.reference[id], `${id}: ${name} vs Chromium`);
    }
    const last = (id) => losses[id].at(-1);
    console.log(
      `${name}: ${COMPARED.inits.length} × ${COMPARED.steps} losses identical to Chromium's; step ` +
        `${COMPARED.steps}: ${COMPARED.inits.map((id) => `${id} ${last(id)}`).join(', ')}`,
    );
  });

  test(`${name}: a truncated gzip file in the drop zone gets its error`, async () => {
    const { driver } = ctx;
    const dir = await mkdtemp(path.join(tmpdir(), 'wil-files-'));
    try {
      const read = (file) => readFile(path.join(DIST, 'data', file));
      const images = path.join(dir, 'train-images-idx3-ubyte.gz');
      const labels = path.join(dir, 'train-labels-idx1-ubyte.gz');
      await writeFile(images, (await read('train-images-idx3-ubyte.gz')).subarray(0, 20_000));
      await writeFile(labels, await read('train-labels-idx1-ubyte.gz'));
      await driver.upload('#files', [images, labels]);
      const message = await shownError(driver);
      console.log(`${name}: truncated gzip: ${message}`);
      assert.match(message, /train-images-idx3-ubyte\.gz/);
      assert.match(message, /gzip|truncated/i);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test(`${name}: a guided-lesson chapter asks, trains when revealed, and explains with the run's numbers`, async () => {
    const { driver } = ctx;
    await openLab(driver, ctx.server.url, 'lesson=10&threads=1&simd=base');
    await driver.click('#lesson-choice-2');
    await driver.click('#lesson-reveal');
    const text = await waitUntil(
      driver,
      () => !document.getElementById('lesson-explain').hidden && document.querySelector('#lesson-explain .lesson-text').textContent,
      null,
      120_000,
      'the explanation',
    );
    const rows = await driver.evaluate(() => window.weightInitLab.snapshot().results.rows);
    const rule = rows.find((r) => r.init === 'general-rule');
    console.log(`${name}: lesson chapter 10: ${text}`);
    assert.ok(text.includes(`${(100 * rule.val_accuracy).toFixed(1)} %`), `quotes the run's accuracy: ${text}`);
    assert.match(text, /diverged at step \d+: layer \d+'s outputs/);
  });
}
