// @ts-check
// The data picker and drop zone: lists what a person chose or dropped (the files inside a
// dropped folder too), lets model/data-files.js sort it by name and size, reads only the
// images and labels files it picks, and hands on what came of each thing (bytes, or why not)
// for the `files` intent. No promise here rejects: a browser's refusal becomes a sentence
// that names the file or folder, never a raw DOMException.
import { FOLDER_DEPTH, listFailed, MAX_LISTED, readFailed, sortDrop } from '../model/data-files.js';

/** @typedef {import('../model/data-files.js').Entry} Entry */
/** @typedef {import('../model/data-files.js').Outcome} Outcome */
/** An entry and, for a file, the File to read. @typedef {Entry & {file?: File}} Found */

/**
 * Calls `onFiles(outcomes)` (model/data-files.js `Outcome`s) when files are chosen in `input`
 * or files and folders are dropped on `zone`.
 * @param {HTMLInputElement} input
 * @param {HTMLElement} zone
 * @param {(outcomes: Outcome[]) => void} onFiles
 */
export function watchDataFiles(input, zone, onFiles) {
  const take = (/** @type {Promise<Found[]>} */ found) =>
    found
      .then(readChosen)
      .catch(() => [listFailed()])
      .then(onFiles)
      .catch((err) => reportError(err)); // the page's own failure, for its error line
  input.addEventListener('change', () => {
    const files = [...(input.files ?? [])].map((f) => found(f, f.webkitRelativePath || f.name));
    input.value = ''; // choosing the same file again fires again
    if (files.length) take(Promise.resolve(files));
  });
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    take(dropped(event.dataTransfer));
  });
}

const found = (/** @type {File} */ file, /** @type {string} */ name) => /** @type {Found} */ ({ name, size: file.size, kind: 'file', file });

/**
 * What was dropped, folders walked. The items must be taken before the first `await`: the
 * browser empties a drop's lists when its handler returns.
 * @param {DataTransfer | null} transfer
 * @returns {Promise<Found[]>}
 */
async function dropped(transfer) {
  const items = [...(transfer?.items ?? [])].filter((item) => item.kind === 'file');
  // A folder is an entry; without the entries API (or entry), the item's File.
  const taken = items.length
    ? items.map((item) => item.webkitGetAsEntry?.() ?? item.getAsFile()).filter((x) => x !== null)
    : [...(transfer?.files ?? [])];
  const budget = { left: MAX_LISTED };
  const all = [];
  for (const thing of taken) {
    if (thing instanceof File) all.push(found(thing, thing.name));
    else all.push(...(await walk(thing, '', 1, budget)));
  }
  return all;
}

/**
 * The files under a dropped entry, down to FOLDER_DEPTH; a folder or file that cannot be
 * listed, and a folder deeper down, come back as entries of their own kind.
 * @param {FileSystemEntry} entry
 * @param {string} path the folders above it, `fashion/`
 * @param {number} depth 1 for what was dropped
 * @param {{left: number}} budget how many more things may be listed
 * @returns {Promise<Found[]>}
 */
export async function walk(entry, path, depth, budget) {
  const name = path + entry.name;
  if (entry.isFile) {
    const file = /** @type {FileSystemFileEntry} */ (entry);
    return new Promise((resolve) =>
      file.file(
        (f) => resolve([found(f, name)]),
        () => resolve([{ name, size: 0, kind: 'unreadable-file' }]),
      ),
    );
  }
  if (depth > FOLDER_DEPTH) return [{ name, size: 0, kind: 'deep-folder' }];
  let listing;
  try {
    listing = await list(/** @type {FileSystemDirectoryEntry} */ (entry).createReader(), budget);
  } catch {
    return [{ name, size: 0, kind: 'unreadable-folder' }];
  }
  /** @type {Found[]} */
  const all = [];
  for (const child of listing.entries) all.push(...(await walk(child, `${name}/`, depth + 1, budget)));
  if (listing.full) all.push({ name, size: 0, kind: 'full-folder' });
  return all;
}

/**
 * A folder's entries: readEntries gives them in batches (100 in Chromium) until an empty one.
 * @param {FileSystemDirectoryReader} reader
 * @param {{left: number}} budget
 * @returns {Promise<{entries: FileSystemEntry[], full: boolean}>}
 */
async function list(reader, budget) {
  const entries = [];
  for (;;) {
    /** @type {FileSystemEntry[]} */
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) return { entries, full: false };
    entries.push(...batch.slice(0, Math.max(0, budget.left)));
    budget.left -= batch.length;
    if (budget.left < 0) return { entries, full: true };
  }
}

/**
 * Sorts what was found and reads the pair it picks. A pair one of whose files cannot be read
 * is no pair: neither file's bytes go on.
 * @param {Found[]} all
 * @returns {Promise<Outcome[]>}
 */
async function readChosen(all) {
  const { chosen, setAside } = sortDrop(all);
  /** @type {Outcome[]} */
  const read = await Promise.all(
    chosen.map(async (entry) => {
      try {
        return { name: entry.name, bytes: new Uint8Array(await /** @type {Found} */ (entry).file.arrayBuffer()) };
      } catch {
        return readFailed(entry.name);
      }
    }),
  );
  const whole = read.every((r) => 'bytes' in r);
  return [...(whole ? read : read.map((r) => ('bytes' in r ? { name: r.name, why: '' } : r))), ...setAside];
}
