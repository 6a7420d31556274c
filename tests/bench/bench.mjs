// Benchmark of @brain/core against @growthbook/growthbook 1.8.0, side by side in one process.
// Usage: node tests/bench/bench.mjs   (builds js/pkg first when missing)
//
// - per-call assignment: the SDK's own hash + chooseVariation (ranges computed once) against
//   Experiment#assign (a result object per call) and Experiment#variationOf (an index);
// - batch assignment: assignMany ids per second;
// - the seed batches (JS boundary included): register 100 variants, track 100 performances,
//   build 100 packets, run 100 evaluations, score 100 clones; each batch as one
//   Brain#executeAll call, and as 100 Brain#execute calls;
// - routing: Router#route and Brain#route against the SDK's hash + chooseVariation;
// - the wasm's size, raw and gzip -9.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { load, WASM, ROOT } from '../node/js-pkg.mjs';

process.env.NODE_ENV = 'production';
const util = await import(new URL('node_modules/@growthbook/growthbook/dist/esm/util.mjs', `file://${ROOT}/`).href);
const bc = await load();

// Seed batches first, while the heap is small (the million ids below would make the batches
// pay for their garbage collection). Seed batches through Brain (JS objects in, JS events out), on a fresh brain per round;
// the first rounds warm the JIT and wasm tier-up, the figures are the best and the median.
const at0 = Date.parse('2026-03-02T09:00:00Z');
// `all`: each batch is one Brain#executeAll call (the events of the 100 commands come back as one
// array); otherwise one Brain#execute call per command.
function seedRound(all) {
  let tick = 0;
  const at = () => new Date(at0 + 1000 * tick++).toISOString();
  const brain = new bc.Brain();
  const out = {};
  const batch = (name, make) => {
    const cmds = Array.from({ length: 100 }, (_, i) => ({ at: at(), actor: 'bench', ...make(i) }));
    const t = process.hrtime.bigint();
    if (all) brain.executeAll(cmds);
    else for (const c of cmds) brain.execute(c);
    out[name] = Number(process.hrtime.bigint() - t) / 1e6;
  };
  batch('register100Variants', (i) => ({ block: 'ab', type: 'RegisterVariant', experiment: `exp-${i % 10}`, variant: `v-${i}`, kind: i % 2 ? 'script' : 'channel', weight: 1 }));
  batch('track100Performances', (i) => ({ block: 'ab', type: 'RecordCounts', experiment: `exp-${i % 10}`, variant: `v-${i}`, trials: 500 + i, conversions: 40 + (i % 17) }));
  for (const s of ['warm-open', 'direct-ask']) brain.execute({ at: at(), block: 'promotion', type: 'RegisterScript', script: s, body: `Hi {{name}} (${s})` });
  brain.execute({ at: at(), block: 'packets', type: 'AddTemplate', name: 'intro', body: 'Packet for {{name}}: {{value}}' });
  batch('build100Packets', (i) => ({ block: 'packets', type: 'BuildPacket', lead: { name: `Lead ${i}`, value: 100000 + i, terms: 'cash', source: 'zillow', fields: { city: 'Austin' } } }));
  batch('run100Evaluations', (i) => ({ block: 'promotion', type: 'EvaluateScript', script: i % 2 ? 'warm-open' : 'direct-ask', trials: 200 + i, conversions: 20 + (i % 9) }));
  batch('score100Clones', (i) => ({ block: 'readiness', type: 'AssessClone', clone_id: `clone-${i}`, factors: { accuracy: 0.9, confidence: 0.8, consistency: 0.85, robustness: 0.7 } }));
  const t = process.hrtime.bigint();
  const status = brain.verify().status;
  out.verifyAfterBatches = Number(process.hrtime.bigint() - t) / 1e6;
  out.commands = brain.position;
  brain.free();
  return { out, status };
}
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
function batchFigures(all) {
  const rounds = [];
  let verifyStatus;
  for (let r = 0; r < ROUNDS; r++) {
    const { out, status } = seedRound(all);
    rounds.push(out);
    verifyStatus = status;
  }
  const figures = { rounds: ROUNDS, verifyStatus, commandsPerRound: rounds[0].commands };
  for (const k of Object.keys(rounds[0]).filter((k) => k !== 'commands')) {
    const xs = rounds.map((r) => r[k]).sort((a, b) => a - b);
    figures[k] = { bestMs: +xs[0].toFixed(3), medianMs: +xs[Math.floor(xs.length / 2)].toFixed(3) };
  }
  return figures;
}
const batches = { executeAllPerBatch: batchFigures(true), executePerCommand: batchFigures(false) };

const N = Number(process.env.BENCH_IDS ?? 1_000_000);
const ids = Array.from({ length: N }, (_, i) => `user-${(i * 2654435761) % 1e9}`);

