// The worker's choice of the engine's build (www/engine/engine-build.js), without a browser: threads
// only where the page is isolated and more than one would run, relaxed SIMD where it
// validates and is not refused; and the feature probes are valid modules of their proposals.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { capabilities, chooseBuild, MAX_THREADS } from '../../www/engine/engine-build.js';

const CAN = { isolated: true, relaxed: true, cores: 8 };

test('an isolated page gets one thread per core, at most MAX_THREADS, or as many as asked', () => {
  assert.deepEqual(chooseBuild(CAN), { dir: 'pkg-threads-relaxed', threads: MAX_THREADS, relaxed: true });
  assert.deepEqual(chooseBuild({ ...CAN, cores: 2 }), { dir: 'pkg-threads-relaxed', threads: 2, relaxed: true });
  assert.deepEqual(chooseBuild({ ...CAN, cores: 2 }, { threads: 6 }), { dir: 'pkg-threads-relaxed', threads: 6, relaxed: true });
  const base = { dir: 'pkg-threads', threads: 2, relaxed: false };
  assert.deepEqual(chooseBuild({ ...CAN, cores: 2, relaxed: false }), base);
  assert.deepEqual(chooseBuild({ ...CAN, cores: 2 }, { simd: 'base' }), base);
});

test('one thread: not isolated, one core, or one asked for; relaxed SIMD where it validates', () => {
  const relaxed = { dir: 'pkg-relaxed', threads: 1, relaxed: true };
  assert.deepEqual(chooseBuild({ ...CAN, isolated: false }), relaxed);
  assert.deepEqual(chooseBuild({ ...CAN, cores: 1 }), relaxed);
  assert.deepEqual(chooseBuild(CAN, { threads: 1 }), relaxed);
  const base = { dir: 'pkg', threads: 1, relaxed: false };
  assert.deepEqual(chooseBuild({ ...CAN, isolated: false, relaxed: false }), base);
  assert.deepEqual(chooseBuild(CAN, { threads: 1, simd: 'base' }), base);
});

test('the probes: isolation needs crossOriginIsolated, and the relaxed-SIMD module validates where the proposal is on', () => {
  const scope = (isolated) => ({ crossOriginIsolated: isolated, navigator: { hardwareConcurrency: 3 } });
  assert.deepEqual([capabilities(scope(true)).isolated, capabilities(scope(false)).isolated], [true, false]);
  assert.equal(capabilities(scope(true)).cores, 3);
  // Node 20 has relaxed SIMD behind a flag (later Node versions have it on): with it on, the
  // probe validates; the flag is only passed where this Node knows it.
  const flag = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '-e', '0']).status === 0;
  const code = `import('${new URL('../../www/engine/engine-build.js', import.meta.url)}').then((m) => process.exit(m.capabilities({}).relaxed ? 0 : 1))`;
  const run = spawnSync(process.execPath, [...(flag ? ['--experimental-wasm-relaxed-simd'] : []), '-e', code]);
  assert.equal(run.status, 0, `relaxed SIMD probe: ${run.stderr}`);
});
