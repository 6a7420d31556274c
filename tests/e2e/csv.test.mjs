// CSV import on the A/B page: a counts file with a bad row shows the preview and the row
// error (nothing applied), the fixed file applies as one batch after a confirm and is kept
// after a reload; a 100,000-row file is checked in slices with a progress bar and cancel; a
// 20,000-row file is applied in slices and kept after a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, openPage, storedLog } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function newContext() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route('**/favicon.ico', (route) => route.fulfill({ status: 204, body: '' }));
  return context;
}

const file = (text) => ({ name: 'counts.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });

test('a counts file: preview and row error, fixed, applied as one batch, kept after reload', async () => {
  const context = await newContext();
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/ab`);
  await page.getByTestId('ab-empty').waitFor();
  for (const v of ['control', 'bold']) {
    await page.getByTestId('ab-experiment').fill('headline');
    await page.getByTestId('ab-variant').fill(v);
    await page.getByTestId('ab-add-variant').click();
    await page.getByTestId('ab-variant-result').filter({ hasText: `variant ${v} added` }).waitFor();
  }
  const panel = page.getByTestId('csv-import-counts');
  const before = (await storedLog(page)).commands.length;

  await panel.getByTestId('csv-file').setInputFiles(file('experiment;variant;trials;conversions\r\nheadline;control;1200;130\r\nheadline;bold;1000;1600\r\n'));
  await panel.getByTestId('csv-plan').waitFor();
  assert.match(await panel.getByTestId('csv-detected').textContent(), /semicolon; header: yes/);
  assert.match(await panel.getByTestId('csv-preview').textContent(), /headline.*control.*1200/s);
  assert.match(await panel.getByTestId('csv-summary').textContent(), /2 rows → 1 commands/);
  assert.match(await panel.getByTestId('csv-errors').textContent(), /line 3, column conversions: invalid_count — conversions \(1600\) exceed trials \(1000\)/);
  assert.equal(await panel.getByTestId('csv-apply').count(), 0, 'no apply while a row is refused');
  assert.equal((await storedLog(page)).commands.length, before);

  await panel.getByTestId('csv-file').setInputFiles(file('experiment;variant;trials;conversions\r\nheadline;control;1200;130\r\nheadline;bold;1000;160\r\n'));
  await panel.getByTestId('csv-summary').filter({ hasText: '2 rows → 2 commands' }).waitFor();
  await panel.getByTestId('csv-apply').click();
  await panel.getByTestId('csv-confirm').click();
  await panel.getByTestId('csv-message').filter({ hasText: 'applied 2 commands' }).waitFor();
  await page.waitForFunction((n) => {
    const head = JSON.parse(localStorage.getItem('brain.console.head'));
    return head && head.revision >= n;
  }, before + 2);

  await page.reload();
  await page.getByTestId('ab-row').first().waitFor();
  const rows = await page.getByTestId('ab-row').allTextContents();
  assert.match(rows[0], /control/);
  assert.match(rows[0], /1[,.\u202f\u00a0 ]?200/);
  assert.match(rows[1], /160/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a 100,000-row file is checked in slices with a progress bar, and cancel changes nothing', async () => {
  const context = await newContext();
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/ab`);
  await page.getByTestId('ab-empty').waitFor();
  const lines = ['experiment,variant,trials,conversions'];
  for (let i = 0; i < 100_000; i++) lines.push(`x,v,10,${i % 10}`);
  const panel = page.getByTestId('csv-import-counts');
  await panel.getByTestId('csv-file').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
  const progress = panel.getByTestId('csv-progress');
  await progress.waitFor();
  assert.equal(await progress.getAttribute('max'), '100000');
  await panel.getByTestId('csv-cancel').click();
  await panel.getByTestId('csv-message').filter({ hasText: 'cancelled' }).waitFor();
  assert.equal(await panel.getByTestId('csv-plan').count(), 0);
  assert.equal(await page.evaluate(() => localStorage.getItem('brain.console.head')), null);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a 20,000-row file applies in slices as one batch and keeps every row after a reload', async () => {
  const context = await newContext();
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/ab`);
  await page.getByTestId('ab-empty').waitFor();
  await page.getByTestId('ab-experiment').fill('x');
  await page.getByTestId('ab-variant').fill('v');
  await page.getByTestId('ab-add-variant').click();
  await page.getByTestId('ab-variant-result').filter({ hasText: 'variant v added' }).waitFor();
  const revision = () => page.evaluate(() => JSON.parse(localStorage.getItem('brain.console.head'))?.revision ?? 0);
  await page.waitForFunction(() => JSON.parse(localStorage.getItem('brain.console.head'))?.revision >= 1);
  const before = await revision();
  const lines = ['experiment,variant,trials,conversions'];
  for (let i = 0; i < 20_000; i++) lines.push(`x,v,10,${i % 10}`);
  const panel = page.getByTestId('csv-import-counts');
  await panel.getByTestId('csv-file').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
  await panel.getByTestId('csv-summary').filter({ hasText: '20000 rows → 20000 commands' }).waitFor({ timeout: 120_000 });

  assert.equal(await revision(), before, 'nothing stored before the confirm');
  await panel.getByTestId('csv-apply').click();
  await panel.getByTestId('csv-confirm').click();
  const done = panel.getByTestId('csv-message').filter({ hasText: 'applied 20000 commands as one batch' });
  await done.waitFor({ timeout: 120_000 });
  console.log(`# browser apply of 20,000 rows: ${await done.textContent()}`);
  await page.waitForFunction((n) => JSON.parse(localStorage.getItem('brain.console.head'))?.revision >= n, before + 20_000, { timeout: 60_000 });
  await page.reload();
  await page.getByTestId('ab-row').first().filter({ hasText: /200[,.\u202f\u00a0 ]?000/ }).waitFor({ timeout: 60_000 });
  assert.deepEqual(errors, []);
  await context.close();
});
