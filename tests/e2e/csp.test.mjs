// Under a strict Content-Security-Policy, sent as an HTTP header as a host sends it: the lab
// page itself, the lab in a course author's iframe, and the one-script-tag embed on an
// author's strict page each load and train with no violation. Three witnesses: a
// securitypolicyviolation listener in every frame, the browser's console errors (both in
// `problems`), and the reports the browser posts for every document and worker to the
// author's site (the training worker's and the service worker's violations reach no page).

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { labReady, openLab, serveAuthorSite, trainFor, useBrowser } from './helpers.mjs';

// The lab's own policy, as docs/embedding.md gives it.
const LAB_POLICY = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; style-src 'self'; img-src data:";

const author = await serveAuthorSite(); // first: the lab's policy reports to it
after(() => author.close());
const report = `report-uri ${author.url}reports`;
const session = useBrowser({
  webgpu: false,
  serve: { headers: { 'Content-Security-Policy': `${LAB_POLICY}; ${report}` } },
  setup: ({ page }) =>
    page.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (e) =>
        console.error(`CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} in ${e.documentURI}`),
      ),
    ),
});
const labOrigin = () => new URL(session.url).origin;

/** Asserts that nothing was blocked, once reports in flight have had time to arrive. */
async function noViolations() {
  await sleep(500);
  assert.deepEqual(author.reports, [], 'violation reports');
  assert.deepEqual(session.problems, []);
}

/** Opens an author's page `html` under the policy `csp`; returns the lab's frame, ready. */
async function openAuthorPage(name, csp, html) {
  author.pages[`/${name}`] = { csp: `${csp}; ${report}`, html: `<!doctype html><title>A course</title><body>${html}` };
  await session.page.goto(`${author.url}${name}`);
  const frame = await (await session.page.waitForSelector('iframe')).contentFrame();
  await labReady(frame, 60_000);
  return frame;
}

test('the witnesses see a violation (an inline script on a strict page)', async () => {
  author.pages['/inline.html'] = { csp: `default-src 'none'; ${report}`, html: '<script>document.title = "ran"</script>' };
  await session.page.goto(`${author.url}inline.html`);
  for (let i = 0; i < 50 && author.reports.length === 0; i++) await sleep(100);
  assert.match(JSON.parse(author.reports[0])['csp-report']['effective-directive'], /^script-src/);
  assert.ok(
    session.problems.some((p) => p.includes('CSP violation: script-src-elem blocked inline')),
    `${session.problems}`,
  );
  assert.notEqual(await session.page.title(), 'ran');
  author.reports.length = 0;
  session.problems.length = 0;
});

test('the lab page loads, draws, trains and keeps its offline copy under its policy', async () => {
  const { page } = session;
  await openLab(page, session.url, 'inits=zeros,general-rule&epochs=1');
  assert.ok((await trainFor(page, 3)) >= 3);
  const sheets = await page.evaluate(() => [...document.styleSheets].map((s) => s.cssRules.length));
  assert.ok(sheets.length >= 2 && sheets.every((n) => n > 0), `the page's and the charts' stylesheets: ${sheets}`);
  assert.ok(await page.$('#loss-chart canvas'), 'the loss chart is drawn');
  assert.ok((await page.$$('#samples canvas')).length > 0, 'the samples are drawn');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await noViolations();
});

test("an iframe of the lab on an author's page whose policy allows only that frame", async () => {
  const frame = await openAuthorPage(
    'iframe.html',
    `default-src 'none'; frame-src ${labOrigin()}`,
    `<iframe src="${session.url}index.html#inits=zeros,general-rule&epochs=1&hide=data" title="Lab" width="1200" height="900"></iframe>`,
  );
  assert.ok((await trainFor(frame, 3)) >= 3);
  await noViolations();
});

test("the script-tag embed on an author's page whose policy allows only embed.js and the frame", async () => {
  const frame = await openAuthorPage(
    'script.html',
    `default-src 'none'; script-src ${session.url}www/embed.js; frame-src ${labOrigin()}`,
    `<script src="${session.url}www/embed.js" data-inits="zeros,general-rule" data-epochs="1" data-height="tall"></script>`,
  );
  assert.deepEqual(await frame.$$eval('#inits input:checked', (boxes) => boxes.map((b) => b.value)), ['zeros', 'general-rule']);
  assert.match(await session.page.textContent('iframe + p'), /data-height="tall" is not a height/, 'its own warning shows too');
  assert.ok((await trainFor(frame, 3)) >= 3);
  await noViolations();
});
