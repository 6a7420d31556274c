// Shared helper of the js-*.test.mjs suites: finds the built package in js/pkg/ and js/pkg-lite/
// (building it with scripts/build-js.sh when missing) and initialises it synchronously, as a
// Node app does. A suite that runs against both entries (`@brain/core` and `@brain/core/lite`)
// loads `entryOf(import.meta.url)`: js-lite.test.mjs imports it a second time with `?entry=lite`.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PKG = join(ROOT, 'js', 'pkg');
export const WASM = join(PKG, 'brain_core_bg.wasm');
export const LITE_PKG = join(ROOT, 'js', 'pkg-lite');
export const LITE_WASM = join(LITE_PKG, 'brain_core_lite_bg.wasm');
export const FIXTURES = join(ROOT, 'core', 'tests', 'fixtures');

/** Builds js/pkg when it is missing (set BRAIN_JS_NO_BUILD=1 to fail instead). */
export function ensureBuilt() {
  if (existsSync(join(PKG, 'brain_core.js')) && existsSync(WASM) && existsSync(LITE_WASM)) return;
  if (process.env.BRAIN_JS_NO_BUILD) throw new Error(`js/pkg is missing: run bash scripts/build-js.sh`);
  execFileSync('bash', [join(ROOT, 'scripts', 'build-js.sh')], { stdio: 'inherit' });
}

/** The entry a suite runs against: 'lite' when its module URL ends in `?entry=lite`, else 'full'. */
export function entryOf(moduleUrl) {
  return new URL(moduleUrl).searchParams.get('entry') === 'lite' ? 'lite' : 'full';
}

const cached = new Map();
/**
 * The package, initialised as a Node app does: `entry` 'full' is js/index.js (the lite wasm
 * with initSync({ module }), then the engine with Brain.initSync({ module })), 'lite' is
 * js/pkg-lite/lite.js, the shipped copy of js/lite.js (its wasm with initSync({ module })).
 */
export async function load(entry = 'full') {
  if (cached.has(entry)) return cached.get(entry);
  ensureBuilt();
  const file = entry === 'lite' ? join('pkg-lite', 'lite.js') : 'index.js';
  const mod = await import(pathToFileURL(join(ROOT, 'js', file)).href);
  mod.initSync({ module: readFileSync(LITE_WASM) });
  if (entry !== 'lite') mod.Brain.initSync({ module: readFileSync(WASM) });
  cached.set(entry, mod);
  return mod;
}

/** Reads a fixture from core/tests/fixtures/. */
export function fixture(name) {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
}

/** Whether a fixture exists (the stats fixtures land with the stats branch). */
export function hasFixture(name) {
  return existsSync(join(FIXTURES, name));
}

/** Runs fn and returns the thrown error (fails when nothing is thrown). */
export function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error, nothing was thrown');
}
