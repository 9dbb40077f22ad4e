// Shared by the end-to-end tests: serve dist/ on a free loopback port, start headless
// Chromium (with or without WebGPU), open the lab and wait for states of it.

import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import httpServer from 'http-server';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = process.env.DIST_DIR ?? path.join(root, 'dist');
export const ARTIFACTS = path.join(root, 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const BASE_FLAGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// SwiftShader's Vulkan: WebGPU without a GPU. Without these flags Chromium finds no adapter.
const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--enable-vulkan'];

/**
 * Serves dist/ (or `root`) on 127.0.0.1 at a free port, with `headers` on every response (no
 * CORS headers) and `cache` seconds of HTTP caching (-1: none); resolves to {url, close, http}
 * (`http`: the node:http server). `close` also drops open keep-alive connections, so
 * the browser finds the server gone.
 */
export async function serveDist({ root = DIST, headers = {}, cache = -1 } = {}) {
  const server = httpServer.createServer({ root, headers, cache, showDir: false, logFn: null });
  const { port } = await listen(server.server);
  const close = () => {
    server.close();
    server.server.closeAllConnections();
  };
  return { url: `http://127.0.0.1:${port}/`, close, http: server.server };
}

/**
 * A course author's site on http://localhost:PORT/ — another origin and site than the lab's
 * 127.0.0.1 — with no CORS headers. `pages[path]` is a page's HTML, or {html, csp, headers} for
 * one sent with a Content-Security-Policy header and other `headers`; whatever is POSTed to the site (CSP violation
 * reports) is kept in `reports`. It has no icon (204), as browsers ask for one.
 */
export async function serveAuthorSite() {
  const site = { pages: {}, reports: [] };
  const server = http.createServer((req, res) => {
    if (req.method === 'POST') {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        site.reports.push(body);
        res.writeHead(204).end();
      });
      return;
    }
    const path = new URL(req.url, 'http://localhost').pathname;
    if (path === '/favicon.ico') return res.writeHead(204).end();
    const page = site.pages[path];
    const { html, csp, headers: more } = typeof page === 'string' ? { html: page } : (page ?? {});
    const headers = { 'Content-Type': 'text/html; charset=utf-8', ...(csp && { 'Content-Security-Policy': csp }), ...more };
    res.writeHead(html ? 200 : 404, headers).end(html ?? 'not found');
  });
  const { port } = await listen(server);
  return Object.assign(site, { url: `http://localhost:${port}/`, close: () => server.close() });
}

async function listen(server) {
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return server.address();
}

/** Headless Chromium with a fresh profile; `webgpu` adds the SwiftShader WebGPU flags, `args`
 * more; `deviceScaleFactor` is the screen's device pixels per CSS pixel (2: a "retina" screen). */
