// A classroom's network: a first visit downloads the data once (the page and the offline copy
// share that download), one engine build and no test set, 30 MB at most; a repeat visit
// asks the server for no data. Bytes counted at the server, which sends no-store (so the
// browser's HTTP cache holds nothing; tests/bench/first-visit.mjs prints the counts).

import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { BROWSERS, countVisits, totals } from '../bench/first-visit.mjs';
import { DIST } from './helpers.mjs';

const FIRST_VISIT_MB = 30;

for (const [name, open] of Object.entries(BROWSERS)) {
  test(`${name}: a first visit costs the data once and at most ${FIRST_VISIT_MB} MB; a repeat visit, no data`, async () => {
    // No HTTP caching: whatever the repeat visit does not ask the server for came from the offline copy.
    const { first, repeat } = await countVisits(open, { cacheSeconds: -1 });
    const files = [...first.keys()];
    for (const file of ['/data/train-images-idx3-ubyte.gz', '/data/train-labels-idx1-ubyte.gz']) {
      const size = (await stat(path.join(DIST, file))).size;
      assert.equal(first.get(file), size, `${file} downloaded once: ${first.get(file)} bytes of ${size}`);
    }
    const builds = new Set(files.filter((f) => f.startsWith('/pkg')).map((f) => f.split('/')[1]));
    assert.equal(builds.size, 1, `one engine build: ${[...builds]}`);
    const [a, b] = [totals(first), totals(repeat)];
    console.log(`${name}: first visit ${(a.all / 1e6).toFixed(2)} MB, repeat ${(b.all / 1e6).toFixed(2)} MB (data ${b.data} bytes)`);
    assert.ok(a.all <= FIRST_VISIT_MB * 1e6, `first visit ${a.all} bytes`);
    const asked = [...repeat.keys()].filter((file) => file.startsWith('/data/'));
    assert.deepEqual(asked, [], 'a repeat visit asks the server for no data');
  });
}