function time(fn, rounds = 5) {
  let best = Infinity;
  let out;
  for (let r = 0; r < rounds; r++) {
    const t = process.hrtime.bigint();
    out = fn();
    const dt = Number(process.hrtime.bigint() - t) / 1e6;
    best = Math.min(best, dt);
  }
  return { ms: best, out };
}

const results = {};
for (const hashVersion of [1, 2]) {
  const exp = { key: 'pricing', seed: 'pricing-2026', hashVersion, variations: 3, weights: [0.2, 0.3, 0.5] };
  const ranges = util.getBucketRanges(3, 1, exp.weights);
  const gb = time(() => {
    let s = 0;
    for (let i = 0; i < N; i++) s += util.chooseVariation(util.hash(exp.seed, ids[i], hashVersion), ranges);
    return s;
  });
  const prepared = new bc.Experiment(exp);
  const ours = time(() => {
    let s = 0;
    for (let i = 0; i < N; i++) s += prepared.assign(ids[i]).variationId;
    return s;
  });
  const index = time(() => {
    let s = 0;
    for (let i = 0; i < N; i++) s += prepared.variationOf(ids[i]);
    return s;
  });
  const many = time(() => prepared.assignMany(ids));
  const manyFn = time(() => bc.assignMany(exp, ids));
  // Same answers (outside coverage is -1 in both).
  const gbAll = ids.map((id) => util.chooseVariation(util.hash(exp.seed, id, hashVersion), ranges));
  const mismatches = gbAll.reduce((m, v, i) => m + (v !== many.out[i] ? 1 : 0), 0);
  prepared.free();
  const ns = (ms) => (ms * 1e6) / N;
  results[`v${hashVersion}`] = {
    sdkHashChooseNsPerCall: +ns(gb.ms).toFixed(1),
    experimentAssignNsPerCall: +ns(ours.ms).toFixed(1),
    experimentVariationOfNsPerCall: +ns(index.ms).toFixed(1),
    assignSpeedup: +(gb.ms / ours.ms).toFixed(2),
    variationOfSpeedup: +(gb.ms / index.ms).toFixed(2),
    assignManyIdsPerSec: Math.round(N / (many.ms / 1000)),
    assignManyFnIdsPerSec: Math.round(N / (manyFn.ms / 1000)),
    mismatchesWithSdk: mismatches,
  };
}

// Routing: Router#route (the plan hashed in JS) and Brain#route (one wasm call per unit) against
// the SDK's hash + chooseVariation over the rollout's two ranges, on a rollout in its 25% stage.
function routing() {
  const brain = new bc.Brain();
  let minute = 0;
  const run = (cmd) => brain.execute({ at: new Date(at0 + 60_000 * minute++), ...cmd });
  run({ block: 'models', type: 'RegisterModel', model_id: 'm', name: 'M' });
  run({ block: 'models', type: 'ProposeUpdate', model_id: 'm', version: '1.0.0', strategy: 'full_retrain', accuracy: 0.9 });
  run({ block: 'models', type: 'ProposeUpdate', model_id: 'm', version: '1.1.0', strategy: 'incremental', accuracy: 0.91 });
  run({ block: 'rollouts', type: 'StartRollout', rollout_id: 'canary', model_id: 'm', version: '1.1.0', stages: [{ name: 'Limited', traffic: 0.25 }, { name: 'Production', traffic: 1 }] });
  const ranges = [[0, 0.25], [0.25, 1]];
  const versions = ['1.1.0', '1.0.0'];
  const gb = time(() => {
    let s = 0;
    for (let i = 0; i < N; i++) s += versions[util.chooseVariation(util.hash('canary', ids[i], 2), ranges)].length;
    return s;
  });
  const router = new bc.Router(brain, 'm');
  const ours = time(() => {
    let s = 0;
    for (let i = 0; i < N; i++) s += router.route(ids[i]).length;
    return s;
  });
  const M = Math.min(N, 100_000);
  const wasmRoute = time(() => {
    let s = 0;
    for (let i = 0; i < M; i++) s += brain.route('m', ids[i]).length;
    return s;
  }, 3);
  let mismatches = 0;
  for (let i = 0; i < N; i++) {
    if (router.route(ids[i]) !== versions[util.chooseVariation(util.hash('canary', ids[i], 2), ranges)]) mismatches++;
  }
  brain.free();
  const ns = (ms, n = N) => (ms * 1e6) / n;
  return {
    sdkHashChooseNsPerCall: +ns(gb.ms).toFixed(1),
    routerRouteNsPerCall: +ns(ours.ms).toFixed(1),
    brainRouteNsPerCall: +ns(wasmRoute.ms, M).toFixed(1),
    routerSpeedup: +(gb.ms / ours.ms).toFixed(2),
    mismatchesWithSdk: mismatches,
  };
}
const route = routing();

const wasm = readFileSync(WASM);
const size = { wasmBytes: wasm.length, wasmGzip9Bytes: gzipSync(wasm, { level: 9 }).length };

console.log(JSON.stringify({ node: process.version, ids: N, assignment: results, route, batchesMs: batches, size }, null, 2));
