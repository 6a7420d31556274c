// Block 25 page: series and outcomes through the forms, the trend chart, an alert raised,
// acknowledged and resolved, and the live drift panel; and the demo's regression.
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

test('outcomes below the baseline raise an alert that is acknowledged and resolved', async () => {
  const context = await newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/outcomes`);
  await page.getByTestId('series-empty').waitFor();

  await page.getByTestId('series-id').fill('close/warm');
  // A missing metric is reported before anything is sent.
  await page.getByTestId('series-define').click();
  await page.getByTestId('series-result').filter({ hasText: 'metric is required' }).waitFor();
  await page.getByTestId('series-metric').fill('close_rate');
  await page.getByTestId('series-baseline').fill('0.5');
  await page.getByTestId('series-define').click();
  await page.getByTestId('series-result').filter({ hasText: 'defined' }).waitFor();
  await page.getByTestId('series-row').first().waitFor();

  // The moving average needs a full window (7 outcomes by default) before it is compared.
  const values = [0.52, 0.51, 0.3, 0.3, 0.3, 0.3, 0.3];
  for (const [i, v] of values.entries()) {
    await page.getByTestId('outcome-id').fill(`w${i + 1}`);
    await page.getByTestId('outcome-value').fill(String(v));
    await page.getByTestId('outcome-record').click();
    await page.getByTestId('outcome-result').filter({ hasText: /recorded/ }).waitFor();
  }
  // A duplicate id shows the engine's error.
  await page.getByTestId('outcome-id').fill('w1');
  await page.getByTestId('outcome-value').fill('0.5');
  await page.getByTestId('outcome-record').click();
  await page.getByTestId('outcome-result').filter({ hasText: 'already recorded' }).waitFor();

  assert.ok((await chartDrawn(page, 'trend-chart')) > 0, 'trend chart drawn');
  const alert = page.getByTestId('alert-row').first();
  await alert.waitFor();
  assert.match(await alert.getByTestId('alert-status').textContent(), /open/);
  await alert.getByTestId('alert-ack').click();
  await page.getByTestId('alert-row').first().getByTestId('alert-status').filter({ hasText: 'acknowledged' }).waitFor();
  await page.getByTestId('alert-row').first().getByTestId('alert-resolve').click();
  await page.getByTestId('alert-result').filter({ hasText: 'note' }).waitFor();
  await page.getByTestId('alert-note').fill('new pricing explained the dip');
  await page.getByTestId('alert-row').first().getByTestId('alert-resolve').click();
  await page.getByTestId('alert-result').filter({ hasText: 'alert resolved' }).waitFor();
  await page.getByTestId('alert-row').first().getByTestId('alert-status').filter({ hasText: 'resolved' }).waitFor();

  // The baseline moves: the form shows the current one and refuses an empty value.
  await page.getByTestId('baseline-current').filter({ hasText: 'Current baseline: 0.5' }).waitFor();
  await page.getByTestId('baseline-set').click();
  await page.getByTestId('baseline-result').filter({ hasText: 'baseline is required' }).waitFor();
  await page.getByTestId('baseline-value').fill('0.35');
  await page.getByTestId('baseline-set').click();
  await page.getByTestId('baseline-result').filter({ hasText: 'baseline of close/warm set to 0.35' }).waitFor();
  await page.getByTestId('baseline-current').filter({ hasText: 'Current baseline: 0.35' }).waitFor();

  // Drift, live.
  await page.getByTestId('drift-reference').fill('1 2 3 4 5 6 7 8 9 10');
  await page.getByTestId('drift-current').fill('1 2 x');
  await page.getByTestId('drift-error').filter({ hasText: 'not a number' }).waitFor();
  await page.getByTestId('drift-current').fill('11, 12, 13, 14, 15, 16, 17, 18, 19, 20');
  await page.getByTestId('drift-ks').filter({ hasText: '1.0000' }).waitFor();
  assert.match(await page.getByTestId('drift-result').textContent(), /significant/);
  await page.getByTestId('drift-record').click();
  await page.getByTestId('drift-record-result').filter({ hasText: 'drift recorded on close/warm' }).waitFor();
  await page.getByTestId('alert-row').filter({ hasText: 'drift' }).first().waitFor();

  await screenshot(page, 'outcomes-forms');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the demo shows the story-led regression on the chart and in the alerts', async () => {
  const context = await newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/outcomes`);
  await page.getByTestId('load-demo').click();
  await page.getByTestId('series-row').first().waitFor();
  // Two close rates and the lead scorer's error rate (watched by the scheduled checks).
  assert.equal(await page.getByTestId('series-row').count(), 3);
  await page.getByTestId('series-select').selectOption('close_rate/story-led');
  assert.ok((await chartDrawn(page, 'trend-chart')) > 0);
  const regression = page.getByTestId('alert-row').filter({ hasText: 'regression' }).first();
  await regression.waitFor();
  assert.match(await regression.textContent(), /story-led/);
  await screenshot(page, 'outcomes-demo');
  assert.deepEqual(errors, []);
  await context.close();
});
