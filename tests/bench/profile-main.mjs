// Where the page's main thread spends its time while the lesson preset trains with every view
// on: a CPU profile of the page (Chrome DevTools Protocol) from Train to the table, summed by
// function (self time), and the long tasks. A tool for finding what to make cheaper; the
// benchmark's figures are `cargo xtask bench`'s.
// Usage: node tests/bench/profile-main.mjs [hash] (after `cargo xtask dist`)
import { launch, longTasksBetween, recordLongTasks, serveDist } from '../e2e/helpers.mjs';
import { freshLoad, timeToTable } from './lesson-time.mjs';

const hash = process.argv[2] ?? 'backend=cpu';
const server = await serveDist();
const browser = await launch({ webgpu: false });
try {
  await recordLongTasks(browser.page);
  await freshLoad(browser.page, `${server.url}#${hash}`);
  const cdp = await browser.page.context().newCDPSession(browser.page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const { seconds, backend, started, ended } = await timeToTable(browser.page);
  const { profile } = await cdp.send('Profiler.stop');
  const tasks = await longTasksBetween(browser.page, started, ended);
  const self = new Map();
  const dt = new Map(profile.nodes.map((n) => [n.id, 0]));
  for (const [i, id] of profile.samples.entries()) dt.set(id, dt.get(id) + (profile.timeDeltas[i] ?? 0));
  for (const n of profile.nodes) {
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt.get(n.id) / 1000);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(
    `${backend}: ${seconds.toFixed(1)} s to the table; ${tasks.count} long tasks, longest ${tasks.longest.toFixed(0)} ms, blocking ${tasks.blocking.toFixed(0)} ms ${JSON.stringify(tasks.durations)}`,
  );
  console.log(`main thread, self time by function (ms of ${total.toFixed(0)} sampled):`);
  for (const [k, v] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${v.toFixed(0).padStart(7)}  ${k}`);
} finally {
  await browser.close();
  server.close();
}
