// @ts-check
// The message types between the page and the worker, named once. No imports, no DOM.
//
// page → worker: a Command is handed to the Rust session as it is (src/session/events.rs,
// `Command`); a Setup message is the worker's own I/O (fetching, pairing dropped files).
// worker → page: every Event comes from the session (`Event` there), plus the worker's
// Catalog and DataProgress, and an Error of kind "data" when a file cannot be fetched.
// The session's shapes are generated from the Rust definitions into wire.d.ts (`cargo xtask
// wire`); the worker's own are declared here. One casing on the wire: snake_case.

/** @typedef {import('./wire').Command} EngineCommand */
/** @typedef {import('./wire').Event} EngineEvent */
/**
 * What the worker says besides the session's events.
 * @typedef {{type: 'catalog', catalog: import('./wire').Catalog}
 *   | {type: 'data-progress', loaded: number, total: number, seconds: number}
 *   | {type: 'error', kind: 'data' | 'internal' | 'page' | 'slow-start', message: string}
 *   | {type: 'offline', ok: boolean, message: string}} WorkerEvent
 * (`offline` comes from the service worker, sw.js: whether the offline copy could keep a file.)
 */
/** @typedef {EngineEvent | WorkerEvent} PageEvent */
/**
 * The worker's own setup messages (Setup below).
 * @typedef {{type: 'start', backend: 'auto' | 'gpu' | 'cpu', data_url: string, threads: number, simd: string}
 *   | {type: 'fashion'}
 *   | {type: 'files', files: {name: string, bytes: Uint8Array}[]}} SetupMessage
 */
/** @typedef {EngineCommand | SetupMessage} Outgoing */

/** @satisfies {Readonly<Record<string, EngineCommand['type']>>} */
export const Command = Object.freeze(
  /** @type {const} */ ({
    data: 'data',
    configure: 'configure',
    train: 'train',
    pause: 'pause',
    step: 'step',
    reset: 'reset',
    backend: 'backend',
    watch: 'watch',
    export: 'export',
  }),
);

/** @satisfies {Readonly<Record<string, SetupMessage['type']>>} */
export const Setup = Object.freeze(
  /** @type {const} */ ({
    /** {backend: 'auto'|'gpu'|'cpu', data_url, threads, simd}: load the engine's build for the
     * CPU fallback's `threads` and `simd` settings (engine-build.js), open the session, fetch
     * Fashion-MNIST. */
    start: 'start',
    /** Fetch Fashion-MNIST again (after a person's own files). */
    fashion: 'fashion',
    /** {files: [{name, bytes}]}: a person's own IDX files. */
    files: 'files',
  }),
);

/** @satisfies {Readonly<Record<string, PageEvent['type']>>} */
export const Event = Object.freeze(
  /** @type {const} */ ({
    catalog: 'catalog',
    dataProgress: 'data-progress',
    backend: 'backend',
    data: 'data',
    run: 'run',
    progress: 'progress',
    diverged: 'diverged',
    eval: 'eval',
    results: 'results',
    running: 'running',
    reset: 'reset',
    recovered: 'recovered',
    diagnostics: 'diagnostics',
    health: 'health',
    signal: 'signal',
    finished: 'finished',
    error: 'error',
    export: 'export',
    offline: 'offline',
  }),
);
