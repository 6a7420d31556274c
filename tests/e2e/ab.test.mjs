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
  // Deal values with the leads' pre-period estimates: every channel's lift is tested by CUPED.
  const means = page.getByTestId('ab-metric-row');
  await means.nth(2).waitFor();
  for (let i = 0; i < 3; i += 1) assert.equal((await means.nth(i).locator('td').last().textContent()).trim(), 'CUPED');
  await page.getByTestId('ab-experiment-select').selectOption('opening-script');
  await page.getByTestId('ab-row').filter({ hasText: 'warm-open' }).waitFor();
  assert.equal(await page.getByTestId('ab-row').count(), 3);
  assert.ok((await chartDrawn(page, 'ab-rate-chart')) > 0);
  assert.ok((await chartDrawn(page, 'ab-lift-chart')) > 0);
  await screenshot(page, 'ab-demo');
  assert.deepEqual(errors, []);
  await context.close();
});

test('an experiment through its lifecycle: created, started, counts and a metric, stopped (counts refused), concluded and audited', async () => {
  const context = await newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/ab`);
  await page.getByTestId('ab-empty').waitFor();

  await page.getByTestId('ab-create-id').fill('pricing-page');
  await page.getByTestId('ab-create').click();
  await page.getByTestId('ab-create-result').filter({ hasText: 'created in draft' }).waitFor();
  for (const v of ['list-price', 'discount']) {
    await page.getByTestId('ab-experiment').fill('pricing-page');
    await page.getByTestId('ab-variant').fill(v);
    await page.getByTestId('ab-add-variant').click();
    await page.getByTestId('ab-variant-result').filter({ hasText: `variant ${v} added` }).waitFor();
  }
  assert.equal((await page.getByTestId('ab-current-stage').textContent()).trim(), 'draft');
  await page.getByTestId('ab-start').click();
  await page.getByTestId('ab-current-stage').filter({ hasText: 'running' }).waitFor();

  for (const [variant, t, c] of [['list-price', '1000', '100'], ['discount', '1000', '170']]) {
    await page.getByTestId('ab-counts-variant').selectOption(variant);
    await page.getByTestId('ab-trials').fill(t);
    await page.getByTestId('ab-conversions').fill(c);
    await page.getByTestId('ab-record').click();
    await page.getByTestId('ab-counts-result').filter({ hasText: `for ${variant}` }).waitFor();
  }
  // Deal values: 4 units of 10, 12, 14, 16 (mean 13) and of 15, 17, 19, 21 (mean 18).
  for (const [variant, n, sum, sq] of [['list-price', '4', '52', '696'], ['discount', '4', '72', '1316']]) {
    await page.getByTestId('ab-metric-variant').selectOption(variant);
    await page.getByTestId('ab-metric-n').fill(n);
    await page.getByTestId('ab-metric-sum').fill(sum);
    await page.getByTestId('ab-metric-sum-squares').fill(sq);
    await page.getByTestId('ab-metric-record').click();
    await page.getByTestId('ab-metric-result').filter({ hasText: `for ${variant}` }).waitFor();
  }
  const metricRows = page.getByTestId('ab-metric-row');
  await metricRows.nth(1).waitFor();
  assert.match(await metricRows.nth(0).textContent(), /13\.00/);
  assert.match(await metricRows.nth(1).textContent(), /18\.00.*\+38\.5%/);
  // Significance sits on the row it is true of, and the winner is named.
  const rows = page.getByTestId('ab-row');
  assert.match(await rows.nth(1).getByTestId('ab-significance').textContent(), /yes: better/);
  assert.match(await page.getByTestId('ab-reason').textContent(), /^discount beats control/);
  assert.ok((await chartDrawn(page, 'ab-allocation-chart')) > 0, 'allocation chart drawn');
  assert.match(await page.getByTestId('ab-allocation-caption').textContent(), /discount \d+\.\d%/);
  await screenshot(page, 'ab-lifecycle');

  // Stopped (after a confirmation): counts are refused with the engine's message.
  await page.getByTestId('ab-stop').click();
  await page.getByTestId('ab-stop-confirm').click();
  await page.getByTestId('ab-current-stage').filter({ hasText: 'stopped' }).waitFor();
  await page.getByTestId('ab-trials').fill('10');
  await page.getByTestId('ab-conversions').fill('1');
  await page.getByTestId('ab-record').click();
  await page.getByTestId('ab-counts-result').filter({ hasText: 'experiment pricing-page is stopped; counts are recorded only while it is running' }).waitFor();

  // The next step after a winner: conclude, keeping it, with a reason.
  assert.match(await page.getByTestId('ab-next-step').textContent(), /discount won/);
  await page.getByTestId('ab-next-conclude').click();
  assert.equal(await page.getByTestId('ab-conclude-decision').inputValue(), 'discount');
  assert.ok(await page.getByTestId('ab-conclude-confirm').isDisabled(), 'a reason is required');
  await page.getByTestId('ab-conclude-reason').fill('discount converts 17% against 10%');
  await page.getByTestId('ab-conclude-confirm').click();
  await page.getByTestId('ab-current-stage').filter({ hasText: 'concluded' }).waitFor();
  assert.match(await page.getByTestId('ab-conclusion').textContent(), /kept discount/);
  assert.equal(await page.getByTestId('ab-next-step').count(), 0);

  await page.goto(`${BASE_URL}/audit`);
  await page.getByTestId('audit-subject').fill('experiment/pricing-page');
  await page.getByTestId('audit-row').filter({ hasText: 'concluded: keep discount (discount converts 17% against 10%)' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a pre-period covariate on control and a variant makes the metric test CUPED; a batch without one is refused', async () => {
  const context = await newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/ab`);
  await page.getByTestId('ab-empty').waitFor();
  for (const v of ['control', 'annual']) {
    await page.getByTestId('ab-experiment').fill('renewals');
    await page.getByTestId('ab-variant').fill(v);
    await page.getByTestId('ab-add-variant').click();
    await page.getByTestId('ab-variant-result').filter({ hasText: `variant ${v} added` }).waitFor();
  }
  // 100 customers each: renewal value (mean 10 and 11.5, sd 3) and the same customers' value
  // the year before (mean 8, sd 3, correlation 0.9).
  const fill = async (variant, n, sum, sq, cov) => {
    await page.getByTestId('ab-metric-variant').selectOption(variant);
    await page.getByTestId('ab-metric-n').fill(n);
    await page.getByTestId('ab-metric-sum').fill(sum);
    await page.getByTestId('ab-metric-sum-squares').fill(sq);
    if (cov) {
      const folded = page.getByTestId('ab-metric-covariate');
      if ((await folded.getAttribute('open')) === null) await folded.locator('summary').click();
      await page.getByTestId('ab-metric-cov-sum').fill(cov[0]);
      await page.getByTestId('ab-metric-cov-squares').fill(cov[1]);
      await page.getByTestId('ab-metric-cov-products').fill(cov[2]);
    }
    await page.getByTestId('ab-metric-record').click();
  };
  for (const [variant, sum, sq, products] of [['control', '1000', '10891', '8801.9'], ['annual', '1150', '14116', '10001.9']]) {
    await fill(variant, '100', sum, sq, ['800', '7291', products]);
    await page.getByTestId('ab-metric-result').filter({ hasText: `for ${variant}` }).waitFor();
  }
  const rows = page.getByTestId('ab-metric-row');
  await rows.nth(1).waitFor();
  for (let i = 0; i < 2; i += 1) assert.equal((await rows.nth(i).locator('td').last().textContent()).trim(), 'CUPED');
  assert.match(await rows.nth(1).textContent(), /11\.50.*\+15\.0%/);
  await screenshot(page, 'ab-cuped');

  // A later batch without the covariate would mix the two methods: the engine refuses it.
  await fill('control', '10', '100', '1090', null);
  await page.getByTestId('ab-metric-result').filter({ hasText: 'give one with every batch or with none' }).waitFor();
  assert.equal((await rows.nth(0).locator('td').nth(1).textContent()).trim(), '100', 'nothing was recorded');
  assert.deepEqual(errors, []);
  await context.close();
});
