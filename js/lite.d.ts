// @brain/core/lite: the declarations of lite.js's API, written here because lite.js reads the
// inputs and the wasm build's own exports take numbers; the types of the inputs and outputs are
// the wasm build's (core/src/js/types.rs, in ./pkg-lite/), as are `init` and `initSync`.
import type {
  Adjustment, Assignment, AssignmentPlan, BayesLift, Counts, CupedStats, ExperimentInput, GaussianPrior, KsTest,
  LiftTest, MeanStats, Range, RateInterval, RatioStats, ZTest,
} from './pkg-lite/brain_core_lite.js';
export type {
  Adjustment, Assignment, AssignmentPlan, BayesLift, BrainError, Counts, CupedStats, ExperimentInput, GaussianPrior,
  InitInput, InitOutput, JsonValue, KsTest, LiftTest, MeanStats, Namespace, Range, RateInterval, RatioStats, Sums,
  SyncInitInput, ZTest,
} from './pkg-lite/brain_core_lite.js';
export { default, initSync } from './pkg-lite/brain_core_lite.js';

/** GrowthBook's `hash(seed, value, version)`: a number in `[0, 1)`, or `undefined` for an unknown version. */
export function gbHash(seed: string, value: string, version: number): number | undefined;
/**
 * GrowthBook's `getBucketRanges(numVariations, coverage, weights)`: `[start, end)` per variation.
 * `coverage` defaults to 1 and is clamped to `[0, 1]`; weights of the wrong length or not summing
 * to 1 (within 0.01) fall back to equal weights.
 */
export function bucketRanges(numVariations: number, coverage?: number, weights?: readonly number[] | Float64Array | null): Range[];
/** GrowthBook's `chooseVariation(n, ranges)`: the index of the range holding `n`, or -1. */
export function chooseVariation(n: number, ranges: readonly Range[]): number;
/**
 * Buckets one user (GrowthBook's `run` for an active experiment without overrides). Parses the
 * experiment on each call: use `new Experiment(...)` to assign many users.
 */
export function assign(experiment: ExperimentInput, userId: string): Assignment;
/** Variation ids of many users (-1 when not in the experiment), in one call. */
export function assignMany(experiment: ExperimentInput, userIds: readonly string[]): Int32Array;

/** An experiment parsed once, for the hot path: `assign(userId)` per user, `assignMany(userIds)` per batch. */
export class Experiment {
  /** Parses and checks the experiment, and computes its bucket ranges. */
  constructor(experiment: ExperimentInput);
  /** Buckets one user. */
  assign(userId: string): Assignment;
  /** The variation id of one user, or -1 when not in the experiment (the fastest call: no object is built). */
  variationOf(userId: string): number;
  /** Variation ids of many users (-1 when not in the experiment). */
  assignMany(userIds: readonly string[]): Int32Array;
  /** The bucket ranges, `[start, end)` per variation. */
  ranges(): Range[];
  /** The experiment as parsed (defaults filled in). */
  toJSON(): ExperimentInput;
  /**
   * What a JS hot loop needs to bucket users without calling into wasm: the hash's inputs and the
   * variation of every hash value, worked out once with the same comparisons as `chooseVariation`.
   */
  plan(): AssignmentPlan;
  /**
   * Variation ids (-1: not in the experiment) of a batch of ids given as their UTF-16 code units
   * back to back (`units`) and each id's length in units (`lengths`): what `assignMany` does
   * without encoding the ids, and with a lone surrogate hashed by its code unit, as the SDK does.
   */
  assignUnits(units: Uint16Array, lengths: Uint32Array): Int32Array;
  /** Frees the wasm memory of the experiment; later calls throw `invalid_input`. */
  free(): void;
  [Symbol.dispose](): void;
}

/**
 * Two-proportion z-test of control `a` against treatment `b`: `{ z, pValue, diff, ciLow, ciHigh }`
 * (`diff` is `rate_b - rate_a`, with its Wald interval at `1 - alpha`; `alpha` defaults to 0.05).
 */
