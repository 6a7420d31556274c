// A chart on every block page that had none (issue 14): promotion, packets, gates, audit,
// verification and what-if each draw theirs with the demo loaded, with a caption, and save a
// screenshot; numeric tick labels read at the precision of their values (issue 20 item 7).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, loadDemo, openPage, screenshot } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Waits for the chart under `testid` and returns how many marks (paths, rects) it drew. */
async function marks(page, testid) {
  const chart = page.getByTestId(testid);
  await chart.locator('svg').first().waitFor({ timeout: 10_000 });
  return chart.locator('svg path, svg rect').count();
}

/** The numeric tick labels of the chart's axes, as drawn. */
async function numericTicks(page, testid) {
  const texts = await page.getByTestId(testid).locator('svg text').allTextContents();
  return texts.map((t) => t.trim()).filter((t) => /^-?\d+(\.\d+)?$/.test(t)).map(Number);
}

test('every block page that had no chart draws one for the demo', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route('**/favicon.ico', (route) => route.fulfill({ status: 204, body: '' }));
  const { page, errors } = await openPage(context);
  await loadDemo(page);

  for (const [path, chart, caption, shot] of [
    ['/promotion', 'promo-chart', /Primary at or above/, 'chart-promotion'],
    ['/packets', 'packets-chart', /deal value in thousands/, 'chart-packets'],
    ['/gates', 'gates-chart', /every gate passes/, 'chart-gates'],
    ['/audit', 'audit-chart', /refused actions/, 'chart-audit'],
  ]) {
    await page.goto(`${BASE_URL}${path}`);
    assert.ok((await marks(page, chart)) > 0, `${chart} drawn`);
    assert.match(await page.getByTestId(chart).textContent(), caption);
    await page.getByTestId(chart).scrollIntoViewIfNeeded();
    await screenshot(page, shot);
  }

  // The gates' pass rates run from 0 to 1: quarter ticks read 0.25 and 0.75, so the labels
  // step evenly (rounded to one decimal they read 0, 0.2, 0.5, 0.8, 1).
  await page.goto(`${BASE_URL}/gates`);
  await marks(page, 'gates-chart');
  const ticks = (await numericTicks(page, 'gates-chart')).filter((t) => t <= 1).sort((a, b) => a - b);
  const unique = [...new Set(ticks)];
  assert.ok(unique.length >= 3, `ticks ${unique}`);
  const steps = unique.slice(1).map((t, i) => t - unique[i]);
  assert.ok(steps.every((s) => Math.abs(s - steps[0]) < 1e-9), `evenly spaced ticks: ${unique}`);

  // Verification: the runs over the log's history, the last one the live report.
  await page.goto(`${BASE_URL}/verify`);
  await page.getByTestId('run-verify').click();
  await page.getByTestId('verify-report').waitFor();
  assert.ok((await marks(page, 'verify-chart')) > 0, 'verify chart drawn');
  assert.match(await page.getByTestId('verify-chart').textContent(), /after \d+/);
  await page.getByTestId('verify-chart').scrollIntoViewIfNeeded();
  await screenshot(page, 'chart-verify');

  // What-if: the changed decisions by kind.
  await page.goto(`${BASE_URL}/what-if`);
  await page.getByTestId('wi-ingest-sources').fill('zillow, realtor, redfin, mls, referral, craigslist');
  await page.getByTestId('run-whatif').click();
  await page.getByTestId('whatif-results').waitFor();
  assert.ok((await marks(page, 'whatif-chart')) > 0, 'what-if chart drawn');
  assert.match(await page.getByTestId('whatif-chart').textContent(), /ingestion/);
  await page.getByTestId('whatif-chart').scrollIntoViewIfNeeded();
  await screenshot(page, 'chart-whatif');

  assert.deepEqual(errors, []);
  await context.close();
});
