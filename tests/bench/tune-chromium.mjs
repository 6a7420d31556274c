// Policy tuning in headless Chromium: issue 17's budget is 100 candidates over a 10,000-command
// history in at most 5 s in Chromium. Serves the repository, opens a blank page from it, imports
// the JS package (js/index.js, the engine through `Brain.ready()`), grows the demo with
// tune-history.mjs, then times `brain.tunePolicy(spec)` and the same search through
// `brain.policyTuner(spec)` in slices of 2,000 commands, with performance.now() in the page.
// Usage: node tests/bench/tune-chromium.mjs   (after scripts/build-js.sh; CANDIDATES=n to change)
import { fileURLToPath } from 'node:url';
import { startServer } from '../serve.mjs';
import { launch } from '../e2e/browser.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const candidates = Number(process.env.CANDIDATES ?? 100);
const server = await startServer(root, 0);
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await launch();
try {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${base}/tests/bench/blank.html`);
  const r = await page.evaluate(async (n) => {
    const { Brain } = await import('/js/index.js');
    const { grow, spec } = await import('/tests/bench/tune-history.mjs');
    await Brain.ready();
    const brain = Brain.demo('2026-03-02T09:00:00Z');
    grow(brain);
    const s = spec(n);
    let t = performance.now();
    const ranking = brain.tunePolicy(s);
    const whole = performance.now() - t;
    t = performance.now();
    const tuner = brain.policyTuner(s);
    let slices = 0;
    let longest = 0;
    for (;;) {
      const t0 = performance.now();
      const p = tuner.step(2_000);
      longest = Math.max(longest, performance.now() - t0);
      slices++;
      if (p.done) break;
    }
    const stepped = performance.now() - t;
    return {
      position: brain.position,
      whole,
      stepped,
      slices,
      longest,
      best: ranking.candidates[0].settings.map((x) => x.value),
    };
  }, candidates);
  console.log(`chromium: history ${r.position} commands`);
  console.log(`chromium: tunePolicy, ${candidates} candidates: ${(r.whole / 1000).toFixed(2)} s (budget 5 s; best ${JSON.stringify(r.best)})`);
  console.log(`chromium: policyTuner in ${r.slices} slices of 2,000 commands: ${(r.stepped / 1000).toFixed(2)} s, longest slice ${r.longest.toFixed(1)} ms`);
} finally {
  await browser.close();
  server.close();
}
