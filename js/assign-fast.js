// The JS half of assignment's hot paths, where a call into wasm would cost more than the work
// itself. `Experiment` composes the wasm build's `Experiment` and uses only its public methods:
// - assign / variationOf hash the id here with the plan the wasm core computed once per
//   experiment (`plan()`: seed, the FNV state after it, the variation of every hash value):
//   GrowthBook's FNV-1a over the id's UTF-16 code units, bit for bit what the core's
//   `PreparedExperiment::assign` does (the tests compare both, and the SDK, id by id).
// - assignMany runs the same hash over the ids in one loop into an Int32Array.
// A namespaced experiment goes through wasm: one id at a time with the wasm methods, a batch as
// its ids' UTF-16 code units in one `assignUnits` call (no encoding, lone surrogates kept).
import * as wasm from './pkg-lite/brain_core_lite.js';

function invalidInput(message) {
  const error = new Error(message);
  error.code = 'invalid_input';
  return error;
}

function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'object') return 'an object';
  return typeof v === 'undefined' ? 'undefined' : `a ${typeof v}`;
}

function badId(what, v) {
  return invalidInput(`${what} must be a string (convert numbers with String(id)), got ${describe(v)}`);
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

// The two ASCII digits of 0..99, so that digits are fed in pairs (one division per pair).
const TENS = new Int32Array(100);
const ONES = new Int32Array(100);
for (let n = 0; n < 100; n++) {
  TENS[n] = 48 + Math.floor(n / 10);
  ONES[n] = 48 + (n % 10);
}

/** FNV-1a of the two digits of `n` (0 <= n < 100, leading zero fed) after state `g`. */
function fnvPair(g, n) {
  return Math.imul(Math.imul(g ^ TENS[n], FNV_PRIME) ^ ONES[n], FNV_PRIME);
}

/** The same for exactly five digits (0 <= x < 100000, leading zeros fed). */
function fnvDigits5(g, x) {
  const a = (x / 1000) | 0;
  const r = x - a * 1000;
  const b = (r / 10) | 0;
  return Math.imul(fnvPair(fnvPair(g, a), b) ^ (48 + r - b * 10), FNV_PRIME);
}

/** FNV-1a of `x`'s decimal digits (0 <= x < 100000, no leading zeros) fed after state `g`. */
function fnvDigits(g, x) {
  if (x >= 10000) return fnvDigits5(g, x);
  if (x >= 1000) {
    const a = (x / 100) | 0;
    return fnvPair(fnvPair(g, a), x - a * 100);
  }
  if (x >= 100) {
    const a = (x / 10) | 0;
    return Math.imul(fnvPair(g, a) ^ (48 + x - a * 10), FNV_PRIME);
  }
  if (x >= 10) return fnvPair(g, x);
  return Math.imul(g ^ (48 + x), FNV_PRIME);
}

/**
 * The per-user hash of an experiment's plan: `value(userId)` is the id's hash value in
 * `0..plan.scale` (`plan.table[value]` is its variation), or -1 when nobody can be in (an empty
 * id, an unknown hash version). Null for a namespaced experiment (the wasm core decides).
 */
function hashOf(plan) {
  if (plan.namespaced) return null;
  const { hashVersion, seed } = plan;
  const seedLength = seed.length;
  if (hashVersion === 2) {
    // hashFnv32a(hashFnv32a(seed + id) + ""): the seed's part is in seedState, and the
    // decimal digits of the inner hash are fed without building the string.
    const seedState = plan.seedState | 0;
    return (userId) => {
      const len = userId.length;
      if (len === 0) return -1;
      let h = seedState;
      for (let i = 0; i < len; i++) h = Math.imul(h ^ userId.charCodeAt(i), FNV_PRIME);
      h >>>= 0;
      let g;
      if (h < 100000) {
        g = fnvDigits(FNV_OFFSET, h);
      } else {
        // Above 2^31 integer division needs floats: split once into int-sized halves.
        const hi = Math.floor(h / 100000);
        const lo = h - hi * 100000;
        g = fnvDigits5(fnvDigits(FNV_OFFSET, hi), lo);
      }
      return (g >>> 0) % 10000;
    };
  }
  if (hashVersion === 1) {
    // hashFnv32a(id + seed).
    return (userId) => {
      const len = userId.length;
      if (len === 0) return -1;
      let h = FNV_OFFSET;
      for (let i = 0; i < len; i++) h = Math.imul(h ^ userId.charCodeAt(i), FNV_PRIME);
      for (let i = 0; i < seedLength; i++) h = Math.imul(h ^ seed[i], FNV_PRIME);
      return (h >>> 0) % 1000;
    };
  }
  return () => -1;
}

/**
 * GrowthBook's hash version 2 with `seed`, for routing (`route-fast.js`): `value(id)` is the
 * id's hash value in 0..10000, or -1 for an empty id.
 */
export function hashV2(seed) {
  let seedState = FNV_OFFSET;
  for (let i = 0; i < seed.length; i++) seedState = Math.imul(seedState ^ seed.charCodeAt(i), FNV_PRIME);
  return hashOf({ hashVersion: 2, seed: [], seedState, namespaced: false });
}

function freed() {
  return invalidInput('this Experiment was freed (free() was called): create a new one');
}

/** An experiment parsed once, for the hot path: `assign(userId)` per user, `assignMany(userIds)` per batch. */
export class Experiment {
  /** The wasm build's Experiment; null once freed. */
  #inner;
  /**
   * `{ value, table, scale }` from the plan (`value` null: namespaced, the wasm methods decide),
   * computed on first use; null until then and once freed.
   */
  #fast = null;

  /** Parses and checks the experiment, and computes its bucket ranges. */
  constructor(experiment) {
    this.#inner = new wasm.Experiment(experiment);
  }

  /** The fast path, computed on the first call (throws once freed). */
  #prepare() {
    if (this.#inner === null) throw freed();
    const plan = this.#inner.plan();
    this.#fast = { value: hashOf(plan), table: plan.table, scale: plan.scale };
    return this.#fast;
  }

  /** The wasm Experiment (throws once freed). */
  #wasm() {
    if (this.#inner === null) throw freed();
    return this.#inner;
  }

  /** Buckets one user. */
  assign(userId) {
    if (typeof userId !== 'string') throw badId('userId', userId);
    const fast = this.#fast ?? this.#prepare();
    if (fast.value === null) return this.#wasm().assign(userId);
    const v = fast.value(userId);
    const variation = v < 0 ? -1 : fast.table[v];
    if (variation < 0) return { inExperiment: false, variationId: 0, bucket: undefined };
    return { inExperiment: true, variationId: variation, bucket: v / fast.scale };
  }

  /** The variation id of one user, or -1 when not in the experiment. */
  variationOf(userId) {
    if (typeof userId !== 'string') throw badId('userId', userId);
    const fast = this.#fast ?? this.#prepare();
    if (fast.value === null) return this.#wasm().variationOf(userId);
    const v = fast.value(userId);
    return v < 0 ? -1 : fast.table[v];
  }

  /** Variation ids of many users (-1 when not in the experiment). */
  assignMany(userIds) {
    if (!Array.isArray(userIds)) {
      throw invalidInput(`userIds must be an array of strings, got ${describe(userIds)}`);
    }
    const fast = this.#fast ?? this.#prepare();
    const n = userIds.length;
    const { value, table } = fast;
    if (value !== null) {
      // The per-call path in one loop: for short ids, copying their code units into wasm
      // costs about what hashing them here does.
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const id = userIds[i];
        if (typeof id !== 'string') throw badId(`userIds[${i}]`, id);
        const v = value(id);
        out[i] = v < 0 ? -1 : table[v];
      }
      return out;
    }
    let total = 0;
    const lengths = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const id = userIds[i];
      if (typeof id !== 'string') throw badId(`userIds[${i}]`, id);
      lengths[i] = id.length;
      total += id.length;
    }
    const units = new Uint16Array(total);
    let pos = 0;
    for (let i = 0; i < n; i++) {
      const id = userIds[i];
      for (let j = 0; j < id.length; j++) units[pos++] = id.charCodeAt(j);
    }
    return this.#wasm().assignUnits(units, lengths);
  }

  /** The bucket ranges, `[start, end)` per variation. */
  ranges() {
    return this.#wasm().ranges();
  }

  /** The experiment as parsed (defaults filled in). */
  toJSON() {
    return this.#wasm().toJSON();
  }

  /** What the hot loop buckets with (see the wasm build's `Experiment#plan`). */
  plan() {
    return this.#wasm().plan();
  }

  /** Variation ids of a batch given as UTF-16 code units (see the wasm build's `Experiment#assignUnits`). */
  assignUnits(units, lengths) {
    return this.#wasm().assignUnits(units, lengths);
  }

  /** Frees the wasm memory of the experiment; later calls throw `invalid_input`. */
  free() {
    if (this.#inner === null) return;
    this.#inner.free();
    this.#inner = null;
    this.#fast = null;
  }
}
// `using e = new Experiment(...)` frees it, as the wasm build's classes do (where the runtime has
// explicit resource management).
if (typeof Symbol.dispose === 'symbol') {
  Object.defineProperty(Experiment.prototype, Symbol.dispose, {
    value() {
      this.free();
    },
  });
}

/** Variation ids of many users (-1 when not in the experiment), in one call. */
export function assignMany(experiment, userIds) {
  const e = new Experiment(experiment);
  try {
    return e.assignMany(userIds);
  } finally {
    e.free();
  }
}
