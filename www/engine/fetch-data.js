// @ts-check
// Worker side: fetching the data files with progress, and picking the images and labels
// files out of the files a person dropped. Parsing is the engine's (the `data` command).
import { Command } from './protocol.js';

/**
 * Fetches the four Fashion-MNIST files `files` (the catalog's names) from `dataUrl` and
 * resolves to the `data` command that trains on them (samples from the test set); throws
 * what could not be fetched.
 */
export async function fetchFashion(dataUrl, files, onProgress) {
  const keys = ['train_images', 'train_labels', 'test_images', 'test_labels'];
  const bytes = await fetchAll(Object.fromEntries(keys.map((k) => [k, dataUrl + files[k]])), onProgress);
  const file = (key) => ({ name: files[key], bytes: bytes[key] });
  const pair = (images, labels) => ({ images: file(images), labels: file(labels) });
  const [train, samples] = [pair('train_images', 'train_labels'), pair('test_images', 'test_labels')];
  return { type: Command.data, name: 'Fashion-MNIST', fashion: true, train, samples };
}

/**
 * Fetches every url in `urls` (an object of name → url) at once; `onProgress(loaded, total)`
 * is called as bytes arrive (total is 0 until every size is known). Resolves to name → bytes.
 */
async function fetchAll(urls, onProgress) {
  const names = Object.keys(urls);
  const loaded = new Map(names.map((n) => [n, 0]));
  const sizes = new Map();
  const report = () => {
    const total = sizes.size === names.length ? [...sizes.values()].reduce((a, b) => a + b, 0) : 0;
    onProgress(
      [...loaded.values()].reduce((a, b) => a + b, 0),
      total,
    );
  };
  const one = async (name) => {
    const url = urls[name];
    let response;
    try {
      response = await fetch(url);
    } catch (err) {
      throw new Error(`could not fetch ${url}: ${err.message}`);
    }
    if (!response.ok) throw new Error(`could not fetch ${url}: HTTP ${response.status} ${response.statusText}`);
    sizes.set(name, Number(response.headers.get('content-length')) || 0);
    const reader = response.body.getReader();
    const chunks = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded.set(name, loaded.get(name) + value.byteLength);
      report();
    }
    return [name, concat(chunks)];
  };
  return Object.fromEntries(await Promise.all(names.map(one)));
}

function concat(chunks) {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * Picks the images and labels files out of files a person chose (`[{name, bytes}]`), by
 * name as the IDX files are usually named; a training pair wins over a test pair.
 */
export function pairFiles(files) {
  const images = files.filter((f) => /image|idx3/i.test(f.name));
  const labels = files.filter((f) => /label|idx1/i.test(f.name));
  const isTest = (f) => /t10k|test/i.test(f.name);
  const pick = (list) => list.find((f) => !isTest(f)) ?? list[0];
  const pair = { images: pick(images), labels: pick(labels) };
  if (!pair.images || !pair.labels) {
    const got = files.map((f) => f.name).join(', ') || 'nothing';
    throw new Error(
      'Choose an images file and its labels file, named like train-images-idx3-ubyte.gz and ' +
        `train-labels-idx1-ubyte.gz (gzip or raw IDX); got: ${got}`,
    );
  }
  return pair;
}
