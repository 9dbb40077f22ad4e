// Typed numbers in the engines where a `type=number` box failed otherwise: Firefox quoted ""
// for "0,1" instead of what was typed. In Firefox and WebKitGTK, key by key through each
// engine's automation: "0,001" is a learning rate of 0.001, and "0,0,1" is named as typed.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { firefox, inBrowser, webkit } from './drivers.mjs';
import { openLab, waitUntil } from './engines.mjs';
import { serveDist } from './helpers.mjs';

const LR = '#params input[name="lr"]';
let server;
before(async () => (server = await serveDist()));
after(() => server?.close());

for (const [name, open] of Object.entries({ Firefox: firefox, WebKitGTK: webkit })) {
  test(`${name}: a decimal comma is read, and what is not one number is named as typed`, () =>
    inBrowser(open, async (driver) => {
      await openLab(driver, server.url, 'inits=general-rule&epochs=1&threads=1&simd=base');
      await driver.type(LR, '0,001');
      await waitUntil(driver, () => /(^|&)lr=0\.001(&|$)/.test(location.hash.slice(1)), null, 10_000, 'lr=0.001 in the link');

      await driver.type(LR, '0,0,1');
      const message = await waitUntil(
        driver,
        () => /"0,0,1"/.test(document.getElementById('error-text').textContent) && document.getElementById('error-text').textContent,
        null,
        10_000,
        'the message',
      );
      assert.match(message, /^learning rate = "0,0,1" cannot be used \(more than one \. or , in it/);
      assert.match(await driver.evaluate(() => location.hash), /lr=0\.001/, 'the run keeps its value');
    }));
}
