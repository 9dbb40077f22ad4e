// Firefox ESR: a mixed drop (a picture beside a good raw IDX pair) loads the pair and names
// the picture in a note, and clears the error a zip left. The drop is a DragEvent made in
// the page with a DataTransfer of Files (Firefox's automation cannot drag from disk).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { firefox } from './drivers.mjs';
import { openLab, shownError, waitUntil } from './engines.mjs';
import { serveDist } from './helpers.mjs';

const ctx = {};
before(async () => {
  ctx.server = await serveDist();
  ctx.driver = await firefox();
});
after(async () => {
  await ctx.driver?.close();
  ctx.server?.close();
});

/** Drops files made in the page: `names` of a zip, a PNG or a raw IDX set of 250 images. */
const dropInPage = (names) =>
  ctx.driver.evaluate((list) => {
    const idx = (dims, body) => {
      const bytes = new Uint8Array(4 + 4 * dims.length + body.length);
      const view = new DataView(bytes.buffer);
      view.setUint32(0, 0x0800 + dims.length);
      for (const [i, d] of dims.entries()) view.setUint32(4 + 4 * i, d);
      bytes.set(body, 4 + 4 * dims.length);
      return bytes;
    };
    const count = 250;
    const made = {
      'my-images-idx3-ubyte': idx([count, 28, 28], new Uint8Array(count * 784).fill(7)),
      'my-labels-idx1-ubyte': idx(
        [count],
        Uint8Array.from({ length: count }, (_, i) => i % 10),
      ),
      'cat.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      'fashion.zip': new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]),
    };
    const transfer = new DataTransfer();
    for (const name of list) transfer.items.add(new File([made[name]], name));
    document.getElementById('drop').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, names);

test('Firefox: a zip is refused by name; a mixed drop then loads its pair, notes the picture and clears the error', async () => {
  const { driver } = ctx;
  await openLab(driver, ctx.server.url, 'inits=zeros,general-rule');
  await dropInPage(['fashion.zip']);
  const message = await shownError(driver);
  console.log(`Firefox: zip: ${message}`);
  assert.match(message, /fashion\.zip \(a zip archive: unzip it first/);

  await dropInPage(['cat.png', 'my-images-idx3-ubyte', 'my-labels-idx1-ubyte']);
  await waitUntil(driver, () => /250 images/.test(document.getElementById('data-name').textContent), null, 60_000, 'the dropped pair');
  const shown = await driver.evaluate(() => ({
    error: document.getElementById('error').hidden,
    note: document.getElementById('data-note').textContent,
  }));
  console.log(`Firefox: mixed drop: ${shown.note}`);
  assert.equal(shown.error, true, "the zip's error is gone");
  assert.equal(shown.note, 'Ignored: cat.png (an image, not an IDX file).');
});
