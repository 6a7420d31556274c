// Bad inputs from JS (wrong types, missing fields, NaN, cycles) are Errors with a stable code
// and a message naming the input; no call ever reaches a wasm trap ("unreachable").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, entryOf, thrown } from './js-pkg.mjs';

// Runs against @brain/core, and against @brain/core/lite from js-lite.test.mjs (which has no Brain).
const entry = entryOf(import.meta.url);
const bc = await load(entry);
const ENGINE = { skip: entry === 'lite' && 'the lite entry has no engine' };

function coded(fn, code, mention) {
  const e = thrown(fn);
  assert.ok(e instanceof Error, `not an Error: ${e}`);
  assert.ok(!/unreachable/i.test(e.message), `trap: ${e.message}`);
  assert.equal(e.code, code, e.message);
  if (mention) assert.match(e.message, mention);
  return e;
}

const EXP = { key: 'k', variations: 2 };
const A = { n: 100, conversions: 10 };

test('assignment: wrong types, missing fields and NaN are invalid_input', () => {
  coded(() => bc.gbHash(1, 'u', 1), 'invalid_input', /seed must be a string, got 1/);
  coded(() => bc.gbHash('s', undefined, 1), 'invalid_input', /value/);
  coded(() => bc.gbHash('s', 'u', NaN), 'invalid_input', /version.*NaN/);
  coded(() => bc.gbHash('s', 'u', '1'), 'invalid_input', /version/);
  assert.equal(bc.gbHash('s', 'u', 3), undefined);
  coded(() => bc.bucketRanges('2', 1), 'invalid_input', /numVariations/);
  coded(() => bc.bucketRanges(2.5, 1), 'invalid_input', /numVariations/);
  coded(() => bc.bucketRanges(1e9, 1), 'invalid_input', /at most/);
  coded(() => bc.bucketRanges(2, NaN), 'invalid_input', /coverage/);
  coded(() => bc.bucketRanges(2, 1, [0.5, 'x']), 'invalid_input', /weights\[1\]/);
  coded(() => bc.bucketRanges(2, 1, [0.5, NaN]), 'invalid_input', /weights\[1\]/);
  coded(() => bc.chooseVariation(NaN, []), 'invalid_input', /\bn\b/);
  coded(() => bc.chooseVariation(0.5, [[0, 'a']]), 'invalid_input', /ranges\[0\]\[1\]/);
  coded(() => bc.chooseVariation(0.5, [[0]]), 'invalid_input', /ranges\[0\]/);
  coded(() => bc.chooseVariation(0.5, {}), 'invalid_input', /ranges/);
  coded(() => bc.assign(null, 'u'), 'invalid_input', /experiment must be an object, got null/);
  coded(() => bc.assign([], 'u'), 'invalid_input', /experiment/);
  coded(() => bc.assign({ variations: 2 }, 'u'), 'invalid_input', /experiment.key must be a string, got undefined/);
  coded(() => bc.assign({ key: 'k' }, 'u'), 'invalid_input', /experiment.variations/);
  coded(() => bc.assign({ key: 'k', variations: [0, 1] }, 'u'), 'invalid_input', /number of variations/);
  coded(() => bc.assign({ key: 'k', variations: NaN }, 'u'), 'invalid_input', /variations/);
  coded(() => bc.assign({ key: 'k', variations: 2, coverage: NaN }, 'u'), 'invalid_input', /coverage/);
  coded(() => bc.assign({ key: 'k', variations: 2, seed: 5 }, 'u'), 'invalid_input', /seed/);
  coded(() => bc.assign({ key: 'k', variations: 2, hashVersion: 'x' }, 'u'), 'invalid_input', /hashVersion/);
  coded(() => bc.assign({ key: 'k', variations: 2, namespace: ['n', 0] }, 'u'), 'invalid_input', /namespace/);
  coded(() => bc.assign(EXP, 42), 'invalid_input', /userId must be a string/);
  coded(() => bc.assignMany(EXP, 'u'), 'invalid_input', /userIds must be an array/);
  coded(() => bc.assignMany(EXP, ['a', 7]), 'invalid_input', /userIds\[1\]/);
  coded(() => new bc.Experiment({ key: 'k', variations: -1 }), 'invalid_input', /variations/);
  const e = new bc.Experiment(EXP);
  for (const bad of [undefined, null, 5, {}, ['u']]) coded(() => e.assign(bad), 'invalid_input', /userId/);
  coded(() => e.variationOf(5), 'invalid_input', /userId/);
  coded(() => e.assignMany([1]), 'invalid_input', /userIds\[0\]/);
  // Long and non-ASCII ids take the other paths of the hot loop.
  const long = 'é'.repeat(2000);
  assert.deepEqual(e.assign(long), bc.assign(EXP, long));
  e.free();
});

