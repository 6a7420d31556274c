// Console budgets, measured (not asserted): first render of the overview from a local server in
// headless Chromium, and the gzip size of the built wasm and JS in dist/.
// Usage: node tests/bench/console.mjs [dist] (serves dist/ itself on a free port)
import { readdir, readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { startServer } from '../serve.mjs';
import { launch } from '../e2e/browser.mjs';

const dist = process.argv[2] ?? 'dist';
let wasm = 0;
let js = 0;
for (const f of await readdir(dist)) {
  const body = await readFile(join(dist, f));
  const gz = gzipSync(body, { level: 9 }).length;
  if (f.endsWith('.wasm')) wasm += gz;
  if (f.endsWith('.js')) js += gz;
}
console.log(`bundle gzip -9: wasm ${(wasm / 1024).toFixed(1)} KB + js ${(js / 1024).toFixed(1)} KB = ${((wasm + js) / 1024).toFixed(1)} KB (budget 400 KB)`);

const server = await startServer(dist, 0);
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await launch();
const times = [];
for (let i = 0; i < 7; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await page.getByTestId('page-title').waitFor();
  // Time from navigation start to the title in the DOM, read in the page.
  times.push(await page.evaluate(() => performance.now()));
  await context.close();
}
times.sort((a, b) => a - b);
console.log(`first render (navigation start -> overview title), 7 cold contexts: median ${times[3].toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times[6].toFixed(0)} ms (budget 1000 ms)`);
await browser.close();
server.close();
