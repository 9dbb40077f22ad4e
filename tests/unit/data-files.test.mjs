// A person's dropped or chosen data files, sorted before anything is read (model/data-files.js),
// the walk through a dropped folder (views/datafiles.js, on minimal fake entries) and the
// `files` intent that turns the outcome into a command, a note or an error.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { pairFiles } from '../../www/engine/fetch-data.js';
import { Setup } from '../../www/engine/protocol.js';
import { dropOutcome, MAX_FILE_BYTES, MAX_IDX_BODY_BYTES, pickPair, readFailed, sortDrop } from '../../www/model/data-files.js';
import { initialState, reduce } from '../../www/model/reducer.js';
import { walk } from '../../www/views/datafiles.js';

const MB = 1e6;
const file = (name, size = 30 * MB) => ({ name, size, kind: 'file' });
const TRAIN = [file('train-images-idx3-ubyte.gz'), file('train-labels-idx1-ubyte.gz', 30_000)];
const names = (list) => list.map((e) => e.name);
const why = (sorted, name) => sorted.setAside.find((s) => s.name === name)?.why;

test("the size limit is the engine's: MAX_BODY_BYTES in src/data/idx.rs", async () => {
  const rust = await readFile(new URL('../../src/data/idx.rs', import.meta.url), 'utf8');
  const [, shift] = rust.match(/pub const MAX_BODY_BYTES: usize = 1 << (\d+);/);
  assert.equal(MAX_IDX_BODY_BYTES, 2 ** Number(shift));
  assert.ok(MAX_FILE_BYTES > MAX_IDX_BODY_BYTES + 16 && MAX_FILE_BYTES < 1.1e9);
});

test('a mixed drop keeps its pair; an image, a zip, a CSV and a stray file are set aside with why', () => {
  const sorted = sortDrop([file('cat.png', 2e5), ...TRAIN, file('fashion.zip'), file('fashion-mnist_train.csv'), file('readme')]);
  assert.deepEqual(names(sorted.chosen), names(TRAIN));
  assert.equal(why(sorted, 'cat.png'), 'an image, not an IDX file');
  assert.match(why(sorted, 'fashion.zip'), /zip archive: unzip it first, then drop the \.gz or IDX files inside/);
  assert.match(why(sorted, 'fashion-mnist_train.csv'), /CSV/);
  assert.match(why(sorted, 'readme'), /not named like an IDX images or labels file/);
});

test("a dropped folder's four files: the training pair is used, the test pair named as not used", () => {
  const folder = ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', 'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'];
  const sorted = sortDrop([...folder.map((n) => file(`fashion/${n}`)), file('fashion/.DS_Store', 6000)]);
  assert.deepEqual(names(sorted.chosen), ['fashion/train-images-idx3-ubyte.gz', 'fashion/train-labels-idx1-ubyte.gz']);
  assert.equal(why(sorted, 'fashion/t10k-images-idx3-ubyte.gz'), 'another images file; fashion/train-images-idx3-ubyte.gz is used');
  const bytes = new Uint8Array(1);
  const { note } = dropOutcome([...sorted.chosen.map((e) => ({ name: e.name, bytes })), ...sorted.setAside]);
  assert.match(note, /^Ignored: fashion\/t10k-images-idx3-ubyte\.gz \(another images file; .*\) and 1 more\.$/);
});

test('a pair is matched by name: two folders of files pair within each, never across', () => {
  const list = [
    'mnist/train-labels-idx1-ubyte',
    'fashion/train-images-idx3-ubyte',
    'mnist/train-images-idx3-ubyte',
    'fashion/train-labels-idx1-ubyte',
  ];
  assert.deepEqual(pickPair(list), { images: 1, labels: 3 });
  // Names that share nothing still pair, training files first, as they always did.
  assert.deepEqual(pickPair(['t10k-images.gz', 'labels-test.gz', 'my-images.gz', 'answers-labels.gz']), { images: 2, labels: 3 });
  assert.deepEqual(pickPair(['only-images.gz']), { images: 0, labels: undefined });
  // The worker pairs the two files it gets the same way.
  const pair = pairFiles([{ name: 'b-labels-idx1-ubyte' }, { name: 'b-images-idx3-ubyte' }]);
  assert.equal(pair.images.name, 'b-images-idx3-ubyte');
  assert.throws(() => pairFiles([{ name: 'notes.txt' }]), /images file and its labels file.*got: notes\.txt/);
});

test('a file too large for the engine is never chosen: the error names it, its size and the limit', () => {
  const huge = file('huge-images-idx3-ubyte', 2.5 * 2 ** 30);
  const sorted = sortDrop([huge, TRAIN[1]]);
  assert.deepEqual(sorted.chosen, []);
  const { files, error } = dropOutcome(sorted.setAside);
  assert.deepEqual(files, []);
  assert.match(error, /^huge-images-idx3-ubyte is too large .*: it is 2\.68 GB, .*at most 1 GiB .*\(about 1\.07 GB .*\)\. It was not read\. /);
  assert.match(error, /Choose an images file and its labels file.*got: huge-images-idx3-ubyte \(2\.68 GB, over .*\), train-labels-idx1-ubyte\.gz$/);
  // Beside a usable pair it is only noted.
  const beside = sortDrop([huge, ...TRAIN]);
  assert.deepEqual(names(beside.chosen), names(TRAIN));
  assert.match(why(beside, 'huge-images-idx3-ubyte'), /over the 1\.07 GB the lab reads/);
});

