// What-if: the form and the raw JSON editor stay in step and validate while typing; running
// shows a "running…" state, then every decision that would change side by side with counts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE_URL, launch, openPage, screenshot } from './browser.mjs';
import { load } from '../node/js-pkg.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('editing the policy: form and JSON in step, validation while typing', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/what-if`);
  await page.getByTestId('whatif-empty').waitFor();
  assert.equal(await page.getByTestId('wi-ready-threshold').inputValue(), '0.8');
  assert.match(await page.getByTestId('whatif-draft-status').textContent(), /same as the current/);

  // Form -> JSON.
  await page.getByTestId('wi-ready-threshold').fill('0.9');
  assert.equal(JSON.parse(await page.getByTestId('whatif-json').inputValue()).readiness.ready_threshold, 0.9);
  assert.match(await page.getByTestId('whatif-draft-status').textContent(), /differs/);

  // Weights that do not sum to 1: the core's validation message, run disabled.
  await page.getByTestId('wi-weight-accuracy').fill('0.5');
  assert.match(await page.getByTestId('whatif-json-error').textContent(), /sum/);
  assert.ok(await page.getByTestId('run-whatif').isDisabled());
  await page.getByTestId('wi-weight-accuracy').fill('0.4');
  assert.equal((await page.getByTestId('whatif-json-error').textContent()).trim(), '');

  // JSON -> form.
  const json = JSON.parse(await page.getByTestId('whatif-json').inputValue());
  json.gates.min_accuracy = 0.95;
  await page.getByTestId('whatif-json').fill(JSON.stringify(json, null, 2));
  assert.equal(await page.getByTestId('wi-gates-min-accuracy').inputValue(), '0.95');

  // Broken JSON: an error while typing.
  await page.getByTestId('whatif-json').fill('{"gates": ');
  assert.match(await page.getByTestId('whatif-json-error').textContent(), /not a valid policy JSON/);
  assert.ok(await page.getByTestId('run-whatif').isDisabled());
  await page.getByTestId('whatif-reset').click();
  assert.equal(await page.getByTestId('wi-gates-min-accuracy').inputValue(), '0.85');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the demo under another policy: differences side by side, counts per kind', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/what-if`);
  await page.getByTestId('load-demo').click();
  await page.getByTestId('whatif-empty').waitFor({ state: 'detached' });

  // Allow craigslist, accept smaller model drops, demand more of gates.
  await page.getByTestId('wi-ingest-sources').fill('zillow, realtor, redfin, mls, referral, craigslist');
  await page.getByTestId('wi-models-max-drop').fill('0.2');
  await page.getByTestId('wi-gates-min-accuracy').fill('0.95');
  await page.evaluate(() => {
    window.sawRunning = false;
    new MutationObserver(() => {
      if (document.querySelector('[data-testid="whatif-running"]')) window.sawRunning = true;
    }).observe(document.body, { subtree: true, childList: true });
  });
  await page.getByTestId('run-whatif').click();
  await page.getByTestId('whatif-results').waitFor();
  assert.ok(await page.evaluate(() => window.sawRunning), 'a running state was shown');
  const total = Number(await page.getByTestId('whatif-total').textContent());
  assert.ok(total >= 3, `differences: ${total}`);
  assert.equal(await page.getByTestId('whatif-row').count(), total);
  const kinds = await page.locator('[data-testid="whatif-count-row"]').evaluateAll((rows) =>
    Object.fromEntries(rows.map((r) => [r.dataset.kind, Number(r.querySelector('td.num').textContent)])));
  assert.ok(kinds.ingestion >= 1, JSON.stringify(kinds));
  assert.ok(kinds['model update'] >= 1, JSON.stringify(kinds));
  assert.ok(kinds['gate decision'] >= 1, JSON.stringify(kinds));
  const ingest = page.locator('[data-testid="whatif-row"][data-kind="ingestion"]').first();
  const cells = await ingest.locator('td').allTextContents();
  assert.equal(cells[3], 'blocked');
  assert.match(cells[4], /whitelist|allowed|not/);
  assert.equal(cells[5], 'accepted');
  await screenshot(page, 'whatif-demo');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a long history replays in steps with progress, and can be cancelled', async () => {
  // A history of 4,000+ commands, built with the JS package and imported.
  const { Brain } = await load();
  const start = new Date(Date.now() - 30 * 24 * 3600 * 1000);
  const brain = Brain.demo(start);
  let t = start.getTime() + 24 * 3600 * 1000;
  const variants = ['warm-open', 'direct-ask', 'story-led'];
  const batch = [];
  for (let i = 0; i < 4000; i++) {
    t += 1000;
    batch.push({ at: new Date(t), block: 'ab', type: 'RecordCounts', experiment: 'opening-script', variant: variants[i % 3], trials: 10, conversions: 1 });
  }
  brain.executeAll(batch);
  const commands = brain.log().length;
  const dir = await mkdtemp(join(tmpdir(), 'brain-whatif-'));
  const file = join(dir, 'long.json');
  await writeFile(file, JSON.stringify(brain.toJSON()));
  brain.free();

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/what-if`);
  await page.getByTestId('import-state').setInputFiles(file);
  await page.getByTestId('whatif-empty').waitFor({ state: 'detached', timeout: 60_000 });
  await page.evaluate(() => {
    window.partial = [];
    new MutationObserver(() => {
      const p = document.querySelector('[data-testid="whatif-running"] p');
      const m = p && p.textContent.match(/replayed (\d+) of (\d+)/);
      if (m) window.partial.push([Number(m[1]), Number(m[2])]);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });

  // Cancel while it runs (clicked before its first step, so the test does not race the
  // replay): no result, the page says so.
  await page.getByTestId('wi-ready-threshold').fill('0.9');
  const cancelled = await page.evaluate(async () => {
    document.querySelector('[data-testid="run-whatif"]').click();
    for (let i = 0; i < 10 && !document.querySelector('[data-testid="whatif-cancel"]'); i++) await Promise.resolve();
    const cancel = document.querySelector('[data-testid="whatif-cancel"]');
    cancel?.click();
    return Boolean(cancel);
  });
  assert.ok(cancelled, 'the Cancel button is there as soon as the run starts');
  await page.getByTestId('toast').filter({ hasText: 'what-if cancelled' }).waitFor();
  await page.getByTestId('whatif-running').waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('whatif-results').count(), 0);
  // A cancelled run takes no further step (each step would report its progress).
  await page.waitForTimeout(500);
  const afterCancel = await page.evaluate(() => window.partial);
  assert.ok(afterCancel.every(([done]) => done === 0), JSON.stringify(afterCancel));
  await page.evaluate(() => { window.partial = []; });

  // Run to the end: progress was shown part way, with the whole history as the total.
  await page.getByTestId('run-whatif').click();
  await page.getByTestId('whatif-results').waitFor({ timeout: 120_000 });
  const partial = await page.evaluate(() => window.partial);
  assert.ok(partial.some(([done, total]) => done > 0 && done < total && total === partial[0][1]), JSON.stringify(partial.slice(0, 5)));
  assert.equal(partial[0][1], commands);
  assert.deepEqual(errors, []);
  await context.close();
});