test('statistics: wrong types and missing fields are invalid_input, degenerate input has its code', () => {
  coded(() => bc.proportionZTest(null, A), 'invalid_input', /\ba\b/);
  coded(() => bc.proportionZTest(A, { n: 10 }), 'invalid_input', /b.conversions/);
  coded(() => bc.proportionZTest(A, { n: '10', conversions: 1 }), 'invalid_input', /b.n/);
  coded(() => bc.proportionZTest(A, { n: 10.5, conversions: 1 }), 'invalid_input', /b.n/);
  coded(() => bc.proportionZTest(A, { n: -1, conversions: 0 }), 'invalid_input', /b.n/);
  coded(() => bc.proportionZTest(A, { n: NaN, conversions: 0 }), 'invalid_input', /b.n/);
  coded(() => bc.proportionZTest(A, A, 'x'), 'invalid_input', /alpha/);
  coded(() => bc.proportionZTest(A, A, NaN), 'not_finite', /alpha/);
  coded(() => bc.proportionZTest(A, A, 2), 'out_of_range', /alpha/);
  coded(() => bc.proportionZTest(A, { n: 5, conversions: 6 }), 'conversions_exceed_trials');
  // Two faults: each argument is judged in order, so a's counts come before b's type.
  coded(() => bc.proportionZTest({ n: 5, conversions: 6 }, null), 'conversions_exceed_trials');
  coded(() => bc.rateInterval({ n: 5, conversions: 6 }, 'x'), 'conversions_exceed_trials');
  coded(() => bc.liftTTest({ n: 10, conversions: 0 }, A), 'zero_baseline');
  coded(() => bc.sequentialLiftTest(A, A, 0.05, -1), 'out_of_range', /tuning/);
  coded(() => bc.chanceToBeat(A, 3), 'invalid_input', /\bb\b/);
  coded(() => bc.srmPValue([10, 1.5], [0.5, 0.5]), 'invalid_input', /observed\[1\]/);
  coded(() => bc.srmPValue([10, 10], [0.5]), 'length_mismatch');
  coded(() => bc.srmPValue('x', [0.5]), 'invalid_input', /observed/);
  coded(() => bc.adjustPValues([0.1], 'bonferroni'), 'invalid_input', /"holm" or "bh"/);
  coded(() => bc.adjustPValues([0.1, '0.2'], 'holm'), 'invalid_input', /pValues\[1\]/);
  coded(() => bc.adjustPValues([], 'holm'), 'empty');
  coded(() => bc.sampleSizePerArm(0.1, 'x', 0.05, 0.8), 'invalid_input', /mde/);
  coded(() => bc.sampleSizePerArm(0.1, NaN, 0.05, 0.8), 'not_finite');
  coded(() => bc.ksTest([1, 2], [NaN]), 'not_finite');
  coded(() => bc.ksTest([1, 2], [{}]), 'invalid_input', /y\[0\]/);
  coded(() => bc.psi([1, 2, 3], [1, 2], 1), 'too_few');
  coded(() => bc.psi([1, 2, 3], [1, 2], 2.5), 'invalid_input', /bins/);
  assert.ok(bc.ksTest(Float64Array.from([1, 2, 3]), [2, 3, 4]).pValue > 0);
});

