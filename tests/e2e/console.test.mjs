// The operator's console, issue 20's remaining items: the overview's worklist leads with the
// monitoring alerts, the due checks and the unread notifications, each linking ON its row; a
// form's result shows once (under the form, never again in a toast); a toast offers undo of a
// paused rollout, is closable and covers no control at 390 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadDemo, launch, openPage, ready, screenshot } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Follows `link` and checks that the element its hash names is on the page and visible. */
async function landsOnItem(page, link, path) {
  await link.click();
  await page.waitForURL(new RegExp(`${path}#`));
  const id = decodeURIComponent(new URL(page.url()).hash.slice(1));
  const target = page.locator(`[id="${id}"]`);
  await target.waitFor();
  assert.ok(await target.isVisible(), `#${id} is on the page`);
  return id;
}

test('the worklist lists monitoring alerts, due checks and unread notifications, each with its link and action', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await loadDemo(page);
  const items = page.getByTestId('worklist-item');

  // An open monitoring alert links to its row in the inbox.
  const alert = items.filter({ hasText: 'monitoring alert' }).first();
  const id = await landsOnItem(page, alert.getByTestId('worklist-link'), '/monitoring');
  assert.match(id, /^notification-monitor-/);
  assert.equal(await page.locator(`[id="${id}"]`).getAttribute('data-testid'), 'notification-row');

  // The demo's checks ran months before the wall clock: every check is due, each one a row.
  await ready(page, '/');
  const due = items.filter({ hasText: 'check due' });
  const n = await due.count();
  assert.ok(n >= 1, 'a check is due');
  const check = await landsOnItem(page, due.first().getByTestId('worklist-link'), '/monitoring');
  assert.equal(await page.locator(`[id="${check}"]`).getAttribute('data-testid'), 'schedule-row');
  await ready(page, '/');
  await due.first().getByTestId('worklist-action').click();
  await page.getByTestId('worklist-result').filter({ hasText: 'Run now: done' }).waitFor();
  await page.waitForFunction((k) => [...document.querySelectorAll('[data-testid=worklist-item]')].filter((e) => e.textContent.includes('check due')).length === k - 1, n);

  // Unread notifications: one item, read in one click.
  const unread = items.filter({ hasText: 'unread notifications' });
  await unread.getByTestId('worklist-action').click();
  await unread.waitFor({ state: 'detached' });
  await screenshot(page, 'console-worklist-monitoring');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a form says its result once; a toast offers undo, closes, and covers no control at 390 px', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const { page, errors } = await openPage(context);
  await loadDemo(page);

  // The result line says it; no toast repeats it.
  await ready(page, '/outcomes');
  await page.getByTestId('series-id').fill('e2e/once');
  await page.getByTestId('series-metric').fill('close_rate');
  await page.getByTestId('series-define').click();
  await page.getByTestId('series-result').filter({ hasText: 'series e2e/once defined' }).waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.getByTestId('toast').filter({ hasText: 'e2e/once' }).count(), 0, 'no toast repeats the line');

  // A row's action reports in a toast with Undo; the toast sits clear of every control.
  await ready(page, '/rollouts');
  const pause = page.getByTestId('rollout-pause').first();
  await pause.click();
  const toast = page.getByTestId('toast').filter({ hasText: 'rollout paused' });
  await toast.waitFor();
  const covered = await page.evaluate(() => {
    const t = document.querySelector('[data-testid=toasts]').getBoundingClientRect();
    const hit = (r) => r.width > 0 && r.height > 0 && r.left < t.right && r.right > t.left && r.top < t.bottom && r.bottom > t.top;
    return [...document.querySelectorAll('button, a, input, select')]
      .filter((b) => !b.closest('[data-testid=toasts]') && hit(b.getBoundingClientRect()))
      .map((b) => b.textContent.trim() || b.outerHTML.slice(0, 60));
  });
  assert.deepEqual(covered, [], 'the toasts cover no control');
  await screenshot(page, 'console-toast-390');
  await toast.getByTestId('toast-undo').click();
  await page.getByTestId('rollout-pause').first().waitFor();
  const undone = page.getByTestId('toast').filter({ hasText: 'undone' });
  await undone.getByTestId('toast-dismiss').click();
  await undone.waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
  await context.close();
});

test('an id field offers the brain\'s ids to pick and names a typo before the form is sent', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await loadDemo(page);
  await ready(page, '/readiness');
  const field = page.getByTestId('assess-model');
  assert.equal(await field.getAttribute('list'), 'known-models');
  const options = await page.locator('#known-models option').evaluateAll((os) => os.map((o) => o.value));
  assert.ok(options.includes('lead-scorer'), JSON.stringify(options));
  await field.fill('lead-scorr');
  await page.getByTestId('assess-model-error').filter({ hasText: '"lead-scorr" is not a known model; pick one of: ' }).waitFor();
  await field.fill('lead-scorer');
  await page.getByTestId('assess-model-error').filter({ hasText: /^$/ }).waitFor();
  assert.equal(await field.getAttribute('aria-invalid'), 'false');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the ingest, promotion and models pages show their state first, their forms folded below', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await loadDemo(page);
  for (const [path, state] of [['/ingest', 'sources-table'], ['/promotion', 'promo-table'], ['/models', 'model-panel']]) {
    await ready(page, path);
    await page.getByTestId(state).first().waitFor();
    const first = await page.evaluate((s) => {
      const table = document.querySelector(`[data-testid=${s}]`);
      const forms = document.querySelector('[data-testid=forms-below]');
      return Boolean(table.compareDocumentPosition(forms) & Node.DOCUMENT_POSITION_FOLLOWING);
    }, state);
    assert.ok(first, `${path}: the state comes before the forms`);
  }
  await ready(page, '/ingest');
  assert.ok(await page.getByTestId('source-name').isVisible());
  await page.getByTestId('forms-below-summary').click();
  await page.getByTestId('source-name').waitFor({ state: 'hidden' });
  assert.deepEqual(errors, []);
  await context.close();
});
