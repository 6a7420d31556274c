// Console budget, measured (not asserted): one action in the browser with a state of about
// 10,000 audit entries. The state is built with the JS package (the demo, then aggregated
// counts), stored the way the console stores it (format 2: the command log in chunks of 256
// and a small head; no snapshot), and the console is timed from the reload to the first
// render with that state (replay of the log), then from the click on "Add source" to the
// result on screen (run, append to the last chunk, re-render).
// Usage: node tests/bench/console-actions.mjs [dist]
import { load } from '../node/js-pkg.mjs';
import { startServer } from '../serve.mjs';
import { launch } from '../e2e/browser.mjs';

const dist = process.argv[2] ?? 'dist';
const { Brain } = await load();
const start = new Date(Date.now() - 30 * 24 * 3600 * 1000);
const brain = Brain.demo(start);
let t = start.getTime() + 24 * 3600 * 1000;
const variants = ['warm-open', 'direct-ask', 'story-led'];
while (brain.toJSON().state.audit.entries.length < 10_000) {
  const batch = [];
  for (let i = 0; i < 500; i++) {
    t += 1000;
    batch.push({ at: new Date(t), block: 'ab', type: 'RecordCounts', experiment: 'opening-script', variant: variants[i % 3], trials: 10, conversions: 1 });
  }
  brain.executeAll(batch);
}
const full = brain.toJSON();
const entries = full.state.audit.entries.length;
const mb = (s) => `${(s.length / 1024 / 1024).toFixed(2)} MB`;
console.log(`state: ${entries} audit entries; full snapshot ${mb(JSON.stringify(full))}, state alone ${mb(JSON.stringify(full.state))}`);
// What the console stores: the commands (an empty origin), 256 to a chunk, and the head.
const CHUNK = 256;
function storedFormat(log) {
  const kv = { 'brain.console.head': JSON.stringify({ format: 2, epoch: 1, origin: false, revision: log.length, chunks: Math.ceil(log.length / CHUNK), writer: 'bench' }) };
  for (let n = 0; n * CHUNK < log.length; n++) kv[`brain.console.log.1.${n}`] = JSON.stringify(log.slice(n * CHUNK, (n + 1) * CHUNK));
  return kv;
}
const stored = storedFormat(full.log);
const storedChars = Object.values(stored).reduce((sum, v) => sum + v.length, 0);
console.log(`stored log: ${full.log.length} commands in ${Object.keys(stored).length - 1} chunks, ${mb('x'.repeat(storedChars))}; one chunk ${(stored['brain.console.log.1.0'].length / 1024).toFixed(0)} KB, head ${stored['brain.console.head'].length} B`);

const server = await startServer(dist, 0);
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await launch();
const context = await browser.newContext();
const page = await context.newPage();
await page.goto(`${base}/ingest`);
// Load: reload -> ingestion page rendered with the state (the log replayed), against the same
// page with the demo alone (what the page costs without a long log).
async function timeLoads(kv, n) {
  await page.evaluate((kv) => {
    localStorage.clear();
    for (const [k, v] of Object.entries(kv)) localStorage.setItem(k, v);
  }, kv);
  const loads = [];
  const replays = [];
  let progress = false;
  for (let i = 0; i < n; i++) {
    const t0 = Date.now();
    await page.reload();
    const shown = page.getByTestId('loading').waitFor({ timeout: 5_000 }).then(() => true, () => false);
    await page.getByTestId('source-row').first().waitFor({ timeout: 120_000 });
    loads.push(Date.now() - t0);
    // The console's own measure of the replay (performance.measure 'brain:replay').
    replays.push(await page.evaluate(() => performance.getEntriesByName('brain:replay').at(-1)?.duration ?? NaN));
    progress ||= await shown;
  }
  return { loads, replays, progress };
}
const demoLog = Brain.demo(start).toJSON().log;
const small = await timeLoads(storedFormat(demoLog), 4);
const big = await timeLoads(stored, 4);
const list = (xs) => xs.map((ms) => `${ms.toFixed(0)} ms`).join(', ');
console.log(`load with the demo alone (${demoLog.length} commands): reload -> page rendered ${list(small.loads)}; replay ${list(small.replays)}`);
console.log(`load with ${entries} audit entries (${full.log.length} commands): reload -> page rendered ${list(big.loads)}; replay ${list(big.replays)}; progress bar shown: ${big.progress ? 'yes' : 'no'}`);
const times = [];
for (let i = 0; i < 7; i++) {
  await page.getByTestId('source-name').fill(`bench source ${i}`);
  const ms = await page.evaluate(async (name) => {
    const t0 = performance.now();
    document.querySelector('[data-testid=source-add]').click();
    while (![...document.querySelectorAll('[data-testid=source-row]')].some((r) => r.textContent.includes(name))) {
      await new Promise((ok) => requestAnimationFrame(ok));
    }
    return performance.now() - t0;
  }, `bench source ${i}`);
  times.push(ms);
}
times.sort((a, b) => a - b);
console.log(`add a source with ${entries} audit entries (click -> row on screen, incl. saving): median ${times[3].toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times[6].toFixed(0)} ms (budget 50 ms)`);
await browser.close();
server.close();
