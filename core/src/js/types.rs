//! TypeScript declarations of every input and output that wasm-bindgen
//! cannot infer (it would write `any`); the exported functions name these
//! types with `unchecked_param_type` / `unchecked_return_type`.
//!
//! The engine's types (commands, events, reports, states, the policy, the
//! snapshot) are generated from the Rust types into `js/types.d.ts` (feature
//! `ts`, see `crate::typescript`) and included here as they are; the rest
//! (assignment, statistics, errors) is written by hand below.

use wasm_bindgen::prelude::*;

/// The generated declarations (`js/types.d.ts`, checked to be up to date by
/// `cargo test -p brain-core --features ts`).
#[cfg(feature = "engine")]
#[wasm_bindgen(typescript_custom_section)]
const GENERATED: &'static str = include_str!("../../../js/types.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Any JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Every error thrown by this package is an `Error` with a stable `code`:
 * `"invalid_input"` for a wrong type, a missing field or NaN at the boundary,
 * the statistics engine's codes (`"zero_trials"`, `"conversions_exceed_trials"`,
 * `"zero_baseline"`, `"zero_variance"`, `"not_finite"`, `"out_of_range"`, `"empty"`,
 * `"too_few"`, `"too_few_trials"`, `"length_mismatch"`, `"overflow"`, `"sample_too_small"`),
 * and the engine's codes (`"invalid_json"`, `"time_backwards"`, `"unknown_experiment"`, ...).
 */
export interface BrainError extends Error {
  code: string;
  /** For `Brain#executeAll`: the position of the refused command. */
  index?: number;
}

/** `[start, end)` of a variation's bucket. */
export type Range = [start: number, end: number];
/** GrowthBook namespace: `[id, start, end)`. */
export type Namespace = [id: string, start: number, end: number];

/** An experiment as far as bucketing is concerned (GrowthBook's fields). */
export interface ExperimentInput {
  /** Experiment key; the seed when `seed` is missing or empty. */
  key: string;
  /** Hashing seed (GrowthBook uses `seed || key`). */
  seed?: string | null;
  /** 1 (default, also for 0) or 2; other versions put nobody in. */
  hashVersion?: number | null;
  /** The number of variations (at most 10000); fewer than 2 puts nobody in. */
  variations: number;
  /** Traffic weight per variation; equal weights when missing, of the wrong length or not summing to 1. */
  weights?: readonly number[] | Float64Array | null;
  /** Share of traffic included, clamped to [0, 1]; 1 when missing. */
  coverage?: number | null;
  /** Namespace the experiment runs in. */
  namespace?: Namespace | null;
}

/** The bucketing of one user (GrowthBook's result fields). */
export interface Assignment {
  inExperiment: boolean;
  /** The variation index; 0 when not in the experiment. */
  variationId: number;
  /** The hash the user landed on; `undefined` when not in the experiment. */
  bucket: number | undefined;
}

/**
 * `Experiment#plan()`: what a JS loop needs to bucket users without calling
 * into wasm (the package's own `Experiment` uses it).
 */
export interface AssignmentPlan {
  /** 1 (`fnv(id + seed) % 1000`) or 2 (`fnv(fnv(seed + id) + "") % 10000`); any other version puts nobody in. */
  hashVersion: number;
  /** The seed's UTF-16 code units (the key when no seed was given). */
  seed: Uint16Array;
  /** The FNV-1a state (unsigned) after the seed's code units: hash v2 continues it with the id. */
  seedState: number;
  /** Hash values per unit: 1000 (v1) or 10000 (v2); a user's bucket is `value / scale`. */
  scale: number;
  /** The variation of each hash value, `scale` entries; -1 outside every variation's range. */
  table: Int32Array;
  /** Whether a namespace restricts the experiment: then only the wasm methods bucket exactly. */
  namespaced: boolean;
}

/** Trials and conversions of one arm; whole numbers, `conversions <= n`. */
export interface Counts {
  n: number;
  conversions: number;
}

/** Result of `proportionZTest`. */
export interface ZTest {
  z: number;
  pValue: number;
  /** `rate_b - rate_a`. */
  diff: number;
  ciLow: number;
  ciHigh: number;
}

