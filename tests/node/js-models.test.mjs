// The models registry from JS: compareVersions, modelHistory, versionsMatching, nextVersion
// and modelAssessment on the demo (evidence, metrics, environments), and their errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, thrown } from './js-pkg.mjs';

const bc = await load();
const T0 = '2026-03-02T09:00:00Z';

test('compareVersions gives metric deltas, the evidence against the champion and a recommendation', () => {
  const brain = bc.Brain.demo(T0);
  const c = brain.compareVersions('lead-scorer', '1.0.0', '1.3.0');
  const metric = (name) => c.metrics.find((m) => m.metric === name);
  assert.equal(metric('accuracy').a, 0.88);
  assert.equal(metric('accuracy').b, 0.9);
  assert.equal(metric('f1').better, 'b');
  assert.equal(metric('latency_p95').lowerIsBetter, true);
  assert.equal(metric('latency_p95').better, 'a');
  // 1.3.0 has 400 samples per arm against 1.0.0: not enough.
  assert.equal(c.evidence.verdict, 'hold');
  assert.equal(c.evidence.championSamples, 400);
  assert.equal(c.evidence.minSamplesPerArm, 1000);
  assert.equal(c.recommendation, 'collect_evidence');
  assert.ok(c.reasons.includes('champion arm has 400 samples, fewer than the 1000 required'));
  assert.deepEqual(brain.modelAssessment('lead-scorer', '1.3.0'), c.evidence);
  assert.equal(brain.modelAssessment('lead-scorer', '1.0.0'), null, 'the champion has no evidence against itself');
  brain.free();
});

test('modelHistory says which version was in production when; versionsMatching takes ranges', () => {
  const brain = bc.Brain.demo(T0);
  const h = brain.modelHistory('lead-scorer');
  assert.deepEqual(
    h.entries.map((e) => e.kind),
    ['accepted', 'promoted', 'accepted', 'promoted', 'rolled_back', 'update_refused', 'accepted', 'accepted', 'promotion_refused'],
  );
  const production = h.deployments.filter((d) => d.environment === 'production');
  assert.deepEqual(production.map((d) => [d.version, d.until, d.actor]), [['1.0.0', null, 'demo']]);
  assert.deepEqual(brain.versionsMatching('lead-scorer', '^1.1').map((v) => v.version), ['1.1.0', '1.2.0', '1.3.0']);
  assert.deepEqual(brain.versionsMatching('lead-scorer', '>=1.0 <2').map((v) => v.version), ['1.0.0', '1.1.0', '1.2.0', '1.3.0']);
  assert.equal(brain.nextVersion('lead-scorer', 'minor'), '1.4.0', '1.1, 1.2 and 1.3 are taken');
  assert.equal(brain.nextVersion('lead-scorer', 'patch', '1.3.0'), '1.3.1');
  assert.equal(brain.nextVersion('lead-scorer', 'major'), '3.0.0');
  brain.free();
});

test('the models queries refuse bad input with a code', () => {
  const brain = bc.Brain.demo(T0);
  assert.equal(thrown(() => brain.versionsMatching('lead-scorer', 'one point two')).code, 'invalid_range');
  assert.equal(thrown(() => brain.compareVersions('lead-scorer', '1.0.0', '9.9.9')).code, 'unknown_version');
  assert.equal(thrown(() => brain.compareVersions('lead-scorer', '1.0', '1.3.0')).code, 'invalid_input');
  assert.equal(thrown(() => brain.modelHistory('nope')).code, 'unknown_model');
  assert.equal(thrown(() => brain.nextVersion('lead-scorer', 'huge')).code, 'invalid_input');
  brain.free();
});
