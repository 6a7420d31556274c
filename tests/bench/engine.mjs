// The engine from JS at 10,000 commands (issue 19): Brain#executeAll of the whole log on a new
// brain, verify(), Brain.fromJSON of the snapshot's JSON text, whatIf(policy), and runDueChecks a
// week after the last command (every scheduled check due, on a fresh copy each round; issue 16), each the best
// of BENCH_ROUNDS (default 5) after one warm-up. A benchmark, not a test: it prints figures.
// The log is the demo's commands, then RecordCounts of three variants up to 10,000 commands
// (what tests/bench/console-actions.mjs builds too).
// Usage: node tests/bench/engine.mjs   (after bash scripts/build-js.sh)
import { load } from '../node/js-pkg.mjs';
import { engineLog } from './engine-log.mjs';

const N = Number(process.env.BENCH_COMMANDS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const { Brain } = await load();

const log = engineLog(Brain, N);

/** Best wall time in ms of `fn` over ROUNDS rounds after a warm-up; `setup` runs untimed. */
function best(fn, setup = () => undefined, teardown = () => undefined) {
  let ms = Infinity;
  for (let r = 0; r <= ROUNDS; r++) {
    const input = setup();
    const t0 = process.hrtime.bigint();
    const out = fn(input);
    const dt = Number(process.hrtime.bigint() - t0) / 1e6;
    teardown(out, input);
    if (r > 0) ms = Math.min(ms, dt);
  }
  return +ms.toFixed(2);
}

const executeAllMs = best((brain) => brain.executeAll(log), () => new Brain(), (_, brain) => brain.free());
const brain = new Brain();
brain.executeAll(log);
const verifyMs = best(() => brain.verify());
const text = JSON.stringify(brain);
const fromJSONMs = best(() => Brain.fromJSON(text), undefined, (b) => b.free());
const whatIfMs = best(() => brain.whatIf({ promotion: { min_sample: 1000 } }));
const toJSONMs = best(() => JSON.stringify(brain));
const dueAt = new Date(Date.parse(log[log.length - 1].at) + 7 * 24 * 3600 * 1000).toISOString();
const runDueChecksMs = best((b) => b.runDueChecks(dueAt), () => Brain.fromJSON(text), (_, b) => b.free());
const status = brain.verify().status;
brain.free();

console.log(JSON.stringify({
  node: process.version,
  commands: log.length,
  rounds: ROUNDS,
  verifyStatus: status,
  snapshotMB: +(text.length / 1024 / 1024).toFixed(2),
  executeAllMs,
  usPerCommand: +((executeAllMs * 1000) / log.length).toFixed(2),
  verifyMs,
  fromJSONMs,
  whatIfMs,
  toJSONMs,
  runDueChecksMs,
}, null, 2));
