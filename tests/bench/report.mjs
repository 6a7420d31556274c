// The size and speed report printed in CI's output (scripts/test.sh, a step that never fails):
// what a page downloads for each way of using brain, gzip -9 of the files as shipped (not
// minified), next to GrowthBook's SDK; and the JS engine figures at 10,000 commands
// (tests/bench/engine.mjs). A report, not a test: every change shows what it costs.
// Usage: node tests/bench/report.mjs [dist]   (after bash scripts/build-js.sh; the console's
// line needs dist/ from trunk build --release; BENCH_ENGINE=0 skips the engine figures)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from '../node/js-pkg.mjs';

const JS = join(ROOT, 'js');
const dist = resolve(ROOT, process.argv[2] ?? 'dist');

/** Every file under `dir` whose name matches `re`. */
function files(dir, re) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile() && re.test(f));
}

/** `{ files, raw, gzip }` of a set of files, each gzipped on its own (as a server sends them). */
function measure(list) {
  let raw = 0;
  let gzip = 0;
  for (const f of list) {
    const buf = readFileSync(f);
    raw += buf.length;
    gzip += gzipSync(buf, { level: 9 }).length;
  }
  return { files: list.map((f) => relative(ROOT, f)), raw, gzip };
}

// pkg-lite/ holds the wasm and the lite entry's one bundle, lite.js (scripts/bundle-lite.mjs).
const liteFiles = files(join(JS, 'pkg-lite'), /\.(js|wasm)$/);
const rows = {
  // import ... from '@brain/core/lite'
  liteEntry: measure(liteFiles),
  // import ... from '@brain/core', assignment and statistics only (the engine not loaded)
  packageAtImport: measure([join(JS, 'index.js'), join(JS, 'engine.js'), join(JS, 'route-fast.js'), join(JS, 'hash-fast.js'), ...liteFiles]),
  // what the first Brain.ready() adds
  engineOnReady: measure(files(join(JS, 'pkg'), /\.(js|wasm)$/)),
  // the console (dist/): its wasm, JS and CSS
  console: measure(files(dist, /\.(js|wasm|css)$/)),
  // GrowthBook's SDK, minified ESM bundle, for comparison
  growthbookSdk: measure(files(join(ROOT, 'node_modules', '@growthbook', 'growthbook', 'dist', 'bundles'), /esm\.min\.js$/)),
};
rows.packageWithEngine = {
  files: [...rows.packageAtImport.files, ...rows.engineOnReady.files],
  raw: rows.packageAtImport.raw + rows.engineOnReady.raw,
  gzip: rows.packageAtImport.gzip + rows.engineOnReady.gzip,
};

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
// KB = 1024 B; the gzip bytes are printed too, for budgets written in thousands of bytes.
console.log('== size: what a page downloads (gzip -9 per file, as shipped; KB = 1024 B) ==');
for (const [name, r] of Object.entries(rows)) {
  const note = r.files.length === 0 ? '  (not built)' : '';
  console.log(`${name.padEnd(20)} ${kb(r.gzip).padStart(10)} gzip (${r.gzip.toLocaleString('en-US').padStart(9)} B) ${kb(r.raw).padStart(10)} raw  ${String(r.files.length).padStart(3)} files${note}`);
}

let engine = null;
if (process.env.BENCH_ENGINE !== '0') {
  try {
    const out = execFileSync(process.execPath, [join(ROOT, 'tests', 'bench', 'engine.mjs')], { encoding: 'utf8', env: { ...process.env, BENCH_ROUNDS: process.env.BENCH_ROUNDS ?? '3' } });
    engine = JSON.parse(out);
    console.log(`== speed: the engine from JS at ${engine.commands} commands (best of ${engine.rounds}) ==`);
    for (const k of ['executeAllMs', 'usPerCommand', 'verifyMs', 'fromJSONMs', 'whatIfMs', 'toJSONMs', 'runDueChecksMs', 'snapshotMB']) {
      console.log(`${k.padEnd(20)} ${String(engine[k]).padStart(10)}`);
    }
  } catch (e) {
    console.log(`engine figures not measured: ${e.message.split('\n')[0]}`);
  }
}
let tuning = null;
if (process.env.BENCH_TUNE !== '0') {
  try {
    const out = execFileSync(process.execPath, [join(ROOT, 'tests', 'bench', 'tune-chromium.mjs')], { encoding: 'utf8' });
    console.log('== speed: policy tuning in headless Chromium (100 candidates, 10,000 commands) ==');
    process.stdout.write(out);
    tuning = Number(/tunePolicy, \d+ candidates: ([\d.]+) s/.exec(out)?.[1] ?? NaN);
  } catch (e) {
    console.log(`tuning in Chromium not measured: ${e.message.split('\n')[0]}`);
  }
}
console.log(JSON.stringify({ size: Object.fromEntries(Object.entries(rows).map(([k, r]) => [k, { gzip: r.gzip, raw: r.raw }])), engine, tuningSeconds: tuning }));
