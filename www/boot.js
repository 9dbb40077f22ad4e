// @ts-check
// The page's first script, and a classic one on purpose: it runs where no module can load (a
// file:// page, a sandboxed frame, a server that sends .js as text/plain), so that every
// start-up failure ends in one sentence on the page instead of "starting…" forever. It
// shows errors until the page's own display takes over (`labBoot.reportErrorsTo`), and it
// loads the page's modules itself, so that it hears when they cannot load and asks the server
// why (load-check.js, loaded just before it).
(() => {
  // index.html's last resort, shown by CSS alone when no script ever runs: this one does.
  document.getElementById('no-start')?.remove();

  const describe = (err) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

  /** Puts `sentence` in the page's error line, and the status bar's "starting…" out. */
  const fail = (/** @type {string} */ sentence) => {
    /** @type {HTMLElement} */ (document.getElementById('error-text')).textContent = sentence;
    const box = /** @type {HTMLElement} */ (document.getElementById('error'));
    box.dataset.source = 'page';
    box.hidden = false;
    /** @type {HTMLElement} */ (document.getElementById('error-close')).hidden = true; // nothing else to see
    /** @type {HTMLElement} */ (document.getElementById('backend-name')).textContent = 'not started';
    /** @type {HTMLElement} */ (document.getElementById('progress-text')).textContent = '';
  };
  // Before the page's own display takes over, any error is fatal: the page did not start.
  let show = (/** @type {string} */ message) => fail(`The page could not start: ${message}`);

  addEventListener('error', (event) => {
    // Chromium reports ResizeObserver's benign "loop completed" notice here, with no error.
    if (!event.error && /ResizeObserver/.test(event.message)) return;
    show(describe(event.error ?? event.message));
  });
  addEventListener('unhandledrejection', (event) => show(describe(event.reason)));

  globalThis.labBoot = {
    /** Sends later uncaught errors to `handler(message)` (the page's own error display). */
    reportErrorsTo: (handler) => {
      show = handler;
    },
  };

  if (location.protocol === 'file:') {
    fail(
      'This page was opened as a file (file://), where browsers refuse to run its modules, its worker and its data ' +
        'downloads. Serve its folder over http instead: run "python3 -m http.server" in that folder ("py -m ' +
        'http.server" on Windows) and open http://localhost:8000/ (or "cargo xtask serve" in the project), or open ' +
        'the published site.',
    );
    return;
  }

  const app = new URL('app.js', /** @type {HTMLScriptElement} */ (document.currentScript).src).href;
  import(app).catch(async (err) => {
    // In an opaque-origin frame every request is cross-origin: one the server refuses is CORS.
    const refused =
      self.origin === 'null' &&
      (await fetch(app, { cache: 'no-store' }).then(
        () => false,
        () => true,
      ));
    if (refused) {
      fail(
        'This page is in a sandboxed frame without allow-same-origin, which makes it a foreign site to its own ' +
          'server, and the server does not allow foreign sites (no Access-Control-Allow-Origin header). Add ' +
          'allow-same-origin to the iframe\'s sandbox attribute, or serve the lab with "Access-Control-Allow-Origin: *".',
      );
      return;
    }
    // A module that threw as it ran is its own answer; a module that never ran is the server's.
    const problem = await globalThis.whyNotLoaded?.(app); // load-check.js may be what is missing
    show(problem ? `${problem}.` : describe(err));
  });
})();
