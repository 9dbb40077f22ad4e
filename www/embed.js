// Embeds the lab with one script tag, placed where the tag is:
//
//   <script src="https://host/path/www/embed.js" data-inits="zeros,general-rule"
//           data-epochs="1" data-hide="data,params" data-height="900"></script>
//
// It inserts an iframe of the lab's index.html (found next to this script, so the lab and
// this file move together) with the data-* attributes as the page's URL state. The names are
// those of the state table in state.js (data-eval-every for evalEvery), imported from there;
// the page itself checks the values and says which ones it ignored. data-height (a number of
// pixels or a CSS length, default 900) and data-title are for the frame itself.
//
// A classic script, not a module: only a classic script knows its own tag (currentScript).
(() => {
  const script = document.currentScript;
  if (!script) {
    console.error('embed.js must be loaded with a plain <script src> tag, not as a module');
    return;
  }
  const DEFAULT_HEIGHT = '900px';
  const data = script.dataset;
  const height = /^\d+(\.\d+)?$/.test(data.height ?? '') ? `${data.height}px` : data.height;

  const frame = document.createElement('iframe');
  frame.title = data.title || 'Weight initialization lab';
  frame.style.cssText = 'display:block;width:100%;border:0;';
  frame.style.height = height && CSS.supports('height', height) ? height : DEFAULT_HEIGHT;
  script.after(frame);

  const page = new URL('../index.html', script.src);
  import(new URL('state.js', script.src).href)
    .then(({ FIELDS }) => {
      const params = new URLSearchParams();
      for (const { name } of FIELDS) if (data[name] !== undefined) params.set(name, data[name]);
      // Commas are legal in a fragment, and keep lists readable, as in state.js's links.
      page.hash = params.toString().replaceAll('%2C', ',');
    })
    .catch((err) => console.error(`embed.js could not read the lab's settings table: ${err}`))
    .finally(() => {
      frame.src = page.href;
    });
})();
