// The message types between the page and the worker, named once. No imports, no DOM.
//
// page → worker: a Command is handed to the Rust session as it is (src/session/events.rs,
// `Command`); a Setup message is the worker's own I/O (fetching, pairing dropped files).
// worker → page: every Event comes from the session (`Event` there), plus the worker's
// Catalog and DataProgress, and an Error of kind "data" when a file cannot be fetched.

export const Command = Object.freeze({
  data: 'data',
  configure: 'configure',
  train: 'train',
  pause: 'pause',
  step: 'step',
  reset: 'reset',
  backend: 'backend',
  watch: 'watch',
  export: 'export',
});

export const Setup = Object.freeze({
  /** {backend: 'auto'|'gpu'|'cpu', dataUrl, threads, simd}: load the engine's build for the
   * CPU fallback's `threads` and `simd` settings (engine-build.js), open the session, fetch
   * Fashion-MNIST. */
  start: 'start',
  /** Fetch Fashion-MNIST again (after a person's own files). */
  fashion: 'fashion',
  /** {files: [{name, bytes}]}: a person's own IDX files. */
  files: 'files',
});

export const Event = Object.freeze({
  catalog: 'catalog',
  dataProgress: 'data-progress',
  backend: 'backend',
  data: 'data',
  run: 'run',
  progress: 'progress',
  eval: 'eval',
  results: 'results',
  running: 'running',
  reset: 'reset',
  recovered: 'recovered',
  diagnostics: 'diagnostics',
  health: 'health',
  finished: 'finished',
  error: 'error',
  export: 'export',
});
