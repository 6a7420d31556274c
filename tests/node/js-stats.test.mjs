// @brain/core statistics against the reference fixtures of core/tests/stats_reference.rs
// (core/tests/fixtures/stats_*.json, generated with scipy, statsmodels and gbstats): same
// tolerance (1e-6 absolute, or relative when larger; sample sizes exactly) and the same error
// codes for degenerate inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, entryOf, fixture, thrown } from './js-pkg.mjs';

// Runs against @brain/core, and against @brain/core/lite from js-lite.test.mjs.
const bc = await load(entryOf(import.meta.url));
const TOL = 1e-6;

/** JSON cannot hold NaN or infinities: the fixtures write them as strings. */
function num(v) {
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (Array.isArray(v)) return v.map(num);
  return v;
}

function close(label, got, want) {
  assert.equal(typeof got, 'number', label);
  assert.ok(Math.abs(got - want) <= TOL * Math.max(1, Math.abs(want)), `${label}: got ${got}, want ${want}`);
}

function expectCode(label, fn, code) {
  const e = thrown(fn);
  assert.ok(e instanceof Error, `${label}: not an Error`);
  assert.equal(e.code, code, `${label}: ${e.message}`);
  assert.ok(e.message.length > 10, label);
}

const counts = (c) => ({ n: num(c.n), conversions: num(c.conversions) });
/** Totals of a continuous, ratio or CUPED arm, with "nan" / "inf" strings made numbers. */
const totals = (t) =>
  Object.fromEntries(Object.entries(t).map(([k, v]) => [k, typeof v === 'object' && v !== null ? totals(v) : num(v)]));
const alphaOf = (c) => (c.alpha === undefined ? undefined : num(c.alpha));

const SUITES = {
  stats_z_test: {
    run: (c) => bc.proportionZTest(counts(c.a), counts(c.b), num(c.alpha)),
    fields: ['z', 'pValue', 'diff', 'ciLow', 'ciHigh'],
  },
  stats_t_test: {
    run: (c) => bc.liftTTest(counts(c.a), counts(c.b), num(c.alpha)),
    fields: ['lift', 'ciLow', 'ciHigh', 'pValue'],
  },
  stats_sequential: {
    run: (c) => bc.sequentialLiftTest(counts(c.a), counts(c.b), num(c.alpha), num(c.tuning)),
    fields: ['lift', 'ciLow', 'ciHigh', 'pValue'],
  },
  stats_wilson: {
    run: (c) => bc.rateInterval(counts(c.c), num(c.alpha)),
    fields: ['rate', 'ciLow', 'ciHigh'],
  },
  stats_chance_to_beat: {
    run: (c) => ({ chanceToBeat: bc.chanceToBeat(counts(c.a), counts(c.b)) }),
    fields: ['chanceToBeat'],
  },
  stats_srm: {
    run: (c) => ({ pValue: bc.srmPValue(num(c.observed), num(c.weights)) }),
    fields: ['pValue'],
  },
  stats_ks: {
    run: (c) => bc.ksTest(num(c.x), num(c.y)),
    fields: ['statistic', 'pValue'],
  },
  stats_mean: {
    run: (c) => bc.meanLiftTTest(totals(c.a), totals(c.b), alphaOf(c)),
    fields: ['lift', 'ciLow', 'ciHigh', 'pValue'],
  },
  stats_mean_sequential: {
    run: (c) => bc.meanSequentialTest(totals(c.a), totals(c.b), alphaOf(c), num(c.tuning)),
    fields: ['lift', 'ciLow', 'ciHigh', 'pValue'],
  },
  stats_mean_bayesian: {
    run: (c) => bc.meanBayesian(totals(c.a), totals(c.b), alphaOf(c), c.prior && totals(c.prior)),
    fields: ['lift', 'ciLow', 'ciHigh', 'chanceToWin', 'riskControl', 'riskTreatment'],
  },
  stats_ratio: {
    run: (c) => bc.ratioLiftTTest(totals(c.a), totals(c.b), alphaOf(c)),
    fields: ['lift', 'ciLow', 'ciHigh', 'pValue'],
  },
  stats_cuped: {
    run: (c) => bc.cupedLiftTTest(totals(c.a), totals(c.b), alphaOf(c)),
    fields: ['lift', 'ciLow', 'ciHigh', 'pValue'],
  },
  stats_psi: {
    run: (c) => ({ psi: bc.psi(num(c.reference), num(c.current), num(c.bins)) }),
    fields: ['psi'],
  },
};