export function proportionZTest(a: Counts, b: Counts, alpha?: number): ZTest;
/** GrowthBook's relative-lift t-test: `{ lift, ciLow, ciHigh, pValue }`. */
export function liftTTest(a: Counts, b: Counts, alpha?: number): LiftTest;
/** GrowthBook's always-valid sequential lift test (tuning defaults to 5000): `{ lift, ciLow, ciHigh, pValue }`. */
export function sequentialLiftTest(a: Counts, b: Counts, alpha?: number, tuning?: number): LiftTest;
/** Bayesian probability that `b`'s rate beats `a`'s (Beta(1, 1) priors). */
export function chanceToBeat(a: Counts, b: Counts): number;
/** Sample-ratio-mismatch p-value (chi-square) of observed counts per arm against the expected traffic weights. */
export function srmPValue(observed: readonly number[], weights: readonly number[] | Float64Array): number;
/** Adjusted p-values in input order: `"holm"` (family-wise error) or `"bh"` (Benjamini-Hochberg, false discovery rate). */
export function adjustPValues(pValues: readonly number[] | Float64Array, method: Adjustment): number[];
/** Trials per arm to detect an absolute change `mde` from `baseline` with a two-sided z-test at `alpha` and `power`. */
export function sampleSizePerArm(baseline: number, mde: number, alpha: number, power: number): number;
/**
 * Smallest absolute change from `baseline` detectable with `nPerArm` trials per arm at `alpha`
 * and `power` (the inverse of `sampleSizePerArm`).
 */
export function detectableEffect(baseline: number, nPerArm: number, alpha: number, power: number): number;
/** Wilson score interval of one conversion rate: `{ rate, ciLow, ciHigh }`. */
export function rateInterval(c: Counts, alpha?: number): RateInterval;
/** Two-sample Kolmogorov-Smirnov test: `{ statistic, pValue }`. */
export function ksTest(x: readonly number[] | Float64Array, y: readonly number[] | Float64Array): KsTest;
/** Population stability index of `current` against `reference`, on `bins` (default 10) quantile bins of the reference. */
export function psi(reference: readonly number[] | Float64Array, current: readonly number[] | Float64Array, bins?: number): number;
/**
 * Relative-lift Welch t-test of a continuous metric's means (deal value, revenue per user), as
 * gbstats: `{ lift, ciLow, ciHigh, pValue }`, with `a = { n, sum, sumSquares }` for control and
 * `b` for the treatment.
 */
export function meanLiftTTest(a: MeanStats, b: MeanStats, alpha?: number): LiftTest;
/** Always-valid sequential test of a continuous metric's lift (tuning defaults to 5000): `{ lift, ciLow, ciHigh, pValue }`. */
export function meanSequentialTest(a: MeanStats, b: MeanStats, alpha?: number, tuning?: number): LiftTest;
/**
 * gbstats' Gaussian Bayesian model of a continuous metric's lift:
 * `{ lift, ciLow, ciHigh, chanceToWin, riskControl, riskTreatment }`; `prior = { mean, variance }`
 * is a proper prior on the lift (none by default, gbstats' improper one).
 */
export function meanBayesian(a: MeanStats, b: MeanStats, alpha?: number, prior?: GaussianPrior): BayesLift;
/**
 * Relative-lift t-test of a ratio metric (revenue per order) by the delta method:
 * `{ lift, ciLow, ciHigh, pValue }`, with
 * `a = { n, numerator: { sum, sumSquares }, denominator: { sum, sumSquares }, sumProducts }`.
 */
export function ratioLiftTTest(a: RatioStats, b: RatioStats, alpha?: number): LiftTest;
/**
 * Relative-lift t-test with CUPED variance reduction on a pre-period covariate:
 * `{ lift, ciLow, ciHigh, pValue }`, with
 * `a = { n, post: { sum, sumSquares }, pre: { sum, sumSquares }, sumProducts }`.
 */
export function cupedLiftTTest(a: CupedStats, b: CupedStats, alpha?: number): LiftTest;
