// `cargo xtask serve`'s static server: npm's http-server, as a library because its command
// line cannot add headers. It sends LAB_HEADERS (scripts/lab-headers.mjs): cross-origin
// isolation, so that the CPU fallback gets SharedArrayBuffer and its threads (on a static host
// the service worker sw.js adds them instead), and what embedding pages need. No caching, so
// that a rebuilt dist/ shows on reload; .wasm goes out as application/wasm, which
// WebAssembly.instantiateStreaming requires.
// Usage: node scripts/serve.mjs DIR PORT
import httpServer from 'http-server';
import { LAB_HEADERS } from './lab-headers.mjs';

const [root, port] = process.argv.slice(2);
httpServer.createServer({ root, headers: { ...LAB_HEADERS }, cache: -1, showDir: false }).listen(Number(port), '127.0.0.1');
