// Process CPU time of Brain#executeAll and Brain.fromJSON at 10,000 commands (tests/bench/engine.mjs's
// log), each the best of BENCH_ROUNDS (default 8). CPU time rather than wall time: on the shared 2-core
// machine the other work counts less, so two builds compare at a load where engine.mjs's wall times
// vary by 2x (issue 19: one JSON reader, opt-level "s" and "z"). A benchmark, not a test.
// Usage: node tests/bench/engine-cpu.mjs   (after bash scripts/build-js.sh)
import { load } from '../node/js-pkg.mjs';
import { cpuRound, engineLog } from './engine-log.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const { Brain } = await load();
const log = engineLog(Brain, 10_000);

let executeAllCpuMs = Infinity;
let fromJSONCpuMs = Infinity;
let text;
for (let r = 0; r < ROUNDS; r++) {
  const round = cpuRound(Brain, log, text);
  executeAllCpuMs = Math.min(executeAllCpuMs, round.executeAll);
  fromJSONCpuMs = Math.min(fromJSONCpuMs, round.fromJSON);
  text = round.text;
}
console.log(JSON.stringify({ commands: log.length, rounds: ROUNDS, executeAllCpuMs: +executeAllCpuMs.toFixed(1), fromJSONCpuMs: +fromJSONCpuMs.toFixed(1) }));
