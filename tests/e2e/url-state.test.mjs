// The URL holds the state: a shared link sets initializers, settings and hidden sections;
// changing a control rewrites the link; the lesson preset clears it back to the lesson.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openLab, snapshot, useBrowser, waitForStep } from './helpers.mjs';

const session = useBrowser({ webgpu: false });

const hash = (page) => page.evaluate(() => decodeURIComponent(location.hash));
const LESSON = ['zeros', 'ones', 'uniform', 'centered', 'general-rule', 'normal'];
const checked = (page) => page.$$eval('#inits input:checked', (boxes) => boxes.map((b) => b.value));

test('a link sets the run and hides sections for embedding', async () => {
  const { page } = session;
  await openLab(page, session.url, 'inits=zeros,he-normal&epochs=1&log=false&hide=data,samples&bogus=1');
  assert.deepEqual(await checked(page), ['zeros', 'he-normal']);
  assert.equal(await page.isVisible('#data-section'), false);
  assert.equal(await page.isVisible('#samples-section'), false);
  assert.equal(await page.isChecked('#log-scale'), false);
  assert.match(await page.textContent('#progress-text'), /\/ 480/);
  assert.equal(await page.isVisible('#error'), true);
  assert.match(await page.textContent('#error-text'), /unknown setting bogus/);
});

test('controls rewrite the link, and the lesson preset restores the lesson', async () => {
  const { page } = session;
  await page.fill('#params [name="seed"]', '7');
  await page.press('#params [name="seed"]', 'Tab');
  await page.waitForFunction(() => location.hash.includes('seed=7'));
  await page.check('#inits input[value="ones"]');
  await page.waitForFunction(() => location.hash.includes('inits=zeros,ones,he-normal'));
  assert.match(await hash(page), /epochs=1/);

  await page.click('#lesson');
  await page.waitForFunction(() => /\/ 960/.test(document.getElementById('progress-text').textContent));
  assert.deepEqual(await checked(page), LESSON);
  assert.doesNotMatch(await hash(page), /inits|epochs|seed/);
  assert.match(await hash(page), /hide=data,samples/, 'presentation settings stay');
});

test('switching every initializer off says so, and switching one on recovers', async () => {
  const { page } = session;
  for (const box of await page.$$('#inits input:checked')) await box.uncheck();
  // An earlier problem may still be shown: wait for this one's own words.
  await page.waitForFunction(() => /choose at least one initializer/.test(document.getElementById('error-text').textContent));
  assert.equal(await page.isVisible('#error'), true);
  assert.equal(await page.isDisabled('#train'), true);
  await page.check('#inits input[value="normal"]');
  await page.waitForFunction(() => window.weightInitLab.snapshot().run.ready);
  assert.equal(await page.isDisabled('#train'), false);
});

