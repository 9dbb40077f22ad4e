// Firefox ESR (WebDriver BiDi, no WebGPU here: the CPU path) runs every engine's checks.
import { firefox } from './drivers.mjs';
import { engineSuite } from './engines.mjs';

engineSuite('Firefox ESR', firefox);
