// Block 23 page: the lead form with its live preview, building packets, the table,
// downloads, and the template editor; and the demo's packets.
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

test('a lead previews, builds a packet, renders a template and downloads', async () => {
  const context = await newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const { page, errors } = await openPage(context);
  // A script the packet can carry (Experimental: not recommended, chosen below).
  await page.goto(`${BASE_URL}/promotion`);
  await page.getByTestId('promo-script').fill('soft-close');
  await page.getByTestId('promo-body').fill('Hi {{name}}, shall we talk this week?');
  await page.getByTestId('promo-register').click();
  await page.getByTestId('promo-register-result').filter({ hasText: 'registered' }).waitFor();
  await page.goto(`${BASE_URL}/packets`);
  await page.getByTestId('packets-empty').waitFor();

  await page.getByTestId('lead-name').fill('Dana Ruiz');
  await page.getByTestId('lead-value').fill('-5');
  await page.getByTestId('lead-value-error').filter({ hasText: 'negative' }).waitFor();
  await page.getByTestId('lead-value').fill('410000');
  await page.getByTestId('lead-terms').fill('cash, 21 days');
  await page.getByTestId('lead-source').fill('referral');
  await page.getByTestId('lead-fields').fill('city\n');
  await page.getByTestId('lead-fields-error').filter({ hasText: 'line 1' }).waitFor();
  await page.getByTestId('lead-fields').fill('city=Austin\nbeds=3');
  // No Primary scripts or channel winners yet.
  await page.getByTestId('preview-scripts').filter({ hasText: 'none' }).waitFor();
  assert.match(await page.getByTestId('preview-json').textContent(), /Dana Ruiz/);
  // Nothing to send yet: refused, no packet.
  await page.getByTestId('packet-build').click();
  await page.getByTestId('packet-result').filter({ hasText: 'nothing to send' }).waitFor();
  assert.equal(await page.getByTestId('packet-row').count(), 0);
  await page.getByTestId('packet-scripts-choice').getByLabel('soft-close').check();
  await page.getByTestId('preview-scripts').filter({ hasText: 'soft-close' }).waitFor();

  await page.getByTestId('packet-build').click();
  await page.getByTestId('packet-result').filter({ hasText: 'packet built for Dana Ruiz' }).waitFor();
  await page.getByTestId('packet-row').first().waitFor();
  assert.equal(await page.getByTestId('packet-row').count(), 1);
  assert.match(await page.getByTestId('packet-row').first().textContent(), /410000/);

  // Template editor: renders against the packet, shows a missing field.
  await page.getByTestId('template-name').fill('offer');
  await page.getByTestId('template-body').fill('Offer for {{name}} in {{city}} ({{beds}} beds)');
  await page.getByTestId('template-rendered').filter({ hasText: 'Offer for Dana Ruiz in Austin (3 beds)' }).waitFor();
  await page.getByTestId('template-body').fill('Offer for {{name}} at {{zip}}');
  await page.getByTestId('template-error').filter({ hasText: 'zip' }).waitFor();
  await page.getByTestId('template-body').fill('Offer for {{name}}');
  await page.getByTestId('template-save').click();
  await page.getByTestId('template-result').filter({ hasText: 'template offer saved' }).waitFor();
  assert.equal(await page.getByTestId('template-row').count(), 1);

  const [one] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('packet-download').first().click(),
  ]);
  assert.match(one.suggestedFilename(), /^packet-.*\.json$/);
  const [all] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('packets-download-all').click(),
  ]);
  assert.equal(all.suggestedFilename(), 'packets.json');

  await screenshot(page, 'packets-forms');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the demo recommends warm-open and sms', async () => {
  const context = await newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/packets`);
  await page.getByTestId('load-demo').click();
  await page.getByTestId('packet-row').first().waitFor();
  assert.equal(await page.getByTestId('packet-row').count(), 2);
  assert.match(await page.getByTestId('packet-scripts').first().textContent(), /warm-open/);
  assert.match(await page.getByTestId('packet-channels').first().textContent(), /sms/);
  assert.equal(await page.getByTestId('template-row').count(), 1);
  await page.getByTestId('template-load').click();
  await page.getByTestId('template-rendered').filter({ hasText: 'Packet for Bo Chen' }).waitFor();
  await page.getByTestId('lead-name').fill('Eve');
  await page.getByTestId('lead-value').fill('1000');
  await page.getByTestId('preview-scripts').filter({ hasText: 'warm-open' }).waitFor();
  assert.match(await page.getByTestId('preview-channels').textContent(), /sms/);
  await screenshot(page, 'packets-demo');
  assert.deepEqual(errors, []);
  await context.close();
});
