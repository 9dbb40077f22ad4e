// @ts-check
// Worker side: fetching the data files with progress, and picking the images and labels
// files out of the files a person dropped. Parsing is the engine's (the `data` command).
import { pairWanted, pickPair } from '../model/data-files.js';
import { Command } from './protocol.js';

/**
 * Fetches Fashion-MNIST's training files (`files`: the catalog's names) from `dataUrl` and
 * resolves to the `data` command that trains on them; throws what could not be fetched.
 * `onProgress(loaded, total, seconds)` is called as bytes arrive (bytes; total is 0 until every
 * size is known; seconds since the download began). The sample images come from these files
 * too (the engine picks them): the 4.4 MB test set is not worth a download for ten pictures.
 */
export async function fetchFashion(dataUrl, files, onProgress) {
  const keys = ['train_images', 'train_labels'];
  const bytes = await fetchAll(Object.fromEntries(keys.map((k) => [k, dataUrl + files[k]])), onProgress);
  const file = (key) => ({ name: files[key], bytes: bytes[key] });
  const train = { images: file('train_images'), labels: file('train_labels') };
  return { type: Command.data, name: 'Fashion-MNIST', fashion: true, train };
}

/**
 * Fetches every url in `urls` (an object of name → url) at once, reporting progress as
 * `fetchFashion` says. Resolves to name → bytes.
 */
async function fetchAll(urls, onProgress) {
  const names = Object.keys(urls);
  const loaded = new Map(names.map((n) => [n, 0]));
  const sizes = new Map();
  const start = performance.now();
  const sum = (values) => [...values].reduce((a, b) => a + b, 0);
  const report = () => onProgress(sum(loaded.values()), sizes.size === names.length ? sum(sizes.values()) : 0, (performance.now() - start) / 1000);
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
 * Picks the images and labels files out of files a person chose (`[{name, bytes}]`) by name,
 * as the page did before reading them (model/data-files.js); a training pair wins over a test pair.
 */
export function pairFiles(files) {
  const { images, labels } = pickPair(files.map((f) => f.name));
  if (images === undefined || labels === undefined) throw new Error(pairWanted(files.map((f) => f.name).join(', ')));
  return { images: files[images], labels: files[labels] };
}
