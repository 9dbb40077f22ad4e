// The CPU fallback's builds (www/engine/engine-build.js) in Chromium, served as a static host serves
// them (no COOP/COEP headers): at top level the service worker's headers make the page
// cross-origin isolated after one reload, and it trains on two threads with one thread's
// numbers, bit for bit; in another site's iframe it takes one thread with no reload; and the
// relaxed-SIMD build (fused multiply-add) stays within a stated tolerance of the base build,
// the reference every engine reproduces (engines.mjs).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accuracyOf, labReady, lossesOf, openLab, serveAuthorSite, snapshot, useBrowser, waitForStep } from './helpers.mjs';

const session = useBrowser({ webgpu: false });
// Two models, statistics off: the numbers, not the views, are compared here.
const RUN = 'inits=general-rule,zeros&seed=4&live=0&hide=diagnostics,health,tiles,sweep,mistakes';
const STEPS = 100;
// Relaxed SIMD's fused multiply-adds round once where mul + add round twice (~6e-8 relative per
// product); over 100 Adam steps the losses drift apart by less than 1e-6 (measured: 3.8e-7).
const RELAXED_TOLERANCE = 1e-4;

/** Trains `target` to step `steps` (before the run's end) and pauses; returns its snapshot. */
async function trainTo(target, steps) {
  await target.click('#train');
  await waitForStep(target, steps, 120_000);
  await target.click('#train');
  await target.waitForFunction(() => !window.weightInitLab.snapshot().run.running, null, { timeout: 60_000 });
  return snapshot(target);
}

/** The first STEPS losses per model of a fresh run with URL state `hash` at top level. */
async function losses(hash) {
  await session.page.goto('about:blank'); // a new page load: the engine's build is chosen once
  await openLab(session.page, session.url, hash);
  const snap = await trainTo(session.page, STEPS);
  return { backend: snap.backend, losses: snap.loss.map((s) => s.values.slice(0, STEPS)) };
}

/** Counts the main frame's navigations of `page` to the lab at `url` (a reload is one; the
 * about:blank that openLab starts from is not the lab's). */
function countNavigations(page, url) {
  const seen = { count: 0 };
  page.on('framenavigated', (frame) => frame === page.mainFrame() && frame.url().startsWith(url) && seen.count++);
  return seen;
}

test('at top level the page reloads once to be cross-origin isolated and trains on two threads', async () => {
  const { page } = session;
  const navigations = countNavigations(page, session.url);
  await openLab(page, session.url, `${RUN}&epochs=1&threads=2`);
  assert.equal(navigations.count, 2, 'the visit and one reload');
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  await page.click('#train');
  await page.waitForFunction(() => window.weightInitLab.snapshot().run.finished, null, { timeout: 300_000, polling: 250 });
  const snap = await snapshot(page);
  assert.match(snap.backend, /^CPU \(2 threads(, relaxed SIMD)?\)$/);
  const accuracy = Object.fromEntries(['general-rule', 'zeros'].map((id) => [id, accuracyOf(snap, id).at(-1)]));
  console.log(`one epoch on ${snap.backend}: validation accuracy ${JSON.stringify(accuracy)} %`);
  assert.ok(accuracy['general-rule'] >= 80, `the 1/√n rule learns: ${accuracy['general-rule']} %`);
  assert.ok(Math.abs(accuracy.zeros - 10) <= 1, `all-zeros stays at chance: ${accuracy.zeros} %`);

  await page.reload();
  await labReady(page);
  assert.equal(navigations.count, 3, 'a reload of an isolated page is not followed by another');
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
});

test('two threads give one thread’s losses bit for bit, in the base and the relaxed-SIMD build', async () => {
  for (const [simd, relaxed] of [
    ['base', ''],
    ['auto', ', relaxed SIMD'],
  ]) {
    const two = await losses(`${RUN}&threads=2&simd=${simd}`);
    const one = await losses(`${RUN}&threads=1&simd=${simd}`);
    assert.equal(two.backend, `CPU (2 threads${relaxed})`);
    assert.equal(one.backend, `CPU (1 thread${relaxed})`);
    assert.deepEqual(two.losses, one.losses, `simd=${simd}`);
  }
});

test(`the relaxed-SIMD build’s losses are within ${RELAXED_TOLERANCE} (relative) of the base build’s`, async () => {
  const relaxed = await losses(`${RUN}&threads=1`);
  const base = await losses(`${RUN}&threads=1&simd=base`);
  assert.equal(relaxed.backend, 'CPU (1 thread, relaxed SIMD)', 'Chromium validates relaxed SIMD');
  let [worst, differing] = [0, 0];
  for (const [m, series] of relaxed.losses.entries()) {
    for (const [i, v] of series.entries()) {
      const b = base.losses[m][i];
      differing += v !== b;
      worst = Math.max(worst, Math.abs(v - b) / Math.abs(b));
    }
  }
  console.log(`relaxed vs base: ${differing} of ${2 * STEPS} losses differ, the largest by ${worst.toExponential(2)} (relative)`);
  assert.equal(relaxed.losses[0].length, STEPS);
  assert.ok(worst <= RELAXED_TOLERANCE, `largest relative difference ${worst}`);
});

test('in another site’s iframe the lab trains on one thread, with no reload', async () => {
  const { page, problems } = session;
  const author = await serveAuthorSite();
  try {
    author.pages['/course.html'] = `<!doctype html><title>A course</title><iframe src="${session.url}#${RUN}" width="1200" height="900"></iframe>`;
    await page.goto(`${author.url}course.html`);
    const frame = await (await page.waitForSelector('iframe')).contentFrame();
    let frameNavigations = 0;
    page.on('framenavigated', (f) => f === frame && frameNavigations++);
    await labReady(frame);
    assert.equal(await frame.evaluate(() => crossOriginIsolated), false);
    const snap = await trainTo(frame, 20);
    assert.match(snap.backend, /^CPU \(1 thread(, relaxed SIMD)?\)$/);
    assert.ok(lossesOf(snap, 'general-rule').length >= 20);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(frameNavigations, 0, 'the frame never reloaded');
    assert.deepEqual(problems, []);
  } finally {
    author.close();
  }
});
