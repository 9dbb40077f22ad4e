// Shared by the confusion-matrix tests (CPU and WebGPU): the numbers every full validation
// pass's confusion matrices must satisfy, and the page's table showing them.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ARTIFACTS } from './helpers.mjs';

const VALIDATION = 12000;

/** Checks `confusion` (the snapshot's) and the heat-map table for each model in the picker. */
export async function checkConfusion(page, confusion) {
  assert.equal(confusion.images, VALIDATION);
  const sums = confusion.models[0].rowSums;
  assert.equal(
    sums.reduce((a, b) => a + b, 0),
    VALIDATION,
    'all rows together: every validation image once',
  );
  for (const s of sums) assert.ok(s > 1000 && s < 1400, `a class's validation images: ${sums}`); // ~1,200 of 6,000
  for (const m of confusion.models) {
    assert.equal(m.rows.length, 10);
    assert.deepEqual(m.rowSums, sums, `${m.id}: each row sums to that class's validation images, as for every model`);
    const right = m.rows.reduce((sum, row, r) => sum + row[r], 0);
    if (Number.isFinite(m.accuracy))
      assert.ok(Math.abs(right / VALIDATION - m.accuracy) < 1e-6, `${m.id}: diagonal ${right} vs accuracy ${m.accuracy}`);
    for (const [c, a] of m.perClass.entries()) assert.ok(Math.abs(a - m.rows[c][c] / sums[c]) < 1e-12);
    // The page's table for this model: the same counts, row by row.
    await page.selectOption('#confusion-model', m.id);
    await page.waitForSelector(`#confusion[data-init="${m.id}"]`);
    const cells = await page.$$eval('#confusion tbody tr', (rows) =>
      rows.map((r) => [...r.querySelectorAll('td')].map((td) => Number(td.textContent.replace(/,/g, '')))),
    );
    assert.deepEqual(cells, m.rows, `${m.id}: the heat-map table`);
    const title = await page.getAttribute('#confusion tbody tr:nth-child(7) td:nth-child(7)', 'title');
    assert.match(title, /^true .+, predicted .+: [\d,]+ of [\d,]+ \(\d+\.\d %\)$/, 'counts on hover');
  }
}

/** A screenshot of the element `selector` in test-artifacts/. */
export async function shoot(page, selector, name) {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, name);
  await page.mouse.move(0, 0); // no hover tooltip over the view
  await page.locator(selector).screenshot({ path: file });
  console.log(`screenshot: ${file}`);
  return file;
}
