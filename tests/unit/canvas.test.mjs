// The page's self-drawn canvases (www/views/canvas.js), with a stand-in browser: the backing
// store is the CSS box × devicePixelRatio, and a canvas kept sharp is drawn again when its box
// changes and when the ratio does (a media query event; Chromium's emulated ratio changes in
// the e2e tests fire none).

import assert from 'node:assert/strict';
import { test } from 'node:test';

// A stand-in for what canvas.js uses: the ratio, media queries, ResizeObserver and canvases.
const queries = [];
const observers = [];
const page = [];
Object.assign(globalThis, {
  devicePixelRatio: 2,
  matchMedia: (text) => {
    const query = { text, listeners: [], addEventListener: (_type, fn) => query.listeners.push(fn) };
    queries.push(query);
    return query;
  },
  ResizeObserver: class {
    constructor(callback) {
      this.callback = callback;
      this.targets = new Set();
      observers.push(this);
    }
    observe(target) {
      this.targets.add(target);
    }
    unobserve(target) {
      this.targets.delete(target);
    }
  },
  document: { querySelectorAll: () => page },
});
const { fitCanvas, keepSharp } = await import('../../www/views/canvas.js');

/** A canvas with a CSS box of `width` × `height` and a context that records its transform. */
function canvas(width, height) {
  const ctx = { transforms: [], setTransform: (...t) => ctx.transforms.push(t), clearRect: () => {} };
  return { clientWidth: width, clientHeight: height, width: 300, height: 150, isConnected: true, getContext: () => ctx, ctx };
}

test('the backing store is the CSS box × the ratio, and the context draws in CSS pixels', () => {
  const c = canvas(198, 72);
  const { ctx, width, height } = fitCanvas(/** @type {any} */ (c));
  assert.deepEqual([c.width, c.height, width, height], [396, 144, 198, 72]);
  assert.deepEqual(ctx, c.ctx);
  assert.deepEqual(c.ctx.transforms.at(-1), [2, 0, 0, 2, 0, 0]);
  const hidden = canvas(0, 0);
  fitCanvas(/** @type {any} */ (hidden), { width: 240, height: 64 });
  assert.deepEqual([hidden.width, hidden.height], [480, 128], 'a canvas with no box yet: the fallback size');
});

test('a canvas kept sharp is drawn again when its box changes and when the ratio changes', () => {
  const [a, b, alone] = [canvas(100, 50), canvas(100, 50), canvas(10, 10)];
  const calls = { shared: 0, alone: 0 };
  const shared = () => calls.shared++;
  keepSharp(/** @type {any} */ (a), shared);
  keepSharp(/** @type {any} */ (b), shared);
  keepSharp(/** @type {any} */ (alone), () => calls.alone++);
  page.push(a, b, alone);
  const [observer] = observers;
  assert.equal(observers.length, 1, 'one observer for every canvas');

  observer.callback([{ target: a }, { target: b }]);
  assert.deepEqual(calls, { shared: 1, alone: 0 }, 'canvases sharing a painter: one call');

  // The window moves to a 1× screen: the query for 2 dppx changes, and the next one watches 1.
  assert.equal(queries.length, 1);
  assert.equal(queries[0].text, '(resolution: 2dppx)');
  globalThis.devicePixelRatio = 1;
  for (const fn of queries[0].listeners) fn();
  assert.deepEqual(calls, { shared: 2, alone: 1 });
  assert.equal(queries.at(-1).text, '(resolution: 1dppx)');

  // A canvas taken out of the page is no longer watched.
  a.isConnected = false;
  observer.callback([{ target: a }]);
  assert.equal(observer.targets.has(a), false);
  assert.deepEqual(calls, { shared: 2, alone: 1 });
});
