// Block 29, audit trail: the log status, filters (subject, action, time range), pagination
// of a long trail, snapshots, the JSON export, and the Merkle tree head (witness checks).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { BASE_URL, launch, openPage, screenshot } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('an empty trail says what to do', async () => {
  const context = await browser.newContext();
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/audit`);
  await page.getByTestId('audit-empty').waitFor();
  assert.match(await page.getByTestId('chain-status').textContent(), /intact/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the demo trail: chain, filters, pages, snapshot and export', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/audit`);
  await page.getByTestId('load-demo').click();
  await page.getByTestId('audit-table').waitFor();
  assert.match(await page.getByTestId('chain-status').textContent(), /intact/);
  const count = await page.getByTestId('audit-count').textContent();
  const total = Number(count.match(/of (\d+) matching/)[1]);
  assert.ok(total > 50, `demo has more than a page of entries (${total})`);
  assert.equal(await page.getByTestId('audit-row').count(), 50, 'one page at a time');

  // Pages.
  assert.ok(await page.getByTestId('audit-prev').isDisabled());
  await page.getByTestId('audit-next').click();
  await page.waitForFunction(() => /page 2 of/.test(document.querySelector('[data-testid="audit-page"]').textContent));
  assert.match(await page.getByTestId('audit-count').textContent(), new RegExp(`^51–${Math.min(total, 100)} of`));

  // Subject filter: the prefix before "/".
  await page.getByTestId('audit-subject').fill('model');
  await page.waitForFunction(() => /page 1 of 1/.test(document.querySelector('[data-testid="audit-page"]').textContent));
  const subjects = await page.locator('[data-testid="audit-row"] td:nth-child(4)').allTextContents();
  // 16 entries of the lead scorer (updates, evidence, metrics, environments, a rolled-back
  // rollout) and 6 of the churn predictor (its rollout to Production, then a patch: proposed,
  // measured on latency, its promotion held).
  assert.ok(subjects.length === 22, `22 model entries, got ${subjects.length}`);
  assert.ok(subjects.every((s) => s.startsWith('model/lead-scorer') || s.startsWith('model/churn-predictor')));
  // Refused model update is marked.
  assert.ok((await page.locator('[data-testid="audit-row"][data-outcome="refused"]').count()) >= 1);

  // Action filter.
  await page.getByTestId('audit-subject').fill('');
  await page.getByTestId('audit-action').selectOption('EvaluateGates');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="audit-row"]').length === 2);

  // Time range: an end before the start is an error; a range far in the past matches nothing.
  await page.getByTestId('audit-action').selectOption('');
  await page.getByTestId('audit-from').fill('2020-01-02T00:00');
  await page.getByTestId('audit-to').fill('2020-01-01T00:00');
  await page.getByTestId('audit-query-error').waitFor();
  await page.getByTestId('audit-to').fill('2020-01-03T00:00');
  await page.getByTestId('audit-empty').waitFor();
  assert.match(await page.getByTestId('audit-empty').textContent(), /No entry matches/);
  await page.getByTestId('audit-clear').click();
  await page.getByTestId('audit-table').waitFor();

  // Snapshot: a new entry and a new mark.
  const marks = await page.getByTestId('snapshot-row').count();
  await page.getByTestId('take-snapshot').click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="snapshot-row"]').length === n + 1, marks);
  assert.match(await page.getByTestId('audit-count').textContent(), new RegExp(`of ${total + 1} matching`));

  // Export.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-audit').click(),
  ]);
  assert.equal(download.suggestedFilename(), 'audit-trail.json');
  const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.equal(exported.entries.length, total + 1);
  assert.equal(exported.entries[0].seq, 0);
  await screenshot(page, 'audit-demo');
  assert.deepEqual(errors, []);
  await context.close();
});

/** The state as the console exports it (its engine snapshot), parsed. */
async function exportedSnapshot(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-state').click()]);
  return JSON.parse(await readFile(await download.path(), 'utf8'));
}

