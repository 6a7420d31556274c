// @brain/core/lite passes the full package's statistics, assignment and error suites: each suite
// is imported again with `?entry=lite` (a second module instance), and loads js/lite.js instead
// of js/index.js (see entryOf in js-pkg.mjs). The lite entry exports the same names; the
// engine's names are not in it. Its wasm has no engine: no Brain, no JSON reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { load, LITE_PKG } from './js-pkg.mjs';
import { join } from 'node:path';

await import('./js-stats.test.mjs?entry=lite');
await import('./js-assign.test.mjs?entry=lite');
await import('./js-errors.test.mjs?entry=lite');

const NAMES = ['gbHash', 'bucketRanges', 'chooseVariation', 'assign', 'assignMany', 'Experiment', 'proportionZTest', 'liftTTest', 'sequentialLiftTest', 'chanceToBeat', 'srmPValue', 'adjustPValues', 'sampleSizePerArm', 'detectableEffect', 'rateInterval', 'ksTest', 'psi'];

test('the lite entry exports what the full package exports for assignment and statistics, and no engine', async () => {
  const lite = await load('lite');
  const full = await load('full');
  const own = (m) => Object.keys(m).filter((k) => k !== 'default' && k !== 'initSync').sort();
  for (const name of NAMES) {
    assert.equal(typeof lite[name], 'function', name);
    assert.equal(lite[name], full[name], `${name}: the full package re-exports the lite one`);
  }
  const engineOnly = [
    'Brain',
    'verifyInclusion',
    'verifyConsistency',
    'verifyAuditExport',
    'verifyAuditFilteredExport',
    'promotionPreset',
    'Router',
  ];
  assert.deepEqual(own(full), [...own(lite), ...engineOnly].sort());
  for (const name of engineOnly) assert.equal(lite[name], undefined, name);
  // The lite wasm imports and exports nothing of the engine.
  const module = new WebAssembly.Module(readFileSync(join(LITE_PKG, 'brain_core_lite_bg.wasm')));
  const exported = WebAssembly.Module.exports(module).map((e) => e.name);
  assert.ok(exported.includes('proportionZTest') && exported.includes('experiment_new'), exported.join(' '));
  assert.deepEqual(exported.filter((n) => /brain|audit|verify/i.test(n)), []);
});
