// Shared helper of the js-*.test.mjs suites: finds the built package in js/pkg/ (building it
// with scripts/build-js.sh when missing) and initialises it synchronously, as a Node app does.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PKG = join(ROOT, 'js', 'pkg');
export const WASM = join(PKG, 'brain_core_bg.wasm');
export const FIXTURES = join(ROOT, 'core', 'tests', 'fixtures');

/** Builds js/pkg when it is missing (set BRAIN_JS_NO_BUILD=1 to fail instead). */
export function ensureBuilt() {
  if (existsSync(join(PKG, 'brain_core.js')) && existsSync(WASM)) return;
  if (process.env.BRAIN_JS_NO_BUILD) throw new Error(`js/pkg is missing: run bash scripts/build-js.sh`);
  execFileSync('bash', [join(ROOT, 'scripts', 'build-js.sh')], { stdio: 'inherit' });
}

let cached;
/** The package (js/index.js), initialised with initSync({ module }). */
export async function load() {
  if (cached) return cached;
  ensureBuilt();
  const mod = await import(pathToFileURL(join(ROOT, 'js', 'index.js')).href);
  mod.initSync({ module: readFileSync(WASM) });
  cached = mod;
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