test('an empty file, a folder the browser could not list and a file it could not read are named as such', () => {
  const { error } = dropOutcome(
    sortDrop([file('train-images-idx3-ubyte', 0), { name: 'mnist', size: 0, kind: 'unreadable-folder' }, file('train-labels-idx1-ubyte')]).setAside,
  );
  assert.match(error, /^train-images-idx3-ubyte is empty \(0 bytes\)\. The folder mnist could not be read .*drop the files inside it instead\./);
  assert.match(readFailed('x-images.gz').problem, /^x-images\.gz could not be read: the browser refused it/);
  // A pair one of whose files failed to read is no pair: an error, nothing sent.
  const failed = dropOutcome([{ name: 'a-images.gz', why: '' }, readFailed('a-labels.gz')]);
  assert.deepEqual(failed.files, []);
  assert.match(failed.error, /^a-labels\.gz could not be read/);
});

test('nothing dropped, or nothing usable, asks for the pair', () => {
  assert.match(dropOutcome([]).error, /got: nothing$/);
  assert.match(dropOutcome(sortDrop([file('notes.txt', 5)]).setAside).error, /^Choose .*got: notes\.txt \(not an IDX file\)$/);
});

test('a long note names six things and counts the rest; hidden files are only counted', () => {
  const bytes = new Uint8Array(1);
  const pair = [
    { name: 'a-images', bytes },
    { name: 'a-labels', bytes },
  ];
  const pictures = Array.from({ length: 8 }, (_, i) => ({ name: `p${i}.png`, why: 'an image, not an IDX file' }));
  assert.match(dropOutcome([...pair, ...pictures]).note, /p5\.png \(an image, not an IDX file\) and 2 more\.$/);
  assert.equal(dropOutcome([...pair, { name: '.DS_Store', why: 'a hidden file' }]).note, 'Ignored: 1 hidden file.');
  assert.equal(dropOutcome(pair).note, null);
});

/** Minimal stand-ins for the browser's FileSystemEntry: a folder's reader gives `batch` at a time. */
const fakeFile = (name, size = 10) => ({ isFile: true, name, file: (ok) => ok({ name, size }) });
const fakeFolder = (name, children, { batch = 2, fails = false } = {}) => ({
  isFile: false,
  name,
  createReader: () => {
    let at = 0;
    return {
      readEntries: (ok, fail) => {
        if (fails) return fail(new DOMException('A requested file or directory could not be found', 'NotFoundError'));
        ok(children.slice(at, at + batch));
        at += batch;
      },
    };
  },
});

test('a dropped folder is walked two levels down, in batches; a deeper or unlistable folder is its own entry', async () => {
  const tree = fakeFolder('mnist', [
    fakeFile('train-images-idx3-ubyte.gz', 9_900_000),
    fakeFile('train-labels-idx1-ubyte.gz'),
    fakeFile('cat.png'),
    fakeFolder('raw', [fakeFile('t10k-images-idx3-ubyte'), fakeFolder('older', [fakeFile('x')])]),
    fakeFolder('locked', [], { fails: true }),
  ]);
  const found = await walk(tree, '', 1, { left: 100 });
  assert.deepEqual(
    found.map((f) => [f.name, f.kind]),
    [
      ['mnist/train-images-idx3-ubyte.gz', 'file'],
      ['mnist/train-labels-idx1-ubyte.gz', 'file'],
      ['mnist/cat.png', 'file'],
      ['mnist/raw/t10k-images-idx3-ubyte', 'file'],
      ['mnist/raw/older', 'deep-folder'],
      ['mnist/locked', 'unreadable-folder'],
    ],
  );
  assert.equal(found[0].size, 9_900_000);
  const full = await walk(
    fakeFolder(
      'big',
      Array.from({ length: 7 }, (_, i) => fakeFile(`f${i}`)),
    ),
    '',
    1,
    { left: 3 },
  );
  assert.deepEqual(
    full.map((f) => f.kind),
    ['file', 'file', 'file', 'full-folder'],
  );
  const unreadable = await walk({ isFile: true, name: 'gone.gz', file: (_, fail) => fail(new Error('NotFoundError')) }, 'a/', 1, { left: 9 });
  assert.deepEqual(unreadable, [{ name: 'a/gone.gz', size: 0, kind: 'unreadable-file' }]);
});

test('the files intent: a good pair is sent and clears the last bad drop; no pair is a data error; a note goes under the drop zone', () => {
  const bytes = new Uint8Array(4);
  let state = reduce(initialState(), { intent: 'files', files: [{ name: 'cat.png', why: 'an image, not an IDX file' }] });
  assert.equal(state.error.kind, 'data');
  assert.match(state.error.message, /got: cat\.png \(an image, not an IDX file\)/);
  assert.deepEqual(state.outbox ?? [], []);
  state = reduce(state, {
    intent: 'files',
    files: [
      { name: 'a-images', bytes },
      { name: 'a-labels', bytes },
      { name: 'cat.png', why: 'an image, not an IDX file' },
    ],
  });
  assert.equal(state.error, null);
  assert.equal(state.dataNote, 'Ignored: cat.png (an image, not an IDX file).');
  assert.deepEqual(
    state.outbox.map((c) => [c.type, c.files.map((f) => f.name)]),
    [[Setup.files, ['a-images', 'a-labels']]],
  );
});
