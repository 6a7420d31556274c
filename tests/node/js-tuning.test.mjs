// Policy tuning from JS: brain.tunePolicy(spec) ranks candidate policies replayed over the
// command log (deterministic for a seed), brain.policyTuner(spec) runs the same search in
// slices with progress, bad specs throw coded errors; policyHistory, registeredRule and
// registeredWinner read the policy's and the pre-registration's records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, thrown } from './js-pkg.mjs';

const bc = await load();
const T0 = '2026-03-02T09:00:00Z';

const spec = (search) => ({
  parameters: [
    { path: 'promotion.consecutive', range: { min: 1, max: 4, step: 1 } },
    { path: 'readiness.ready_threshold', choices: [0.6, 0.8, 0.95] },
  ],
  search,
  objective: 'good_clones_blocked',
  constraints: [{ objective: 'reversed_promotions' }],
  holdout: 0.3,
});

test('tunePolicy ranks every candidate with both parts scored, the same for the same seed', () => {
  const brain = bc.Brain.demo(T0);
  const grid = brain.tunePolicy(spec({ kind: 'grid' }));
  assert.equal(grid.candidates.length, 12);
  assert.equal(grid.commands, brain.position);
  assert.ok(grid.split > 0 && grid.split < grid.commands);
  assert.ok(grid.baselineValidate);
  const best = grid.candidates[0];
  assert.ok(best.choose && best.validate, JSON.stringify(best));
  const values = grid.candidates.filter((c) => c.feasible).map((c) => c.choose.goodClonesBlocked);
  assert.deepEqual(values, [...values].sort((a, b) => a - b), 'feasible candidates, best first');
  // The patch applies the candidate through SetPolicy.
  assert.equal(typeof best.patch.promotion.consecutive, 'number');
  const at = new Date(Date.parse(brain.log().at(-1).at) + 60_000);
  brain.execute({ at, actor: 'ops', block: 'policy', type: 'SetPolicy', policy: best.patch, reason: 'tuned: fewest good clones blocked' });
  assert.equal(brain.policy().promotion.consecutive, best.settings[0].value);
  const history = brain.policyHistory();
  assert.equal(history.at(-1).reason, 'tuned: fewest good clones blocked');
  assert.ok(history.at(-1).changes.every((c) => 'before' in c && 'after' in c));

  const random = { kind: 'random', candidates: 5, seed: 9 };
  assert.deepEqual(brain.tunePolicy(spec(random)), brain.tunePolicy(spec(random)));
  brain.free();
});

test('policyTuner runs in slices, reports progress and ends with the one-call ranking', () => {
  const brain = bc.Brain.demo(T0);
  const whole = brain.tunePolicy(spec({ kind: 'grid' }));
  const tuner = brain.policyTuner(spec({ kind: 'grid' }));
  let progress = tuner.progress();
  assert.equal(progress.commandsTotal, 13 * brain.position);
  assert.equal(tuner.ranking(), undefined);
  let steps = 0;
  while (!progress.done) {
    const next = tuner.step(50);
    assert.ok(next.commandsDone > progress.commandsDone);
    progress = next;
    steps++;
  }
  assert.ok(steps > 1);
  assert.equal(progress.candidatesDone, 12);
  assert.deepEqual(tuner.ranking(), whole);
  tuner.free();
  brain.free();
});

test('a bad spec throws its code and names what is wrong', () => {
  const brain = bc.Brain.demo(T0);
  const bad = (s) => thrown(() => brain.tunePolicy(s));
  let e = bad({ ...spec({ kind: 'grid' }), parameters: [] });
  assert.equal(e.code, 'no_tuning_parameters');
  e = bad({ ...spec({ kind: 'grid' }), parameters: [{ path: 'gates.min_acuracy', choices: [0.5] }] });
  assert.equal(e.code, 'unknown_policy_field');
  assert.match(e.message, /gates\.min_acuracy/);
  e = bad({ ...spec({ kind: 'grid' }), holdout: 2 });
  assert.equal(e.code, 'invalid_holdout');
  e = bad({ ...spec({ kind: 'grid' }), objective: 'happiness' });
  assert.equal(e.code, 'invalid_json');
  e = thrown(() => brain.policyTuner(spec({ kind: 'random', candidates: 100000, seed: 1 })));
  assert.equal(e.code, 'too_many_candidates');
  brain.free();
});

test('registeredRule and registeredWinner read a pre-registration, refusing a peek', () => {
  const brain = new bc.Brain();
  const t = (m) => new Date(Date.parse(T0) + m * 60_000);
  brain.execute({
    at: t(0), block: 'prereg', type: 'RegisterRule', experiment_id: 'subject-line',
    rule: { metric: 'conversion', method: 'frequentist', alpha: 0.05, min_sample: 100, min_run_hours: 24, min_detectable_effect: 0.1 },
  });
  assert.equal(brain.registeredRule('nope'), undefined);
  const reg = brain.registeredRule('subject-line');
  assert.equal(reg.rule.min_run_hours, 24);
  assert.match(reg.ruleHash, /^[0-9a-f]{64}$/);
  for (const v of ['a', 'b']) {
    brain.execute({ at: t(1), block: 'ab', type: 'RegisterVariant', experiment: 'subject-line', variant: v, kind: 'script', weight: 1 });
  }
  for (const v of ['a', 'b']) {
    brain.execute({ at: t(2), block: 'ab', type: 'RecordCounts', experiment: 'subject-line', variant: v, trials: 1000, conversions: v === 'a' ? 50 : 120 });
  }
  assert.equal(thrown(() => brain.registeredWinner('subject-line', t(60))).code, 'peeking');
  const report = brain.registeredWinner('subject-line', t(60 * 25));
  assert.equal(report.experiment, 'subject-line');
  brain.free();
});
