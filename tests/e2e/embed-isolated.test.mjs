// Course pages that are cross-origin isolated themselves (JupyterLite, Pyodide and game hosts
// send COEP) embed the lab, in an iframe or with the one script tag, under `require-corp` and
// under `credentialless`. The lab's host must send what scripts/lab-headers.mjs lists (as
// `cargo xtask serve` does): without Cross-Origin-Resource-Policy the browser blocks the frame.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { LAB_HEADERS } from '../../scripts/lab-headers.mjs';
import { labReady, launch, serveAuthorSite, serveDist } from './helpers.mjs';

const HASH = 'inits=zeros,general-rule&epochs=1';
const author = await serveAuthorSite();
after(() => author.close());

/** The author's page at `path`, isolated with COEP `coep`, embedding the lab at `lab` as `how`. */
function coursePage(path, coep, how, lab) {
  const embed =
    how === 'iframe'
      ? `<iframe src="${lab}index.html#${HASH}" style="width:1200px;height:900px"></iframe>`
      : `<script src="${lab}www/embed.js" data-inits="zeros,general-rule" data-epochs="1"></script>`;
  author.pages[path] = {
    html: `<!doctype html><title>A course</title><body>${embed}</body>`,
    headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': coep },
  };
  return `${author.url}${path.slice(1)}`;
}

/** Opens `url` in a fresh browser and runs `body(page, frame)` with the lab's frame. */
async function withFrame(url, body) {
  const browser = await launch({ webgpu: false });
  try {
    await browser.page.goto(url);
    assert.equal(await browser.page.evaluate(() => crossOriginIsolated), true, 'the course page is cross-origin isolated');
    const frame = await (await browser.page.waitForSelector('iframe')).contentFrame();
    await body(browser.page, frame);
  } finally {
    await browser.close();
  }
}

const site = await serveDist({ headers: { ...LAB_HEADERS } }); // a copy: http-server adds to it
after(() => site.close());

for (const coep of ['require-corp', 'credentialless']) {
  for (const how of ['iframe', 'script']) {
    test(`a course page with COEP ${coep} embeds the lab (${how}) and it trains`, () =>
      withFrame(coursePage(`/${coep}-${how}.html`, coep, how, site.url), async (_page, frame) => {
        await labReady(frame, 90_000);
        await frame.click('#train');
        await frame.waitForFunction(() => window.weightInitLab.snapshot().run.step >= 3, null, { timeout: 60_000 });
        assert.equal(await frame.isVisible('#error'), false);
      }));
  }
}

test('without Cross-Origin-Resource-Policy (a host that sends no headers) a require-corp page cannot frame the lab', async () => {
  const bare = await serveDist();
  try {
    await withFrame(coursePage('/bare.html', 'require-corp', 'iframe', bare.url), async (page, frame) => {
      await page.waitForTimeout(3000);
      const loaded = await frame.evaluate(() => Boolean(document.getElementById('train'))).catch(() => false);
      assert.equal(loaded, false, 'the browser blocks the frame: docs/embedding.md says which headers to add');
    });
  } finally {
    bare.close();
  }
});
