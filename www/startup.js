// @ts-check
// The page's first module (app.js imports it before anything else, and modules run in import
// order): from here on, an uncaught exception or rejection is shown on the page instead of
// leaving "starting…" there forever. Until app.js hands over to its state (`reportErrorsTo`),
// the message goes straight into the error line, since the page may never get further.

const describe = (err) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

let show = (message) => {
  document.getElementById('error-text').textContent = `The page could not start: ${message}`;
  const box = document.getElementById('error');
  box.dataset.source = 'page';
  box.hidden = false;
};

addEventListener('error', (event) => {
  // Chromium reports ResizeObserver's benign "loop completed" notice here, with no error.
  if (!event.error && /ResizeObserver/.test(event.message)) return;
  show(describe(event.error ?? event.message));
});
addEventListener('unhandledrejection', (event) => show(describe(event.reason)));

/** Sends later uncaught errors to `handler(message)` (the page's own error display). */
export function reportErrorsTo(handler) {
  show = handler;
}
