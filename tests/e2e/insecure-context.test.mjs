// A page served over plain http from a LAN address (http://192.168.1.5:8080/) is not a
// secure context: the browser hides WebGPU (and service workers) there even when it has it.
// The page trains on the CPU and says why in those words, not "this browser has no WebGPU".
// Chromium counts localhost and 127.0.0.1 as secure, so the lab is opened at this machine's
// own network address (or, on a machine without one, at a made-up name mapped to 127.0.0.1).

import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { after, before, test } from 'node:test';
import httpServer from 'http-server';
import { DIST, labReady, launch, pause, snapshot, waitForStep } from './helpers.mjs';

/** This machine's first IPv4 address that is not loopback, or null. */
const lanAddress = () =>
  Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address ?? null;

const session = {};

before(async () => {
  const lan = lanAddress();
  const server = httpServer.createServer({ root: DIST, cache: -1, showDir: false, logFn: null });
  // All addresses: the LAN one for the page, loopback for the secure control below.
  await new Promise((resolve, reject) => {
    server.server.once('error', reject);
    server.server.listen(0, lan ? '0.0.0.0' : '127.0.0.1', resolve);
  });
  const { port } = server.server.address();
  const host = lan ?? 'lab.test';
  const args = lan ? [] : ['--host-resolver-rules=MAP lab.test 127.0.0.1'];
  const browser = await launch({ webgpu: true, args });
  Object.assign(session, { server, browser, page: browser.page, origin: `http://${host}:${port}`, port });
});

after(async () => {
  await session.browser?.close();
  session.server?.close();
  session.server?.server.closeAllConnections();
});

test('the browser has WebGPU where the page is a secure context', async () => {
  const page = await session.browser.page.context().newPage();
  await page.goto(`http://127.0.0.1:${session.port}/#backend=cpu&inits=zeros`);
  assert.deepEqual(await page.evaluate(() => [isSecureContext, 'gpu' in navigator]), [true, true]);
  await page.close();
});

test('on a LAN http:// address the note says WebGPU needs https or localhost, and the CPU trains', async () => {
  const { page, origin } = session;
  await page.goto(`${origin}/#inits=zeros,general-rule&epochs=1&evalEvery=0`);
  await labReady(page);
  assert.deepEqual(await page.evaluate(() => [isSecureContext, 'gpu' in navigator]), [false, false]);
  assert.match(await page.textContent('#backend-name'), /CPU/);
  const note = await page.textContent('#backend-note');
  console.log(`the note at ${origin}: ${note}`);
  assert.equal(note, `WebGPU and the offline copy need https:// or localhost; this page is ${origin}; training on the CPU`);
  assert.doesNotMatch(note, /this browser has no WebGPU/);

  await page.click('#train');
  await waitForStep(page, 5, 60_000);
  await pause(page);
  const { run, loss } = await snapshot(page);
  assert.ok(run.step >= 5);
  for (const series of loss) assert.ok(series.values.length >= 5 && series.values.every(Number.isFinite), `${series.id} trains`);
  assert.deepEqual(session.browser.problems, [], 'no page error');
});
