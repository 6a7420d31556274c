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
