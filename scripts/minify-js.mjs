// Minifies the lite entry's shipped JS in place (scripts/build-js.sh: js/pkg-lite/lite.js, the
// bundle of js/lite.js, the modules it imports and the wasm-bindgen glue that
// scripts/bundle-lite.mjs writes), with terser (the root's devDependency): every page that buckets
// users downloads this file, and the lite entry's budget is 40 KB gzip with the wasm (issue 19).
// Local names are shortened and whitespace removed; exported names, property names, class names
// (`Experiment`) and every string (the errors' messages) stay as they are. The readable sources
// stay in js/ in the repository; the Node suites (tests/node/) run against the minified file.
// (esbuild's own minifier was measured on the same bundle: 6,945 B gzip against terser's 6,787.)
//
// Usage: node scripts/minify-js.mjs FILE...   (prints each file's gzip -9 bytes before and after)
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gzipSync } from 'node:zlib';
import { minify } from 'terser';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node scripts/minify-js.mjs FILE...');
  process.exit(2);
}
const gz = (text) => gzipSync(text, { level: 9 }).length;
for (const file of files) {
  const source = readFileSync(file, 'utf8');
  const { code } = await minify(source, {
    module: true,
    ecma: 2020,
    compress: { passes: 2 },
    mangle: true,
    keep_classnames: true,
    format: { comments: false },
  });
  if (!code) throw new Error(`terser returned nothing for ${file}`);
  writeFileSync(file, code);
  console.log(`[minify-js] ${basename(file)}: ${gz(source)} -> ${gz(code)} bytes gzip -9`);
}
