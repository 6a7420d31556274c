// The package in headless Chromium: js/ served on 127.0.0.1 by tests/serve.mjs, a page imports
// index.js, awaits init() (and Brain.ready() for the engine) and calls a few functions; the
// results are compared with Node's. A page importing only lite.js, or using only assignment and
// statistics from index.js, fetches no engine: the requests the browser made are checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../serve.mjs';
import { load, ROOT } from './js-pkg.mjs';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const bc = await load(); // builds js/pkg when missing

test('the package loads in headless Chromium with init() and gives the same answers as in Node', { skip: !existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM}` }, async () => {
  const server = await startServer(join(ROOT, 'js'), 0);
  const port = server.address().port;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // The README's browser example (js/example.html) renders its results.
    await page.goto(`http://127.0.0.1:${port}/example.html`);
    await page.waitForFunction(() => document.body.textContent.includes('"demo"'), null, { timeout: 60_000 });
    const shown = JSON.parse(await page.textContent('body'));
    assert.equal(shown.demo, 'pass');
    assert.deepEqual(shown.assignment, JSON.parse(JSON.stringify(bc.assign({ key: 'hero-banner', variations: 2 }, 'user-42'))));
    // A fresh document, so that the resources it fetched are this import's only.
    await page.goto(`http://127.0.0.1:${port}/package.json`);
    const got = await page.evaluate(async (base) => {
      const m = await import(`${base}/index.js`);
      await m.default();
      const engineFetched = () => performance.getEntriesByType('resource').some((r) => /\/pkg\/brain_core/.test(r.name));
      const beforeReady = engineFetched();
      await m.Brain.ready();
      const exp = new m.Experiment({ key: 'pricing', seed: 's', hashVersion: 2, variations: 3, weights: [0.2, 0.3, 0.5] });
      const ids = Array.from({ length: 1000 }, (_, i) => `user-${i}`);
      let error;
      try {
        m.assign({ key: 'k', variations: NaN }, 'u');
      } catch (e) {
        error = { code: e.code, isError: e instanceof Error };
      }
      const brain = m.Brain.demo('2026-03-02T09:00:00Z');
      return {
        hash: m.gbHash('seed', 'user-1', 2),
        ranges: m.bucketRanges(3, 0.8, [0.2, 0.3, 0.5]),
        one: exp.assign('user-7'),
        many: Array.from(exp.assignMany(ids)),
        z: m.proportionZTest({ n: 1000, conversions: 100 }, { n: 1000, conversions: 130 }),
        error,
        verify: brain.verify().status,
        stateHash: brain.stateHash(),
        beforeReady,
        afterReady: engineFetched(),
      };
    }, `http://127.0.0.1:${port}`);
    assert.deepEqual(errors, []);
    const exp = new bc.Experiment({ key: 'pricing', seed: 's', hashVersion: 2, variations: 3, weights: [0.2, 0.3, 0.5] });
    const ids = Array.from({ length: 1000 }, (_, i) => `user-${i}`);
    assert.equal(got.hash, bc.gbHash('seed', 'user-1', 2));
    assert.deepEqual(got.ranges, bc.bucketRanges(3, 0.8, [0.2, 0.3, 0.5]));
    assert.deepEqual(got.one, { ...exp.assign('user-7') });
    assert.deepEqual(got.many, Array.from(exp.assignMany(ids)));
    assert.deepEqual(got.z, bc.proportionZTest({ n: 1000, conversions: 100 }, { n: 1000, conversions: 130 }));
    assert.deepEqual(got.error, { code: 'invalid_input', isError: true });
    assert.equal(got.verify, 'pass');
    assert.equal(got.stateHash, bc.Brain.demo('2026-03-02T09:00:00Z').stateHash());
    // Assignment and statistics from index.js fetched no engine; Brain.ready() did.
    assert.deepEqual([got.beforeReady, got.afterReady], [false, true]);
    exp.free();

    // The lite example page: its requests (every one the browser made) hold no engine file.
    const lite = await browser.newPage();
    const requests = [];
    lite.on('request', (r) => requests.push(new URL(r.url()).pathname));
    lite.on('pageerror', (e) => errors.push(String(e)));
    await lite.goto(`http://127.0.0.1:${port}/example-lite.html`);
    await lite.waitForFunction(() => document.body.textContent.includes('"lift"'), null, { timeout: 60_000 });
    const liteShown = JSON.parse(await lite.textContent('body'));
    assert.deepEqual(errors, []);
    assert.deepEqual(liteShown.assignment, JSON.parse(JSON.stringify(bc.assign({ key: 'hero-banner', variations: 2 }, 'user-42'))));
    assert.deepEqual(liteShown.lift, bc.liftTTest({ n: 1000, conversions: 100 }, { n: 1000, conversions: 130 }));
    // The page fetched the lite entry's bundle and its wasm, and nothing else: no engine file, no
    // source module (the bundle holds them).
    assert.deepEqual(requests.filter((p) => p !== '/example-lite.html' && p !== '/favicon.ico').sort(),
      ['/pkg-lite/brain_core_lite_bg.wasm', '/pkg-lite/lite.js']);
  } finally {
    await browser.close();
    server.close();
  }
});