test('numbers in error messages are written as the core writes them (Rust\'s `{}` of an f64)', () => {
  // The same texts as core/src/stats/mod.rs's out_of_range_messages_write_the_value_as_rust_does:
  // the wasm leaves the number to JavaScript (no float printing in the lite wasm).
  // Values outside (0, 1) but finite, so that alpha is out_of_range.
  const cases = [
    [2, '2'], [-0, '-0'], [1.5, '1.5'], [-(0.1 + 0.2), '-0.30000000000000004'], [-1.5e-7, '-0.00000015'],
    [-2.5e21, '-2500000000000000000000'], [1e300, `1${'0'.repeat(300)}`], [-5e-324, `-0.${'0'.repeat(323)}5`],
  ];
  for (const [alpha, text] of cases) {
    const e = coded(() => bc.proportionZTest(A, A, alpha), 'out_of_range');
    assert.equal(e.message, `alpha (${text}) must be strictly between 0 and 1`);
  }
  const srm = (x) => coded(() => bc.srmPValue([10, x], [0.5, 0.5]), 'invalid_input').message;
  assert.equal(srm(1.5), 'observed[1] must be a whole number >= 0, got 1.5');
  assert.equal(srm(1e21), 'observed[1] must be a whole number >= 0, got 1000000000000000000000');
  assert.equal(srm(Infinity), 'observed[1] must be a whole number >= 0, got inf');
  assert.equal(coded(() => bc.bucketRanges(2, 1, Float64Array.of(0.5, -Infinity)), 'invalid_input').message,
    'weights[1] must be a finite number, got -inf');
});

test('Brain: bad commands, NaN, cycles and bad snapshots are coded errors', ENGINE, () => {
  const brain = new bc.Brain();
  const at = '2026-03-02T09:00:00Z';
  coded(() => brain.execute(42), 'invalid_input', /command/);
  coded(() => brain.execute(null), 'invalid_input', /command/);
  coded(() => brain.execute({ at, block: 'ab', type: 'RecordCounts', experiment: 'e', variant: 'v', trials: NaN, conversions: 0 }), 'invalid_input', /command.trials/);
  coded(() => brain.execute({ at, block: 'ab', type: 'RecordCounts', experiment: 'e', variant: 'v', trials: 10n, conversions: 0 }), 'invalid_input', /bigint/);
  coded(() => brain.execute({ at, block: 'ab', type: 'RegisterVariant', variant: 'v', kind: 'channel' }), 'invalid_json', /experiment/);
  coded(() => brain.execute({ at: 'yesterday', block: 'audit', type: 'TakeSnapshot' }), 'invalid_input', /command.at .*RFC 3339/);
  coded(() => brain.execute({ block: 'audit', type: 'TakeSnapshot' }), 'invalid_input', /command.at is missing/);
  coded(() => brain.execute({ at: new Date(NaN), block: 'audit', type: 'TakeSnapshot' }), 'invalid_input', /Date/);
  coded(() => brain.execute('{"at":'), 'invalid_json', /command/);
  // Nested trouble is named by its path (the fast JSON path falls back to the naming one).
  const lead = (fields) => ({ at, block: 'packets', type: 'BuildPacket', lead: { name: 'x', value: 1, fields } });
  coded(() => brain.execute(lead({ when: new Date(NaN) })), 'invalid_input', /command\.lead\.fields\.when is an invalid Date/);
  coded(() => brain.execute(lead({ f: () => 1 })), 'invalid_input', /command\.lead\.fields\.f must be JSON data, got a function/);
  coded(() => brain.execute(lead({ s: Symbol('s') })), 'invalid_input', /command\.lead\.fields\.s must be JSON data, got a symbol/);
  coded(() => brain.execute(lead({ list: [1, -Infinity] })), 'invalid_input', /command\.lead\.fields\.list\[1\] must be a finite number, got -Infinity/);
  const cyclic = { at, block: 'audit', type: 'TakeSnapshot' };
  cyclic.self = cyclic;
  coded(() => brain.execute(cyclic), 'invalid_input', /circular/);
  coded(() => new bc.Brain(5), 'invalid_input', /policy/);
  coded(() => new bc.Brain({ promotion: { min_sample: -1 } }), 'invalid_policy', /promotion\.min_sample/);
  coded(() => new bc.Brain({ promotion: { min_sample: 'x' } }), 'invalid_policy', /promotion\.min_sample/);
  coded(() => new bc.Brain({ gates: { min_acuracy: 0.9 } }), 'unknown_policy_field', /gates\.min_acuracy/);
  coded(() => new bc.Brain({ ab: { bandit_draws: 100001 } }), 'invalid_policy', /bandit_draws/);
  coded(() => brain.whatIf(null), 'invalid_input', /policy/);
  coded(() => bc.Brain.fromJSON(7), 'invalid_input', /snapshot/);
  coded(() => bc.Brain.fromJSON({ schema_version: 1 }), 'invalid_json');
  coded(() => bc.Brain.demo('not a time'), 'invalid_input', /RFC 3339/);
  coded(() => brain.experiment(1), 'invalid_input', /name/);
  coded(() => brain.auditQuery({ from: 'x' }), 'invalid_json', /query/);
  assert.equal(brain.position, 0);
  brain.free();
});

