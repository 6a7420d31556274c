// Staged rollouts: the demo's two rollouts (the churn predictor in Production, the lead scorer
// rolled back for latency) with stage, progress, criteria and checkpoints; pause and resume;
// abort behind the confirmation with a reason; evaluation.
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

const panel = (page, id) => page.locator(`[data-testid="rollout-panel"][data-rollout="${id}"]`);

test('an empty state says what to do', async () => {
  const context = await browser.newContext();
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/rollouts`);
  await page.getByTestId('rollouts-empty').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('the demo: one rollout in Production, one rolled back, controls with confirmation', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/rollouts`);
  await page.getByTestId('load-demo').click();
  const churn = panel(page, 'churn-1.1.0');
  await churn.waitFor();
  assert.match(await churn.getByTestId('rollout-stage').textContent(), /Stage 3 of 3: Production \(100% traffic\)/);
  assert.equal(await churn.getByTestId('checkpoint-row').count(), 2);
  assert.equal(await churn.getByTestId('criterion-row').count(), 4);
  await churn.getByTestId('criteria-chart').locator('svg').first().waitFor();
  assert.match(await churn.getByTestId('rollout-next').textContent(), /^hold: 1900 more samples/);

  const lead = panel(page, 'lead-scorer-1.3.0');
  assert.match(await lead.getByTestId('rollout-status').textContent(), /rolled_back/);
  assert.match(await lead.getByTestId('rollout-reason').textContent(), /latency_p95 <= 500 breached: 740 \(by 240\)/);
  assert.equal(await lead.getByTestId('rollout-evaluate').count(), 0, 'no controls once rolled back');

  // Pause, then resume.
  await churn.getByTestId('rollout-pause').click();
  await churn.getByTestId('rollout-resume').waitFor();
  assert.match(await churn.getByTestId('rollout-status').textContent(), /paused/);
  assert.ok(await churn.getByTestId('rollout-evaluate').isDisabled());
  await churn.getByTestId('rollout-resume').click();
  await churn.getByTestId('rollout-pause').waitFor();

  // Evaluate: still short of its samples, so it holds.
  await churn.getByTestId('rollout-evaluate').click();
  await page.locator('[data-testid="toast"]', { hasText: 'rollout evaluated' }).first().waitFor();
  assert.match(await churn.getByTestId('rollout-status').textContent(), /running/);

  // Abort: a confirmation that needs a reason; cancel changes nothing.
  await churn.getByTestId('rollout-abort').click();
  await churn.getByTestId('abort-confirm-box').waitFor();
  assert.ok(await churn.getByTestId('abort-confirm').isDisabled());
  await churn.getByTestId('abort-cancel').click();
  assert.match(await churn.getByTestId('rollout-status').textContent(), /running/);
  await churn.getByTestId('rollout-abort').click();
  await churn.getByTestId('abort-reason').fill('support tickets up');
  await churn.getByTestId('abort-confirm').click();
  await churn.getByTestId('rollout-status').filter({ hasText: 'aborted' }).waitFor();
  assert.match(await churn.getByTestId('rollout-reason').textContent(), /support tickets up/);
  await screenshot(page, 'rollouts-demo');

  // The model returned to its previous champion.
  await page.goto(`${BASE_URL}/models`);
  const champion = page.locator('[data-model="churn-predictor"] [data-testid="model-champion"]');
  await champion.waitFor();
  assert.equal((await champion.textContent()).trim(), '1.0.0');
  assert.deepEqual(errors, []);
  await context.close();
});

