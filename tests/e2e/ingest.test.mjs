// Block 24 page: the whitelist (add, suspend, resume, remove), payload submission with
// JSON checks, the counts chart and the blocked attempts; and the demo's sources.
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

test('sources are managed, payloads accepted or blocked with reasons', async () => {
  const context = await newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/ingest`);
  // The policy's whitelist is listed from the start.
  await page.getByTestId('source-row').first().waitFor();

  await page.getByTestId('source-name').fill('  Open House ');
  await page.getByTestId('source-normalized').filter({ hasText: 'open house' }).waitFor();
  await page.getByTestId('source-add').click();
  await page.getByTestId('source-result').filter({ hasText: 'added' }).waitFor();
  const row = page.getByTestId('source-row').filter({ hasText: 'open house' });
  await row.waitFor();

  // Invalid JSON is refused before it is sent.
  await page.getByTestId('ingest-source').fill('Open House');
  await page.getByTestId('ingest-payload').fill('{"lead": ');
  await page.getByTestId('ingest-payload-error').filter({ hasText: 'not valid JSON' }).waitFor();
  await page.getByTestId('ingest-payload').fill('{"lead": "Ann", "value": 1}');
  await page.getByTestId('ingest-submit').click();
  await page.getByTestId('ingest-result').filter({ hasText: 'accepted' }).waitFor();
  assert.equal((await row.getByTestId('source-accepted').textContent()).trim(), '1');

  // Suspend: the next payload is blocked with the reason.
  await row.getByTestId('source-suspend').click();
  await row.getByTestId('source-resume').waitFor();
  await page.getByTestId('ingest-payload').fill('{"lead": "Bo"}');
  await page.getByTestId('ingest-submit').click();
  await page.getByTestId('ingest-result').filter({ hasText: 'blocked: source open house is suspended' }).waitFor();
  assert.equal((await row.getByTestId('source-blocked').textContent()).trim(), '1');
  await page.getByTestId('blocked-row').filter({ hasText: 'suspended' }).waitFor();

  // An unknown source is blocked too.
  await page.getByTestId('ingest-source').fill('craigslist');
  await page.getByTestId('ingest-submit').click();
  await page.getByTestId('ingest-result').filter({ hasText: 'not on the whitelist' }).waitFor();
  assert.equal(await page.getByTestId('blocked-row').count(), 2);
  assert.match(await page.getByTestId('blocked-row').first().textContent(), /craigslist/);

  // Resume, then remove.
  await row.getByTestId('source-resume').click();
  await row.getByTestId('source-suspend').waitFor();
  await row.getByTestId('source-remove').click();
  // Removing asks first, saying what will change.
  await page.getByTestId('confirm-dialog').filter({ hasText: 'taken off the whitelist' }).waitFor();
  await page.getByTestId('source-remove-confirm').click();
  await row.getByTestId('source-allow').waitFor();

  assert.ok((await chartDrawn(page, 'ingest-chart')) > 0, 'chart drawn');
  await screenshot(page, 'ingest-forms');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the demo shows zillow with three accepted and the blocked attempts', async () => {
  const context = await newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/ingest`);
  await page.getByTestId('load-demo').click();
  const zillow = page.getByTestId('source-row').filter({ hasText: 'zillow' });
  await zillow.getByTestId('source-accepted').filter({ hasText: '3' }).waitFor();
  assert.equal(await page.getByTestId('blocked-row').count(), 3);
  assert.match(await page.getByTestId('blocked-row').first().textContent(), /exceeds the limit/);
  const redfin = page.getByTestId('source-row').filter({ hasText: 'redfin' });
  await redfin.getByTestId('source-resume').waitFor();
  assert.ok((await chartDrawn(page, 'ingest-chart')) > 0);
  await page.getByTestId('ingest-chart').locator('svg rect').first().waitFor();
  await screenshot(page, 'ingest-demo');
  assert.deepEqual(errors, []);
  await context.close();
});