test('a tampered entry in storage: the chain names the first broken entry', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/audit`);
  await page.getByTestId('load-demo').click();
  await page.getByTestId('audit-table').waitFor();
  // Stored the way an earlier console stored it (one format-1 record): the migration keeps
  // the tampered state as it is rather than re-running (and so repairing) its commands.
  const snapshot = await exportedSnapshot(page);
  snapshot.state.audit.entries[5].detail = 'tampered';
  await page.evaluate((snap) => {
    localStorage.clear();
    localStorage.setItem('brain.console.state', JSON.stringify({ format: 1, revision: 9, writer: 'old', snapshot: snap }));
  }, snapshot);
  for (let i = 0; i < 2; i++) {
    // Once migrated, once read back in the new format.
    await page.reload();
    await page.getByTestId('audit-table').waitFor();
    const status = await page.getByTestId('chain-status').textContent();
    assert.match(status, /broken/);
    assert.match(status, /audit entry 5 was altered/);
  }
  assert.equal(await page.evaluate(() => localStorage.getItem('brain.console.state')), null, 'migrated');
  await screenshot(page, 'audit-tampered');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a trail of 10,000 entries renders one page at a time and stays responsive', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/audit`);
  await page.getByTestId('load-demo').click();
  await page.getByTestId('audit-table').waitFor();
  // Repeat the demo's entries up to 10,000 (the hashes no longer chain: the page says so),
  // stored as the origin snapshot of a generation without commands.
  const snapshot = await exportedSnapshot(page);
  const base = snapshot.state.audit.entries;
  const entries = [];
  for (let i = 0; i < 10000; i++) entries.push({ ...base[i % base.length], seq: i, detail: '' });
  snapshot.state.audit.entries = entries;
  await page.evaluate((snap) => {
    localStorage.clear();
    localStorage.setItem('brain.console.origin.7', JSON.stringify(snap));
    localStorage.setItem('brain.console.head', JSON.stringify({ format: 2, epoch: 7, origin: true, revision: 0, chunks: 0, writer: 'test' }));
  }, snapshot);
  await page.reload();
  await page.getByTestId('audit-table').waitFor();
  assert.match(await page.getByTestId('audit-count').textContent(), /^1–50 of 10000 matching/);
  assert.equal(await page.getByTestId('audit-row').count(), 50);
  const started = Date.now();
  await page.getByTestId('audit-subject').fill('model');
  await page.waitForFunction(() => /of \d+ matching/.test(document.querySelector('[data-testid="audit-count"]').textContent)
    && !/of 10000 matching/.test(document.querySelector('[data-testid="audit-count"]').textContent));
  await page.getByTestId('audit-next').click();
  await page.waitForFunction(() => /page 2 of/.test(document.querySelector('[data-testid="audit-page"]').textContent));
  assert.ok(Date.now() - started < 10_000, `filter and page in ${Date.now() - started} ms`);
  assert.equal(await page.getByTestId('audit-row').count(), 50);
  assert.match(await page.getByTestId('chain-status').textContent(), /broken/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the tree head: a kept root and exported files are checked against the live log, an entry proved included', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/audit`);
  await page.getByTestId('load-demo').click();
  await page.getByTestId('audit-table').waitFor();
  const kept = JSON.parse(await page.getByTestId('audit-root-json').inputValue());
  assert.equal(String(kept.size), await page.getByTestId('audit-size').textContent());
  assert.equal(kept.root, await page.getByTestId('audit-root').textContent());
  assert.match(kept.root, /^[0-9a-f]{64}$/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-audit').click()]);
  const exportPath = await download.path();
  const exported = await readFile(exportPath, 'utf8');

  // The log grows: the new head differs, and the kept root is still extended by it.
  await page.getByTestId('take-snapshot').click();
  await page.waitForFunction((n) => document.querySelector('[data-testid="audit-size"]').textContent === String(n + 1), kept.size);
  assert.notEqual(await page.getByTestId('audit-root').textContent(), kept.root);
  const check = async (text) => {
    await page.getByTestId('witness-text').fill(text);
    await page.getByTestId('witness-check').click();
    return page.getByTestId('witness-result').textContent();
  };
  assert.match(await check(JSON.stringify(kept)), /^ok consistent: the live log \(\d+ entries\) extends this root/);
  assert.match(await check(`${kept.size} ${kept.root}`), /^ok consistent/);
  // A root the live log does not extend: rewritten history, or a longer log cut off.
  const now = await page.getByTestId('audit-root').textContent();
  assert.match(await check(JSON.stringify({ size: kept.size, root: now })), /^fail .*history was rewritten/);
  assert.match(await check(JSON.stringify({ size: kept.size + 5, root: kept.root })), /^fail .*entries were cut off/);

  // The export taken before: chosen as a file, it verifies and the live log extends it.
  await page.getByTestId('witness-file').setInputFiles(exportPath);
  await page.waitForFunction(() => /entries verify/.test(document.querySelector('[data-testid="witness-result"]').textContent));
  assert.match(await page.getByTestId('witness-result').textContent(), /^ok the file's \d+ entries verify, and the live log \(\d+ entries\) extends them/);
  // Edited in place: refused with the entry named.
  const { entries } = JSON.parse(exported);
  const edited = JSON.stringify({ entries: entries.map((e, i) => (i === 4 ? { ...e, detail: 'edited' } : e)) });
  assert.match(await check(edited), /^fail the file does not verify: audit entry 4 was altered/);

  // Inclusion of one entry, checked with hashes alone.
  await page.getByTestId('inclusion-seq').fill('7');
  await page.getByTestId('inclusion-check').click();
  assert.match(await page.getByTestId('inclusion-result').textContent(), /^ok entry 7 \(\w+\) is in the log of \d+ entries: its \d+-hash audit path leads to the root/);
  await page.getByTestId('inclusion-seq').fill(String(kept.size + 1));
  await page.getByTestId('inclusion-check').click();
  assert.match(await page.getByTestId('inclusion-result').textContent(), /^fail leaf \d+ is not in a tree of \d+ leaves/);
  await screenshot(page, 'audit-tree-head');
  assert.deepEqual(errors, []);
  await context.close();
});

test('an outside action is recorded in the trail; the matching entries export with their proofs', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/audit`);
  await page.getByTestId('load-demo').click();
  await page.getByTestId('chain-status').filter({ hasText: 'intact' }).waitFor();

  // A blank action is refused with the engine's words; nothing is recorded.
  await page.getByTestId('log-subject').fill('model/lead-scorer');
  await page.getByTestId('log-submit').click();
  await page.getByTestId('log-result').filter({ hasText: 'action must be non-empty' }).waitFor();

  await page.getByTestId('log-action').fill('deploy');
  await page.getByTestId('log-details').fill('v1.2.0 to production');
  await page.getByTestId('log-submit').click();
  await page.getByTestId('log-result').filter({ hasText: 'deploy on model/lead-scorer recorded' }).waitFor();

  await page.getByTestId('audit-subject').fill('model/lead-scorer');
  await page.getByTestId('audit-action').selectOption('deploy');
  await page.getByTestId('audit-count').filter({ hasText: 'of 1 matching' }).waitFor();
  assert.match(await page.getByTestId('audit-row').first().textContent(), /success.*v1\.2\.0 to production/);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('audit-export-filtered').click(),
  ]);
  assert.equal(download.suggestedFilename(), 'audit-trail-filtered.json');
  const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.equal(exported.entries.length, 1);
  assert.equal(exported.entries[0].entry.action, 'deploy');
  assert.equal(exported.query.subject, 'model/lead-scorer');
  assert.ok(exported.entries[0].proof, 'each entry carries its inclusion proof');
  assert.deepEqual(errors, []);
  await context.close();
});
