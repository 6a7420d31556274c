// @brain/core assignment against the SDK fixture (core/tests/fixtures/assign_sdk.json, the
// same cases as core/tests/assign_conformance.rs) and side by side with
// @growthbook/growthbook's GrowthBook#run on 12,000 ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GrowthBook } from '@growthbook/growthbook';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load, entryOf, fixture, LITE_PKG, ROOT, thrown } from './js-pkg.mjs';

process.env.NODE_ENV = 'production'; // silence the SDK's warnings on bad weights
// Runs against @brain/core, and against @brain/core/lite from js-lite.test.mjs.
const entry = entryOf(import.meta.url);
const bc = await load(entry);
const sdk = fixture('assign_sdk.json');

test('gbHash matches the SDK fixture bit for bit (undefined for unknown versions)', () => {
  assert.ok(sdk.hash.length >= 1000);
  for (const [seed, value, version, want] of sdk.hash) {
    assert.equal(bc.gbHash(seed, value, version), want ?? undefined, `hash(${seed}, ${value}, ${version})`);
  }
});

test('bucketRanges matches the SDK fixture bit for bit', () => {
  for (const [n, coverage, weights, want] of sdk.bucketRanges) {
    assert.deepEqual(bc.bucketRanges(n, coverage ?? undefined, weights ?? undefined), want);
  }
  assert.deepEqual(bc.bucketRanges(-2, 1), []);
  assert.deepEqual(bc.bucketRanges(2, 0.5), [[0, 0.25], [0.5, 0.75]]);
});

test('chooseVariation matches the SDK fixture', () => {
  for (const [n, ranges, want] of sdk.chooseVariation) {
    assert.equal(bc.chooseVariation(n, ranges), want);
  }
});

test('namespaces: assign with a namespace matches the SDK inNamespace fixture', () => {
  // Full coverage, one variation range [0, 1): in the experiment iff in the namespace.
  for (const [id, ns, want] of sdk.inNamespace) {
    if (id === '') continue;
    const r = bc.assign({ key: 'ns-check', variations: 2, weights: [1, 0], namespace: ns }, id);
    assert.equal(r.inExperiment, want, `inNamespace(${id}, ${JSON.stringify(ns)})`);
  }
});

test('assign, Experiment#assign and assignMany match the SDK run fixture', () => {
  assert.ok(sdk.run.length >= 3000);
  const byExp = new Map();
  for (const [exp, id, want] of sdk.run) {
    const expected = { inExperiment: want.inExperiment, variationId: want.variationId, bucket: want.bucket };
    assert.deepEqual(bc.assign(exp, id), expected, `run ${JSON.stringify(exp)} ${id}`);
    const key = JSON.stringify(exp);
    if (!byExp.has(key)) byExp.set(key, { exp, ids: [], want: [] });
    const e = byExp.get(key);
    e.ids.push(id);
    e.want.push(want.inExperiment ? want.variationId : -1);
  }
  for (const { exp, ids, want } of byExp.values()) {
    const prepared = new bc.Experiment(exp);
    ids.forEach((id, i) => {
      const r = prepared.assign(id);
      assert.equal(r.inExperiment ? r.variationId : -1, want[i]);
      assert.equal(prepared.variationOf(id), want[i]);
    });
    assert.deepEqual(Array.from(prepared.assignMany(ids)), want);
    assert.deepEqual(Array.from(bc.assignMany(exp, ids)), want);
    prepared.free();
  }
});

