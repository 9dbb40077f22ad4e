// A person's own IDX files in the picker: broken files show the parser's precise message and
// leave the page working on the data it had; a good (raw, uncompressed) set is trained on.
// Then hostile drops (folders, a 2.5 GB file, a zip, a picture among good files), below.

import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
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

// Hostile drops, as a person makes them: folders, a file too large to read, archives, pictures.
// Chromium's own drag and drop (DevTools' Input.dispatchDragEvent) drops files and folders
// from disk, so a folder arrives as a real directory entry, as from a file manager.

const FASHION = '/usr/share/datasets/fashion-mnist';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgAB4iG8MwAAAABJRU5ErkJggg==', 'base64');
let dir;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wil-drops-'));
  const count = 250;
  const pixels = Buffer.alloc(count * 28 * 28, 7);
  const labels = Buffer.from(Array.from({ length: count }, (_, i) => i % 10));
  await writeFile(path.join(dir, 'my-images-idx3-ubyte'), idx(3, [count, 28, 28], pixels));
  await writeFile(path.join(dir, 'my-labels-idx1-ubyte'), idx(1, [count], labels));
  await writeFile(path.join(dir, 'cat.png'), PNG);
  await mkdir(path.join(dir, 'notes/sub/deeper'), { recursive: true });
  await writeFile(path.join(dir, 'notes/readme.txt'), 'about the data');
  await writeFile(path.join(dir, 'notes/sub/deeper/old.txt'), 'older');
  await mkdir(path.join(dir, 'fashion'));
  for (const name of await readdir(FASHION)) await copyFile(path.join(FASHION, name), path.join(dir, 'fashion', name));
  // Sparse: 2.5 GB that take no disk, and must never be read.
  const huge = await open(path.join(dir, 'huge-images-idx3-ubyte'), 'w');
  await huge.truncate(2500 * 2 ** 20);
  await huge.close();
});
after(() => rm(dir, { recursive: true, force: true }));

const at = (...names) => names.map((n) => path.join(dir, n));

/** Drags `paths` (files or folders on disk) from outside the page and drops them on the drop zone. */
async function drop(page, paths) {
  const zone = page.locator('#drop');
  await zone.scrollIntoViewIfNeeded();
  const box = await zone.boundingBox();
  const cdp = await page.context().newCDPSession(page);
  const data = { items: [], files: paths, dragOperationsMask: 1 };
  for (const type of ['dragEnter', 'dragOver', 'drop']) {
    await cdp.send('Input.dispatchDragEvent', { type, x: box.x + box.width / 2, y: box.y + box.height / 2, data });
  }
  await cdp.detach();
}

const dataLine = (page, pattern) =>
  page.waitForFunction((source) => new RegExp(source).test(document.getElementById('data-name').textContent), pattern.source, { timeout: 60_000 });
const errorHidden = (page) => page.evaluate(() => document.getElementById('error').hidden);
/** The page's own uncaught failures and raw browser errors, which a drop must never cause. */
const rawFailures = () => session.problems.filter((p) => /page error|NotFoundError|NotReadableError|DOMException/.test(p));

test('a file of 2.5 GB is refused by its size before it is read, and the page goes on', async () => {
  const { page } = session;
  const start = Date.now();
  await choose(page, at('huge-images-idx3-ubyte', 'my-labels-idx1-ubyte'));
  const message = await errorShown(page);
  console.log(`2.5 GB file, ${Date.now() - start} ms: ${message}`);
  assert.match(message, /^huge-images-idx3-ubyte is too large .* it is 2\.62 GB, .*at most 1 GiB .*It was not read\./);
  assert.match(await page.textContent('#data-name'), /Fashion-MNIST: 60,000 images/);
  await page.click('#train');
  await waitForStep(page, 1, 60_000);
  await pause(page);
  assert.deepEqual(rawFailures(), []);
});

test('a zip is named with what to do instead; the error clears when a mixed drop loads, and a picture in it is noted', async () => {
  const { page } = session;
  const emptyZip = Buffer.concat([Buffer.from('PK\x05\x06'), Buffer.alloc(18)]);
  await choose(page, [file('fashion-mnist.zip', emptyZip)]);
  await page.waitForSelector('#error:not([hidden])');
  const message = await page.textContent('#error-text');
  console.log(`zip: ${message}`);
  assert.match(message, /fashion-mnist\.zip \(a zip archive: unzip it first, then drop the \.gz or IDX files inside\)/);

  await drop(page, at('cat.png', 'my-images-idx3-ubyte', 'my-labels-idx1-ubyte'));
  await dataLine(page, /my-images-idx3-ubyte \+ my-labels-idx1-ubyte: 250 images/);
  assert.equal(await errorHidden(page), true, "the zip's error is gone");
  const note = await page.textContent('#data-note');
  console.log(`mixed drop: ${note}`);
  assert.equal(note, 'Ignored: cat.png (an image, not an IDX file).');
  await page.waitForFunction(() => window.weightInitLab.snapshot().run.ready);
  await page.click('#train');
  await page.waitForFunction(() => window.weightInitLab.snapshot().run.finished, null, { timeout: 60_000 });
  assert.equal(await errorHidden(page), true, 'still no error at the end of the run');
  assert.deepEqual(rawFailures(), []);
});

test('a folder dropped with the two files: the files load, the folder is looked into', async () => {
  const { page } = session;
  await page.click('#data-default');
  await dataLine(page, /Fashion-MNIST/);
  await drop(page, at('notes', 'my-images-idx3-ubyte', 'my-labels-idx1-ubyte'));
  await dataLine(page, /my-images-idx3-ubyte \+ my-labels-idx1-ubyte: 250 images/);
  const note = await page.textContent('#data-note');
  console.log(`folder and files: ${note}`);
  assert.match(note, /notes\/readme\.txt \(not an IDX file\)/);
  assert.match(note, /notes\/sub\/deeper \(a folder more than 2 levels down, not looked into\)/);
  assert.equal(await errorHidden(page), true);
  assert.deepEqual(rawFailures(), []);
});

test('the Fashion-MNIST folder dropped alone is read, its training pair trained on', async () => {
  const { page } = session;
  await drop(page, at('fashion'));
  await dataLine(page, /fashion\/train-images-idx3-ubyte\.gz \+ fashion\/train-labels-idx1-ubyte\.gz: 60,000 images/);
  const note = await page.textContent('#data-note');
  console.log(`folder: ${note}`);
  assert.match(note, /fashion\/t10k-images-idx3-ubyte\.gz \(another images file; fashion\/train-images-idx3-ubyte\.gz is used\)/);
  assert.equal(await errorHidden(page), true);
  await page.waitForFunction(() => window.weightInitLab.snapshot().run.ready);
  await page.click('#train');
  await waitForStep(page, 2, 60_000);
  await pause(page);
  assert.deepEqual(rawFailures(), []);
});
