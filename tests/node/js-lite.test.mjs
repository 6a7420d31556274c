// @brain/core/lite passes the full package's statistics, assignment and error suites: each suite
// is imported again with `?entry=lite` (a second module instance), and loads js/lite.js instead
// of js/index.js (see entryOf in js-pkg.mjs). The lite entry exports the same names; the
// engine's names are not in it. Its wasm has no engine: no Brain, no JSON reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { load, LITE_PKG } from './js-pkg.mjs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

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

// The package ships lite.js, inputs.js and assign-fast.js as minified copies beside the lite glue
// (scripts/ship-js.mjs, then scripts/minify-js.mjs, run by build-js.sh); the suites above load
// those copies, so they are what every behaviour test here checks.
test('the lite entry is the minified copies in pkg-lite/, exporting what js/lite.js, inputs.js and assign-fast.js export', async () => {
  const pkg = JSON.parse(readFileSync(join(LITE_PKG, '..', 'package.json'), 'utf8'));
  assert.equal(pkg.exports['./lite'].default, './pkg-lite/lite.js');
  for (const name of ['lite.js', 'inputs.js', 'assign-fast.js', 'brain_core_lite.js']) {
    const copy = readFileSync(join(LITE_PKG, name), 'utf8');
    assert.doesNotMatch(copy, /^\s*\/\/|\/\*\*|\s\/\/ /m, `the copy of ${name} has a comment`);
    assert.doesNotMatch(copy, /\n[ \t]+\S/, `the copy of ${name} is not minified (indented lines)`);
  }
  for (const name of ['lite.js', 'inputs.js', 'assign-fast.js']) {
    assert.ok(pkg.files.includes(`pkg-lite/${name}`), `package.json ships pkg-lite/${name}`);
    assert.ok(!pkg.files.includes(name), `package.json does not ship the source ${name}`);
    const source = join(LITE_PKG, '..', name);
    assert.match(readFileSync(source, 'utf8'), /^\s*\/\/ /m, `the source ${name} has comments`);
    const [fromSource, fromCopy] = await Promise.all([import(pathToFileURL(source)), import(pathToFileURL(join(LITE_PKG, name)))]);
    assert.deepEqual(Object.keys(fromCopy).sort(), Object.keys(fromSource).sort(), `${name}: the same exports`);
  }
});
