// Policy tuning on the Policy page: a long search shows its progress and stops on Cancel; a grid
// over one field completes with a ranking and a chart; applying the best candidate with a reason
// records a SetPolicy, and after a reload the policy in force is the tuned one. Also the
// pre-registration form.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, loadDemo, openPage, ready, storedLog } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('a tuning run with progress and cancel, then a completed run applied and kept', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await loadDemo(page);
  await ready(page, '/policy');

  // A long random search: progress shows, Cancel stops it with no ranking.
  await page.getByTestId('tune-search').selectOption('random');
  await page.getByTestId('tune-candidates').fill('3000');
  await page.getByTestId('tune-values-0').fill('1:10:1');
  await page.getByTestId('tune-run').click();
  const bar = page.getByTestId('tune-progress');
  await bar.waitFor();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="tune-progress"]')?.value) > 0);
  await page.getByTestId('tune-cancel').click();
  await page.getByTestId('tune-running').waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('tune-results').count(), 0);

  // A grid over promotion.consecutive completes: ranking, chart, apply.
  await page.getByTestId('tune-search').selectOption('grid');
  await page.getByTestId('tune-values-0').fill('1:4:1');
  await page.getByTestId('tune-run').click();
  await page.getByTestId('tune-results').waitFor();
  assert.equal(await page.getByTestId('tune-row').count(), 4);
  await page.getByTestId('tune-chart').locator('svg').first().waitFor();
  const settings = await page.getByTestId('tune-settings').first().textContent();
  const value = Number(settings.match(/promotion\.consecutive = (\d+)/)[1]);
  assert.ok(await page.getByTestId('tune-apply').first().isDisabled(), 'a reason comes first');
  await page.getByTestId('tune-reason').fill('tuned: fewest reversed promotions');
  await page.getByTestId('tune-apply').first().click();
  const { commands } = await storedLog(page);
  const last = commands[commands.length - 1];
  assert.equal(last.type, 'SetPolicy');
  assert.deepEqual(last.policy, { promotion: { consecutive: value } });
  assert.equal(last.reason, 'tuned: fewest reversed promotions');

  await page.reload();
  await page.getByTestId('page-title').waitFor();
  assert.equal(await page.getByTestId('policy-promotion-consecutive').inputValue(), String(value));
  assert.match(await page.getByTestId('policy-history-reason').first().textContent(), /tuned: fewest reversed promotions/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a decision rule is pre-registered and listed with its hash', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await ready(page, '/policy');
  await page.getByTestId('prereg-experiment').fill('subject-line');
  await page.getByTestId('prereg-min-hours').fill('x');
  assert.ok(await page.getByTestId('prereg-submit').isDisabled());
  await page.getByTestId('prereg-min-hours').fill('48');
  await page.getByTestId('prereg-submit').click();
  const row = page.getByTestId('prereg-row');
  await row.waitFor();
  assert.match(await row.textContent(), /subject-line.*≥ 48 h/);
  const { commands } = await storedLog(page);
  assert.equal(commands[commands.length - 1].type, 'RegisterRule');
  assert.deepEqual(errors, []);
  await context.close();
});
