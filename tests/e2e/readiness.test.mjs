// Block 27, clone readiness: sliders and number fields drive the live score (no command),
// the contribution chart, explanation and gap; recording an assessment fills the clones
// table; the demo's clones show.
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

test('live score, validation, contribution chart and recording an assessment', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/readiness`);
  await page.getByTestId('clones-empty').waitFor();

  // Every factor starts at 0.8: composite 0.800 = threshold, ready.
  assert.equal((await page.getByTestId('live-score').textContent()).trim(), '0.800');
  await page.getByTestId('factor-accuracy').fill('0.92');
  await page.getByTestId('factor-confidence').fill('0.85');
  await page.getByTestId('factor-consistency').fill('0.80');
  await page.getByTestId('factor-robustness').fill('0.75');
  // 0.4*0.92 + 0.3*0.85 + 0.2*0.8 + 0.1*0.75 = 0.858
  assert.equal((await page.getByTestId('live-score').textContent()).trim(), '0.858');
  assert.match(await page.getByTestId('live-explanation').textContent(), /^ready/);

  // The slider moves the same value.
  await page.getByTestId('factor-accuracy-slider').evaluate((el) => {
    el.value = '0.3';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  assert.equal(await page.getByTestId('factor-accuracy').inputValue(), '0.3');
  // 0.12 + 0.255 + 0.16 + 0.075 = 0.61
  assert.equal((await page.getByTestId('live-score').textContent()).trim(), '0.610');
  assert.match(await page.getByTestId('live-gap').textContent(), /Gap to ready: 0\.190/);
  assert.match(await page.getByTestId('live-explanation').textContent(), /not ready/);

  // Out of range: an error, no score.
  await page.getByTestId('factor-robustness').fill('1.5');
  assert.match(await page.getByTestId('factor-robustness-error').textContent(), /between 0 and 1/);
  await page.getByTestId('live-error').waitFor();
  await page.getByTestId('factor-robustness').fill('0.75');

  const chart = page.getByTestId('contribution-chart');
  await chart.locator('svg g._chartistry_bar rect').first().waitFor({ state: 'attached' });
  assert.ok((await chart.locator('svg g._chartistry_bar rect').count()) >= 5, 'a bar per factor and the composite');
  assert.ok((await chart.locator('svg g._chartistry_line > path').count()) >= 1, 'the threshold line');

  // Record: the clone id is required.
  await page.getByTestId('record-assessment').click();
  assert.match(await page.getByTestId('assess-clone-error').textContent(), /required/);
  await page.getByTestId('assess-clone').fill('clone-x');
  // A model id the engine does not know is refused, with the id named.
  await page.getByTestId('assess-model').fill('scorer');
  await page.getByTestId('record-assessment').click();
  await page.getByTestId('assess-error').filter({ hasText: 'model_id "scorer" is not a known model' }).waitFor();
  assert.equal(await page.locator('[data-testid="clone-row"][data-clone="clone-x"]').count(), 0, 'nothing recorded');
  await page.getByTestId('assess-model').fill('');
  await page.getByTestId('record-assessment').click();
  const row = page.locator('[data-testid="clone-row"][data-clone="clone-x"]');
  await row.waitFor();
  const cells = await row.locator('td').allTextContents();
  assert.equal(cells[1], '0.610');
  assert.equal(cells[2], 'not ready');
  assert.equal(cells[5], '—');
  await screenshot(page, 'readiness-workflow');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the demo shows clone-alpha ready and clone-beta not ready', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/readiness`);
  await page.getByTestId('load-demo').click();
  const alpha = page.locator('[data-testid="clone-row"][data-clone="clone-alpha"]');
  const beta = page.locator('[data-testid="clone-row"][data-clone="clone-beta"]');
  await alpha.waitFor();
  assert.equal((await alpha.locator('td').allTextContents())[2], 'ready');
  assert.equal((await beta.locator('td').allTextContents())[2], 'not ready');
  assert.equal((await alpha.locator('td').allTextContents())[6], 'opening-script');
  await screenshot(page, 'readiness-demo');
  assert.deepEqual(errors, []);
  await context.close();
});
