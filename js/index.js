// @brain/core: the ES module entry. Everything comes from the wasm-bindgen build in ./pkg/;
// this file only adds the JS half of the two hot paths, where a call into wasm would cost more
// than the work itself:
// - Experiment#assign / #variationOf hash the id here, with the plan the wasm core computed once
//   per experiment (seed, the FNV state after it, bucket ranges): GrowthBook's FNV-1a over the
//   id's UTF-16 code units, bit for bit what the core's `PreparedExperiment::assign` does (the
//   tests compare both, and the SDK, id by id). Namespaced experiments go through wasm.
// - Experiment#assignMany / assignMany run the same JS hash over the ids in one loop into an
//   Int32Array; for a namespaced experiment they write the ids' UTF-16 code units straight into
//   wasm memory (no encoding, no copy) and bucket them all in one wasm call.
import wasmInit, * as wasm from './pkg/brain_core.js';

export * from './pkg/brain_core.js';

const { Experiment } = wasm;
let memory = null;

/** Loads the wasm in browsers (fetches brain_core_bg.wasm next to pkg/brain_core.js by default). */
export default async function init(options) {
  const exports = await wasmInit(options);
  memory = exports.memory;
  return exports;
}

/** Loads the wasm synchronously from its bytes or a compiled module: `initSync({ module })`. */
export function initSync(options) {
  const exports = wasm.initSync(options);
  memory = exports.memory;
  return exports;
}


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
 * The per-user bucketing of one experiment, from the core's plan; null when the experiment needs
 * the core itself (a namespace).
 *
 * The hash takes 1,000 (v1) or 10,000 (v2) values: `value(userId)` gives the id's value (-1 when
 * the id cannot be in: an empty id, or fewer than two variations), its bucket is value / scale,
 * and `table[value]` is its variation (-1: outside coverage), worked out once here with the same
 * float comparisons as chooseVariation (`n >= start && n < end` on n = value / scale).
 */
function fastPath(plan) {
  if (plan.namespaced) return null;
  const { hashVersion, variations } = plan;
  if (hashVersion !== 1 && hashVersion !== 2) return null;
  // UTF-16 code units (Array.from(string) would walk code points).
  const seed = new Int32Array(plan.seed.length);
  for (let i = 0; i < seed.length; i++) seed[i] = plan.seed.charCodeAt(i);
  const seedLength = seed.length;
  const seedState = plan.seedState | 0;
  const ranges = plan.ranges.flat();
  const scale = hashVersion === 1 ? 1000 : 10000;
  const table = new Int32Array(scale);
  for (let value = 0; value < scale; value++) {
    const n = value / scale;
    table[value] = -1;
    for (let i = 0, j = 0; i < variations && j < ranges.length; i++, j += 2) {
      if (n >= ranges[j] && n < ranges[j + 1]) {
        table[value] = i;
        break;
      }
    }
  }
  let value;
  if (variations < 2) {
    value = () => -1;
  } else if (hashVersion === 2) {
    // hashFnv32a(hashFnv32a(seed + id) + ""): the seed's part is in seedState, and the
    // decimal digits of the inner hash are fed without building the string.
    value = (userId) => {
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
  } else {
    // hashFnv32a(id + seed).
    value = (userId) => {
      const len = userId.length;
      if (len === 0) return -1;
      let h = FNV_OFFSET;
      for (let i = 0; i < len; i++) h = Math.imul(h ^ userId.charCodeAt(i), FNV_PRIME);
      for (let i = 0; i < seedLength; i++) h = Math.imul(h ^ seed[i], FNV_PRIME);
      return (h >>> 0) % 1000;
    };
  }
  return { scale, table, value };
}

/** The experiment's fast path (computed on first use), or null. */
function fastOf(experiment) {
  let fast = experiment.__fast;
  if (fast === undefined) fast = experiment.__fast = fastPath(experiment.__plan());
  return experiment.__wbg_ptr === 0 ? null : fast;
}

// The core's own methods, for experiments the fast path leaves to it (namespaces).
const { assign: wasmAssign, variationOf: wasmVariationOf } = Experiment.prototype;

Experiment.prototype.assign = function assign(userId) {
  if (typeof userId !== 'string') throw badId('userId', userId);
  const fast = fastOf(this);
  if (fast === null) return wasmAssign.call(this, userId);
  const v = fast.value(userId);
  const variation = v < 0 ? -1 : fast.table[v];
  if (variation < 0) return { inExperiment: false, variationId: 0, bucket: undefined };
  return { inExperiment: true, variationId: variation, bucket: v / fast.scale };
};

Experiment.prototype.variationOf = function variationOf(userId) {
  if (typeof userId !== 'string') throw badId('userId', userId);
  const fast = fastOf(this);
  if (fast === null) return wasmVariationOf.call(this, userId);
  const v = fast.value(userId);
  return v < 0 ? -1 : fast.table[v];
};

Experiment.prototype.assignMany = function assignMany(userIds) {
  if (!Array.isArray(userIds)) {
    throw invalidInput(`userIds must be an array of strings, got ${describe(userIds)}`);
  }
  const n = userIds.length;
  const fast = fastOf(this);
  if (fast !== null) {
    // The per-call path in one loop: for short ids, copying their code units into wasm memory
    // costs about what hashing them here does.
    const { value, table } = fast;
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
  for (let i = 0; i < n; i++) {
    const id = userIds[i];
    if (typeof id !== 'string') throw badId(`userIds[${i}]`, id);
    total += id.length;
  }
  // Reserving may grow wasm memory (detaching older views): take the views after it.
  const [at, lengthsAt] = this.__reserve(total, n);
  const units = new Uint16Array(memory.buffer, at, total);
  const lengths = new Uint32Array(memory.buffer, lengthsAt, n);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const id = userIds[i];
    const len = id.length;
    lengths[i] = len;
    for (let j = 0; j < len; j++) units[pos++] = id.charCodeAt(j);
  }
  return this.__assignReserved(total, n);
};

/** Variation ids of many users (-1 when not in the experiment), bucketed in one wasm call. */
export function assignMany(experiment, userIds) {
  const e = new Experiment(experiment);
  try {
    return e.assignMany(userIds);
  } finally {
    e.free();
  }
}