test('the TypeScript declarations name every input and output type: no any', ENGINE, async () => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { PKG, ROOT } = await import('./js-pkg.mjs');
  // Doc comments (many generated from the Rust docs) may say "any"; the code may not.
  const code = (text) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const dts = readFileSync(`${PKG}/brain_core.d.ts`, 'utf8');
  const api = dts.split('export type InitInput')[0];
  assert.doesNotMatch(code(api), /\bany\b/, 'an `any` in brain_core.d.ts');
  // Assignment and statistics are the lite entry's (js/lite.js over the lite wasm), declared in
  // js/lite.d.ts, which js/index.d.ts re-exports.
  const lite = readFileSync(join(ROOT, 'js', 'lite.d.ts'), 'utf8');
  assert.doesNotMatch(code(lite), /\bany\b/, 'an `any` in lite.d.ts');
  for (const name of ['gbHash', 'bucketRanges', 'chooseVariation', 'assign', 'assignMany', 'proportionZTest', 'liftTTest', 'sequentialLiftTest', 'chanceToBeat', 'srmPValue', 'adjustPValues', 'sampleSizePerArm', 'ksTest', 'psi']) {
    assert.match(lite, new RegExp(`export function ${name}\\(`), name);
  }
  assert.match(lite, /export class Experiment/);
  assert.match(api, /export class Brain/);
  assert.match(lite, /assign\(userId: string\): Assignment;/);
  // Omittable trailing parameters are optional.
  assert.match(lite, /proportionZTest\(a: Counts, b: Counts, alpha\?: number\): ZTest;/);
  assert.match(lite, /sequentialLiftTest\(a: Counts, b: Counts, alpha\?: number, tuning\?: number\): LiftTest;/);
  assert.match(lite, /bucketRanges\(numVariations: number, coverage\?: number, weights\?: readonly number\[\] \| Float64Array \| null\): Range\[\];/);
  assert.match(lite, /psi\(reference: [^)]*, bins\?: number\): number;/);
  assert.match(api, /constructor\(policy\?: PolicyInput\);/);
  for (const text of [api, lite]) assert.doesNotMatch(text, /\w: [^;,()]+ \| undefined[,)]/, 'a required parameter typed "| undefined"');
});
