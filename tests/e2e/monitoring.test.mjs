// Continuous monitoring: the browser owns the clock. The demo, then the console opened a day
// later (`?now=`, the clock module's time travel): the due checks run by themselves through
// the command path (last run moves, a report falls due, unread in the inbox and the badge);
// mark read drops the badge; run now; a report downloads as Markdown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { BASE_URL, launch, loadDemo, openPage, screenshot, storedLog } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const row = (page, check) => page.locator(`[data-testid="schedule-row"][data-check="${check}"]`);
const text = async (locator) => (await locator.textContent()).trim();
const badge = async (page) => Number(await text(page.getByTestId('unread-badge')));

test('a day later the due checks run by themselves, notify, and the inbox and badge follow', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const { page, errors } = await openPage(context, { checks: true });
  await loadDemo(page);
  assert.match(await text(page.getByTestId('overview-monitoring')), /^Monitoring: next check drift at .*; \d+ unread notifications\.$/);
  const unreadBefore = await badge(page);

  // A day ahead, on the minute (so the run's time reads as the clock's).
  const later = new Date(Date.now() + 24 * 3600_000);
  later.setUTCSeconds(0, 0);
  const minute = later.toISOString().slice(0, 16).replace('T', ' ');
  await page.goto(`${BASE_URL}/monitoring?now=${later.toISOString()}`);
  await row(page, 'drift').getByTestId('last-run').filter({ hasText: minute }).waitFor();
  assert.equal(await text(row(page, 'health').getByTestId('last-run')), minute);
  const commands = (await storedLog(page)).commands;
  assert.equal(commands.at(-1).type, 'RunDueChecks', 'sent through the command path, stored');

  // The health check's report is the newest notification, unread, and counted by the badge.
  const newest = page.getByTestId('notification-row').first();
  assert.match(await text(newest), /daily report due/);
  assert.equal(await newest.getAttribute('data-read'), 'false');
  const unread = await badge(page);
  assert.ok(unread > unreadBefore, `${unread} > ${unreadBefore}`);
  assert.equal(Number(await text(page.getByTestId('inbox-unread'))), unread);

  await newest.getByTestId('mark-read').click();
  await page.getByTestId('unread-badge').filter({ hasText: new RegExp(`^${unread - 1}$`) }).waitFor();
  assert.equal(await page.getByTestId('notification-row').first().getAttribute('data-read'), 'true');

  // Run now: the drift check runs once more.
  const runs = await text(row(page, 'drift').locator('td').nth(4));
  await page.getByTestId('run-now-drift').click();
  await page.locator('[data-testid="toast"]', { hasText: 'drift ran' }).first().waitFor();
  assert.equal(Number(await text(row(page, 'drift').locator('td').nth(4))), Number(runs) + 1);

  // The daily report, as Markdown, downloaded.
  await page.getByTestId('inbox-chart').locator('svg').first().waitFor();
  const shown = await text(page.getByTestId('report-markdown'));
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-report-md').click()]);
  assert.equal(download.suggestedFilename(), `monitoring-daily-${minute.slice(0, 10)}.md`);
  assert.equal((await readFile(await download.path(), 'utf8')).trim(), shown);
  await screenshot(page, 'monitoring');
  assert.deepEqual(errors, []);
  await context.close();
});
