// @ts-check
// Embeds the lab with one script tag, placed where the tag is:
//
//   <script src="https://host/path/www/embed.js" data-inits="zeros,general-rule"
//           data-epochs="1" data-hide="data,params" data-height="900"></script>
//
// It inserts an iframe of the lab's index.html (found next to this script, so the lab and
// this file move together). data-height (a number of pixels or a CSS length, default 900)
// and data-title are for the frame itself; every other data-* attribute is a URL setting of
// the lab, passed on by name alone (data-eval-every becomes evalEvery).
//
// Self-contained on purpose: the course author's page is usually on another origin, which
// could not import the lab's modules unless the lab's host sent CORS headers. So this file
// knows no setting; the page checks the values and names any it cannot use in its error
// line. What only this file can check (the frame's height) it names next to the frame and
// in the console.
//
// A classic script, not a module: only a classic script knows its own tag (currentScript).
(() => {
  const script = /** @type {HTMLScriptElement | null} */ (document.currentScript);
  if (!script?.src) {
    console.error('embed.js must be loaded with a plain <script src="…/www/embed.js"> tag, not as a module');
    return;
  }
  if (script.closest('head')) {
    console.error('embed.js puts the lab where its tag is: move the tag into the <body>');
    return;
  }
  const FRAME_ATTRIBUTES = ['height', 'title'];
  const DEFAULT_HEIGHT = '900px';
  const data = script.dataset;
  const problems = [];

  const frame = document.createElement('iframe');
  frame.title = data.title || 'Weight initialization lab';
  frame.style.cssText = 'display:block;width:100%;border:0;';
  frame.style.height = frameHeight(data.height);

  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(data)) {
    if (!FRAME_ATTRIBUTES.includes(name)) params.set(name, value);
  }
  const page = new URL('../index.html', script.src);
  // Commas are legal in a fragment, and keep lists readable, as in the page's own links.
  page.hash = params.toString().replaceAll('%2C', ',');
  frame.src = page.href;
  script.after(frame);
  if (problems.length) warn(problems);

  function frameHeight(raw) {
    if (raw === undefined) return DEFAULT_HEIGHT;
    const height = /^\d+(\.\d+)?$/.test(raw) ? `${raw}px` : raw;
    if (CSS.supports('height', height)) return height;
    problems.push(`data-height="${raw}" is not a height (a number of pixels or a CSS length); using ${DEFAULT_HEIGHT}`);
    return DEFAULT_HEIGHT;
  }

  /** A line under the frame for the author to see, and the same in the console. */
  function warn(lines) {
    const note = document.createElement('p');
    note.className = 'weight-init-lab-embed-warning';
    note.setAttribute('role', 'alert');
    note.style.cssText = 'margin:0.25em 0;color:#a40000;font:0.9em system-ui,sans-serif;';
    note.textContent = `Weight initialization lab embed: ${lines.join('; ')}.`;
    frame.after(note);
    console.warn(note.textContent);
  }
})();
