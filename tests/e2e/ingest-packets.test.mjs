// Issue 14, blocks 23 and 24 together: a lead ingested on the ingestion page is kept in its
// table of accepted payloads, its "Build packet" link fills the packets form with it, and
// the packet is built with a channel chosen instead of the recommended one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, openPage, openMenu } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('an ingested lead becomes a packet on a chosen channel', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route('**/favicon.ico', (route) => route.fulfill({ status: 204, body: '' }));
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/ingest`);
  // The demo has channel experiments (sms wins), so there are channels to choose from.
  await openMenu(page);
  await page.getByTestId('load-demo').click();
  await page.getByTestId('ingested-row').first().waitFor();

  await page.getByTestId('ingest-source').fill('Zillow');
  await page
    .getByTestId('ingest-payload')
    .fill('{"name": "Gil Moss", "value": 250000, "fields": {"city": "Waco"}}');
  await page.getByTestId('ingest-submit').click();
  await page.getByTestId('ingest-result').filter({ hasText: 'accepted' }).waitFor();
  const row = page.getByTestId('ingested-row').first();
  assert.match(await row.textContent(), /zillow.*Gil Moss/s);
  // The demo's payloads are not leads: only the new one offers a packet.
  assert.equal(await page.getByTestId('ingested-build').count(), 1);

  await row.getByTestId('ingested-build').click();
  await page.waitForURL(/\/packets\?ingested=\d+/);
  assert.equal(await page.getByTestId('lead-name').inputValue(), 'Gil Moss');
  assert.equal(await page.getByTestId('lead-value').inputValue(), '250000');
  const channels = page.getByTestId('packet-channels-choice');
  assert.equal(await channels.locator('input[value=sms]').isChecked(), true, 'recommended ticked');
  await channels.locator('input[value=email]').check();
  await channels.locator('input[value=sms]').uncheck();
  await page.getByTestId('preview-channels').filter({ hasText: 'email' }).waitFor();

  await page.getByTestId('packet-build').click();
  await page.getByTestId('packet-result').filter({ hasText: 'packet built for Gil Moss' }).waitFor();
  const built = page.getByTestId('packet-row').filter({ hasText: 'Gil Moss' });
  assert.equal((await built.getByTestId('packet-channels').textContent()).trim(), 'email');
  assert.deepEqual(errors, []);
  await context.close();
});