for (const [name, { run, fields }] of Object.entries(SUITES)) {
  test(`${name}: every reference case and every error code`, () => {
    const f = fixture(`${name}.json`);
    assert.ok(f.cases.length >= 100);
    for (const c of f.cases) {
      const got = run(c);
      for (const k of fields) close(`${name} ${k} ${JSON.stringify(c).slice(0, 120)}`, got[k], c[k]);
    }
    for (const c of f.errors) expectCode(`${name} ${JSON.stringify(c).slice(0, 160)}`, () => run(c), c.error);
  });
}

test('stats_multiple: Holm and Benjamini-Hochberg adjusted p-values, and error codes', () => {
  const f = fixture('stats_multiple.json');
  for (const c of f.cases) {
    const got = bc.adjustPValues(num(c.p), c.method);
    assert.equal(got.length, c.adjusted.length);
    got.forEach((g, i) => close(`${c.method} ${i}`, g, c.adjusted[i]));
    // Float64Array input gives the same answer.
    assert.deepEqual(bc.adjustPValues(Float64Array.from(num(c.p)), c.method), got);
  }
  for (const c of f.errors) expectCode(`multiple ${JSON.stringify(c)}`, () => bc.adjustPValues(num(c.p), c.method), c.error);
});

test('stats_power: sample sizes exactly, detectable effects, and error codes', () => {
  const f = fixture('stats_power.json');
  for (const c of f.cases) {
    assert.equal(bc.sampleSizePerArm(c.baseline, c.mde, c.alpha, c.power), c.n, JSON.stringify(c));
  }
  for (const c of f.effects) {
    const run = () => bc.detectableEffect(c.baseline, c.n, c.alpha, c.power);
    if (c.error) expectCode(`effect ${JSON.stringify(c)}`, run, c.error);
    else close(`effect ${JSON.stringify(c)}`, run(), c.mde);
  }
  for (const c of f.errors) {
    const run =
      c.fn === 'sample_size'
        ? () => bc.sampleSizePerArm(num(c.baseline), num(c.mde), num(c.alpha), num(c.power))
        : () => bc.detectableEffect(num(c.baseline), num(c.n), num(c.alpha), num(c.power));
    expectCode(`power ${JSON.stringify(c)}`, run, c.error);
  }
});

/** Relative 1e-6 down to 1e-300, exactly 0 where the reference is 0 (stats_tails.json). */
function relativelyClose(label, got, want) {
  assert.equal(typeof got, 'number', label);
  if (want === 0) {
    assert.equal(got, 0, `${label}: got ${got}, want exactly 0`);
    return;
  }
  const err = Math.abs(got - want) / Math.abs(want);
  assert.ok(err <= 1e-6, `${label}: got ${got}, want ${want} (relative error ${err})`);
}

/** `[[value, count], ...]` to the sample it stands for. */
const expand = (histogram) => histogram.flatMap(([v, count]) => Array(count).fill(v));

