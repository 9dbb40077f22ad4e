// @ts-check
// A person's dropped or chosen data files, sorted by name and size before anything is read:
// which two are the images and labels to train on, and, for every other thing, a short
// reason it was set aside. Reading a file the engine would refuse anyway (a 2 GB video, a
// folder the browser lists as a file) wastes memory or fails with a raw browser error, so it
// never happens. Sentences for the page come from here too. No DOM.

/** The engine's largest IDX body: `MAX_BODY_BYTES` in src/data/idx.rs (1 GiB). */
export const MAX_IDX_BODY_BYTES = 2 ** 30;
/** The largest file that can hold such a body: its header and gzip's framing of even
 * incompressible data (about 0.01 %) fit in the 1 MiB over. */
export const MAX_FILE_BYTES = MAX_IDX_BODY_BYTES + 2 ** 20;
/** How far into a dropped folder files are looked for: its files and its subfolders'. */
export const FOLDER_DEPTH = 2;
/** At most this many things are listed from dropped folders (a home folder dropped by mistake). */
export const MAX_LISTED = 2000;

/**
 * One thing dropped or chosen, as listed before reading. `name` is its path within the drop
 * (`fashion/train-images-idx3-ubyte.gz`). Kinds other than `file` were never files to read: a
 * file or folder the browser could not list, a folder deeper than FOLDER_DEPTH, a folder
 * whose listing stopped at MAX_LISTED.
 * @typedef {{name: string, size: number, kind: 'file' | 'unreadable-file' | 'unreadable-folder' | 'deep-folder' | 'full-folder'}} Entry
 */
/** Something not used, and why (a phrase); `problem`, a sentence, where it was meant to be used.
 * @typedef {{name: string, why: string, problem?: string}} SetAside */
/** What the page read or set aside, as handed to the `files` intent.
 * @typedef {{name: string, bytes: Uint8Array} | SetAside} Outcome */

const IMAGES = /image|idx3/i;
const LABELS = /label|idx1/i;
const TEST = /t10k|test/i;
const HIDDEN = 'a hidden file';
const EXAMPLE = 'named like train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz (gzip or raw IDX), or the folder that holds them';

const PICTURE = /\.(png|jpe?g|gif|webp|bmp|svg|avif|tiff?|ico|heic)$/i;
const ZIP = /\.zip$/i;
const ARCHIVE = /\.(tar|tgz|tar\.gz|7z|rar)$/i;
const OTHER_COMPRESSION = /\.(bz2|xz|zst|lz4|z)$/i;
const TEXT_OR_DATA = /\.(tsv|txt|md|json|html?|pdf|py|ipynb|npy|npz|pkl|pickle|mat|h5|hdf5|parquet)$/i;

export const baseName = (/** @type {string} */ name) => name.slice(name.lastIndexOf('/') + 1);

/** 'images', 'labels' or null, by the file's own name (not its folder's). */
export function roleOf(/** @type {string} */ name) {
  const base = baseName(name);
  if (/idx3/i.test(base)) return 'images';
  if (/idx1/i.test(base)) return 'labels';
  return IMAGES.test(base) ? 'images' : LABELS.test(base) ? 'labels' : null;
}

/** A size for people: `2.62 GB`, `310 kB`, `12 bytes`. */
export function formatBytes(/** @type {number} */ n) {
  if (n < 1000) return `${n} byte${n === 1 ? '' : 's'}`;
  const [unit, scale] = n >= 1e9 ? ['GB', 1e9] : n >= 1e6 ? ['MB', 1e6] : ['kB', 1e3];
  return `${(n / scale).toPrecision(3)} ${unit}`;
}

/**
 * Why `entry` cannot be a data file, as {why, problem?}, or null if it may be one: by its
 * kind, its name (an image, an archive, a spreadsheet…) and its size, never its bytes.
 * @param {Entry} entry
 * @returns {{why: string, problem?: string} | null}
 */
function unusable({ name, size, kind }) {
  if (kind === 'unreadable-folder') {
    const problem = `The folder ${name} could not be read (the browser did not list its files); drop the files inside it instead.`;
    return { why: 'a folder that could not be read', problem };
  }
  if (kind === 'unreadable-file') {
    return {
      why: 'could not be read',
      problem: `${name} could not be read: the browser refused it (a folder, or a file moved or locked since it was chosen?).`,
    };
  }
  if (kind === 'deep-folder') return { why: `a folder more than ${FOLDER_DEPTH} levels down, not looked into` };
  if (kind === 'full-folder') return { why: `a folder not looked through: the listing of the drop stopped at ${MAX_LISTED} things` };
  const base = baseName(name);
  if (base.startsWith('.')) return { why: HIDDEN };
  if (ZIP.test(base)) return { why: 'a zip archive: unzip it first, then drop the .gz or IDX files inside' };
  if (ARCHIVE.test(base)) return { why: 'an archive: unpack it first, then drop the .gz or IDX files inside' };
  if (PICTURE.test(base)) return { why: 'an image, not an IDX file' };
  if (/\.csv$/i.test(base)) return { why: 'a CSV file; the lab reads IDX files (gzip or raw)' };
  if (OTHER_COMPRESSION.test(base)) return { why: 'compressed in a way the lab does not read; it reads gzip (.gz) or raw IDX' };
  if (TEXT_OR_DATA.test(base)) return { why: 'not an IDX file' };
  const role = roleOf(name);
  if (!role) return { why: 'not named like an IDX images or labels file' };
  if (size === 0) return { why: 'empty', problem: `${name} is empty (0 bytes).` };
  if (size > MAX_FILE_BYTES) {
    const limit = formatBytes(MAX_FILE_BYTES);
    return {
      why: `${formatBytes(size)}, over the ${limit} the lab reads`,
      problem:
        `${name} is too large to be a data file the lab can train on: it is ${formatBytes(size)}, and an ` +
        `IDX ${role} file holds at most 1 GiB of data (about ${limit} with its header). It was not read.`,
    };
  }
  return null;
}

