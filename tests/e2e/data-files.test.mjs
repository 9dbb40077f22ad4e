// A person's own IDX files in the picker: broken files show the parser's precise message and
// leave the page working on the data it had; a good (raw, uncompressed) set is trained on.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { DIST, openLab, pause, snapshot, useBrowser, waitForStep } from './helpers.mjs';

let fashion;
const session = useBrowser({
  webgpu: false,
  setup: async ({ page, url }) => {
    const read = (name) => readFile(path.join(DIST, 'data', name));
    fashion = {
      images: await read('train-images-idx3-ubyte.gz'),
      labels: await read('train-labels-idx1-ubyte.gz'),
    };
    await openLab(page, url, 'inits=zeros,general-rule');
  },
});

const file = (name, buffer) => ({ name, mimeType: 'application/octet-stream', buffer });

/** A raw IDX header: magic (type 0x08 = unsigned byte, then the rank) and dimensions. */
function idx(rank, dims, body) {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(0x0800 + rank, 0);
  for (const [i, d] of dims.entries()) header.writeUInt32BE(d, 4 + 4 * i);
  return Buffer.concat([header, body]);
}

async function choose(page, files) {
  await page.setInputFiles('#files', files);
}

async function errorShown(page) {
  await page.waitForSelector('#error:not([hidden])', { timeout: 60_000 });
  const text = await page.textContent('#error-text');
  await page.click('#error-close');
  return text;
}

test('a truncated gzip file is reported by name', async () => {
  const { page } = session;
  await choose(page, [file('train-images-idx3-ubyte.gz', fashion.images.subarray(0, 20_000)), file('train-labels-idx1-ubyte.gz', fashion.labels)]);
  const message = await errorShown(page);
  console.log(`truncated gzip: ${message}`);
  assert.match(message, /train-images-idx3-ubyte\.gz/);
  assert.match(message, /gzip|truncated/i);
});

test('a file with the wrong magic number is reported by name', async () => {
  const { page } = session;
  // An images file that says it is a labels file (rank 1).
  await choose(page, [
    file('train-images-idx3-ubyte', idx(1, [10], Buffer.alloc(10))),
    file('train-labels-idx1-ubyte', idx(1, [10], Buffer.alloc(10))),
  ]);
  const message = await errorShown(page);
  console.log(`wrong magic: ${message}`);
  assert.match(message, /train-images-idx3-ubyte: wrong magic number/);
});

test('a lone file asks for the pair', async () => {
  const { page } = session;
  await choose(page, [file('notes.txt', Buffer.from('hello'))]);
  assert.match(await errorShown(page), /images file and its labels file.*notes\.txt/);
});

test('after bad files the page still trains on Fashion-MNIST', async () => {
  const { page } = session;
  assert.match(await page.textContent('#data-name'), /Fashion-MNIST: 60,000 images/);
  await page.click('#train');
  await waitForStep(page, 3, 60_000);
  await pause(page);
  assert.ok((await snapshot(page)).loss[0].values.length >= 3);
});

test('a good raw IDX set of its own is loaded and trained on', async () => {
  const { page } = session;
  const count = 250;
  const pixels = Buffer.alloc(count * 28 * 28);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7919) % 256;
  const labels = Buffer.from(Array.from({ length: count }, (_, i) => i % 10));
  await choose(page, [file('my-images-idx3-ubyte', idx(3, [count, 28, 28], pixels)), file('my-labels-idx1-ubyte', idx(1, [count], labels))]);
  await page.waitForFunction(() => /250 images/.test(document.getElementById('data-name').textContent));
  assert.equal(await page.locator('#samples figure').count(), 10, 'one sample per class');
  assert.match(await page.textContent('#samples'), /label 0/);
  // 200 training images, batch 100: 2 steps per epoch, 4 in all.
  await page.waitForFunction(() => window.weightInitLab.snapshot().run.ready);
  await page.click('#train');
  await page.waitForFunction(() => window.weightInitLab.snapshot().run.finished, null, { timeout: 60_000 });
  assert.equal((await snapshot(page)).run.total, 4);
  assert.equal(await page.locator('#results tbody tr').count(), 2);

  await page.click('#data-default');
  await page.waitForFunction(() => /Fashion-MNIST/.test(document.getElementById('data-name').textContent), null, {
    timeout: 60_000,
  });
});
