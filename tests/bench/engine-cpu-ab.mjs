// engine-cpu.mjs for two or more builds of the engine in one process: each build's js/pkg copy
// (its glue and wasm) loaded side by side, their rounds interleaved (and in reverse order every
// other round), so that the shared machine's load falls on every build alike. Process CPU time of
// Brain#executeAll and Brain.fromJSON at 10,000 commands, best and median of ROUNDS (default 20);
// the builds must write the same snapshot, byte for byte. A benchmark, not a test (issue 19).
// Usage: bash scripts/build-js.sh && cp -r js/pkg /tmp/before   (then the change, again into
//        /tmp/after), then node tests/bench/engine-cpu-ab.mjs 30 /tmp/before /tmp/after
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cpuRound, engineLog } from './engine-log.mjs';

const [rounds, ...dirs] = process.argv.slice(2);
const ROUNDS = Number(rounds ?? 20);
if (!(ROUNDS > 0) || dirs.length === 0) {
  console.error('usage: node tests/bench/engine-cpu-ab.mjs ROUNDS PKG_DIR [PKG_DIR...]');
  process.exit(2);
}

const builds = [];
for (const dir of dirs) {
  const glue = await import(pathToFileURL(join(resolve(dir), 'brain_core.js')).href);
  glue.initSync({ module: readFileSync(join(resolve(dir), 'brain_core_bg.wasm')) });
  const log = engineLog(glue.Brain, 10_000);
  const brain = new glue.Brain();
  brain.executeAll(log);
  const text = JSON.stringify(brain);
  brain.free();
  builds.push({ dir, Brain: glue.Brain, log, text, executeAll: [], fromJSON: [] });
}
if (builds.some((b) => b.text !== builds[0].text)) throw new Error('the builds write different snapshots');

for (let r = 0; r < ROUNDS; r++) {
  for (const b of r % 2 ? [...builds].reverse() : builds) {
    const round = cpuRound(b.Brain, b.log, b.text);
    b.executeAll.push(round.executeAll);
    b.fromJSON.push(round.fromJSON);
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const figures = (a) => ({ best: +Math.min(...a).toFixed(1), median: +median(a).toFixed(1) });
for (const b of builds) {
  console.log(JSON.stringify({ build: b.dir, rounds: ROUNDS, executeAllCpuMs: figures(b.executeAll), fromJSONCpuMs: figures(b.fromJSON) }));
}
