// Policy page: edit a field, see the difference, preview it on the history (what-if), apply it
// with a reason, reload and find the policy kept with its history row; the seed form.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, loadDemo, openPage, ready, screenshot, storedLog } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('edit, preview, apply with a reason, reload: the policy is kept', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await loadDemo(page);
  await ready(page, '/policy');
  const minAccuracy = page.getByTestId('policy-gates-min_accuracy');
  assert.equal(await minAccuracy.inputValue(), '0.85');
  await page.getByTestId('policy-no-diff').waitFor();
  assert.ok(await page.getByTestId('policy-apply').isDisabled());

  // A value out of range: the engine's message, no difference, nothing to apply.
  await minAccuracy.fill('1.5');
  assert.match(await page.getByTestId('policy-error').textContent(), /min_accuracy/);
  assert.ok(await page.getByTestId('policy-preview').isDisabled());

  // A valid edit: its difference, then a preview over the demo's history.
  await minAccuracy.fill('0.99');
  assert.equal((await page.getByTestId('policy-error').textContent()).trim(), '');
  const diff = page.getByTestId('policy-diff-row');
  assert.equal(await diff.count(), 1);
  assert.match(await diff.textContent(), /gates\.min_accuracy.*0\.85 → 0\.99/);
  await page.getByTestId('policy-preview').click();
  await page.getByTestId('whatif-results').waitFor();
  const kinds = await page.locator('[data-testid="whatif-count-row"]').evaluateAll((rows) =>
    rows.map((r) => r.dataset.kind));
  assert.ok(kinds.includes('gate decision'), JSON.stringify(kinds));

  // Apply needs a reason.
  assert.ok(await page.getByTestId('policy-apply').isDisabled());
  await page.getByTestId('policy-reason').fill('fewer weak clones ship');
  await page.getByTestId('policy-apply').click();
  await page.getByTestId('policy-no-diff').waitFor();
  const { commands } = await storedLog(page);
  const last = commands[commands.length - 1];
  assert.equal(last.type, 'SetPolicy');
  assert.deepEqual(last.policy, { gates: { min_accuracy: 0.99 } });
  assert.equal(last.reason, 'fewer weak clones ship');

  // Reload: the policy in force and its history row are kept.
  await page.reload();
  await page.getByTestId('page-title').waitFor();
  assert.equal(await page.getByTestId('policy-gates-min_accuracy').inputValue(), '0.99');
  const row = page.getByTestId('policy-history-row').first();
  assert.match(await row.getByTestId('policy-history-reason').textContent(), /fewer weak clones ship/);
  assert.match(await row.textContent(), /0\.85 → 0\.99/);
  await screenshot(page, 'policy');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the seed form sets the seed kept in state', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await ready(page, '/policy');
  await page.getByTestId('policy-history-empty').waitFor();
  await page.getByTestId('seed-value').fill('-3');
  assert.ok(await page.getByTestId('seed-set').isDisabled());
  await page.getByTestId('seed-value').fill('42');
  await page.getByTestId('seed-set').click();
  await page.getByTestId('seed-current').filter({ hasText: '42' }).waitFor();
  await page.reload();
  await page.getByTestId('seed-current').filter({ hasText: '42' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
