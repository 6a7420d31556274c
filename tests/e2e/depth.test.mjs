// Issue 14's depth and issue 20's packets item in the console: the verification page lists
// the health warnings, the outcomes page says which way each series goes, and the packets
// page warns on an empty packet and refuses to build it, shows scripts as text, names a template's empty fields and
// downloads a packet as Markdown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { BASE_URL, launch, loadDemo, openPage, ready, screenshot } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('health warnings, trend words and readable packets', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await context.route('**/favicon.ico', (route) => route.fulfill({ status: 204, body: '' }));
  const { page, errors } = await openPage(context);

  // An empty packet is warned about before it is built, and refused.
  await ready(page, '/packets');
  await page.getByTestId('lead-name').fill('Ann Lee');
  await page.getByTestId('lead-value').fill('320000');
  await page.getByTestId('preview-warnings').filter({ hasText: 'no script' }).waitFor();
  assert.match(await page.getByTestId('preview-warnings').textContent(), /no channel/);
  // Built anyway, it is refused with its reason, and no packet is added.
  await page.getByTestId('packet-build').click();
  await page.getByTestId('packet-result').filter({ hasText: 'nothing to send' }).waitFor();
  assert.equal(await page.getByTestId('packets-empty').count(), 1);
  assert.equal(await page.getByTestId('lead-name').inputValue(), 'Ann Lee');

  await loadDemo(page);
  await ready(page, '/verify');
  await page.getByTestId('run-verify').click();
  for (const name of ['experiments_within_planned_size', 'evaluations_not_pending', 'alerts_acknowledged']) {
    const row = page.locator(`[data-testid="check-row"][data-check="${name}"]`);
    assert.equal(await row.getAttribute('data-status'), 'pass', name);
  }

  await ready(page, '/outcomes');
  await page.getByTestId('series-row').first().waitFor();
  const verdicts = await page.getByTestId('series-verdict').allTextContents();
  assert.ok(verdicts.every((v) => ['improving', 'declining', 'stable', '—'].includes(v.trim())), verdicts.join());
  assert.ok(verdicts.some((v) => v.trim() !== '—'), verdicts.join());
  assert.match(await page.getByTestId('trend-summary').textContent(), /^(improving|declining|stable|no trend yet)/);

  // With the demo's Primary script: its text, not only its id; built, downloaded as Markdown.
  await ready(page, '/packets');
  await page.getByTestId('lead-name').fill('Ann Lee');
  await page.getByTestId('lead-value').fill('320000');
  await page.getByTestId('preview-script-texts').filter({ hasText: 'warm-open: ' }).waitFor();
  await page.getByTestId('packet-build').click();
  await page.getByTestId('packet-result').filter({ hasText: 'packet built for Ann Lee' }).waitFor();
  const [md] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('packet-download-md').first().click(),
  ]);
  assert.match(md.suggestedFilename(), /^packet-.*\.md$/);
  const text = await readFile(await md.path(), 'utf8');
  assert.match(text, /^# Deal packet for Ann Lee/);
  assert.match(text, /### warm-open\n\n> /);

  await page.getByTestId('template-body').fill('Hello {{name}}, on {{terms}}');
  await page.getByTestId('template-unfilled').filter({ hasText: 'terms' }).waitFor();
  await page.getByTestId('template-body').fill('Hello {{name}}');
  await page.getByTestId('template-rendered').filter({ hasText: 'Hello Ann Lee' }).waitFor();
  assert.equal(await page.getByTestId('template-unfilled').count(), 0);

  await screenshot(page, 'depth-packets');
  assert.deepEqual(errors, []);
  await context.close();
});
