// Block 21 page: variants and counts through the forms, the statistics table with the
// winner, both charts, the sample-size planner, and the demo's experiments.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, openPage, screenshot } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// The console has no favicon; Chromium's request for one would log a 404 console error.
async function newContext(options = {}) {
  const context = await browser.newContext(options);
  await context.route('**/favicon.ico', (route) => route.fulfill({ status: 204, body: '' }));
  return context;
}

async function chartDrawn(page, testid) {
  const chart = page.getByTestId(testid);
  await chart.locator('svg').first().waitFor({ timeout: 10_000 });
  return chart.locator('svg path, svg rect').count();
}

test('variants and counts make a table, a winner and two charts', async () => {
  const context = await newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/ab`);
  await page.getByTestId('ab-empty').waitFor();

  // Validation while typing.
  await page.getByTestId('ab-weight').fill('0');
  assert.match(await page.getByTestId('ab-weight-error').textContent(), /above 0/);
  await page.getByTestId('ab-weight').fill('1');

  for (const v of ['control', 'bold']) {
    await page.getByTestId('ab-experiment').fill('headline');
    await page.getByTestId('ab-variant').fill(v);
    await page.getByTestId('ab-add-variant').click();
    await page.getByTestId('ab-variant-result').filter({ hasText: `variant ${v} added` }).waitFor();
  }
  // A duplicate shows the engine's error next to the form.
  await page.getByTestId('ab-experiment').fill('headline');
  await page.getByTestId('ab-variant').fill('bold');
  await page.getByTestId('ab-add-variant').click();
  await page.getByTestId('ab-variant-result').filter({ hasText: 'already exists' }).waitFor();

  assert.equal(await page.getByTestId('ab-row').count(), 2);

  // Conversions above trials are flagged while typing.
  await page.getByTestId('ab-trials').fill('10');
  await page.getByTestId('ab-conversions').fill('11');
  assert.match(await page.getByTestId('ab-conversions-error').textContent(), /exceed/);

  const batches = [
    ['control', '1000', '100'],
    ['bold', '1000', '160'],
    ['control', '1000', '100'],
    ['bold', '1000', '170'],
  ];
  for (const [variant, t, c] of batches) {
    await page.getByTestId('ab-counts-variant').selectOption(variant);
    await page.getByTestId('ab-trials').fill(t);
    await page.getByTestId('ab-conversions').fill(c);
    await page.getByTestId('ab-record').click();
    await page.getByTestId('ab-counts-result').filter({ hasText: `for ${variant}` }).waitFor();
  }
  const rows = page.getByTestId('ab-row');
  await rows.filter({ hasText: '2000' }).first().waitFor();
  assert.match(await rows.nth(0).textContent(), /control/);
  assert.match(await rows.nth(0).textContent(), /10\.00%/);
  assert.match(await rows.nth(1).textContent(), /16\.50%/);
  assert.match(await rows.nth(1).textContent(), /\+65\.0%/);
  assert.equal((await page.getByTestId('ab-winner').textContent()).trim(), 'bold');
  assert.match(await page.getByTestId('ab-srm').textContent(), /ok/);

  assert.ok((await chartDrawn(page, 'ab-rate-chart')) > 0, 'rate chart drawn');
  assert.ok((await chartDrawn(page, 'ab-lift-chart')) > 0, 'lift chart drawn');

  // Planner: the default inputs give a plan; a bad one gives the error.
  await page.getByTestId('plan-per-arm').waitFor();
  const perArm = Number(await page.getByTestId('plan-per-arm').textContent());
  assert.ok(perArm > 1000 && perArm < 10000, `per arm ${perArm}`);
  assert.equal(Number(await page.getByTestId('plan-total').textContent()), perArm * 2);
  await page.getByTestId('plan-daily').fill('100');
  assert.equal(Number(await page.getByTestId('plan-days').textContent()), Math.ceil((perArm * 2) / 100));
  await page.getByTestId('plan-baseline').fill('1.5');
  await page.getByTestId('plan-error').waitFor();
  await page.getByTestId('plan-baseline').fill('0.1');

  await screenshot(page, 'ab-forms');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the demo shows both experiments with their winners', async () => {
  const context = await newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/ab`);
  await page.getByTestId('load-demo').click();
  await page.getByTestId('ab-row').first().waitFor();
  await page.getByTestId('ab-experiment-select').selectOption('contact-channel');
  await page.getByTestId('ab-row').filter({ hasText: 'sms' }).waitFor();
  assert.equal(await page.getByTestId('ab-row').count(), 3);
  assert.equal((await page.getByTestId('ab-winner').textContent()).trim(), 'sms');
  await page.getByTestId('ab-experiment-select').selectOption('opening-script');
  await page.getByTestId('ab-row').filter({ hasText: 'warm-open' }).waitFor();
  assert.equal(await page.getByTestId('ab-row').count(), 3);
  assert.ok((await chartDrawn(page, 'ab-rate-chart')) > 0);
  assert.ok((await chartDrawn(page, 'ab-lift-chart')) > 0);
  await screenshot(page, 'ab-demo');
  assert.deepEqual(errors, []);
  await context.close();
});
