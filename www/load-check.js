// @ts-check
// Why a script did not load, in one sentence a host can act on. A browser says only "failed
// to fetch a module" (Chromium) or nothing at all (a worker's bare error event), whether the
// file is missing, sent with the wrong type or blocked; this asks the server again and walks
// the module's static imports to the first file that is wrong.
//
// Both a classic script and a module with no exports, on purpose: the page loads it with a
// plain <script> tag (boot.js needs it when no module can load) and the training worker
// imports it for its side effect. Either way it defines `globalThis.whyNotLoaded`.

/** The MIME types browsers run a script as (HTML's "JavaScript MIME type essence match"). */
const SCRIPT_TYPES = /^(application|text)\/(x-)?(javascript|ecmascript)$|^text\/(javascript1\.[0-5]|jscript|livescript)$/;
/** Static imports and re-exports (`import … from 'x'`, `import 'x'`, `export … from 'x'`), as
 * statements at a line's start: an import named in a comment is not followed. */
const IMPORT = /^\s*(?:import|export)\s*(?:[\w*{}\s,$]+?\s*from\s*)?['"]([^'"]+)['"]/gm;

/**
 * Resolves to a sentence that names the first of `url` and the modules it imports (static
 * imports, depth first) that the server does not serve as a runnable script — missing,
 * refused, or with a type that is not JavaScript — or to null when every one looks right.
 * `wasm: true` checks a WebAssembly file instead (its status only: the engine's loader takes
 * any type). Never rejects.
 * @param {string} url
 * @param {{wasm?: boolean}} [options]
 * @returns {Promise<string | null>}
 */
globalThis.whyNotLoaded = async function whyNotLoaded(url, { wasm = false } = {}) {
  const seen = new Set();
  const check = async (/** @type {string} */ at) => {
    if (seen.has(at)) return null;
    seen.add(at);
    const name = new URL(at).pathname;
    let response;
    try {
      response = await fetch(at, { cache: 'no-store' });
    } catch (err) {
      return `${name} could not be fetched (${err instanceof Error ? err.message : err})`;
    }
    if (!response.ok) {
      const status = `HTTP ${[response.status, response.statusText].filter(Boolean).join(' ')}`;
      if (response.status === 404 || response.status === 410) {
        return `the server has no ${name} (${status}): publish every file of the site, as \`cargo xtask dist\` builds it`;
      }
      return `the server refused ${name} (${status})`;
    }
    if (wasm) return null;
    const type = (response.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (!SCRIPT_TYPES.test(type)) {
      return (
        `the server sent ${name} as "${type || 'no type'}", and browsers run scripts only when they are sent as ` +
        'text/javascript: set the server\'s type for .js files to "text/javascript"'
      );
    }
    const code = await response.text();
    for (const [, spec] of code.matchAll(IMPORT)) {
      if (!/^\.{0,2}\//.test(spec)) continue; // a bare or absolute specifier: not one of ours
      const problem = await check(new URL(spec, at).href);
      if (problem) return problem;
    }
    return null;
  };
  try {
    return await check(new URL(url, globalThis.location?.href).href);
  } catch {
    return null;
  }
};
