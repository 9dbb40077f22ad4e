// @ts-check
// Which build of the engine the worker loads (`cargo xtask dist` stages them; see
// xtask/src/engine_builds.rs): threads where the page is cross-origin isolated, relaxed SIMD
// (fused multiply-add) where the browser validates it, else the base build, which runs
// everywhere. `chooseBuild` is pure (tests/unit/engine-build.test.mjs); `capabilities` asks
// the browser.

/** The most threads the CPU fallback starts: beyond four the lesson's products gain little. */
export const MAX_THREADS = 4;

// The smallest modules that hold what each build needs, for WebAssembly.validate: a browser
// that rejects an instruction rejects the whole module that contains it (Safari, relaxed SIMD).
// (func (param v128 v128 v128) (result v128) local.get 0 local.get 1 local.get 2 f32x4.relaxed_madd)
const RELAXED_SIMD = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11, 0, 32, 0, 32, 1, 32, 2, 253, 133, 2, 11,
];
// (memory 1 1 shared) (func i32.const 0 i32.atomic.load drop)
const THREADS = [0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 4, 1, 3, 1, 1, 10, 11, 1, 9, 0, 65, 0, 254, 16, 2, 0, 26, 11];

const validates = (bytes) => {
  try {
    return WebAssembly.validate(new Uint8Array(bytes));
  } catch {
    return false;
  }
};

/**
 * What this worker can run: `isolated` (cross-origin isolated, with SharedArrayBuffer and a
 * validating shared memory), `relaxed` (relaxed SIMD validates) and `cores`.
 */
export function capabilities(scope = globalThis) {
  return {
    isolated: scope.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function' && validates(THREADS),
    relaxed: validates(RELAXED_SIMD),
    cores: scope.navigator?.hardwareConcurrency ?? 1,
  };
}

/**
 * The build for `can` (see `capabilities`) and the page's settings `threads` (0: as many as
 * the cores, at most MAX_THREADS; N: N) and `simd` ('auto' | 'base'): {dir, the
 * package folder; threads; relaxed}. Threads only where isolated and more than one; relaxed
 * SIMD where it validates and `simd` is not 'base'.
 */
export function chooseBuild(can, { threads: asked = 0, simd = 'auto' } = {}) {
  const wanted = asked > 0 ? asked : Math.min(can.cores, MAX_THREADS);
  const threads = can.isolated && wanted > 1 ? wanted : 1;
  const relaxed = can.relaxed && simd !== 'base';
  return { dir: `pkg${threads > 1 ? '-threads' : ''}${relaxed ? '-relaxed' : ''}`, threads, relaxed };
}
