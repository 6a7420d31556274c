// Policy tuning through the JS package (issue 17's budget: 100 candidates over a 10,000-command
// history in at most 5 s in Chromium): the demo grown to 10,000 commands as core/benches/tuning.rs
// grows it, then brain.tunePolicy(spec) with the bench's spec, and the same search through
// brain.policyTuner(spec) in slices of 2,000 commands (what a page does between frames).
// Usage: node tests/bench/tune.mjs   (builds js/pkg first when missing)
import { load } from '../node/js-pkg.mjs';

const bc = await load();
const T0 = '2026-03-02T09:00:00Z';
const brain = bc.Brain.demo(T0);
let at = Date.parse(brain.log().at(-1).at);
const scripts = ['warm-open', 'direct-ask', 'story-led'];
const grow = [];
for (let k = 0; brain.position + grow.length < 10_000; k++) {
  at += 10 * 60_000;
  const when = new Date(at).toISOString();
  const r = k % 10;
  if (r <= 6) grow.push({ at: when, block: 'ab', type: 'RecordCounts', experiment: 'opening-script', variant: scripts[k % 3], trials: 20, conversions: k % 5 });
  else if (r <= 8) grow.push({ at: when, block: 'promotion', type: 'EvaluateScript', script: scripts[k % 3] });
  else grow.push({ at: when, block: 'outcomes', type: 'RecordOutcome', series_id: 'close_rate/story-led', outcome_id: `bench-${k}`, value: 0.08 + 0.01 * (Math.floor(k / 10) % 5) });
}
for (const cmd of grow) {
  try {
    brain.execute(cmd);
  } catch {
    // A refused command is not in the log, as in the Rust bench.
  }
}
const spec = {
  parameters: [
    { path: 'promotion.primary_rate', range: { min: 0.06, max: 0.3, step: 0.01 } },
    { path: 'promotion.consecutive', range: { min: 1, max: 6, step: 1 } },
    { path: 'outcomes.regression_tolerance', range: { min: 0.05, max: 0.5, step: 0.05 } },
  ],
  search: { kind: 'random', candidates: Number(process.env.CANDIDATES ?? 100), seed: 17 },
  objective: 'reversed_promotions',
  constraints: [{ objective: 'alerts_per_week' }],
  holdout: 0.3,
};
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
