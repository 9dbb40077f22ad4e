// `cargo xtask serve`'s static server: npm's http-server, as a library because its command
// line cannot add headers. It sends the two that make the page cross-origin isolated, so that
// the CPU fallback gets SharedArrayBuffer and its threads (on a static host the service worker
// sw.js adds them instead). No caching, so that a rebuilt dist/ shows on reload; .wasm goes out
// as application/wasm, which WebAssembly.instantiateStreaming requires.
// Usage: node scripts/serve.mjs DIR PORT
import httpServer from 'http-server';

const [root, port] = process.argv.slice(2);
const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
httpServer.createServer({ root, headers, cache: -1, showDir: false }).listen(Number(port), '127.0.0.1');
