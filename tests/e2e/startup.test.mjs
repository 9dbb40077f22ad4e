// Start-up cannot hang. What the environment hands the page (a language tag Intl rejects,
// one core, no performance.memory, an odd devicePixelRatio) never stops it, and whatever
// fails while it starts is shown in the error line instead of "starting…" forever.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromium, inBrowser, webkit } from './drivers.mjs';
import { openLab, shownError, train, waitUntil } from './engines.mjs';
import { serveDist } from './helpers.mjs';

const HASH = 'inits=zeros,general-rule&seed=5';
let server;
before(async () => (server = await serveDist()));
after(() => server?.close());

/** The lab reaches a ready run, trains a few steps and draws its charts. */
async function startsAndTrains(driver) {
  await openLab(driver, server.url, HASH);
  const snap = await train(driver, 5);
  for (const s of snap.loss) assert.ok(s.values.length >= 5, `${s.id} trained`);
  assert.ok(await driver.evaluate(() => document.querySelector('#loss-chart canvas') !== null), 'the loss chart is drawn');
}

test('WebKitGTK in a C.UTF-8 locale (navigator.language "C") starts and trains', () =>
  inBrowser(
    () => webkit({ locale: 'C.UTF-8' }),
    async (driver) => {
      await startsAndTrains(driver);
      // What WebKitGTK handed the page (the page only replaces navigator.language).
      assert.deepEqual(await driver.evaluate(() => navigator.languages), ['C']);
    },
  ));

/** Runs in the page before its own scripts: values a browser may hand it. */
function oddEnvironment() {
  const define = (object, name, value) => Object.defineProperty(object, name, { get: () => value, configurable: true });
  define(Navigator.prototype, 'language', 'en_US.UTF-8'); // POSIX style: Intl rejects it
  define(Navigator.prototype, 'languages', ['en_US.UTF-8']);
  define(Navigator.prototype, 'hardwareConcurrency', 1);
  define(Performance.prototype, 'memory', undefined);
  define(window, 'devicePixelRatio', 1.37);
}

test('Chromium with an invalid language tag, one core, no performance.memory and devicePixelRatio 1.37 starts and trains', () =>
  inBrowser(
    () => chromium({ initScript: oddEnvironment }),
    async (driver) => {
      await startsAndTrains(driver);
      assert.equal(await driver.evaluate(() => navigator.hardwareConcurrency), 1);
    },
  ));

/** Failures while the page starts, made with a route, and the message each must show. */
const FAILURES = [
  {
    what: 'a chart library that throws as it loads',
    url: '**/vendor/uplot/uPlot.esm.js',
    body: () => 'throw new RangeError("invalid language tag: C");',
    shown: /^The charts could not start: RangeError: invalid language tag: C$/,
    trains: true, // the page goes on without charts
  },
  {
    what: 'a page module that throws as it loads',
    url: '**/www/views/controls.js',
    body: async (route) => `throw new Error('controls broke');\n${await (await route.fetch()).text()}`,
    shown: /^The page could not start: Error: controls broke$/,
  },
];
// Files a host lacks or sends with the wrong type: hostile-hosts.test.mjs.
// One thread and the base build (`pkg/`, which the routes break): the page starts at once,
// with no reload to become cross-origin isolated.
const FAILING = `${HASH}&threads=1&simd=base`;

for (const f of FAILURES) {
  test(`${f.what} is shown, not left at "starting…"`, () =>
    inBrowser(chromium, async (driver) => {
      await driver.page.route(f.url, async (route) => route.fulfill({ contentType: 'text/javascript', body: await f.body(route) }));
      await driver.goto(`${server.url}#${FAILING}`);
      const message = await shownError(driver);
      console.log(`${f.what}: ${message}`);
      assert.match(message, f.shown);
      if (!f.trains) return;
      await waitUntil(driver, () => window.weightInitLab.snapshot().run.ready, null, 60_000, 'ready run');
      assert.ok((await train(driver, 3)).run.step >= 3);
    }));
}
