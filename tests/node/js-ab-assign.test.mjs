// brain.assign(experimentId, unitId) against @growthbook/growthbook's GrowthBook#run: an
// experiment registered in the Brain carries its hash key, seed, hash version, coverage and
// variant weights, and bucketing a unit with them gives the SDK's result bit for bit (variation,
// inExperiment, bucket); outside `running` the unit is not in it (the SDK's `active: false`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GrowthBook } from '@growthbook/growthbook';
import { load } from './js-pkg.mjs';

process.env.NODE_ENV = 'production';
const bc = await load();

function brainWith(create, variants) {
  const brain = new bc.Brain();
  let minute = 0;
  const run = (cmd) => brain.execute({ at: new Date(Date.UTC(2026, 4, 1, 9, minute++)), ...cmd });
  run({ block: 'ab', type: 'CreateExperiment', kind: 'script', ...create });
  for (const [variant, weight] of variants) {
    run({ block: 'ab', type: 'RegisterVariant', experiment: create.experiment_id, variant, kind: 'script', weight });
  }
  run({ block: 'ab', type: 'StartExperiment', experiment_id: create.experiment_id });
  return { brain, run };
}

function sdk(gbExp, id) {
  const gb = new GrowthBook({ attributes: { id } });
  const r = gb.run(gbExp);
  gb.destroy();
  return { inExperiment: r.inExperiment, variationId: r.variationId, bucket: r.inExperiment ? r.bucket : undefined };
}

const ids = Array.from({ length: 6000 }, (_, i) => (i % 4 === 0 ? `lead-${i}` : i % 4 === 1 ? `${i * 7919}:é${i}` : i % 4 === 2 ? `😀${i}` : `u${i}`));

const CASES = [
  // Settings given: key, seed, version 1, coverage, unequal weights (3:1:1 -> 0.6, 0.2, 0.2).
  {
    create: { experiment_id: 'opening', hash_key: 'opening-2026', seed: 'q4-seed', hash_version: 1, coverage: 0.7 },
    variants: [['warm-open', 3], ['direct-ask', 1], ['story-led', 1]],
    gb: { key: 'opening-2026', seed: 'q4-seed', hashVersion: 1, coverage: 0.7, weights: [0.6, 0.2, 0.2] },
  },
  // Nothing given: the experiment's id as key and seed, hash version 2, everyone, equal weights.
  {
    create: { experiment_id: 'timing' },
    variants: [['next-day', 1], ['same-day', 1]],
    gb: { key: 'timing', hashVersion: 2, coverage: 1, weights: [0.5, 0.5] },
  },
];

for (const c of CASES) {
  test(`brain.assign equals GrowthBook#run on 6,000 ids: ${c.create.experiment_id}`, () => {
    const { brain } = brainWith(c.create, c.variants);
    const gbExp = { ...c.gb, variations: c.variants.map((_, i) => i) };
    const spec = brain.assignSpec(c.create.experiment_id);
    assert.equal(spec.key, c.gb.key);
    assert.equal(spec.variations, c.variants.length);
    const prepared = new bc.Experiment(spec);
    let inside = 0;
    for (const id of ids) {
      const want = sdk(gbExp, id);
      assert.deepEqual(brain.assign(c.create.experiment_id, id), want, id);
      assert.deepEqual(prepared.assign(id), want, `Experiment(assignSpec) ${id}`);
      inside += want.inExperiment ? 1 : 0;
    }
    assert.ok(inside > 1000, `only ${inside} in`);
    prepared.free();
  });
}

test('a stopped experiment buckets nobody (the SDK with active: false); an unknown one is an error', () => {
  const { brain, run } = brainWith(CASES[1].create, CASES[1].variants);
  run({ block: 'ab', type: 'StopExperiment', experiment_id: 'timing' });
  const gbExp = { ...CASES[1].gb, variations: [0, 1], active: false };
  for (const id of ids.slice(0, 200)) {
    assert.deepEqual(brain.assign('timing', id), sdk(gbExp, id), id);
  }
  assert.throws(() => brain.assign('nope', 'u1'), { code: 'unknown_experiment' });
  assert.throws(() => brain.assignSpec('nope'), { code: 'unknown_experiment' });
  assert.throws(() => brain.assign('timing', 7), { code: 'invalid_input' });
  assert.throws(
    () => brain.execute({ at: new Date(Date.UTC(2026, 4, 2)), block: 'ab', type: 'CreateExperiment', experiment_id: 'x', kind: 'script', hash_version: 3 }),
    { code: 'invalid_bucketing' },
  );
});