export async function launch({ webgpu, args = [], deviceScaleFactor = 1 }) {
  const profile = await mkdtemp(path.join(tmpdir(), 'wil-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...BASE_FLAGS, ...(webgpu ? WEBGPU_FLAGS : []), ...args],
    viewport: { width: 1280, height: 720 },
    deviceScaleFactor,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  return {
    page,
    problems,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Registers hooks that serve dist/ and start Chromium around a test file's tests. The
 * returned session gets `url`, `page` and `problems` once the `before` hook has run;
 * `longTasks` records the page's long tasks from its first script on, `serve` are
 * serveDist's options, `deviceScaleFactor` is launch's, and `setup(session)` runs last in the
 * hook (root-level hooks of one file are not awaited one after another).
 */
export function useBrowser({ webgpu, deviceScaleFactor = 1, longTasks = false, serve, setup = async () => {} }) {
  const session = {};
  let server;
  let browser;
  before(async () => {
    server = await serveDist(serve);
    browser = await launch({ webgpu, deviceScaleFactor });
    if (longTasks) await recordLongTasks(browser.page);
    Object.assign(session, { url: server.url, page: browser.page, problems: browser.problems });
    await setup(session);
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });
  return session;
}

/** Opens the lab with URL state `hash` and waits until a trainer is ready. */
export async function openLab(page, url, hash = '') {
  await leaveLab(page);
  await page.goto(`${url}${hash ? `#${hash}` : ''}`);
  await labReady(page);
}

/**
 * Leaves the page for about:blank. A link that differs from the page's only in its hash is a
 * same-document navigation, where the last test's run still answers "ready" before the new
 * hash is read: each openLab starts from a fresh document instead.
 * @param {{goto(url: string): Promise<unknown>}} page a Playwright page or a driver (drivers.mjs)
 */
export const leaveLab = (page) => page.goto('about:blank');

/** Waits until the lab in `target` (a page, or the frame of an embedding) has a ready trainer. */
export const labReady = (target, timeout = 120_000) => target.waitForFunction(() => window.weightInitLab?.snapshot().run.ready, null, { timeout });

export const snapshot = (page) => page.evaluate(() => window.weightInitLab.snapshot());

/** Waits until the run has reached `steps` steps (or finished). */
export async function waitForStep(page, steps, timeout) {
  await page.waitForFunction(
    (n) => {
      const { run } = window.weightInitLab.snapshot();
      return run.step >= n || run.finished;
    },
    steps,
    { timeout, polling: 250 },
  );
}

/** Presses Pause and waits until the worker has stopped (the chunk in flight finishes). */
export async function pause(page) {
  await page.click('#train');
  await page.waitForFunction(() => !window.weightInitLab.snapshot().run.running, null, { timeout: 60_000 });
}

/** Trains the lab in `target` (a page or a frame) for at least `steps` steps, then pauses. */
export async function trainFor(target, steps) {
  await target.click('#train');
  await waitForStep(target, steps, 60_000);
  await pause(target);
  return target.evaluate(() => window.weightInitLab.snapshot().run.step);
}

/** Whether the element `selector` lies wholly inside the viewport as scrolled now (to a pixel). */
export const inView = (page, selector) =>
  page.$eval(selector, (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.top >= -1 && r.left >= -1 && r.bottom <= innerHeight + 1 && r.right <= innerWidth + 1;
  });

/** Saves a picture of the page (or of the element `selector`) to test-artifacts/`name`. */
export async function screenshot(page, name, { fullPage = true, selector = null } = {}) {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, name);
  if (selector) await page.locator(selector).screenshot({ path: file });
  else await page.screenshot({ path: file, fullPage });
  return file;
}

/** Records the page's long tasks (main-thread tasks over 50 ms) from the first script on. */
export async function recordLongTasks(page) {
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** The long tasks since page time `since` (ms, performance.now()). */
const longTasksSince = (page, since) => page.evaluate((t) => window.__longTasks.filter((task) => task.start >= t), since);

export const pageNow = (page) => page.evaluate(() => performance.now());

/**
 * The main thread's long tasks (over 50 ms) from page time `start` to `end`: their count, the
 * longest (ms), the total blocking time (each task's time past 50 ms) and that as a share of
 * the window. A measurement for the benchmark, never an assertion: the scheduler of a busy
 * two-core machine stretches any task.
 */
export async function longTasksBetween(page, start, end) {
  const tasks = (await longTasksSince(page, start)).filter((t) => t.start <= end);
  const blocking = tasks.reduce((sum, t) => sum + t.duration - 50, 0);
  return {
    count: tasks.length,
    longest: Math.max(0, ...tasks.map((t) => t.duration)),
    blocking,
    blockingShare: blocking / Math.max(1, end - start),
    durations: tasks.map((t) => Math.round(t.duration)),
  };
}

export const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The loss series of model `id` in a snapshot. */
export const lossesOf = (snap, id) => snap.loss.find((s) => s.id === id).values;
export const accuracyOf = (snap, id) => snap.accuracy.find((s) => s.id === id).values;

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * axe-core's violations of impact serious or critical in `page` (within `context`, axe's
 * include/exclude object, or the whole document), as readable lines.
 */
export async function seriousViolations(page, context = null) {
  await page.evaluate(await readFile(AXE, 'utf8'));
  const violations = await page.evaluate(async (c) => (await window.axe.run(c ?? document)).violations, context);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    );
}
