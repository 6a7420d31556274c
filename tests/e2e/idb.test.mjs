// A history too long for localStorage moves to IndexedDB (issue 13, item 4): a 200,000-row CSV
// applied as one batch becomes 200,000 commands; their full chunks go to IndexedDB instead of
// being compacted away, a reload reads them back and replays in slices with progress, and the
// next action still appends to the same history.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, openPage } from './browser.mjs';

const ROWS = 200_000;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const head = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('brain.console.head')));

/** Keys of the chunks in IndexedDB, and the characters localStorage holds. */
const stored = (page) =>
  page.evaluate(async () => {
    const db = await new Promise((ok, fail) => {
      const r = indexedDB.open('brain.console');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const keys = await new Promise((ok, fail) => {
      const r = db.transaction('chunks').objectStore('chunks').getAllKeys();
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    db.close();
    const local = Object.keys(localStorage).reduce((n, k) => n + k.length + localStorage.getItem(k).length, 0);
    return { keys, local };
  });

async function auditCount(page) {
  const card = page.getByTestId('block-card').filter({ hasText: 'audit entries' });
  return Number((await card.locator('.figure').textContent()).replace(/\D/g, ''));
}

test('a 200,000-command history moves to IndexedDB, replays with progress after a reload, and grows', async () => {
  const started = Date.now();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route('**/favicon.ico', (route) => route.fulfill({ status: 204, body: '' }));
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/ab`);
  await page.getByTestId('ab-empty').waitFor();
  for (const v of ['control', 'bold']) {
    await page.getByTestId('ab-experiment').fill('headline');
    await page.getByTestId('ab-variant').fill(v);
    await page.getByTestId('ab-add-variant').click();
    await page.getByTestId('ab-variant-result').filter({ hasText: `variant ${v} added` }).waitFor();
  }
  const before = (await head(page)).revision;
  const lines = ['experiment,variant,trials,conversions'];
  for (let i = 0; i < ROWS; i++) lines.push(`headline,${i % 2 ? 'bold' : 'control'},${100 + i},${i % 50}`);
  const panel = page.getByTestId('csv-import-counts');
  await panel.getByTestId('csv-file').setInputFiles({ name: 'long.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
  const planning = Date.now();
  await panel.getByTestId('csv-apply').waitFor({ timeout: 120_000 });
  console.log(`# ${ROWS} rows planned in ${Date.now() - planning} ms`);
  await panel.getByTestId('csv-apply').click();
  // Clicked from a task of its own: the batch runs in the click handler, longer than a click waits.
  await page.evaluate(() => setTimeout(() => document.querySelector('[data-testid=csv-confirm]').click(), 0));
  const applying = Date.now();
  await panel.getByTestId('csv-message').filter({ hasText: `applied ${ROWS} commands` }).waitFor({ timeout: 300_000 });
  console.log(`# ${ROWS} commands applied in ${Date.now() - applying} ms`);
  const total = before + ROWS;
  await page.waitForFunction((n) => JSON.parse(localStorage.getItem('brain.console.head'))?.revision === n, total, { timeout: 300_000, polling: 1000 });
  const moved = await head(page);
  assert.ok(moved.cold > 0, `the full chunks moved to IndexedDB: ${JSON.stringify(moved)}`);
  assert.equal(moved.cold, Math.floor(total / 256), 'every full chunk moved, only the last one stays');
  const { keys, local } = await stored(page);
  assert.equal(keys.filter((k) => k.startsWith(`brain.console.log.${moved.epoch}.`)).length, moved.cold);
  assert.ok(local < 1_000_000, `localStorage keeps only the head and the last chunk (${local} characters)`);
  assert.equal(await page.getByTestId('notice-compacted').count(), 0, 'nothing was compacted away');
  console.log(`# ${total} commands stored: ${moved.cold} chunks in IndexedDB, ${local} characters in localStorage (${Date.now() - started} ms so far)`);

  // Loading the page again reads the chunks back and replays them in slices, showing progress.
  const reloaded = Date.now();
  await page.goto(`${BASE_URL}/`);
  const loading = page.getByTestId('loading');
  await loading.waitFor({ timeout: 30_000 });
  assert.equal(await loading.locator('progress').getAttribute('max'), String(total));
  await loading.waitFor({ state: 'detached', timeout: 180_000 });
  console.log(`# reload: ${total} commands read and replayed in ${Date.now() - reloaded} ms`);
  await page.getByTestId('block-card').first().waitFor({ timeout: 60_000 });
  assert.equal(await auditCount(page), total, 'every command is back');

  // The next action appends to the same history: one command, in localStorage.
  // Within the page (a navigation would load it all again).
  await page.locator('#nav-body a[href="/ab"]').click();
  await page.getByTestId('ab-experiment').fill('headline');
  await page.getByTestId('ab-variant').fill('italic');
  await page.getByTestId('ab-add-variant').click();
  await page.getByTestId('ab-variant-result').filter({ hasText: 'variant italic added' }).waitFor({ timeout: 60_000 });
  await page.waitForFunction((n) => JSON.parse(localStorage.getItem('brain.console.head'))?.revision === n, total + 1);
  const grown = await head(page);
  assert.equal(grown.epoch, moved.epoch, 'the same history, not a new generation');
  assert.equal(grown.cold, moved.cold);
  assert.deepEqual(errors, []);
  console.log(`# idb e2e: ${Date.now() - started} ms`);
  await context.close();
});
