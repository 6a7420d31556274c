// @brain/core/lite: assignment and statistics, over a wasm built without the engine. Each
// function reads and checks its arguments (./inputs.js), calls the wasm's thin export with
// numbers, typed arrays and strings, and builds the result; the rules on values are the core's,
// thrown by the wasm with their codes. Declared in lite.d.ts. Browsers: `await init()`; Node:
// `initSync({ module })`.
import * as wasm from './pkg-lite/brain_core_lite.js';
import {
  anyNumber, anyNumberOr, array, count, field, floatText, invalid, isMissing, isWhole, number, numbers,
  object, optNumber, smallCount, string, units, wrong,
} from './inputs.js';
import { assignment, hashVersion, pairs, readExperiment, readWeights, wasmExperiment } from './assign-fast.js';

export { default, initSync } from './pkg-lite/brain_core_lite.js';
export { Experiment, assignMany } from './assign-fast.js';

const ALPHA = 0.05;
const TUNING = 5000;
const PSI_BINS = 10;
const MAX_BINS = 10000;
const MAX_VARIATIONS = 10000;

// Results as JSON wrote them: a non-finite number is null.
const json = (x) => (Number.isFinite(x) ? x : null);

// The core checks conversions <= n as each arm is read (checkCounts), before the next argument.
function counts(v, what) {
  const o = object(v, what, '{ n, conversions }');
  const arm = [count(field(o, 'n'), `${what}.n`), count(field(o, 'conversions'), `${what}.conversions`)];
  wasm.checkCounts(...arm);
  return arm;
}

function sums(v, what) {
  const o = object(v, what, '{ sum, sumSquares }');
  return [anyNumber(field(o, 'sum'), `${what}.sum`), anyNumber(field(o, 'sumSquares'), `${what}.sumSquares`)];
}

function meanStats(v, what) {
  const o = object(v, what, '{ n, sum, sumSquares }');
  const [sum, sumSquares] = sums(o, what);
  return [count(field(o, 'n'), `${what}.n`), sum, sumSquares];
}

function paired(v, what, x, y) {
  const o = object(v, what, `{ n, ${x}: { sum, sumSquares }, ${y}: { sum, sumSquares }, sumProducts }`);
  return [
    count(field(o, 'n'), `${what}.n`),
    ...sums(field(o, x), `${what}.${x}`),
    ...sums(field(o, y), `${what}.${y}`),
    anyNumber(field(o, 'sumProducts'), `${what}.sumProducts`),
  ];
}

const liftTest = (r) => ({ lift: json(r[0]), ciLow: json(r[1]), ciHigh: json(r[2]), pValue: json(r[3]) });

export function meanLiftTTest(a, b, alpha) {
  return liftTest(wasm.meanLiftTTest(...meanStats(a, 'a'), ...meanStats(b, 'b'), anyNumberOr(alpha, 'alpha', ALPHA)));
}

export function meanSequentialTest(a, b, alpha, tuning) {
  const arms = [...meanStats(a, 'a'), ...meanStats(b, 'b')];
  return liftTest(wasm.meanSequentialTest(...arms, anyNumberOr(alpha, 'alpha', ALPHA), anyNumberOr(tuning, 'tuning', TUNING)));
}

export function meanBayesian(a, b, alpha, prior) {
  const arms = [...meanStats(a, 'a'), ...meanStats(b, 'b'), anyNumberOr(alpha, 'alpha', ALPHA)];
  let mean;
  let variance = 0;
  if (!isMissing(prior)) {
    const o = object(prior, 'prior', '{ mean, variance }');
    mean = anyNumber(field(o, 'mean'), 'prior.mean');
    variance = anyNumber(field(o, 'variance'), 'prior.variance');
  }
  const r = wasm.meanBayesian(...arms, mean, variance);
  return { lift: json(r[0]), ciLow: json(r[1]), ciHigh: json(r[2]), chanceToWin: json(r[3]), riskControl: json(r[4]), riskTreatment: json(r[5]) };
}

export function ratioLiftTTest(a, b, alpha) {
  const arms = [...paired(a, 'a', 'numerator', 'denominator'), ...paired(b, 'b', 'numerator', 'denominator')];
  return liftTest(wasm.ratioLiftTTest(...arms, anyNumberOr(alpha, 'alpha', ALPHA)));
}

export function cupedLiftTTest(a, b, alpha) {
  const arms = [...paired(a, 'a', 'post', 'pre'), ...paired(b, 'b', 'post', 'pre')];
  return liftTest(wasm.cupedLiftTTest(...arms, anyNumberOr(alpha, 'alpha', ALPHA)));
}

