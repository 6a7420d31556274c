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

// The package ships lite.js, inputs.js and assign-fast.js as comment-free copies beside the lite
// glue (scripts/ship-js.mjs, run by build-js.sh); the suites above load those copies.
test('the lite entry is the comment-free copies in pkg-lite/, with the code of js/lite.js, inputs.js and assign-fast.js', () => {
  const pkg = JSON.parse(readFileSync(join(LITE_PKG, '..', 'package.json'), 'utf8'));
  assert.equal(pkg.exports['./lite'].default, './pkg-lite/lite.js');
  for (const name of ['lite.js', 'inputs.js', 'assign-fast.js']) {
    assert.ok(pkg.files.includes(`pkg-lite/${name}`), `package.json ships pkg-lite/${name}`);
    assert.ok(!pkg.files.includes(name), `package.json does not ship the source ${name}`);
    const source = readFileSync(join(LITE_PKG, '..', name), 'utf8');
    const copy = readFileSync(join(LITE_PKG, name), 'utf8');
    assert.match(source, /^\s*\/\/ /m, `the source ${name} has comments`);
    assert.doesNotMatch(copy, /^\s*\/\/|\/\*\*|\s\/\/ /m, `the copy of ${name} has a comment`);
    // Same code: the source's lines less comment lines (as this package writes them: `//` lines,
    // `/** ... */` blocks, `// ` after code) and blank lines, the glue's imports re-pointed.
    const code = (text) => {
      const lines = [];
      let block = false;
      for (const line of text.split('\n')) {
        if (block) block = !line.includes('*/');
        else if (/^\s*\/\*/.test(line)) block = !line.includes('*/');
        else if (!/^\s*(\/\/.*)?$/.test(line)) lines.push(line.replace(/\s+\/\/ .*$/, ''));
      }
      return lines;
    };
    const want = code(source).map((l) => l.replace("'./pkg-lite/", "'./"));
    assert.deepEqual(code(copy), want, name);
  }
});
