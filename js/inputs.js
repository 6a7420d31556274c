// Reading and checking the lite entry's inputs, with the errors (`invalid_input`, the same words)
// the wasm threw when it read JS values itself: the wasm now takes numbers, typed arrays and
// strings. The wasm imports coreError for the core's errors (core/src/js/coded.rs).

export function codedError(code, message) {
  const error = new Error(message);
  error.code = code;
  return error;
}

export const invalid = (message) => codedError('invalid_input', message);

// The core's error: its message holds "\0" where `number` goes.
export const coreError = (code, message, number) => codedError(code, message.replace('\0', () => floatText(number)));

// Rust's `{}` of an f64 (shortest round-trip digits, no exponent, "inf", "-0"): the core's words
// for a number, without float printing in the wasm.
export function floatText(x) {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mantissa, exponent] = x.toExponential().split('e');
  const sign = x < 0 ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  const e = Number(exponent);
  if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  if (digits.length <= e + 1) return sign + digits + '0'.repeat(e + 1 - digits.length);
  return `${sign}${digits.slice(0, e + 1)}.${digits.slice(e + 1)}`;
}

export function describe(v) {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'string') return v.length > 40 ? `a string (${JSON.stringify(v.slice(0, 40))}...)` : `a string (${JSON.stringify(v)})`;
  if (typeof v === 'bigint') return `a bigint (${v}n)`;
  if (typeof v === 'object') return v instanceof Date ? 'a Date' : 'an object';
  return `a ${typeof v}`;
}

export const wrong = (what, expected, v) => invalid(`${what} must be ${expected}, got ${describe(v)}`);

export const isMissing = (v) => v === undefined || v === null;

export function object(v, what, expected = 'an object') {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || !(v instanceof Object)) throw wrong(what, expected, v);
  return v;
}

export function field(o, key) {
  try {
    return Reflect.get(o, key);
  } catch {
    throw invalid(`cannot read property "${key}"`);
  }
}

export const isWhole = (x) => Number.isFinite(x) && x % 1 === 0 && x >= 0 && x <= Number.MAX_SAFE_INTEGER;

export function count(v, what) {
  if (typeof v !== 'number' || !isWhole(v)) throw wrong(what, 'a whole number >= 0', v);
  return v;
}

// Sizes are capped here, before the wasm allocates them.
export function smallCount(v, what, max) {
  const n = count(v, what);
  if (n > max) throw invalid(`${what} (${n}) must be at most ${max}`);
  return n;
}

export function number(v, what) {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw wrong(what, 'a finite number', v);
  return v;
}

// NaN and infinities pass: the core refuses them with its own codes.
export function anyNumber(v, what) {
  if (typeof v !== 'number') throw wrong(what, 'a number', v);
  return v;
}

export const anyNumberOr = (v, what, otherwise) => (isMissing(v) ? otherwise : anyNumber(v, what));

export const optNumber = (v, what) => (isMissing(v) ? undefined : number(v, what));

export function string(v, what) {
  if (typeof v !== 'string') throw wrong(what, 'a string', v);
  return v;
}

export function array(v, what) {
  if (!Array.isArray(v)) throw wrong(what, 'an array', v);
  return v;
}

// A copy, as a Float64Array.
export function numbers(v, what) {
  if (v instanceof Float64Array) return v.slice();
  if (!Array.isArray(v)) throw wrong(what, 'an array of numbers or a Float64Array', v);
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'number') throw wrong(`${what}[${i}]`, 'a number', v[i]);
  return new Float64Array(v);
}

export function finiteNumbers(v, what) {
  const xs = numbers(v, what);
  const i = xs.findIndex((x) => !Number.isFinite(x));
  if (i >= 0) throw invalid(`${what}[${i}] must be a finite number, got ${floatText(xs[i])}`);
  return xs;
}

// What GrowthBook hashes: UTF-16 code units, lone surrogates included.
export function units(s) {
  const out = new Uint16Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
