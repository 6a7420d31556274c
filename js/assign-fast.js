// Assignment's JS half: reading an experiment for the wasm, and the hot paths, where a call into
// wasm would cost more than the work itself. `Experiment` composes the wasm build's `Experiment`:
// - assign / variationOf hash the id here with the plan the wasm core computed once per
//   experiment (`plan()`: seed, the FNV state after it, the variation of every hash value):
//   GrowthBook's FNV-1a over the id's UTF-16 code units, bit for bit what the core's
//   `PreparedExperiment::assign` does (the tests compare both, and the SDK, id by id).
// - assignMany runs the same hash over the ids in one loop into an Int32Array.
// A namespaced experiment goes through wasm: an id as its UTF-16 code units (`assign`), a batch
// as its ids' code units in one `assignUnits` call (no encoding, lone surrogates kept).
import * as wasm from './pkg-lite/brain_core_lite.js';
import {
  field, finiteNumbers, invalid, isMissing, number, object, optNumber, smallCount, string, units, wrong,
} from './inputs.js';
import { hashOf } from './hash-fast.js';

const MAX_VARIATIONS = 10000;

// The hot path's words for a wrong id (shorter than inputs.js's, kept as they were).
function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'object') return 'an object';
  return typeof v === 'undefined' ? 'undefined' : `a ${typeof v}`;
}

function badId(what, v) {
  return invalid(`${what} must be a string (convert numbers with String(id)), got ${describe(v)}`);
}

// Whole numbers in u32 are versions (unknown ones put nobody in); other finite numbers are unknown.
export function hashVersion(v, what) {
  const x = number(v, what);
  return Number.isInteger(x) && x >= 0 && x <= 0xffffffff ? x >>> 0 : 0xffffffff;
}

export function readWeights(v, what) {
  if (isMissing(v)) return null;
  const w = finiteNumbers(v, what);
  if (w.length > MAX_VARIATIONS) throw invalid(`${what} has ${w.length} entries; at most ${MAX_VARIATIONS} are allowed`);
  return w;
}

// The wasm's ranges, back to back, as `[start, end]` pairs.
export function pairs(flat) {
  const out = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i], flat[i + 1]]);
  return out;
}

// Omitted fields are null.
export function readExperiment(v) {
  const o = object(v, 'experiment');
  const key = string(field(o, 'key'), 'experiment.key');
  const seed = field(o, 'seed');
  const hv = field(o, 'hashVersion');
  return {
    key,
    seed: isMissing(seed) ? null : string(seed, 'experiment.seed'),
    hashVersion: isMissing(hv) ? 1 : hashVersion(hv, 'experiment.hashVersion'),
    variations: smallCount(field(o, 'variations'), 'experiment.variations (the number of variations)', MAX_VARIATIONS),
    weights: readWeights(field(o, 'weights'), 'experiment.weights'),
    coverage: optNumber(field(o, 'coverage'), 'experiment.coverage') ?? null,
    namespace: readNamespace(field(o, 'namespace')),
  };
}

function readNamespace(v) {
  if (isMissing(v)) return null;
  if (!Array.isArray(v) || v.length !== 3) throw wrong('experiment.namespace', '[id, start, end]', v);
  return [string(v[0], 'experiment.namespace[0]'), number(v[1], 'experiment.namespace[1]'), number(v[2], 'experiment.namespace[2]')];
}

export function wasmExperiment(e) {
  const [id, start, end] = e.namespace ?? [null, 0, 0];
  return new wasm.Experiment(e.key, e.seed, e.hashVersion, e.variations, e.weights, e.coverage, id, start, end);
}

// The wasm's `assign` gives `[variationId, bucket]`, or nothing: not in.
export function assignment(r) {
  return r.length === 0 ? { inExperiment: false, variationId: 0, bucket: undefined } : { inExperiment: true, variationId: r[0], bucket: r[1] };
}

function freed() {
  return invalid('this Experiment was freed (free() was called): create a new one');
}

/** An experiment parsed once, for the hot path: `assign(userId)` per user, `assignMany(userIds)` per batch. */
export class Experiment {
  /** The wasm build's Experiment; null once freed. */
  #inner;
  #read;
  /**
   * `{ value, table, scale }` from the plan (`value` null: namespaced, the wasm methods decide),
   * computed on first use; null until then and once freed.
   */
  #fast = null;

  /** Parses and checks the experiment, and computes its bucket ranges. */
  constructor(experiment) {
    this.#read = readExperiment(experiment);
    this.#inner = wasmExperiment(this.#read);
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
    if (fast.value === null) return assignment(this.#wasm().assign(units(userId)));
    const v = fast.value(userId);
    const variation = v < 0 ? -1 : fast.table[v];
    if (variation < 0) return { inExperiment: false, variationId: 0, bucket: undefined };
    return { inExperiment: true, variationId: variation, bucket: v / fast.scale };
  }

  /** The variation id of one user, or -1 when not in the experiment. */
  variationOf(userId) {
    if (typeof userId !== 'string') throw badId('userId', userId);
    const fast = this.#fast ?? this.#prepare();
    if (fast.value === null) {
      const r = this.#wasm().assign(units(userId));
      return r.length === 0 ? -1 : r[0];
    }
    const v = fast.value(userId);
    return v < 0 ? -1 : fast.table[v];
  }

  /** Variation ids of many users (-1 when not in the experiment). */
  assignMany(userIds) {
    if (!Array.isArray(userIds)) {
      throw invalid(`userIds must be an array of strings, got ${describe(userIds)}`);
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
    const all = new Uint16Array(total);
    let pos = 0;
    for (let i = 0; i < n; i++) {
      const id = userIds[i];
      for (let j = 0; j < id.length; j++) all[pos++] = id.charCodeAt(j);
    }
    return this.#wasm().assignUnits(all, lengths);
  }

  /** The bucket ranges, `[start, end)` per variation. */
  ranges() {
    this.#wasm();
    const { variations, coverage, weights } = this.#read;
    return pairs(wasm.bucketRanges(variations, coverage ?? 1, weights));
  }

  /** The experiment as parsed (defaults filled in). */
  toJSON() {
    this.#wasm();
    const { key, seed, hashVersion, variations, weights, coverage, namespace } = this.#read;
    return { key, seed, hashVersion, variations, weights: weights && Array.from(weights), coverage, namespace: namespace && [...namespace] };
  }

  /** What the hot loop buckets with (see the wasm build's `Experiment#plan`). */
  plan() {
    return this.#wasm().plan();
  }

  /** Variation ids of a batch given as UTF-16 code units (see the wasm build's `Experiment#assignUnits`). */
  assignUnits(units, lengths) {
    const inner = this.#wasm();
    if (!(units instanceof Uint16Array)) throw wrong('units', 'a Uint16Array', units);
    if (!(lengths instanceof Uint32Array)) throw wrong('lengths', 'a Uint32Array', lengths);
    return inner.assignUnits(units, lengths);
  }

  /** Frees the wasm memory of the experiment; later calls throw `invalid_input`. */
  free() {
    if (this.#inner === null) return;
    this.#inner.free();
    this.#inner = null;
    this.#fast = null;
    this.#read = null;
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
