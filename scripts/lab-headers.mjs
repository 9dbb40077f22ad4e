// The response headers a host should send with the lab, shared by `cargo xtask serve`
// (scripts/serve.mjs) and the end-to-end tests that play such a host. docs/embedding.md says
// which host needs which, and why.
export const LAB_HEADERS = Object.freeze({
  // A top-level page cross-origin isolated: SharedArrayBuffer, so the CPU fallback's threads.
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  // Course pages that are cross-origin isolated themselves (JupyterLite, Pyodide: COEP) may
  // frame the lab and load its embed.js.
  'Cross-Origin-Resource-Policy': 'cross-origin',
  // A sandboxed frame without allow-same-origin is a foreign origin to the lab's own server:
  // its modules, worker and data load only with CORS (GitHub Pages sends this header too).
  'Access-Control-Allow-Origin': '*',
});