test('an initializer the engine does not know is left out and named with the other bad values', async () => {
  const { page } = session;
  await openLab(page, session.url, 'inits=zeros,foo,general-rule&lr=abc');
  const message = await page.textContent('#error-text');
  assert.match(message, /ignored unknown initializer foo \(known: zeros, /);
  assert.match(message, /lr=abc/);
  assert.deepEqual(await page.$$eval('#inits input:checked', (boxes) => boxes.map((b) => b.value)), ['zeros', 'general-rule']);
  assert.equal(await page.$('#inits input[value="foo"]'), null, 'no toggle for it');
  assert.doesNotMatch(page.url(), /foo/);
  assert.equal(await page.isDisabled('#train'), false, 'the run is ready');
});

test('a custom initializer the engine refuses is left out and named, and the rest of the link trains', async () => {
  const { page } = session;
  for (const [link, problem, left] of [
    ['inits=uniform:1:0,zeros', /ignored initializer `uniform:1:0`: the lower bound 1 must be below the upper bound 0/, ['zeros']],
    ['inits=gain:0', /ignored initializer `gain:0`: /, LESSON], // none left: the lesson's
    ['inits=constant:1e400,uniform:2:-2,ones', /`constant:1e400`: .*; ignored initializer `uniform:2:-2`: /, ['ones']],
  ]) {
    await page.goto('about:blank');
    await openLab(page, session.url, link);
    await page.waitForFunction((n) => window.weightInitLab.snapshot().run.inits.length === n, left.length, { timeout: 30_000 });
    await page.waitForFunction(() => window.weightInitLab.snapshot().run.ready, null, { timeout: 30_000 });
    assert.match(await page.textContent('#error-text'), new RegExp(`^Link settings: .*${problem.source}`), link);
    assert.deepEqual((await page.evaluate(() => window.weightInitLab.snapshot())).run.inits, left, link);
    assert.deepEqual(await checked(page), left, `${link}: the toggles`);
    assert.equal(await page.isDisabled('#train'), false, `${link}: the run is ready`);
    assert.equal(
      await page.textContent('#results-note'),
      'The table fills in at each full validation pass (each epoch’s end).',
      'the empty table says why',
    );
  }
});

test('a value typed into the form that cannot be used is named, with what is expected', async () => {
  const { page } = session;
  await openLab(page, session.url, 'inits=zeros');
  await page.fill('#params input[name="epochs"]', '1000');
  await page.press('#params input[name="epochs"]', 'Enter');
  await page.$eval('#params input[name="epochs"]', (el) => el.dispatchEvent(new Event('change')));
  await page.waitForFunction(() => /epochs/.test(document.getElementById('error-text').textContent));
  assert.match(await page.textContent('#error-text'), /epochs = "1000" cannot be used: expected a whole number from 1 to 100/);
  assert.equal(await page.getAttribute('#params input[name="epochs"]', 'aria-invalid'), 'true');
  assert.match(await page.textContent('#progress-text'), /\/ 960/, 'the run keeps its two epochs');
});

test('changing the initializers after training says a new run starts, and why', async () => {
  const { page } = session;
  await page.goto('about:blank');
  await openLab(page, session.url, 'inits=zeros,general-rule');
  for (const step of [1, 2]) {
    await page.click('#step');
    await page.waitForFunction((n) => window.weightInitLab.snapshot().run.step === n, step);
  }
  await page.uncheck('#inits input[value="zeros"]');
  await page.waitForFunction(() => window.weightInitLab.snapshot().run.ready && window.weightInitLab.snapshot().run.step === 0);
  const note = 'The settings changed, so a new run starts at step 0 (the last one reached step 2).';
  assert.equal(await page.textContent('#results-note'), note);
  assert.equal(await page.textContent('#announce'), note);
});

test('autorun trains as soon as the data is in, and again after new settings, without a press of Train', async () => {
  const { page } = session;
  await page.goto('about:blank');
  await openLab(page, session.url, 'inits=zeros,general-rule&epochs=1&autorun=1');
  await waitForStep(page, 5, 60_000);
  // Pause and Resume by hand first: the page's own Train must not stand in for autorun's later.
  await page.click('#train');
  await page.waitForFunction(() => !window.weightInitLab.snapshot().run.running);
  await page.click('#train');
  await page.waitForFunction(() => window.weightInitLab.snapshot().run.running);
  await page.fill('#params [name="seed"]', '9');
  await page.press('#params [name="seed"]', 'Tab');
  // A new run at step 0 (seed 9 in its link), which trains by itself too.
  await page.waitForFunction(() => location.hash.includes('seed=9'));
  await page.waitForFunction(
    () => {
      const { run } = window.weightInitLab.snapshot();
      return run.ready && run.running && run.step > 0;
    },
    null,
    { timeout: 60_000 },
  );
  const { run } = await snapshot(page);
  assert.deepEqual(run.inits, ['zeros', 'general-rule']);
  assert.equal(await page.textContent('#train'), 'Pause');
});