export function proportionZTest(a, b, alpha) {
  const r = wasm.proportionZTest(...counts(a, 'a'), ...counts(b, 'b'), anyNumberOr(alpha, 'alpha', ALPHA));
  return { z: json(r[0]), pValue: json(r[1]), diff: json(r[2]), ciLow: json(r[3]), ciHigh: json(r[4]) };
}

export function liftTTest(a, b, alpha) {
  return liftTest(wasm.liftTTest(...counts(a, 'a'), ...counts(b, 'b'), anyNumberOr(alpha, 'alpha', ALPHA)));
}

export function sequentialLiftTest(a, b, alpha, tuning) {
  const arms = [...counts(a, 'a'), ...counts(b, 'b')];
  return liftTest(wasm.sequentialLiftTest(...arms, anyNumberOr(alpha, 'alpha', ALPHA), anyNumberOr(tuning, 'tuning', TUNING)));
}

export function chanceToBeat(a, b) {
  return wasm.chanceToBeat(...counts(a, 'a'), ...counts(b, 'b'));
}

export function srmPValue(observed, weights) {
  const counted = numbers(observed, 'observed');
  counted.forEach((x, i) => {
    if (!isWhole(x)) throw invalid(`observed[${i}] must be a whole number >= 0, got ${floatText(x)}`);
  });
  return wasm.srmPValue(counted, numbers(weights, 'weights'));
}

export function adjustPValues(pValues, method) {
  const p = numbers(pValues, 'pValues');
  const name = string(method, 'method');
  if (name !== 'holm' && name !== 'bh') throw wrong('method', '"holm" or "bh"', method);
  return Array.from(wasm.adjustPValues(p, name === 'holm'), json);
}

export function sampleSizePerArm(baseline, mde, alpha, power) {
  return wasm.sampleSizePerArm(anyNumber(baseline, 'baseline'), anyNumber(mde, 'mde'), anyNumber(alpha, 'alpha'), anyNumber(power, 'power'));
}

export function detectableEffect(baseline, nPerArm, alpha, power) {
  return wasm.detectableEffect(anyNumber(baseline, 'baseline'), count(nPerArm, 'nPerArm'), anyNumber(alpha, 'alpha'), anyNumber(power, 'power'));
}

export function rateInterval(c, alpha) {
  const r = wasm.rateInterval(...counts(c, 'c'), anyNumberOr(alpha, 'alpha', ALPHA));
  return { rate: r[0], ciLow: r[1], ciHigh: r[2] };
}

export function ksTest(x, y) {
  const r = wasm.ksTest(numbers(x, 'x'), numbers(y, 'y'));
  return { statistic: json(r[0]), pValue: json(r[1]) };
}

export function psi(reference, current, bins) {
  const r = numbers(reference, 'reference');
  const c = numbers(current, 'current');
  return wasm.psi(r, c, isMissing(bins) ? PSI_BINS : smallCount(bins, 'bins', MAX_BINS));
}

export function gbHash(seed, value, version) {
  const h = wasm.gbHash(string(seed, 'seed'), string(value, 'value'), hashVersion(version, 'version'));
  return h < 0 ? undefined : h;
}

export function bucketRanges(numVariations, coverage, weights) {
  // GrowthBook's SDK returns [] for n <= 0.
  const n = number(numVariations, 'numVariations');
  const variations = n < 0 && n % 1 === 0 ? 0 : smallCount(numVariations, 'numVariations', MAX_VARIATIONS);
  const c = optNumber(coverage, 'coverage') ?? 1;
  return pairs(wasm.bucketRanges(variations, c, readWeights(weights, 'weights')));
}

export function chooseVariation(n, ranges) {
  const x = number(n, 'n');
  const a = array(ranges, 'ranges');
  const flat = [];
  for (let i = 0; i < a.length; i++) {
    const what = `ranges[${i}]`;
    const r = a[i];
    if (!Array.isArray(r) || r.length !== 2) throw wrong(what, '[start, end]', r);
    flat.push(number(r[0], `${what}[0]`), number(r[1], `${what}[1]`));
  }
  return wasm.chooseVariation(x, flat);
}

export function assign(experiment, userId) {
  const read = readExperiment(experiment);
  if (typeof userId !== 'string') throw wrong('userId', 'a string (convert numbers with String(id))', userId);
  const e = wasmExperiment(read);
  try {
    return assignment(e.assign(units(userId)));
  } finally {
    e.free();
  }
}
