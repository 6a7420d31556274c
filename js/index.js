// @brain/core: the ES module entry. Everything comes from the wasm-bindgen build in ./pkg/;
// this file only adds the JS half of the two hot paths, so that a call crosses into wasm once:
// - Experiment#assign checks the id's type here, passes the string to wasm and rebuilds the
//   result object from one integer (no object is built across the boundary);
// - Experiment#assignMany / assignMany pack the ids' UTF-8 bytes into one buffer here and
//   bucket them all in one wasm call.
import wasmInit, * as wasm from './pkg/brain_core.js';

export * from './pkg/brain_core.js';

const { Experiment } = wasm;
let memory = null;
let bytes = new Uint8Array(0);

/** Loads the wasm in browsers (fetches brain_core_bg.wasm next to pkg/brain_core.js by default). */
export default async function init(options) {
  const exports = await wasmInit(options);
  memory = exports.memory;
  bytes = new Uint8Array(0);
  return exports;
}

/** Loads the wasm synchronously from its bytes or a compiled module: `initSync({ module })`. */
export function initSync(options) {
  const exports = wasm.initSync(options);
  memory = exports.memory;
  bytes = new Uint8Array(0);
  return exports;
}

/** A view of wasm memory, renewed when memory grows (the old view is then detached). */
function heap() {
  if (bytes.byteLength === 0) bytes = new Uint8Array(memory.buffer);
  return bytes;
}
const encoder = new TextEncoder();
let scratch = new Uint8Array(1 << 16);

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

/** The packed result of one id (see `__assignCode` in core/src/js/assign.rs). */
function codeOf(experiment, userId) {
  let code = -2;
  const len = userId.length;
  if (memory !== null && 3 * len <= 1024) {
    // Write the id's UTF-8 bytes into the experiment's buffer in wasm memory.
    let at = experiment.__at;
    if (at === undefined) at = experiment.__at = experiment.__scratch()[0];
    const mem = heap();
    let j = 0;
    for (; j < len; j++) {
      const c = userId.charCodeAt(j);
      if (c > 0x7f) break;
      mem[at + j] = c;
    }
    const n = j === len ? len : j + encoder.encodeInto(userId.slice(j), mem.subarray(at + j, at + 1024)).written;
    code = experiment.__assignScratch(n);
  }
  if (code === -2) code = experiment.__assignCode(userId);
  return code;
}

Experiment.prototype.assign = function assign(userId) {
  if (typeof userId !== 'string') throw badId('userId', userId);
  const code = codeOf(this, userId);
  if (code < 0) return { inExperiment: false, variationId: 0, bucket: undefined };
  return {
    inExperiment: true,
    variationId: (code >>> 14) & 0x3fff,
    bucket: (code & 0x3fff) / (code & 0x10000000 ? 10000 : 1000),
  };
};

Experiment.prototype.variationOf = function variationOf(userId) {
  if (typeof userId !== 'string') throw badId('userId', userId);
  const code = codeOf(this, userId);
  return code < 0 ? -1 : (code >>> 14) & 0x3fff;
};

/** UTF-8 bytes of every id back to back, and each id's byte length. */
function pack(userIds) {
  if (!Array.isArray(userIds)) {
    throw invalidInput(`userIds must be an array of strings, got ${describe(userIds)}`);
  }
  const n = userIds.length;
  const lengths = new Uint32Array(n);
  let buf = scratch;
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const id = userIds[i];
    if (typeof id !== 'string') throw badId(`userIds[${i}]`, id);
    const len = id.length;
    if (pos + 3 * len > buf.length) {
      const grown = new Uint8Array(Math.max(2 * buf.length, pos + 3 * len));
      grown.set(buf.subarray(0, pos));
      buf = scratch = grown;
    }
    const start = pos;
    let j = 0;
    for (; j < len; j++) {
      const c = id.charCodeAt(j);
      if (c > 0x7f) break;
      buf[pos++] = c;
    }
    if (j < len) pos += encoder.encodeInto(id.slice(j), buf.subarray(pos)).written;
    lengths[i] = pos - start;
  }
  return [buf.subarray(0, pos), lengths];
}

Experiment.prototype.assignMany = function assignMany(userIds) {
  const [bytes, lengths] = pack(userIds);
  return this.__assignPacked(bytes, lengths);
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
