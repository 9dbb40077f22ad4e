// Embeds the lab with one script tag, placed where the tag is:
//
//   <script src="https://host/path/www/embed.js" data-inits="zeros,general-rule"
//           data-epochs="1" data-hide="data,params" data-height="900"></script>
//
// It inserts an iframe of the lab's index.html (found next to this script, so the lab and
// this file move together) with the data-* attributes as the page's URL state. The names are
// those of the state table in state.js (data-eval-every for evalEvery), imported from there.
// An attribute the lab cannot use as written (data-seed="", an unknown data-* name, a bad
// data-height) is named in this page's console; a setting's value is passed on as written
// all the same, so the lab's own error line names it too and the lab uses its default.
// data-height (a number of pixels or a CSS length, default 900) and data-title are for the
// frame itself.
//
// A classic script, not a module: only a classic script knows its own tag (currentScript).
(() => {
  const script = document.currentScript;
  if (!script) {
    console.error('embed.js must be loaded with a plain <script src> tag, not as a module');
    return;
  }
  const DEFAULT_HEIGHT = '900px';
  const { height: heightAttr, title, ...settings } = script.dataset;
  const warn = (problem) => console.warn(`embed.js: ${problem}`);
  const height = /^\d+(\.\d+)?$/.test(heightAttr ?? '') ? `${heightAttr}px` : heightAttr;

  const frame = document.createElement('iframe');
  frame.title = title || 'Weight initialization lab';
  frame.style.cssText = 'display:block;width:100%;border:0;';
  const heightUsable = height !== undefined && CSS.supports('height', height);
  if (height !== undefined && !heightUsable) {
    warn(`data-height=${JSON.stringify(heightAttr)} is ignored: not a number of pixels or a CSS length; using ${DEFAULT_HEIGHT}`);
  }
  frame.style.height = heightUsable ? height : DEFAULT_HEIGHT;
  script.after(frame);

  const page = new URL('../index.html', script.src);
  import(new URL('state.js', script.src).href)
    .then(({ embedHash }) => {
      const { hash, problems } = embedHash(settings);
      problems.forEach(warn);
      page.hash = hash;
    })
    .catch((err) => console.error(`embed.js could not read the lab's settings table: ${err}`))
    .finally(() => {
      frame.src = page.href;
    });
})();
