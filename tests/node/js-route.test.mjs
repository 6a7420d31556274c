// brain.route and the JS Router against GrowthBook's own hash and chooseVariation: a model's
// units are routed to the version rolled out exactly when the SDK would put them in the first
// of two ranges [0, traffic), [traffic, 1) seeded by the rollout's id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './js-pkg.mjs';

const bc = await load();
const util = await import(new URL('../../node_modules/@growthbook/growthbook/dist/esm/util.mjs', import.meta.url).href);

function rollingBrain() {
  const brain = new bc.Brain();
  let minute = 0;
  const run = (cmd) => brain.execute({ at: new Date(Date.UTC(2026, 4, 1, 9, minute++)), ...cmd });
  run({ block: 'models', type: 'RegisterModel', model_id: 'm', name: 'M' });
  run({ block: 'models', type: 'ProposeUpdate', model_id: 'm', version: '1.0.0', strategy: 'full_retrain', accuracy: 0.9 });
  run({ block: 'models', type: 'ProposeUpdate', model_id: 'm', version: '1.1.0', strategy: 'incremental', accuracy: 0.91 });
  run({ block: 'rollouts', type: 'StartRollout', rollout_id: 'canary-7', model_id: 'm', version: '1.1.0' });
  return { brain, run, later: (minutes) => { minute += minutes; } };
}

const ids = Array.from({ length: 10000 }, (_, i) => (i % 3 === 0 ? `user-${i}` : `${i * 7919}:é${i}`));

function check(brain, traffic) {
  const router = new bc.Router(brain, 'm');
  const ranges = [[0, traffic], [traffic, 1]];
  let inNew = 0;
  for (const id of ids) {
    const want = util.chooseVariation(util.hash('canary-7', id, 2), ranges) === 0 ? '1.1.0' : '1.0.0';
    assert.equal(brain.route('m', id), want, id);
    assert.equal(router.route(id), want, id);
    if (want === '1.1.0') inNew++;
  }
  return inNew / ids.length;
}

test('route agrees with the SDK hash and chooseVariation on 10,000 ids, in Pilot and in Limited', () => {
  const { brain, run, later } = rollingBrain();
  assert.ok(Math.abs(check(brain, 0.05) - 0.05) < 0.01);
  later(1440);
  run({ block: 'rollouts', type: 'RecordRolloutMetrics', rollout_id: 'canary-7', samples: 5000, errors: 10, metrics: { accuracy: 0.9, latency_p95: 120 } });
  run({ block: 'rollouts', type: 'EvaluateRollout', rollout_id: 'canary-7' });
  assert.equal(brain.rollout('canary-7').stage, 'Limited');
  assert.ok(Math.abs(check(brain, 0.25) - 0.25) < 0.01);
});

test('rollouts() and rollout(id) show stage, progress, criteria and the next decision', () => {
  const { brain } = rollingBrain();
  const [report] = brain.rollouts();
  assert.equal(report.rolloutId, 'canary-7');
  assert.equal(report.stage, 'Pilot');
  assert.equal(report.traffic, 0.05);
  assert.ok(report.progress >= 0 && report.progress <= 1);
  assert.deepEqual(report.criteria.map((c) => c.criterion), ['accuracy >= 0.85', 'error rate <= 0.05', 'latency_p95 <= 500', 'open alerts = 0']);
  assert.match(report.nextDecision, /^hold: /);
  assert.equal(brain.rollout('nope'), undefined);
});

test('a Router for an unknown model is an unknown_model error; without a rollout it routes to the champion', () => {
  const { brain } = rollingBrain();
  assert.throws(() => new bc.Router(brain, 'nope'), { code: 'unknown_model' });
  assert.throws(() => new bc.Router(brain, 'm').route(7), { code: 'invalid_input' });
  const plain = new bc.Brain();
  plain.execute({ at: '2026-05-01T09:00:00Z', block: 'models', type: 'RegisterModel', model_id: 'x', name: 'X' });
  assert.equal(new bc.Router(plain, 'x').route('u'), undefined);
  assert.equal(plain.route('x', 'u'), undefined);
});
