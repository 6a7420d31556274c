// Bundles the lite entry into one ES module, js/pkg-lite/lite.js (scripts/build-js.sh), with
// esbuild (the root's devDependency, the standard ES-module bundler): js/lite.js, the modules it
// imports (inputs.js, assign-fast.js, hash-fast.js) and the wasm-bindgen glue with its inline
// snippet, in one file that loads the wasm beside it (`new URL('brain_core_lite_bg.wasm',
// import.meta.url)` is kept as it is). Every page that buckets users downloads this file: one file
// gzips 1.4 KB smaller than the five it replaces, since the modules share their words (issue 19:
// the entry's budget is 40 KB gzip with the wasm). scripts/minify-js.mjs then minifies it.
//
// The readable sources stay in js/; the glue and its snippet, now inside the bundle, are removed
// from js/pkg-lite/ so that the directory holds what the package ships (the glue's .d.ts stays:
// lite.d.ts reads its types). The bundle must import nothing: a page gets the entry and the wasm.
//
// Usage: node scripts/bundle-lite.mjs   (after wasm-bindgen wrote js/pkg-lite/)
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const JS = join(dirname(fileURLToPath(import.meta.url)), '..', 'js');
const OUT = join(JS, 'pkg-lite');
const GLUE = join(OUT, 'brain_core_lite.js');

// The glue imports `./inputs.js` as a raw module (core/src/js/coded.rs: `coreError`), written for
// a copy beside it; here it is js/inputs.js itself, so the bundle holds that module once.
const rawModules = {
  name: 'brain-raw-modules',
  setup(b) {
    b.onResolve({ filter: /^\.\/inputs\.js$/ }, (args) =>
      args.importer === GLUE ? { path: join(JS, 'inputs.js') } : undefined);
  },
};

const result = await build({
  entryPoints: [join(JS, 'lite.js')],
  outfile: join(OUT, 'lite.js'),
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2020',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  plugins: [rawModules],
});
const [output] = Object.values(result.metafile.outputs);
if (output.imports.length > 0) {
  throw new Error(`the lite bundle must import nothing, it imports ${output.imports.map((i) => i.path).join(', ')}`);
}
rmSync(GLUE);
rmSync(join(OUT, 'snippets'), { recursive: true, force: true });
console.log(`[bundle-lite] js/pkg-lite/lite.js: ${Object.keys(output.inputs).length} modules, ${output.bytes} bytes`);
