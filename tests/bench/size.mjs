// Where the bytes of a built wasm go: each function's code is given to a category by its name
// (serde's JSON reading and writing, the JS bindings, the console's UI, the engine, std and the
// rest), and each category's code is gzipped on its own. A size benchmark, not a test: it says
// which part a size budget has to come out of, and what is left when a part is set to zero.
//
// Usage (after `bash scripts/build-js.sh`, and `trunk build --release --offline` for the console):
//   node tests/bench/size.mjs            # the JS package's engine (target/.../release-js/brain_core.wasm)
//   node tests/bench/size.mjs lite       # the lite entry (target/lite-nightly/.../release/brain_core.wasm)
//   node tests/bench/size.mjs console    # the console (target/.../release/brain-web.wasm)
// (CARGO_TARGET_DIR is honoured; SIZE_TOP=N lists the N largest functions.)
//
// The input is cargo's release artifact, which has a name section; it is run through the same
// wasm-bindgen and `wasm-opt -Oz` as the shipped file, with `-g` so the names survive. The
// optimised code is within a few hundred bytes of the shipped file's (names are a custom section).
// Inlining moves code into its caller, so a category is the code of the functions that carry its
// names: an estimate good to a few per cent, not an exact split.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const ROOT = new URL('../..', import.meta.url).pathname;
const which = process.argv[2] ?? 'package';
// [cargo profile, artifact, wasm-opt level] as scripts/build-js.sh and Trunk build them.
const target = {
  package: ['release-js', 'brain_core.wasm', '-O3'],
  lite: ['release', 'brain_core.wasm', '-Os --converge --strip-producers --strip-target-features'],
  console: ['release', 'brain-web.wasm', '-Oz'],
}[which];
if (!target) {
  console.error(`unknown target ${which}: package, lite or console`);
  process.exit(2);
}
const [profile, artifact, level] = target;
// The lite wasm is built in its own target directory (nightly, -Zbuild-std: scripts/build-js.sh).
const targetDir = join(process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target'), which === 'lite' ? 'lite-nightly' : '');
const input = join(targetDir, 'wasm32-unknown-unknown', profile, artifact);

// First match wins: serde code is named after the engine's types, so it comes before the engine.
const CATEGORIES = [
  ['serde: reading JSON', /Deserialize|deserialize|visit_|Visitor|serde_json::(de|value::de|read|lexical)|serde_json..(de|read)/],
  ['serde: writing JSON', /Serialize|serialize|collect_seq|collect_map|serde_json::ser|serde_json..ser/],
  ['JS bindings', /wasm_bindgen|js_sys|web_sys|shim|externref|__wbg|__wbindgen/],
  ['UI: Leptos, pages, charts', /leptos|tachys|reactive_graph|reactive_stores|brain_web|chartistry|any_spawner|throw_error|or_poisoned|gloo|send_wrapper/],
  ['engine: brain-core logic', /brain_core/],
];
const REST = 'std, alloc, chrono, statrs, sha2, ...';

const env = { ...process.env, PATH: `${process.env.HOME}/.cargo/bin:${ROOT}/node_modules/.bin:${process.env.PATH}` };
const dir = mkdtempSync(join(tmpdir(), 'brain-size-'));
let wasm;
try {
  execFileSync('wasm-bindgen', ['--target', 'web', '--out-dir', dir, '--out-name', 'm', input], { env, stdio: 'inherit' });
  const opt = join(dir, 'opt.wasm');
  execFileSync('wasm-opt', [...level.split(' '), '-g', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
    '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue', join(dir, 'm_bg.wasm'), '-o', opt], { env, stdio: 'inherit' });
  wasm = readFileSync(opt);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function leb(buf, i) {
  let r = 0;
  let s = 0;
  for (;;) {
    const x = buf[i++];
    r += (x & 0x7f) * 2 ** s;
    s += 7;
    if (x < 0x80) return [r, i];
  }
}

// Sections: imports (to number the functions), code (the bodies), data, and the name section.
let imported = 0;
const bodies = [];
const names = new Map();
let data = Buffer.alloc(0);
let i = 8;
while (i < wasm.length) {
  const id = wasm[i++];
  let len;
  [len, i] = leb(wasm, i);
  const end = i + len;
  if (id === 2) {
    let [n, j] = leb(wasm, i);
    for (let k = 0; k < n; k++) {
      let l;
      [l, j] = leb(wasm, j); j += l; // module
      [l, j] = leb(wasm, j); j += l; // field
      const kind = wasm[j++];
      if (kind === 0) { [, j] = leb(wasm, j); imported++; }
      else if (kind === 1) { j += 1; const flags = wasm[j++]; [, j] = leb(wasm, j); if (flags & 1) [, j] = leb(wasm, j); }
      else if (kind === 2) { const flags = wasm[j++]; [, j] = leb(wasm, j); if (flags & 1) [, j] = leb(wasm, j); }
      else if (kind === 3) j += 2;
    }
  } else if (id === 10) {
    let [n, j] = leb(wasm, i);
    for (let k = 0; k < n; k++) {
      let l;
      [l, j] = leb(wasm, j);
      bodies.push(wasm.subarray(j, j + l));
      j += l;
    }
  } else if (id === 11) {
    data = wasm.subarray(i, end);
  } else if (id === 0) {
    let [l, j] = leb(wasm, i);
    const name = wasm.subarray(j, j + l).toString();
    j += l;
    if (name === 'name') {
      while (j < end) {
        const sub = wasm[j++];
        let sl;
        [sl, j] = leb(wasm, j);
        const subEnd = j + sl;
        if (sub === 1) {
          let [n, k] = leb(wasm, j);
          for (let c = 0; c < n; c++) {
            let idx;
            let nl;
            [idx, k] = leb(wasm, k);
            [nl, k] = leb(wasm, k);
            names.set(idx, wasm.subarray(k, k + nl).toString());
            k += nl;
          }
        }
        j = subEnd;
      }
    }
  }
  i = end;
}
if (names.size === 0) {
  console.error(`${input} has no name section: build it with the release profile's defaults (no strip)`);
  process.exit(1);
}

const parts = new Map([...CATEGORIES.map(([c]) => [c, []]), [REST, []]]);
bodies.forEach((body, k) => {
  const name = names.get(imported + k) ?? '';
  const hit = CATEGORIES.find(([, re]) => re.test(name));
  parts.get(hit ? hit[0] : REST).push(body);
});

const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const allCode = Buffer.concat(bodies);
const rows = [...parts].map(([name, list]) => {
  const code = Buffer.concat(list);
  return { part: name, functions: list.length, raw: code.length, gzip: gz(code) };
});
rows.push({ part: 'data (strings, tables)', functions: 0, raw: data.length, gzip: gz(data) });
const shipped = gz(wasm.subarray(0, wasm.length)); // with the name section: an upper bound
const result = {
  target: which,
  functions: bodies.length,
  codeRaw: allCode.length,
  codeGzip: gz(allCode),
  dataGzip: gz(data),
  withNamesGzip: shipped,
  parts: rows,
};
for (const r of rows) {
  console.error(`${r.part.padEnd(36)} ${String(r.functions).padStart(6)} fns ${kb(r.raw).padStart(10)} raw ${kb(r.gzip).padStart(9)} gzip`);
}
console.error(`${'all code'.padEnd(36)} ${String(bodies.length).padStart(6)} fns ${kb(allCode.length).padStart(10)} raw ${kb(gz(allCode)).padStart(9)} gzip`);
// SIZE_TOP=N also lists the N largest functions (raw bytes of code) on stderr.
const top = Number(process.env.SIZE_TOP ?? 0);
if (top > 0) {
  const all = bodies.map((body, k) => ({ name: names.get(imported + k) ?? '', raw: body.length }));
  all.sort((a, b) => b.raw - a.raw);
  for (const f of all.slice(0, top)) console.error(`${String(f.raw).padStart(8)}  ${f.name.slice(0, 150)}`);
}
console.log(JSON.stringify(result, null, 2));
