// Block 30, verification: run the suite, see every check with its status and details and the
// overall status, export the report as JSON; the demo verifies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { BASE_URL, launch, openPage, screenshot } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('the demo state verifies; the report exports as JSON; a change makes it stale', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/verify`);
  await page.getByTestId('verify-empty').waitFor();
  assert.ok(await page.getByTestId('export-verify').isDisabled());
  await page.getByTestId('load-demo').click();
  await page.getByTestId('run-verify').click();
  await page.getByTestId('verify-report').waitFor();
  assert.equal(await page.getByTestId('check-row').count(), 26);
  const overall = (await page.getByTestId('verify-overall').textContent()).trim();
  assert.ok(['pass', 'warn'].includes(overall), `overall ${overall}`);
  assert.equal(await page.locator('[data-testid="check-row"][data-status="fail"]').count(), 0);
  const chain = page.locator('[data-testid="check-row"][data-check="audit_chain_intact"]');
  assert.equal(await chain.getAttribute('data-status'), 'pass');
  assert.match(await chain.locator('td').nth(2).textContent(), /entries chained/);
  assert.match(await page.getByTestId('verify-summary').textContent(), /26 checks/);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-verify').click(),
  ]);
  assert.equal(download.suggestedFilename(), 'verification-report.json');
  const report = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.equal(report.checks.length, 26);
  assert.equal(report.status, overall);
  await screenshot(page, 'verify-demo');

  // The state changes (the demo is loaded again, at another time): the report is stale.
  await page.getByTestId('load-demo').click();
  await page.getByTestId('demo-confirm').click();
  await page.getByTestId('verify-stale').waitFor();
  await page.getByTestId('run-verify').click();
  await page.getByTestId('verify-stale').waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a month after the demo, undecided versions and unacknowledged alerts are warnings with their words', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/verify`);
  await page.getByTestId('load-demo').click();
  await page.getByTestId('run-verify').click();
  await page.getByTestId('verify-report').waitFor();
  const row = (name) => page.locator(`[data-testid="check-row"][data-check="${name}"]`);
  assert.equal(await row('evaluations_not_pending').getAttribute('data-status'), 'pass');

  // The console's clock a month ahead (`?now=`): one action then moves the engine's "now".
  const later = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString();
  await page.goto(`${BASE_URL}/audit?now=${later}`);
  await page.getByTestId('log-subject').fill('model/churn-predictor');
  await page.getByTestId('log-action').fill('review');
  await page.getByTestId('log-submit').click();
  await page.getByTestId('log-result').filter({ hasText: 'recorded in the trail' }).waitFor();

  await page.goto(`${BASE_URL}/verify?now=${later}`);
  await page.getByTestId('run-verify').click();
  await row('evaluations_not_pending').and(page.locator('[data-status="warn"]')).waitFor();
  assert.equal(await page.locator('[data-testid="check-row"][data-status="fail"]').count(), 0, 'warnings, not failures');
  assert.equal((await page.getByTestId('verify-overall').textContent()).trim(), 'warn');
  const pending = row('evaluations_not_pending');
  assert.equal(await pending.getAttribute('data-status'), 'warn');
  const words = await pending.locator('td').nth(2).textContent();
  assert.match(words, /model lead-scorer version 2\.0\.0 has been shadow for \d+ hours \(limit 336\): promote or retire it/);
  assert.match(words, /model churn-predictor version 1\.1\.1 has been challenger/);
  const alerts = row('alerts_acknowledged');
  assert.equal(await alerts.getAttribute('data-status'), 'warn');
  assert.match(await alerts.locator('td').nth(2).textContent(), /has waited \d+ hours for acknowledgement \(limit 72\)/);
  await screenshot(page, 'verify-warnings');
  assert.deepEqual(errors, []);
  await context.close();
});
