// What the page's classic scripts (www/load-check.js, www/boot.js) put on the global object
// for its modules and the training worker.

/** Why `url` (a script and its static imports, or a wasm file) did not load; null when all look right. */
declare var whyNotLoaded: (url: string, options?: { wasm?: boolean }) => Promise<string | null>;

/** The start-up error display, until the page hands errors to its own. */
declare var labBoot: { reportErrorsTo(handler: (message: string) => void): void };
