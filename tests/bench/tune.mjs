// Policy tuning through the JS package from Node (issue 17's budget: 100 candidates over a
// 10,000-command history in at most 5 s in Chromium, measured by tune-chromium.mjs): the history
// and spec of tune-history.mjs, then brain.tunePolicy(spec) with the bench's spec, and the same search through
// brain.policyTuner(spec) in slices of 2,000 commands (what a page does between frames).
// Usage: node tests/bench/tune.mjs   (builds js/pkg first when missing)
import { load } from '../node/js-pkg.mjs';
import { grow, spec as tuneSpec } from './tune-history.mjs';

const bc = await load();
const brain = bc.Brain.demo('2026-03-02T09:00:00Z');
grow(brain);
const spec = tuneSpec(Number(process.env.CANDIDATES ?? 100));
const ms = (t) => Number(process.hrtime.bigint() - t) / 1e6;
console.log(`history: ${brain.position} commands`);
let t = process.hrtime.bigint();
const ranking = brain.tunePolicy(spec);
console.log(`tunePolicy, ${spec.search.candidates} candidates: ${(ms(t) / 1000).toFixed(2)} s (best: ${JSON.stringify(ranking.candidates[0].settings.map((s) => s.value))})`);
t = process.hrtime.bigint();
const tuner = brain.policyTuner(spec);
let slices = 0;
let longest = 0;
for (;;) {
  const s = process.hrtime.bigint();
  const p = tuner.step(2_000);
  longest = Math.max(longest, ms(s));
  slices++;
  if (p.done) break;
}
console.log(`policyTuner in ${slices} slices of 2,000 commands: ${(ms(t) / 1000).toFixed(2)} s, longest slice ${longest.toFixed(1)} ms`);
tuner.free();
brain.free();