test('far tails: p-values and chances from 1e-300 up agree with mpmath to a relative 1e-6', () => {
  const t = fixture('stats_tails.json');
  const smallest = (cases, k) => Math.min(...cases.map((c) => c[k]));
  for (const c of t.z) {
    const r = bc.proportionZTest(c.a, c.b, 0.05);
    relativelyClose(`z ${JSON.stringify(c)}`, r.z, c.z);
    relativelyClose(`z p-value ${JSON.stringify(c)}`, r.pValue, c.pValue);
  }
  for (const c of t.t) {
    const r = bc.liftTTest(c.a, c.b, 0.05);
    relativelyClose(`t p-value ${JSON.stringify(c)}`, r.pValue, c.pValue);
  }
  for (const c of t.srm) relativelyClose(`srm ${JSON.stringify(c)}`, bc.srmPValue(c.observed, c.weights), c.pValue);
  for (const c of t.chanceToBeat) {
    relativelyClose(`chanceToBeat ${JSON.stringify(c)}`, bc.chanceToBeat(c.a, c.b), c.chanceToBeat);
  }
  for (const c of t.ks) {
    const r = bc.ksTest(expand(c.xCounts), expand(c.yCounts));
    relativelyClose(`ks statistic n ${c.n}`, r.statistic, c.statistic);
    relativelyClose(`ks p-value n ${c.n} D ${c.statistic}`, r.pValue, c.pValue);
  }
  for (const [key, field] of [['z', 'pValue'], ['t', 'pValue'], ['srm', 'pValue'], ['chanceToBeat', 'chanceToBeat']]) {
    assert.ok(smallest(t[key], field) < 1e-200, `${key} reaches the far tail`);
  }
});

test('defaults: alpha 0.05, tuning 5000, 10 PSI bins', () => {
  const a = { n: 1000, conversions: 100 };
  const b = { n: 1000, conversions: 130 };
  assert.deepEqual(bc.proportionZTest(a, b), bc.proportionZTest(a, b, 0.05));
  assert.deepEqual(bc.liftTTest(a, b), bc.liftTTest(a, b, 0.05));
  assert.deepEqual(bc.sequentialLiftTest(a, b), bc.sequentialLiftTest(a, b, 0.05, 5000));
  const x = Array.from({ length: 200 }, (_, i) => i % 37);
  const y = Array.from({ length: 200 }, (_, i) => (i * 7) % 41);
  assert.equal(bc.psi(x, y), bc.psi(x, y, 10));
  const z = bc.proportionZTest(a, b);
  assert.deepEqual(Object.keys(z), ['z', 'pValue', 'diff', 'ciLow', 'ciHigh']);
  assert.ok(bc.chanceToBeat(a, b) > 0.97);
});

// gbstats' own t-test p-value is 2 * (1 - cdf), 0 below 1e-16: the fixtures of the tests of
// means also hold 2 * t.sf, which the package must match within 1e-6 relative down to 1e-300.
for (const name of ['stats_mean', 'stats_ratio', 'stats_cuped']) {
  test(`${name}: p-values far in the tail match 2 t.sf within 1e-6 relative`, () => {
    const run = SUITES[name].run;
    let tiny = 0;
    for (const c of fixture(`${name}.json`).cases) {
      const got = run(c).pValue;
      if (c.pValueExact < 1e-300) {
        assert.ok(got < 1e-300, `${name}: got ${got}, want ${c.pValueExact}`);
        continue;
      }
      tiny += c.pValueExact < 1e-50 ? 1 : 0;
      const rel = Math.abs(got - c.pValueExact) / c.pValueExact;
      assert.ok(rel <= 1e-6, `${name}: got ${got}, want ${c.pValueExact} (relative ${rel})`);
    }
    assert.ok(tiny >= 30, `${name}: only ${tiny} p-values below 1e-50`);
  });
}

test('meanLiftTTest reads { n, sum, sumSquares } and refuses other shapes with invalid_input', () => {
  const a = { n: 6, sum: 600, sumSquares: 60_250 };
  const b = { n: 6, sum: 720, sumSquares: 86_520 };
  const r = bc.meanLiftTTest(a, b);
  assert.ok(Math.abs(r.lift - 0.2) < 1e-12 && r.ciLow < r.lift && r.lift < r.ciHigh, JSON.stringify(r));
  assert.deepEqual(bc.meanLiftTTest(a, b, 0.05), r);
  expectCode('counts, not totals', () => bc.meanLiftTTest({ n: 6, conversions: 2 }, b), 'invalid_input');
  expectCode('fractional n', () => bc.meanLiftTTest({ ...a, n: 6.5 }, b), 'invalid_input');
  expectCode('ratio without its denominator', () => bc.ratioLiftTTest({ n: 6, numerator: { sum: 1, sumSquares: 1 }, sumProducts: 1 }, b), 'invalid_input');
});
