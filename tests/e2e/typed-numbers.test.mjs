// A person types numbers as their locale writes them: "0,001" is a learning rate of 0.001
// (a `type=number` box made it 1 in Chromium, and the run trained at lr = 1), "0,1" a dropout
// of 0.1; what cannot be one number ("0,0,1", "1,000") is named with what was typed and what
// is expected, and the run keeps its value. ↑ and ↓ still step a whole number.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openLab, useBrowser } from './helpers.mjs';

const session = useBrowser({ webgpu: false });

const field = (name) => `#params input[name="${name}"]`;
const hash = (page) => page.evaluate(() => decodeURIComponent(location.hash));

/** Types `text` into field `name` key by key, as a person does, and leaves it with Tab. */
async function typeInto(page, name, text) {
  await page.fill(field(name), '');
  await page.locator(field(name)).pressSequentially(text);
  await page.press(field(name), 'Tab');
}

test('a decimal comma is read as a decimal mark; the field then shows the number read', async () => {
  const { page } = session;
  await openLab(page, session.url, 'inits=general-rule&epochs=1&backend=cpu&hide=health,tiles,mistakes,diagnostics,signal');
  assert.equal(await page.getAttribute(field('lr'), 'inputmode'), 'decimal');

  await typeInto(page, 'lr', '0,001');
  await page.waitForFunction(() => /(^|&)lr=0\.001(&|$)/.test(location.hash.slice(1)));
  assert.equal(await page.inputValue(field('lr')), '0.001');
  assert.equal(await page.getAttribute(field('lr'), 'aria-invalid'), 'false');

  await typeInto(page, 'lr', '1,5e-3');
  await page.waitForFunction(() => /(^|&)lr=0\.0015(&|$)/.test(location.hash.slice(1)));

  await typeInto(page, 'dropout', '0,1');
  await page.waitForFunction(() => /(^|&)dropout=0\.1(&|$)/.test(location.hash.slice(1)));
  assert.equal(await page.inputValue(field('dropout')), '0.1');
  assert.equal(await page.isHidden('#error'), true, 'no message for numbers that were read');
});

test('text that is not one number is named as typed, with what is expected; the run keeps its value', async () => {
  const { page } = session;
  await typeInto(page, 'lr', '0,0,1');
  await page.waitForFunction(() => /learning rate/.test(document.getElementById('error-text').textContent));
  assert.equal(
    await page.textContent('#error-text'),
    'learning rate = "0,0,1" cannot be used (more than one . or , in it; write one decimal mark and no thousands separators): expected a number from 0.000001 to 10, such as 0.001; the run keeps its current value',
  );
  assert.equal(await page.getAttribute(field('lr'), 'aria-invalid'), 'true');
  assert.match(await hash(page), /lr=0\.0015/, 'the link keeps the value read before');

  // Where `.` is the decimal mark (this browser's en-US), "1,000" is a thousand or one.
  await typeInto(page, 'batch', '1,000');
  await page.waitForFunction(() => /batch size/.test(document.getElementById('error-text').textContent));
  assert.match(
    await page.textContent('#error-text'),
    /^batch size = "1,000" cannot be used \(could mean 1000 or 1\): expected a whole number from 1 to 10000/,
  );
  assert.doesNotMatch(await hash(page), /batch=/);
});

test('↑ and ↓ step a whole number and a dropout rate, as a number box did', async () => {
  const { page } = session;
  await page.focus(field('epochs'));
  await page.keyboard.press('ArrowUp');
  await page.waitForFunction(() => /(^|&)epochs=2(&|$)/.test(location.hash.slice(1)));
  assert.equal(await page.inputValue(field('epochs')), '2');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => /(^|&)epochs=1(&|$)/.test(location.hash.slice(1)));
  await page.focus(field('dropout'));
  await page.keyboard.press('ArrowUp');
  await page.waitForFunction(() => /(^|&)dropout=0\.15(&|$)/.test(location.hash.slice(1)));
});

test('the custom initializer form reads a decimal comma too', async () => {
  const { page } = session;
  await page.selectOption('#custom-kind', 'gain');
  await page.fill('#custom-p0', '');
  await page.locator('#custom-p0').pressSequentially('1,5');
  await page.click('.custom-init-form button[type="submit"]');
  await page.waitForSelector('#inits input[value="gain:1.5"]', { timeout: 60_000 });
  await page.fill('#custom-p0', '0,0,1');
  await page.click('.custom-init-form button[type="submit"]');
  assert.equal(
    await page.textContent('#custom-init-error'),
    'Cannot add: g must be a number such as 1 (it is "0,0,1": more than one . or , in it; write one decimal mark and no thousands separators).',
  );
});