function mulberry32(a) {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EMOJI = ['😀', '🚀', '👍🏽', '👨‍👩‍👧', '🇫🇷', 'é', 'ж', '中', '𠜎'];
function randomIds(count, seed) {
  const rnd = mulberry32(seed);
  const ids = [];
  for (let i = 0; i < count; i++) {
    const r = rnd();
    if (r < 0.4) ids.push(`user-${Math.floor(rnd() * 1e9)}`);
    else if (r < 0.6) ids.push(String(Math.floor(rnd() * 1e7)));
    else if (r < 0.8) ids.push(crypto.randomUUID());
    else ids.push(`u${i}${EMOJI[Math.floor(rnd() * EMOJI.length)]}${Math.floor(rnd() * 1000)}`);
  }
  return ids;
}

const SIDE_BY_SIDE = [
  { key: 'checkout-button', variations: 2 },
  { key: 'pricing', seed: 'pricing-2026', hashVersion: 2, variations: 3, weights: [0.2, 0.3, 0.5] },
  { key: 'onboarding', hashVersion: 2, variations: 4, coverage: 0.6 },
  { key: 'banner', hashVersion: 1, variations: 2, weights: [0.9, 0.1], coverage: 0.5, namespace: ['promo', 0.2, 0.7] },
];

for (const exp of SIDE_BY_SIDE) {
  test(`side by side with GrowthBook#run on 12,000 ids: ${exp.key}`, () => {
    const ids = randomIds(12000, exp.key.length * 7919);
    const prepared = new bc.Experiment(exp);
    const many = bc.assignMany(exp, ids);
    const gbExp = { ...exp, variations: Array.from({ length: exp.variations }, (_, i) => i) };
    let inside = 0;
    ids.forEach((id, i) => {
      const gb = new GrowthBook({ attributes: { id } });
      const r = gb.run(gbExp);
      gb.destroy();
      const ours = prepared.assign(id);
      assert.equal(ours.inExperiment, r.inExperiment, id);
      assert.equal(ours.variationId, r.variationId, id);
      assert.equal(ours.bucket, r.inExperiment ? r.bucket : undefined, id);
      assert.equal(many[i], r.inExperiment ? r.variationId : -1, id);
      inside += r.inExperiment ? 1 : 0;
    });
    assert.ok(inside > 1000, `only ${inside} users in`);
    prepared.free();
  });
}

test('non-ASCII, empty and lone-surrogate ids bucket as in GrowthBook#run, one by one and in a batch', () => {
  // The SDK hashes UTF-16 code units, so a lone surrogate is hashed as it is, not as U+FFFD.
  const ids = ['', 'é', '😀', 'a', '', '👨‍👩‍👧x', 'plain', '\ud800', 'z\udc00', '\udfff\ud800', '\ufffd'];
  for (const exp of [{ key: 'split', variations: 3 }, { key: 'split', hashVersion: 2, variations: 3 }, { key: 'split', variations: 2, namespace: ['ns', 0, 0.5] }]) {
    const gbExp = { ...exp, variations: Array.from({ length: exp.variations }, (_, i) => i) };
    const want = ids.map((id) => {
      const gb = new GrowthBook({ attributes: { id } });
      const r = gb.run(gbExp);
      gb.destroy();
      return { inExperiment: r.inExperiment, variationId: r.variationId, bucket: r.inExperiment ? r.bucket : undefined };
    });
    const prepared = new bc.Experiment(exp);
    ids.forEach((id, i) => {
      assert.deepEqual(prepared.assign(id), want[i], `Experiment#assign ${JSON.stringify(id)} in ${exp.key}`);
      assert.deepEqual(bc.assign(exp, id), want[i], `assign ${JSON.stringify(id)}`);
    });
    const variationIds = want.map((r) => (r.inExperiment ? r.variationId : -1));
    assert.deepEqual(Array.from(prepared.assignMany(ids)), variationIds);
    assert.deepEqual(Array.from(bc.assignMany(exp, ids)), variationIds);
    assert.deepEqual(Array.from(bc.assignMany(exp, [])), []);
    prepared.free();
  }
});

test("the wasm core's bucketing (Experiment#assignUnits) agrees with the JS hot path id by id", () => {
  // assignMany hashes in JS (js/assign-fast.js) unless the experiment is namespaced; assignUnits
  // always asks the wasm core (PreparedExperiment::variations_units) with the ids' code units.
  const ids = [...randomIds(3000, 17), '', 'é', '😀', '👨‍👩‍👧x'];
  const units = new Uint16Array(ids.join('').length);
  let at = 0;
  for (const id of ids) for (let i = 0; i < id.length; i++) units[at++] = id.charCodeAt(i);
  const lengths = Uint32Array.from(ids, (id) => id.length);
  for (const exp of [{ key: 'raw', variations: 3 }, { key: 'raw', hashVersion: 2, variations: 4, coverage: 0.7 }, { key: 'raw', variations: 2, namespace: ['ns', 0, 0.5] }]) {
    const e = new bc.Experiment(exp);
    assert.deepEqual(Array.from(e.assignUnits(units, lengths)), Array.from(bc.assignMany(exp, ids)), exp.key);
    e.free();
  }
});

test('hash v2: ids whose inner hash has 5 to 10 digits, or zeros in its last five, bucket as in the SDK', async () => {
  // Experiment#assign feeds the inner hash's decimal digits in pairs, in two halves (above and
  // below 100,000), with a branch per length; these ids, found by search, reach every branch
  // (one in 43,000 random ids has an inner hash under 100,000).
  const util = await import(new URL('../../node_modules/@growthbook/growthbook/dist/esm/util.mjs', import.meta.url).href);
  const exp = { key: 'digits', seed: 'digits-seed', hashVersion: 2, variations: 4 };
  const inner = (id) => {
    let h = 0x811c9dc5 | 0;
    for (const s of exp.seed + id) h = Math.imul(h ^ s.charCodeAt(0), 0x01000193);
    return h >>> 0;
  };
  const byLength = new Map();
  const zeros = [];
  for (let i = 0; byLength.size < 6 || zeros.length < 50; i++) {
    const id = `u${i}`;
    const h = inner(id);
    const length = Math.max(5, String(h).length);
    if (!byLength.has(length)) byLength.set(length, []);
    if (byLength.get(length).length < 5) byLength.get(length).push(id);
    if (h >= 100000 && h % 100000 < 10000 && zeros.length < 50) zeros.push(id);
  }
  const prepared = new bc.Experiment(exp);
  const ranges = util.getBucketRanges(4, 1);
  const ids = [...[...byLength.values()].flat(), ...zeros];
  for (const id of ids) {
    const n = util.hash(exp.seed, id, 2);
    assert.equal(prepared.assign(id).bucket, n, `${id}: inner hash ${inner(id)}`);
    assert.equal(prepared.variationOf(id), util.chooseVariation(n, ranges), id);
  }
  assert.deepEqual([...byLength.keys()].sort((a, b) => a - b), [5, 6, 7, 8, 9, 10]);
  assert.deepEqual(Array.from(prepared.assignMany(ids)), ids.map((id) => util.chooseVariation(util.hash(exp.seed, id, 2), ranges)));
  prepared.free();
});

test("Experiment#plan gives the hash's inputs and the variation of every hash value, as chooseVariation places them", () => {
  // plan() is the wasm build's, which the package's Experiment uses and passes on.
  for (const exp of [
    { key: 'p', variations: 3, weights: [0.2, 0.3, 0.5], coverage: 0.9 },
    { key: 'p', seed: 'sé', hashVersion: 2, variations: 4, coverage: 0.55 },
    { key: 'p', variations: 1 },
    { key: 'p', variations: 2, namespace: ['ns', 0, 0.5] },
  ]) {
    const e = new bc.Experiment(exp);
    const plan = e.plan();
    const ranges = e.ranges();
    const scale = exp.hashVersion === 2 ? 10000 : 1000;
    assert.equal(plan.hashVersion, exp.hashVersion ?? 1);
    assert.equal(plan.scale, scale);
    assert.deepEqual(Array.from(plan.seed), Array.from(exp.seed ?? exp.key, (c) => c.charCodeAt(0)));
    assert.equal(plan.namespaced, Boolean(exp.namespace));
    assert.ok(plan.table instanceof Int32Array && plan.table.length === scale);
    for (let v = 0; v < scale; v++) {
      const want = exp.variations < 2 ? -1 : bc.chooseVariation(v / scale, ranges);
      assert.equal(plan.table[v], want, `${JSON.stringify(exp)}: value ${v}`);
    }
    e.free();
  }
});

test('Experiment#assignUnits buckets ids given as UTF-16 code units as assignMany does; lengths must add up', () => {
  const exp = { key: 'units', variations: 3, namespace: ['ns', 0.1, 0.9] };
  const ids = ['user-1', '', 'é😀', '\ud800', 'user-22'];
  const e = new bc.Experiment(exp);
  const units = new Uint16Array(ids.join('').length);
  let at = 0;
  for (const id of ids) for (let i = 0; i < id.length; i++) units[at++] = id.charCodeAt(i);
  const lengths = Uint32Array.from(ids, (id) => id.length);
  assert.deepEqual(Array.from(e.assignUnits(units, lengths)), ids.map((id) => e.variationOf(id)));
  assert.equal(thrown(() => e.assignUnits(units, Uint32Array.of(1))).code, 'invalid_input');
  assert.equal(thrown(() => e.assignUnits([117], lengths)).code, 'invalid_input');
  e.free();
});

test('a freed Experiment refuses every call with invalid_input; free() twice is harmless', () => {
  for (const exp of [{ key: 'f', variations: 2 }, { key: 'f', variations: 2, namespace: ['ns', 0, 1] }]) {
    const e = new bc.Experiment(exp);
    e.assign('warm-up');
    e.free();
    e.free();
    for (const call of [() => e.assign('u'), () => e.variationOf('u'), () => e.assignMany(['u']), () => e.ranges(), () => e.toJSON(), () => e.plan()]) {
      const error = thrown(call);
      assert.equal(error.code, 'invalid_input', error.message);
      assert.match(error.message, /freed/);
    }
  }
});

test("the package uses only the wasm build's public exports: no wasm-bindgen internals, no patched prototypes", () => {
  // The hand-written sources (the lite entry's bundle holds them and the glue, which is
  // wasm-bindgen's own and may use its internals).
  const lite = ['lite.js', 'inputs.js', 'assign-fast.js', 'hash-fast.js'];
  const files = entry === 'lite' ? lite : ['index.js', 'engine.js', 'route-fast.js', ...lite];
  for (const file of files) {
    const code = readFileSync(join(ROOT, 'js', file), 'utf8').replace(/\/\/.*$/gm, '');
    assert.doesNotMatch(code, /__wbg|\.__\w+/, `${file} reaches into wasm-bindgen's internals`);
    assert.doesNotMatch(code, /wasm\.\w+\.prototype|\bExperiment\.prototype\.\w+\s*=/, `${file} patches a prototype`);
  }
  // Both entries take assignment from the lite wasm build.
  const dts = readFileSync(join(LITE_PKG, 'brain_core_lite.d.ts'), 'utf8');
  assert.match(dts, /plan\(\): AssignmentPlan;/);
  assert.match(dts, /assignUnits\(units: Uint16Array, lengths: Uint32Array\): Int32Array;/);
});