test('forms: start a rollout, breach a criterion, see the rollback; deploy to an environment; override with a reason', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/models`);
  await page.getByTestId('model-id').fill('scorer');
  await page.getByTestId('model-name').fill('Scorer');
  await page.getByTestId('register-model').click();
  for (const [version, accuracy] of [['1.0.0', '0.9'], ['1.1.0', '0.91']]) {
    await page.getByTestId('update-version').fill(version);
    await page.getByTestId('update-accuracy').fill(accuracy);
    await page.getByTestId('propose-update').click();
    await page.locator(`[data-testid="version-row"][data-version="${version}"]`).waitFor();
  }

  // Start a rollout of 1.1.0 (picked from the lists) with the quick preset.
  await page.goto(`${BASE_URL}/rollouts`);
  const start = page.getByTestId('start-rollout-form');
  assert.equal(await start.getByTestId('start-rollout-version').inputValue(), '1.1.0');
  await start.getByTestId('start-rollout-preset').selectOption('quick');
  assert.match(await start.getByTestId('start-rollout-stages').inputValue(), /^Pilot 10% 30 200\nProduction 100% 0 0$/);
  await start.getByTestId('start-rollout').click();
  const rollout = page.getByTestId('rollout-panel');
  await rollout.waitFor();
  assert.match(await rollout.getByTestId('rollout-stage').textContent(), /Stage 1 of 2: Pilot \(10% traffic\)/);

  // Record metrics that breach the error-rate criterion, evaluate: rolled back, by how much.
  const metrics = page.getByTestId('rollout-metrics-form');
  await metrics.getByTestId('rollout-metrics-samples').fill('100');
  await metrics.getByTestId('rollout-metrics-errors').fill('200');
  assert.match(await metrics.getByTestId('rollout-metrics-error').textContent(), /errors \(200\) exceed samples \(100\)/);
  await metrics.getByTestId('rollout-metrics-errors').fill('20');
  await metrics.getByTestId('rollout-metrics-accuracy').fill('0.9');
  await metrics.getByTestId('rollout-metrics-submit').click();
  await metrics.getByTestId('rollout-metrics-result').filter({ hasText: '100 samples recorded' }).waitFor();
  await rollout.getByTestId('rollout-evaluate').click();
  await rollout.getByTestId('rollout-status').filter({ hasText: 'rolled_back' }).waitFor();
  assert.match(await rollout.getByTestId('rollout-reason').textContent(), /error rate <= 0\.05 breached: 0\.2 \(by 0\.15\)/);

  // Models page: deploy 1.0.0 to staging with an actor and a reason.
  await page.goto(`${BASE_URL}/models`);
  const actions = page.getByTestId('model-actions');
  await actions.getByTestId('action-version').selectOption('1.0.0');
  await actions.getByTestId('environment-name').selectOption('staging');
  await actions.getByTestId('environment-actor').fill('release-bot');
  await actions.getByTestId('environment-reason').fill('nightly release');
  await actions.getByTestId('environment-submit').click();
  await actions.getByTestId('environment-result').filter({ hasText: 'deployed to staging by release-bot' }).waitFor();
  assert.match(await page.locator('[data-testid="model-environments"] [data-environment="staging"]').textContent(), /1\.0\.0/);
  assert.match(await page.locator('[data-testid="deployment-row"][data-environment="staging"]').textContent(), /release-bot.*nightly release/);

  // Override: 1.1.0 failed its rollout, so even an override is refused.
  await actions.getByTestId('action-version').selectOption('1.1.0');
  await actions.getByTestId('override-reason').fill('ship it anyway');
  await actions.getByTestId('override').click();
  await actions.getByTestId('override-confirm').click();
  await actions.getByTestId('override-result').filter({ hasText: 'failed rollout' }).waitFor();

  // A new challenger without evidence: the confirmation lists what the override bypasses.
  await page.getByTestId('update-version').fill('1.2.0');
  await page.getByTestId('update-accuracy').fill('0.92');
  await page.getByTestId('propose-update').click();
  await page.locator('[data-testid="version-row"][data-version="1.2.0"]').waitFor();
  await actions.getByTestId('action-version').selectOption('1.2.0');
  await actions.getByTestId('override-reason').fill('regulator-mandated feature set');
  await actions.getByTestId('override').click();
  assert.match(await actions.getByTestId('override-bypassed').textContent(), /no evidence recorded/);
  await actions.getByTestId('override-confirm').click();
  await actions.getByTestId('override-result').filter({ hasText: 'champion by override' }).waitFor();
  assert.equal((await page.getByTestId('model-champion').textContent()).trim(), '1.2.0');

  // Audited as an override, with its reason.
  await page.goto(`${BASE_URL}/audit`);
  await page.getByTestId('audit-action').selectOption('OverridePromotion');
  const entry = page.getByTestId('audit-row').filter({ hasText: 'override: promoted 1.2.0: regulator-mandated feature set' });
  await entry.waitFor();
  await screenshot(page, 'rollouts-forms');
  assert.deepEqual(errors, []);
  await context.close();
});