/** A chosen file whose reading failed, set aside with its sentence. */
export const readFailed = (/** @type {string} */ name) => ({ name, ...unusable({ name, size: 0, kind: 'unreadable-file' }) });

/** A drop the browser could not list at all. */
export const listFailed = () => ({
  name: 'what was dropped',
  why: 'could not be listed',
  problem: 'The browser could not list what was dropped; choose the files with the picker instead.',
});

/** The key a file shares with its partner: its path with the images/labels words blanked. */
const pairKey = (/** @type {string} */ name) =>
  name
    .toLowerCase()
    .replace(/idx[13]/g, 'idx#')
    .replace(/images?|labels?/g, '#');

/**
 * The images and labels file to train on among `names` (indices), each undefined if none: a
 * pair whose names match but for images/labels, a training pair before a test pair; else the
 * first images and labels files, training files first.
 * @param {string[]} names
 * @returns {{images?: number, labels?: number}}
 */
export function pickPair(names) {
  const all = names.map((name, i) => ({ i, role: roleOf(name), key: pairKey(name), test: TEST.test(baseName(name)) }));
  const images = all.filter((f) => f.role === 'images').sort((a, b) => Number(a.test) - Number(b.test));
  const labels = all.filter((f) => f.role === 'labels').sort((a, b) => Number(a.test) - Number(b.test));
  for (const image of images) {
    const partner = labels.find((l) => l.key === image.key);
    if (partner) return { images: image.i, labels: partner.i };
  }
  return { images: images[0]?.i, labels: labels[0]?.i };
}

/** The sentence for a drop with no pair in it; `got` lists what came, with reasons. */
export const pairWanted = (/** @type {string} */ got) => `Choose an images file and its labels file, ${EXAMPLE}; got: ${got || 'nothing'}`;

const described = (/** @type {SetAside[]} */ list) => list.map((s) => (s.why ? `${s.name} (${s.why})` : s.name)).join(', ');

/**
 * Sorts a drop: the two files to read (images first), or none, and everything else set aside
 * with its reason. A file that could be one of the pair but is empty or too large is set
 * aside with a sentence (`problem`); the pair is chosen among the rest.
 * @param {Entry[]} entries
 * @returns {{chosen: Entry[], setAside: SetAside[]}}
 */
export function sortDrop(entries) {
  const usable = [];
  const setAside = [];
  for (const entry of entries) {
    const reason = unusable(entry);
    if (reason) setAside.push({ name: entry.name, ...reason });
    else usable.push(entry);
  }
  const { images, labels } = pickPair(usable.map((e) => e.name));
  if (images === undefined || labels === undefined) {
    // Not a pair: each candidate is named plainly in the message.
    return { chosen: [], setAside: [...setAside, ...usable.map((e) => ({ name: e.name, why: '' }))] };
  }
  const [image, label] = [usable[images], usable[labels]];
  const partner = (/** @type {Entry} */ e) => (roleOf(e.name) === 'images' ? image.name : label.name);
  for (const e of usable) {
    if (e !== image && e !== label) setAside.push({ name: e.name, why: `another ${roleOf(e.name)} file; ${partner(e)} is used` });
  }
  return { chosen: [image, label], setAside };
}

/** At most this many things named in a note; the rest counted. */
const NOTE_NAMES = 6;

/**
 * What a drop comes to, from what the page read (`{name, bytes}`, the pair) and set aside:
 * the files for the engine and a note naming what was ignored, or, without a pair, an error
 * that leads with the set-aside files' problems.
 * @param {Outcome[]} outcomes
 * @returns {{files: {name: string, bytes: Uint8Array}[], note: string | null, error: string | null}}
 */
export function dropOutcome(outcomes) {
  const files = /** @type {{name: string, bytes: Uint8Array}[]} */ (outcomes.filter((o) => 'bytes' in o));
  const setAside = /** @type {SetAside[]} */ (outcomes.filter((o) => !('bytes' in o)));
  if (files.length === 2) {
    // Hidden files (.DS_Store, a Mac's ._ copies) are counted, not named.
    const named = setAside.filter((s) => s.why !== HIDDEN).slice(0, NOTE_NAMES);
    const more = setAside.length - named.length;
    const counted = named.length ? ` and ${more} more` : `${more} hidden file${more === 1 ? '' : 's'}`;
    const note = setAside.length ? `Ignored: ${described(named)}${more ? counted : ''}.` : null;
    return { files, note, error: null };
  }
  const problems = setAside.flatMap((s) => s.problem ?? []);
  return { files: [], note: null, error: [...problems, pairWanted(described(setAside))].join(' ') };
}
