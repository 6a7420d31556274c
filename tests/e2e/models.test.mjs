// Block 26, safe model updates: register a model, propose versions (accepted, refused with its
// reason, shadow), a promotion refused for want of evidence, evidence recorded, promote, roll
// back behind the page's confirmation, the accuracy chart, and the demo's lineage.
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

async function propose(page, version, strategy, accuracy) {
  await page.getByTestId('update-version').fill(version);
  await page.getByTestId('update-strategy').selectOption(strategy);
  await page.getByTestId('update-accuracy').fill(accuracy);
  await page.getByTestId('propose-update').click();
}

function row(page, version) {
  return page.locator(`[data-testid="version-row"][data-version="${version}"]`);
}

test('register, update, refuse, promote and roll back a model', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/models`);
  await page.getByTestId('models-empty').waitFor();

  // Validation while typing.
  await page.getByTestId('model-id').fill('x');
  await page.getByTestId('model-id').fill('');
  assert.match(await page.getByTestId('model-id-error').textContent(), /required/);
  await page.getByTestId('update-version').fill('1.2');
  assert.match(await page.getByTestId('update-version-error').textContent(), /semantic version/);
  await page.getByTestId('update-accuracy').fill('1.5');
  assert.match(await page.getByTestId('update-accuracy-error').textContent(), /between 0 and 1/);

  await page.getByTestId('model-id').fill('scorer');
  await page.getByTestId('model-name').fill('Scorer');
  await page.getByTestId('register-model').click();
  await page.getByTestId('model-panel').waitFor();

  // Duplicate registration: the core's error next to the form.
  await page.getByTestId('model-id').fill('scorer');
  await page.getByTestId('model-name').fill('Again');
  await page.getByTestId('register-model').click();
  assert.match(await page.getByTestId('register-model-error').textContent(), /already registered/);

  await propose(page, '1.0.0', 'full_retrain', '0.9');
  await row(page, '1.0.0').waitFor();
  assert.equal(await row(page, '1.0.0').getAttribute('data-status'), 'champion');
  await propose(page, '1.1.0', 'incremental', '0.91');
  await row(page, '1.1.0').waitFor();
  assert.equal(await row(page, '1.1.0').getAttribute('data-status'), 'challenger');
  // Refused: loses more than 0.02 against the champion.
  await propose(page, '1.2.0', 'incremental', '0.5');
  await row(page, '1.2.0').waitFor();
  assert.equal(await row(page, '1.2.0').getAttribute('data-status'), 'refused');
  assert.match(await row(page, '1.2.0').getByTestId('version-reason').textContent(), /below champion/);
  assert.match(await page.getByTestId('update-result').textContent(), /refused/);
  // Shadow: accepted whatever its accuracy.
  await propose(page, '2.0.0', 'shadow', '0.7');
  await row(page, '2.0.0').waitFor();
  assert.equal(await row(page, '2.0.0').getAttribute('data-status'), 'shadow');

  // Promotion needs evidence against the champion: without it, refused with every reason.
  const evidence = page.getByTestId('model-evidence');
  assert.match(await evidence.getByTestId('evidence-reasons').textContent(), /no evidence recorded against champion 1\.0\.0/);
  await row(page, '1.1.0').getByTestId('promote').click();
  await page.getByTestId('promote-confirm').click();
  assert.equal(await row(page, '1.1.0').getAttribute('data-status'), 'challenger');
  assert.match(await row(page, '1.1.0').getByTestId('version-reason').textContent(), /fewer than the 1000 required/);
  // One window of both arms over the same leads: 80% against 85% on 1,000 each.
  await page.getByTestId('evidence-champion-correct').fill('800');
  await page.getByTestId('evidence-champion-total').fill('1000');
  await page.getByTestId('evidence-challenger-correct').fill('850');
  await page.getByTestId('evidence-challenger-total').fill('1000');
  await page.getByTestId('evidence-submit').click();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="evidence-lines"] [data-line="verdict"]')?.textContent === 'promote');
  assert.match(await evidence.locator('[data-line="samples"]').textContent(), /1000 champion \/ 1000 challenger \(minimum 1000 each\)/);
  assert.match(await evidence.locator('[data-line="lift"]').textContent(), /^6\.25%/);

  // Promote the challenger.
  await row(page, '1.1.0').getByTestId('promote').click();
  await page.getByTestId('promote-confirm').click();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="version-row"][data-version="1.1.0"]')?.dataset.status === 'champion');
  assert.equal((await page.getByTestId('model-champion').textContent()).trim(), '1.1.0');

  // Roll back: a confirmation step, the reason required.
  await page.getByTestId('rollback').click();
  await page.getByTestId('rollback-confirm-box').waitFor();
  assert.ok(await page.getByTestId('rollback-confirm').isDisabled());
  await page.getByTestId('rollback-cancel').click();
  assert.equal(await page.getByTestId('rollback-confirm-box').count(), 0);
  await page.getByTestId('rollback').click();
  await page.getByTestId('rollback-reason').fill('bad week');
  await page.getByTestId('rollback-confirm').click();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="model-champion"]')?.textContent.trim() === '1.0.0');
  assert.match(await row(page, '1.1.0').getByTestId('version-reason').textContent(), /bad week/);

  // The chart: an svg with the line.
  const line = page.getByTestId('accuracy-chart').locator('svg g._chartistry_line > path');
  await line.first().waitFor({ state: 'attached' });
  assert.match(await line.first().getAttribute('d'), /^M/);
  await screenshot(page, 'models-workflow');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the demo shows the lead scorer lineage with its refusal', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/models`);
  await page.getByTestId('load-demo').click();
  await page.locator('[data-model="lead-scorer"]').waitFor();
  // Five versions of the lead scorer and three of the churn predictor (its staged rollout, then
  // a patch numbered by a bump).
  assert.equal(await page.getByTestId('version-row').count(), 8);
  assert.equal(await row(page, '1.2.0').getAttribute('data-status'), 'refused');
  assert.match(await row(page, '1.2.0').getByTestId('version-reason').textContent(), /below champion/);
  assert.equal(await row(page, '2.0.0').getAttribute('data-status'), 'shadow');
  assert.equal(await row(page, '1.3.0').getAttribute('data-status'), 'challenger');
  // The churn predictor's patch is held on its latency, tested by Welch on the means.
  const churn = page.locator('[data-model="churn-predictor"]');
  assert.equal(await churn.locator('[data-testid="version-row"][data-version="1.1.1"]').getAttribute('data-status'), 'challenger');
  const lines = churn.getByTestId('evidence-lines');
  assert.equal((await lines.locator('[data-line="means"]').textContent()).trim(), 'latency_ms: 212.0000 → 209.0000 (lower is better; Welch t-test)');
  assert.equal((await lines.locator('[data-line="verdict"]').textContent()).trim(), 'hold');
  assert.match(await churn.getByTestId('evidence-reasons').textContent(), /relative improvement 1\.42% of latency_ms is below the required 2%/);
  assert.equal((await page.locator('[data-model="lead-scorer"] [data-testid="model-champion"]').textContent()).trim(), '1.0.0');
  await page.getByTestId('accuracy-chart').locator('svg g._chartistry_line > path').first().waitFor({ state: 'attached' });
  await screenshot(page, 'models-demo');
  assert.deepEqual(errors, []);
  await context.close();
});
