// @brain/core/lite passes the full package's statistics, assignment and error suites: each suite
// is imported again with `?entry=lite` (a second module instance), and loads js/lite.js instead
// of js/index.js (see entryOf in js-pkg.mjs). The lite entry exports the same names; the
// engine's names are not in it. Its wasm has no engine: no Brain, no JSON reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { load, LITE_PKG } from './js-pkg.mjs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ts = createRequire(import.meta.url)('typescript');

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

// The package ships the lite entry as one minified bundle (scripts/bundle-lite.mjs, then
// scripts/minify-js.mjs, run by build-js.sh): js/lite.js, the modules it imports and the wasm
// glue. The suites above load that bundle, so it is what every behaviour test here checks; this
// one checks that it is the whole entry (a page fetches it and the wasm, nothing else) and that
// it exports what the source declares.
test('the lite entry is one minified bundle in pkg-lite/ that imports nothing and exports what js/lite.js exports', async () => {
  const pkg = JSON.parse(readFileSync(join(LITE_PKG, '..', 'package.json'), 'utf8'));
  assert.equal(pkg.exports['./lite'].default, './pkg-lite/lite.js');
  const bundle = readFileSync(join(LITE_PKG, 'lite.js'), 'utf8');
  assert.doesNotMatch(bundle, /^\s*\/\/|\/\*\*|\s\/\/ /m, 'the bundle has a comment');
  assert.doesNotMatch(bundle, /\n[ \t]+\S/, 'the bundle is not minified (indented lines)');
  assert.doesNotMatch(bundle, /\bimport\s*[{*"']|\bimport\s+\w+\s+from\b|\bfrom\s*["']|\bimport\s*\(/, 'the bundle imports a module');
  // What ships in pkg-lite/: the bundle, the wasm and the glue's type declarations (lite.d.ts
  // reads them); none of the lite entry's sources, which stay in js/ with their comments
  // (hash-fast.js ships as it is too, for route-fast.js: the bundle exports only the entry's API).
  const shipped = readdirSync(LITE_PKG).sort();
  assert.deepEqual(shipped, ['brain_core_lite.d.ts', 'brain_core_lite_bg.wasm', 'brain_core_lite_bg.wasm.d.ts', 'lite.js']);
  for (const name of shipped) assert.ok(pkg.files.includes(`pkg-lite/${name}`), `package.json ships pkg-lite/${name}`);
  for (const name of ['lite.js', 'inputs.js', 'assign-fast.js']) {
    assert.ok(!pkg.files.includes(name), `package.json does not ship the source ${name}`);
    assert.match(readFileSync(join(LITE_PKG, '..', name), 'utf8'), /^\s*\/\/ /m, `the source ${name} has comments`);
  }
  // The source's exports, read from its syntax (it cannot be imported once built: its glue is in
  // the bundle), against the bundle's at run time.
  const source = ts.createSourceFile('lite.js', readFileSync(join(LITE_PKG, '..', 'lite.js'), 'utf8'), ts.ScriptTarget.Latest);
  const declared = [];
  for (const s of source.statements) {
    const exported = ts.getModifiers?.(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (ts.isExportDeclaration(s)) declared.push(...s.exportClause.elements.map((e) => e.name.text));
    else if (exported && (ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s))) declared.push(s.name.text);
    else if (exported && ts.isVariableStatement(s)) declared.push(...s.declarationList.declarations.map((d) => d.name.text));
  }
  assert.ok(declared.includes('proportionZTest') && declared.includes('Experiment') && declared.includes('default'), declared.join(' '));
  const fromBundle = await import(pathToFileURL(join(LITE_PKG, 'lite.js')));
  assert.deepEqual(Object.keys(fromBundle).sort(), declared.sort());
});
