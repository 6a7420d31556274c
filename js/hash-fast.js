// GrowthBook's hash in JS, for the hot paths where a call into wasm would cost more than the
// hash: FNV-1a 32 over the id's UTF-16 code units, hash versions 1 and 2, bit for bit what the
// core's `assign` computes (js-assign.test.mjs compares them id by id, and with GrowthBook's SDK).
// Its own module, with no import: `assign-fast.js` uses it for `Experiment` (and the lite entry's
// bundle holds it), and `route-fast.js`, the full package's Router, imports it as it is, since the
// bundle exports only the lite entry's API (scripts/bundle-lite.mjs).
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
export function hashOf(plan) {
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