/** Result of `liftTTest`, `sequentialLiftTest` and the tests of means (`meanLiftTTest`, ...). */
export interface LiftTest {
  /** Relative lift `(b - a) / a` of the rates (or means, ratios). */
  lift: number;
  ciLow: number;
  ciHigh: number;
  pValue: number;
}

/** One arm of a continuous metric (deal value, revenue): units and the totals of their values. */
export interface MeanStats {
  /** Units measured; at least 2. */
  n: number;
  sum: number;
  /** Sum of the squared values; at least `sum * sum / n`. */
  sumSquares: number;
}

/** Totals of one quantity over an arm's units. */
export interface Sums {
  sum: number;
  sumSquares: number;
}

/** One arm of a ratio metric (`ratioLiftTTest`): per unit a numerator and a denominator value. */
export interface RatioStats {
  n: number;
  numerator: Sums;
  denominator: Sums;
  /** Sum over units of numerator x denominator. */
  sumProducts: number;
}

/** One arm of a metric with a pre-period covariate (`cupedLiftTTest`). */
export interface CupedStats {
  n: number;
  /** The metric during the experiment. */
  post: Sums;
  /** The same metric before it. */
  pre: Sums;
  /** Sum over units of post x pre. */
  sumProducts: number;
}

/** A proper Gaussian prior on the relative lift (`meanBayesian`). */
export interface GaussianPrior {
  mean: number;
  /** Above 0. */
  variance: number;
}

/** Result of `meanBayesian`: the posterior of the relative lift. */
export interface BayesLift {
  lift: number;
  ciLow: number;
  ciHigh: number;
  /** Posterior probability that the lift is above 0. */
  chanceToWin: number;
  /** Expected lift lost by keeping control if the treatment is better. */
  riskControl: number;
  /** Expected lift lost by shipping the treatment if control is better. */
  riskTreatment: number;
}

/** Result of `rateInterval` (Wilson score interval). */
export interface RateInterval {
  rate: number;
  ciLow: number;
  ciHigh: number;
}

/** Result of `ksTest`. */
export interface KsTest {
  statistic: number;
  pValue: number;
}

"#;

/// The one generated type the lite build (no engine, so no `js/types.d.ts`)
/// names: `adjustPValues`' method, as `js/types.d.ts` declares it.
#[cfg(not(feature = "engine"))]
#[wasm_bindgen(typescript_custom_section)]
const LITE_ONLY: &'static str = r#"
export type Adjustment = "holm" | "bh";
"#;

/// The declarations of the engine's API written by hand.
#[cfg(feature = "engine")]
#[wasm_bindgen(typescript_custom_section)]
const ENGINE_TYPES: &'static str = r#"
/**
 * Loading the engine (js/engine.js): the package fetches the engine's wasm on first use, not
 * at import; these statics are merged into the `Brain` class.
 */
export declare namespace Brain {
  /**
   * Fetches and instantiates the engine's wasm (once; later calls resolve at once) and resolves
   * to the `Brain` class. `input` is what wasm-bindgen's `init` takes; by default the wasm next
   * to the package's files (read from disk under Node).
   */
  function ready(input?: { module_or_path: InitInput | Promise<InitInput> }): Promise<typeof Brain>;
  /** Node 20.16+: loads the engine synchronously (the wasm from `module`, or from disk); returns the `Brain` class. */
  function initSync(options?: { module?: SyncInitInput }): typeof Brain;
}

/** The blocks of the engine that take commands. */
export type Block = Command["block"];

/**
 * A partial policy (`new Brain(policy)`, `Brain#whatIf`, `SetPolicy`): any
 * part of the policy, per block and per field, merged over the policy in
 * force (the defaults for `new Brain`); what it leaves out keeps its value.
 * Arrays are replaced as a whole; an unknown field is refused.
 */
export type PolicyInput = DeepPartial<Policy>;

/** `T` with every field optional, recursively (arrays are kept whole). */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** Filter of `Brain#alerts`: `open: true` keeps the open alerts. */
export interface AlertFilter {
  open?: boolean;
}

/** Filter of `Brain#notifications`: `since` keeps those at or after that time. */
export interface NotificationQuery {
  since?: Date | string;
}

/**
 * Any report object.
 * @deprecated every query now returns its own type (`ExperimentReport`, `Outcome`, `Alert`, ...).
 */
export interface Report {
  [field: string]: JsonValue;
}
"#;
