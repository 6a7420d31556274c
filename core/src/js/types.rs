//! TypeScript declarations of every input and output that wasm-bindgen
//! cannot infer (it would write `any`); the exported functions name these
//! types with `unchecked_param_type` / `unchecked_return_type`.

use wasm_bindgen::prelude::*;

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

/** Result of `liftTTest` and `sequentialLiftTest`. */
export interface LiftTest {
  /** Relative lift `(rate_b - rate_a) / rate_a`. */
  lift: number;
  ciLow: number;
  ciHigh: number;
  pValue: number;
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

/** Multiple-testing correction: Holm (FWER) or Benjamini-Hochberg (FDR). */
export type Adjustment = "holm" | "bh";

/** The blocks of the engine that take commands. */
export type Block = "ab" | "promotion" | "packets" | "ingest" | "outcomes" | "models" | "readiness" | "gates" | "audit" | "policy";

/**
 * A command: `{ at, actor?, block, type, ...fields }`; `at` is a Date or an
 * RFC 3339 string, and commands must come in time order. The fields of each
 * command type are in the README.
 */
export interface Command {
  at: Date | string;
  actor?: string | null;
  block: Block;
  type: string;
  [field: string]: JsonValue | Date | undefined;
}

/** An event: `{ block, type, ...fields }`; the audit entry of a command comes last. */
export interface BrainEvent {
  block: Block;
  type: string;
  [field: string]: JsonValue;
}

/** The policy: every threshold and weight, per block. Missing fields take their defaults. */
export interface PolicyInput {
  ab?: { [key: string]: JsonValue };
  promotion?: { [key: string]: JsonValue };
  packets?: { [key: string]: JsonValue };
  ingest?: { [key: string]: JsonValue };
  outcomes?: { [key: string]: JsonValue };
  models?: { [key: string]: JsonValue };
  readiness?: { [key: string]: JsonValue };
  gates?: { [key: string]: JsonValue };
}

/** The policy in force (every block's settings). */
export interface Policy {
  [block: string]: { [key: string]: JsonValue };
}

/** A saved brain (`Brain#toJSON`). */
export interface Snapshot {
  schema_version: number;
  state: { [key: string]: JsonValue };
  origin?: { [key: string]: JsonValue } | null;
  log: { [key: string]: JsonValue }[];
  events: BrainEvent[];
}

/** Filter of `Brain#auditQuery`. */
export interface AuditQuery {
  /** Exact subject, or its prefix before a `/`. */
  subject?: string | null;
  /** Exact action (the command's type). */
  action?: string | null;
  /** From (inclusive), RFC 3339. */
  from?: Date | string | null;
  /** To (exclusive), RFC 3339. */
  to?: Date | string | null;
}

/** Filter of `Brain#alerts`: `open: true` keeps the open alerts. */
export interface AlertFilter {
  open?: boolean;
}

/** A report object of a query (fields per block are in the README). */
export interface Report {
  [field: string]: JsonValue;
}
export type ExperimentReport = Report;
export type ScriptReport = Report;
export type Packet = Report;
export type SourceReport = Report;
export type ModelReport = Report;
export type CloneSummary = Report;
export type GateDecision = Report;
export type AuditEntry = Report;
export type TrendReport = Report;

/** Result of `Brain#verify`: every check with its status. */
export interface VerifyReport {
  [field: string]: JsonValue;
}

/** Result of `Brain#whatIf`: the decisions that would differ under the other policy. */
export interface WhatIfReport {
  [field: string]: JsonValue;
}
"#;
