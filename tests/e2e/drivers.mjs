// One small interface over three browser engines' automation clients, so every engine runs
// the same checks (engines.mjs). A driver has:
//   goto(url) · evaluate(fn, arg) (a JSON-able result) · click(selector) ·
//   type(selector, text) (cleared, typed key by key, committed with Enter: headless Firefox's
//   window has no system focus, so leaving a field with Tab fires no change there) ·
//   upload(selector, paths) (files into an <input type=file>) · close()
// Chromium: playwright-core (helpers.mjs). Firefox ESR: puppeteer-core over WebDriver BiDi.
// WebKitGTK: selenium-webdriver talking to a WebKitWebDriver started here, on an Xvfb
// display started here (MiniBrowser has no headless mode).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import puppeteer from 'puppeteer-core';
import { Builder, By, Key } from 'selenium-webdriver';
import { launch } from './helpers.mjs';

const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER ?? 'WebKitWebDriver';
const MINIBROWSER = process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** Runs `body(driver)` in the browser that `open()` (one of the drivers here) starts, then closes it. */
export async function inBrowser(open, body) {
  const driver = await open();
  try {
    await body(driver);
  } finally {
    await driver.close();
  }
}

/** Headless Chromium without WebGPU (the CPU path); `initScript` runs before the page's own. */
export async function chromium({ initScript } = {}) {
  const browser = await launch({ webgpu: false });
  const { page } = browser;
  if (initScript) await page.addInitScript(initScript);
  return {
    name: 'Chromium',
    page, // for Chromium-only checks (routes)
    goto: (url) => page.goto(url),
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    click: (selector) => page.click(selector),
    type: async (selector, text) => {
      await page.fill(selector, '');
      await page.locator(selector).pressSequentially(text);
      await page.press(selector, 'Enter');
    },
    upload: (selector, paths) => page.setInputFiles(selector, paths),
    close: browser.close,
  };
}

/** Headless Firefox ESR, driven over WebDriver BiDi (it has no WebGPU here: the CPU path). */
export async function firefox() {
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
  const page = (await browser.pages())[0] ?? (await browser.newPage());
  return {
    name: 'Firefox',
    goto: (url) => page.goto(url),
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    click: (selector) => page.click(selector),
    type: async (selector, text) => {
      await page.click(selector, { count: 3 }); // focused as a click focuses it, its text selected
      await page.keyboard.press('Backspace');
      await page.type(selector, text);
      await page.keyboard.press('Enter');
    },
    upload: async (selector, paths) => (await page.$(selector)).uploadFile(...paths),
    close: () => browser.close(),
  };
}

/**
 * WebKitGTK's MiniBrowser in the locale `locale` (LANG and LC_ALL). WebKitGTK takes
 * navigator.language from the C library's locale: "C.UTF-8" gives "C", which Intl rejects.
 */
export async function webkit({ locale = 'en_US.UTF-8' } = {}) {
  const children = new Children();
  try {
    const display = await children.xvfb();
    const port = await freePort();
    const env = { ...process.env, DISPLAY: display, LANG: locale, LC_ALL: locale };
    delete env.LANGUAGE; // it would override LANG for the language list
    children.start(WEBKIT_DRIVER, [`--port=${port}`], env);
    const server = `http://127.0.0.1:${port}`;
    await until(
      () =>
        fetch(`${server}/status`).then(
          (r) => r.ok,
          () => false,
        ),
      10_000,
      `${WEBKIT_DRIVER} to listen`,
    );
    const driver = await new Builder()
      .usingServer(server)
      .withCapabilities({
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
      })
      .build();
    const find = (selector) => driver.findElement(By.css(selector));
    return {
      name: 'WebKitGTK',
      goto: (url) => driver.get(url),
      evaluate: (fn, arg) => driver.executeScript(fn, arg),
      click: async (selector) => (await find(selector)).click(),
      type: async (selector, text) => {
        const input = await find(selector);
        await input.clear();
        await input.sendKeys(text, Key.ENTER);
      },
      upload: async (selector, paths) => (await find(selector)).sendKeys(paths.join('\n')),
      close: async () => {
        try {
          await driver.quit();
        } finally {
          children.stop();
        }
      },
    };
  } catch (err) {
    children.stop();
    throw new Error(`${err.message}\n${children.stderr()}`, { cause: err });
  }
}

/** Processes started for a driver; stopped with it, or when this process exits. */
class Children {
  constructor() {
    this.list = [];
    this.log = '';
    this.stop = this.stop.bind(this);
    process.once('exit', this.stop);
  }

  start(command, args, env, extraStdio = []) {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe', ...extraStdio] });
    child.stderr.on('data', (chunk) => (this.log = (this.log + chunk).slice(-4000)));
    child.on('error', (err) => (this.log += `\n${command}: ${err.message}`));
    this.list.push(child);
    return child;
  }

  /** Starts Xvfb on a free display (it writes the number it took to fd 3). */
  async xvfb() {
    const child = this.start('Xvfb', ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1280x800x24'], process.env, ['pipe']);
    const number = await Promise.race([
      new Promise((resolve) => child.stdio[3].once('data', (data) => resolve(String(data).trim()))),
      sleep(10_000, null, { ref: false }).then(() => Promise.reject(new Error('Xvfb did not start'))),
      new Promise((_, reject) => child.once('exit', () => reject(new Error('Xvfb exited')))),
    ]);
    return `:${number}`;
  }

  stderr() {
    return this.log.trim();
  }

  stop() {
    for (const child of this.list.reverse()) if (child.exitCode === null) child.kill();
    this.list = [];
    process.off('exit', this.stop);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function until(check, timeout, what) {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
