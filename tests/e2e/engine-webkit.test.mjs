// WebKitGTK (MiniBrowser through WebKitWebDriver, under Xvfb; no WebGPU: the CPU path) runs
// every engine's checks.
import { webkit } from './drivers.mjs';
import { engineSuite } from './engines.mjs';

engineSuite('WebKitGTK', webkit);
