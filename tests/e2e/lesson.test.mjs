// The guided lesson as a student takes it: `#lesson=1` to the end of the seed lesson's five
// chapters on the keyboard alone (choose, reveal, read the explanation, next), every
// explanation quoting this run's numbers (and other numbers under another seed); and a course
// author's chapter: a wrong field named in the author panel and in the page, a right one
// exported and shown in an iframe on another origin.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { leaveLab, serveAuthorSite, snapshot, useBrowser } from './helpers.mjs';

let author;
const session = useBrowser({ webgpu: false, setup: async () => (author = await serveAuthorSite()) });
after(() => author?.close());

const SEED_CHAPTERS = 5;

/** Presses Tab until the focus is on `id` (at most 40 times); fails if it never gets there. */
async function tabTo(page, id) {
  for (let i = 0; i < 40; i++) {
    if ((await page.evaluate(() => document.activeElement?.id)) === id) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab never reached #${id}`);
}

/** The accuracy of each model at the end, as the results table writes it with one decimal. */
const accuracies = async (target) => {
  const rows = await target.evaluate(() => window.weightInitLab.snapshot().results?.rows ?? []);
  return rows.map((r) => `${(100 * r.val_accuracy).toFixed(1)} %`);
};

/** Waits for the open chapter's explanation and returns its text. */
async function explanation(target) {
  await target.waitForSelector('#lesson-explain:not([hidden])', { timeout: 120_000 });
  return target.textContent('#lesson-explain .lesson-text');
}

test('a newcomer goes through the seed lesson on the keyboard alone; every explanation quotes the run', async () => {
  const { page, problems } = session;
  await leaveLab(page);
  // One epoch a chapter (a lesson link's own settings apply to every chapter): half the time.
  await page.goto(`${session.url}#lesson=1&epochs=1&backend=cpu`);
  await page.waitForSelector('#lesson-panel:not([hidden])');
  for (let n = 1; n <= SEED_CHAPTERS; n++) {
    assert.match(await page.textContent('.lesson-progress'), new RegExp(`^Lesson ${n} of \\d+$`));
    assert.match(page.url(), new RegExp(`#lesson=${n}&epochs=1&backend=cpu$`), 'the link names the chapter');
    // The views wait for the reveal; the controls are not part of a chapter.
    assert.equal(await page.isVisible('#params-section'), false);
    assert.equal(await page.$eval('.charts', (el) => getComputedStyle(el).visibility), 'hidden', 'no answer before the question');
    await page.waitForFunction(() => window.weightInitLab?.snapshot().run.ready, null, { timeout: 60_000 });

    await tabTo(page, 'lesson-choice-1');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown'); // the second choice, whatever is right
    await page.keyboard.press('Enter'); // the form's reveal
    const text = await explanation(page);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'lesson-explain', 'focus goes to the answer');
    assert.equal(await page.$eval('.charts', (el) => getComputedStyle(el).visibility), 'visible');
    const numbers = await accuracies(page);
    assert.equal(numbers.length, 2);
    for (const number of numbers) assert.ok(text.includes(number), `chapter ${n} quotes ${number}: ${text}`);
    assert.doesNotMatch(text, /—|\{/, `chapter ${n} has every number: ${text}`);
    assert.match(await page.textContent('.lesson-verdict'), /You expected “.+”/);

    if (n < SEED_CHAPTERS) {
      await tabTo(page, 'lesson-next');
      await page.keyboard.press('Enter');
      await page.waitForFunction((i) => document.querySelector('.lesson-progress').textContent.startsWith(`Lesson ${i} `), n + 1);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'lesson-title', 'focus on the new chapter');
    }
  }
  // Leaving gives the full lab with the last chapter's run.
  await tabTo(page, 'lesson-leave');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#lesson-panel', { state: 'hidden' });
  assert.equal(await page.isVisible('#params-section'), true);
  assert.match(decodeURIComponent(page.url()), /#inits=general-rule,normal&epochs=1&backend=cpu$/);
  assert.deepEqual(problems, []);
});

test('another seed, other numbers: the explanation follows the run', async () => {
  const { page } = session;
  const texts = [];
  for (const seed of [11, 12]) {
    await leaveLab(page);
    await page.goto(`${session.url}#lesson=2&epochs=1&backend=cpu&seed=${seed}`);
    await page.waitForFunction(() => window.weightInitLab?.snapshot().run.ready, null, { timeout: 60_000 });
    await page.check('#lesson-choice-2');
    await page.click('#lesson-reveal');
    const text = await explanation(page);
    for (const number of await accuracies(page)) assert.ok(text.includes(number), `seed ${seed} quotes ${number}: ${text}`);
    texts.push(text);
  }
  assert.notEqual(texts[0], texts[1], 'two seeds, two explanations');
});

test('an author’s chapter: a wrong field is named; a right one is exported and shown in an iframe on another origin', async () => {
  const { page } = session;
  await leaveLab(page);
  await page.goto(`${session.url}#backend=cpu&inits=zeros,he-normal&epochs=1`);
  await page.waitForFunction(() => window.weightInitLab?.snapshot().run.ready, null, { timeout: 60_000 });
  await page.click('#author-details summary');
  await page.waitForFunction(() => document.getElementById('author-json').value); // the starter
  const starter = JSON.parse(await page.inputValue('#author-json'));
  assert.equal(starter.choices.length, 2, 'the run’s two models are the choices');
  assert.equal(starter.explain.includes('{accuracy zeros}') && starter.explain.includes('{accuracy he-normal}'), true);
  const chapter = { ...starter, question: 'Which one learns?', answer: starter.choices[1], chioces: ['x'] };
  await page.fill('#author-json', JSON.stringify(chapter, null, 2));
  await page.waitForSelector('#author-errors:not([hidden])');
  assert.match(await page.textContent('#author-errors'), /unknown field "chioces"/);
  assert.equal(await page.isDisabled('#author-preview'), true);

  // The same mistake in a link: the page names the field too, above the full lab.
  await leaveLab(page);
  await page.goto(
    `${session.url}#backend=cpu&chapter=${encodeURIComponent(JSON.stringify({ ...chapter, chioces: undefined, choices: ['only one'] }))}`,
  );
  await page.waitForSelector('.lesson-errors:not([hidden])');
  assert.match(await page.textContent('.lesson-errors'), /field "choices": has 1; a question has 2 to 6 choices/);
  assert.match(await page.textContent('.lesson-errors'), /field "answer"/);

  // Fixed: a link and an embed snippet, which a course page on another origin shows.
  await leaveLab(page);
  await page.goto(`${session.url}#backend=cpu&inits=zeros,he-normal&epochs=1`);
  await page.waitForFunction(() => window.weightInitLab?.snapshot().run.ready, null, { timeout: 60_000 });
  await page.click('#author-details summary');
  await page.waitForFunction(() => document.getElementById('author-json').value); // the starter
  const fixed = { ...chapter, chioces: undefined };
  await page.fill('#author-json', JSON.stringify(fixed));
  await page.waitForFunction((q) => document.getElementById('author-embed').value.includes(q), encodeURIComponent(fixed.question));
  const snippet = await page.inputValue('#author-embed');
  assert.ok(snippet.includes(session.url), snippet);
  author.pages['/chapter.html'] = `<!doctype html><title>A course</title><h1>Week 3</h1>${snippet}`;
  await leaveLab(page);
  await page.goto(`${author.url}chapter.html`);
  const frame = await (await page.waitForSelector('iframe')).contentFrame();
  await frame.waitForSelector('#lesson-panel:not([hidden])');
  assert.equal(await frame.textContent('#lesson-title'), fixed.title);
  assert.equal(await frame.textContent('.lesson-question'), 'Which one learns?');
  await frame.waitForFunction(() => window.weightInitLab?.snapshot().run.ready, null, { timeout: 60_000 });
  await frame.check('#lesson-choice-2');
  await frame.click('#lesson-reveal');
  const text = await explanation(frame);
  for (const number of await accuracies(frame)) assert.ok(text.includes(number), `the chapter quotes ${number}: ${text}`);
  assert.match(await frame.textContent('.lesson-verdict'), /^Right\./);
  const { run } = await snapshot(frame);
  assert.deepEqual(run.inits, ['zeros', 'he-normal']);
});
