// @brain/core: the ES module entry. Everything comes from the wasm-bindgen build in ./pkg/;
// this file only adds the JS half of the two hot paths, where a call into wasm would cost more
// than the work itself:
// - Experiment#assign / #variationOf hash the id here, with the plan the wasm core computed once
//   per experiment (seed, the FNV state after it, bucket ranges): GrowthBook's FNV-1a over the
//   id's UTF-16 code units, bit for bit what the core's `PreparedExperiment::assign` does (the
//   tests compare both, and the SDK, id by id). Namespaced experiments go through wasm.
// - Experiment#assignMany / assignMany write the ids' UTF-16 code units straight into wasm
//   memory (no encoding, no copy) and bucket them all in one wasm call.
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

/**
 * The per-user bucketing of one experiment, from the core's plan: a function of the id giving
 * the variation index (-1: not in), which leaves the id's hash in `fast.bucket`; null when the
 * experiment needs the core itself (a namespace).
 */
function fastPath(plan) {
  if (plan.namespaced) return null;
  const { hashVersion, variations } = plan;
  // UTF-16 code units (Array.from(string) would walk code points).
  const seed = new Int32Array(plan.seed.length);
  for (let i = 0; i < seed.length; i++) seed[i] = plan.seed.charCodeAt(i);
  const seedState = plan.seedState | 0;
  const ranges = Float64Array.from(plan.ranges.flat());
  const digits = new Int32Array(10);
  const fast = {
    bucket: 0,
    choose(userId) {
      if (variations < 2 || userId.length === 0) return -1;
      let n;
      if (hashVersion === 2) {
        // hashFnv32a(hashFnv32a(seed + id) + ""): the seed's part is in seedState, and the
        // decimal digits of the inner hash are fed without building the string.
        let h = seedState;
        for (let i = 0; i < userId.length; i++) h = Math.imul(h ^ userId.charCodeAt(i), FNV_PRIME);
        h >>>= 0;
        let k = 0;
        do {
          const q = Math.floor(h / 10);
          digits[k++] = h - q * 10;
          h = q;
        } while (h > 0);
        let g = FNV_OFFSET;
        while (k > 0) g = Math.imul(g ^ (48 + digits[--k]), FNV_PRIME);
        n = ((g >>> 0) % 10000) / 10000;
      } else if (hashVersion === 1) {
        // hashFnv32a(id + seed).
        let h = FNV_OFFSET;
        for (let i = 0; i < userId.length; i++) h = Math.imul(h ^ userId.charCodeAt(i), FNV_PRIME);
        for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed[i], FNV_PRIME);
        n = ((h >>> 0) % 1000) / 1000;
      } else {
        return -1;
      }
      fast.bucket = n;
      for (let i = 0, j = 0; i < variations && j < ranges.length; i++, j += 2) {
        if (n >= ranges[j] && n < ranges[j + 1]) return i;
      }
      return -1;
    },
  };
  return fast;
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
  const v = fast.choose(userId);
  if (v < 0) return { inExperiment: false, variationId: 0, bucket: undefined };
  return { inExperiment: true, variationId: v, bucket: fast.bucket };
};

Experiment.prototype.variationOf = function variationOf(userId) {
  if (typeof userId !== 'string') throw badId('userId', userId);
  const fast = fastOf(this);
  return fast === null ? wasmVariationOf.call(this, userId) : fast.choose(userId);
};

Experiment.prototype.assignMany = function assignMany(userIds) {
  if (!Array.isArray(userIds)) {
    throw invalidInput(`userIds must be an array of strings, got ${describe(userIds)}`);
  }
  const n = userIds.length;
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
