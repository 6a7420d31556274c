// Block 22 page: register a script, evaluate it with counts until it moves up, see the
// status and its timeline; and the demo's scripts.
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

test('a script registers, is evaluated, and its timeline shows why it moved', async () => {
  const context = await newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/promotion`);
  await page.getByTestId('promo-empty').waitFor();

  await page.getByTestId('promo-script').fill('soft-close');
  await page.getByTestId('promo-body').fill('Hi {{name}}, shall we talk this week?');
  await page.getByTestId('promo-register').click();
  await page.getByTestId('promo-register-result').filter({ hasText: 'registered' }).waitFor();
  const row = page.getByTestId('promo-row').filter({ hasText: 'soft-close' });
  await row.waitFor();
  assert.match(await row.getByTestId('promo-status').textContent(), /Experimental/);

  // Bad counts are flagged, then the engine's thresholds apply: 3 qualifying evaluations, each
  // with at least 100 new trials (the same totals again would not count).
  await page.getByTestId('promo-trials').fill('100');
  await page.getByTestId('promo-conversions').fill('200');
  assert.match(await page.getByTestId('promo-conversions-error').textContent(), /exceed/);
  for (let i = 1; i <= 3; i++) {
    await page.getByTestId('promo-trials').fill(String(100 * i));
    await page.getByTestId('promo-conversions').fill(String(8 * i));
    await page.getByTestId('promo-evaluate').click();
    await page.getByTestId('promo-evaluate-result').filter({ hasText: 'soft-close' }).waitFor();
  }
  await page.getByTestId('promo-evaluate-result').filter({ hasText: 'Testing' }).waitFor();
  assert.match(await row.getByTestId('promo-status').textContent(), /Testing/);
  assert.match(await row.textContent(), /24\/300/);

  const entries = page.getByTestId('promo-timeline-entry');
  assert.equal(await entries.count(), 2);
  assert.match(await entries.nth(1).textContent(), /Testing/);
  assert.match(await entries.nth(1).textContent(), /evidence/);

  // A second save of the same id adds a version.
  await page.getByTestId('promo-script').fill('soft-close');
  await page.getByTestId('promo-body').fill('Hello {{name}}, is this week good?');
  await page.getByTestId('promo-register').click();
  await page.getByTestId('promo-register-result').filter({ hasText: 'new version' }).waitFor();
  assert.equal(await page.getByTestId('promo-version').count(), 2);

  // Retiring needs a reason.
  await page.getByTestId('promo-retire').click();
  await page.getByTestId('promo-evaluate-result').filter({ hasText: 'reason' }).waitFor();
  await page.getByTestId('promo-retire-reason').fill('replaced by a newer opener');
  await page.getByTestId('promo-retire').click();
  // Retiring asks first (it cannot be undone).
  await page.getByTestId('confirm-dialog').filter({ hasText: 'retired for good' }).waitFor();
  await page.getByTestId('promo-retire-confirm').click();
  await page.getByTestId('promo-evaluate-result').filter({ hasText: 'retired' }).waitFor();
  assert.match(await row.getByTestId('promo-status').textContent(), /Retired/);
  assert.match(await entries.last().textContent(), /replaced by a newer opener/);

  await screenshot(page, 'promotion-forms');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the demo shows warm-open as Primary with its history', async () => {
  const context = await newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/promotion`);
  await page.getByTestId('load-demo').click();
  await page.getByTestId('promo-row').first().waitFor();
  assert.equal(await page.getByTestId('promo-row').count(), 3);
  const warm = page.getByTestId('promo-row').filter({ hasText: 'warm-open' });
  assert.match(await warm.getByTestId('promo-status').textContent(), /Primary/);
  await warm.getByTestId('promo-timeline-row').click();
  await page.getByTestId('promo-timeline-entry').last().filter({ hasText: 'Primary' }).waitFor();
  // Evaluating from the row uses the A/B totals.
  await warm.getByTestId('promo-evaluate-row').click();
  await page.locator('.toast.ok').filter({ hasText: 'warm-open evaluated' }).waitFor();
  await screenshot(page, 'promotion-demo');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a script is evaluated on a performance score; an out-of-range score is refused', async () => {
  const context = await newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/promotion`);
  await page.getByTestId('promo-empty').waitFor();
  await page.getByTestId('promo-chart-empty').waitFor();
  await page.getByTestId('promo-script').fill('soft-close');
  await page.getByTestId('promo-body').fill('Hi {{name}}, shall we talk this week?');
  await page.getByTestId('promo-register').click();
  await page.getByTestId('promo-row').filter({ hasText: 'soft-close' }).waitFor();

  await page.getByTestId('promo-score').fill('1.5');
  await page.getByTestId('promo-evaluate').click();
  await page.getByTestId('promo-evaluate-result').filter({ hasText: 'must be within [0, 1]' }).waitFor();

  await page.getByTestId('promo-score').fill('0.87');
  await page.getByTestId('promo-evaluate').click();
  await page.getByTestId('promo-evaluate-result').filter({ hasText: 'soft-close' }).waitFor();
  assert.match(await page.getByTestId('promo-evaluate-result').getAttribute('class'), /ok/);
  // The evaluation is plotted at 0.87 against the thresholds.
  await page.getByTestId('promo-chart').locator('svg').first().waitFor();
  assert.match(await page.getByTestId('promo-chart').textContent(), /soft-close/);
  assert.deepEqual(errors, []);
  await context.close();
});
