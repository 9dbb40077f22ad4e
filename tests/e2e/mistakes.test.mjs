// What each model gets wrong, on the CPU path: after a full validation pass, each model's
// confusion matrix has one row per true class summing to that class's validation images (the
// same for every model, 12,000 in all), its diagonal is the accuracy the session reports, and
// the page's heat-map table, per-class bars and prediction gallery show those numbers.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openLab, pause, seriousViolations, snapshot, useBrowser, waitForStep } from './helpers.mjs';
import { checkConfusion, shoot } from './mistakes-checks.mjs';

const session = useBrowser({ webgpu: false });

test('confusion rows sum to the validation images of each class; the table, bars and gallery show them', async () => {
  const { page } = session;
  await page.setViewportSize({ width: 1280, height: 1000 });
  await openLab(page, session.url, 'inits=zeros,general-rule,ones&epochs=1&evalEvery=50&backend=cpu&hide=health,tiles');
  await page.click('#train');
  await waitForStep(page, 50, 60_000);
  await pause(page);
  await page.waitForFunction(() => window.weightInitLab.snapshot().confusion?.step >= 50, null, { timeout: 60_000 });
  const snap = await snapshot(page);
  const { confusion } = snap;
  await checkConfusion(page, confusion);

  // All-zeros gives every image the same class: one column holds all 12,000, and one class is
  // 100 % right, the nine others 0 %.
  const zeros = confusion.models.find((m) => m.id === 'zeros');
  const columns = Array.from({ length: 10 }, (_, c) => zeros.rows.reduce((sum, row) => sum + row[c], 0));
  assert.deepEqual(
    columns.filter((c) => c > 0),
    [12000],
    `all-zeros' columns: ${columns}`,
  );
  assert.deepEqual(zeros.perClass.map((a) => a).sort(), [0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  const rule = confusion.models.find((m) => m.id === 'general-rule');
  assert.ok(rule.accuracy > 0.55, `general rule after 50 steps: ${rule.accuracy}`);
  assert.ok(Math.min(...rule.perClass) < rule.accuracy && Math.max(...rule.perClass) > rule.accuracy, 'classes differ');

  // The per-class bars: one row per class, one number per model, each the rounded share.
  const bars = await page.$$eval('#per-class tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('.bar-value')].map((v) => v.textContent)));
  assert.equal(bars.length, 10);
  bars.forEach((row, c) => {
    assert.deepEqual(
      row,
      confusion.models.map((m) => `${Math.round(100 * m.perClass[c])} %`),
      `class ${c}`,
    );
  });
  const widths = await page.$$eval('#per-class tbody tr:first-child .bar', (list) => list.map((b) => parseFloat(b.style.width)));
  assert.deepEqual(
    widths.map((w) => w.toFixed(3)),
    confusion.models.map((m) => (100 * m.perClass[0]).toFixed(3)),
  );

  // The gallery: 20 images, two per class, each with every model's answer; the ✗ marks count
  // each model's wrong answers; all-zeros answers one class for all, so 18 of 20 are wrong.
  await page.waitForFunction(() => window.weightInitLab.snapshot().gallery?.step !== null, null, { timeout: 60_000 });
  const { gallery } = await snapshot(page);
  assert.equal(gallery.labels.length, 20);
  for (let c = 0; c < 10; c++) assert.equal(gallery.labels.filter((l) => l === c).length, 2, `class ${c} in the gallery`);
  const zerosAnswers = new Set(gallery.items.map((it) => it.predictions[0].predicted));
  assert.equal(zerosAnswers.size, 1, 'all-zeros answers one class');
  assert.equal(gallery.wrong[0], 18);
  const marked = await page.$$eval('#gallery figure', (figs) =>
    figs.map((f) => [...f.querySelectorAll('li')].map((li) => [li.className, li.querySelector('.mark').textContent])),
  );
  assert.equal(marked.length, 20);
  const wrongInPage = snap.run.inits.map((_, m) => marked.filter((lis) => lis[m][0] === 'wrong' && lis[m][1] === '✗').length);
  assert.deepEqual(wrongInPage, gallery.wrong);
  assert.ok(gallery.wrong[1] < 10, `the general rule gets most gallery images right: ${gallery.wrong[1]} wrong`);
  const captions = await page.$$eval('#gallery .truth', (list) => list.map((c) => c.textContent));
  assert.equal(captions[gallery.labels.indexOf(6)], 'Shirt', 'Fashion-MNIST class names');

  await page.selectOption('#confusion-model', 'general-rule');
  const views = { include: [['#mistakes'], ['#sweep'], ['#inits-section']] };
  assert.deepEqual(await seriousViolations(page, views), [], 'the views read with a keyboard and a screen reader');
  await shoot(page, '#mistakes .mistakes-views', 'mistakes-confusion.png');
  await shoot(page, '#gallery', 'mistakes-gallery.png');
});
