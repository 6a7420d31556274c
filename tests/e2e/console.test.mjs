// The operator's console, issue 20's remaining items: the overview's worklist leads with the
// monitoring alerts, the due checks and the unread notifications, each linking ON its row; a
// form's result shows once (under the form, never again in a toast); a toast offers undo of a
// paused rollout, is closable and covers no control at 390 px; every page with forms shows its
// state first; id fields offer the brain's ids (versions, audit subjects, experiments, sources).
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

test('every page with forms shows its state first, its forms folded below', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await loadDemo(page);
  const pages = [
    ['/ingest', 'sources-table'], ['/promotion', 'promo-table'], ['/models', 'model-panel'],
    ['/ab', 'ab-results'], ['/outcomes', 'series'], ['/readiness', 'clones-table'],
    ['/gates', 'gates-history'], ['/packets', 'packets-table'], ['/rollouts', 'rollout-panel'],
    ['/audit', 'audit-table'], ['/policy', 'policy-history'],
  ];
  for (const [path, state] of pages) {
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

test('version, audit subject, experiment and source fields offer what the brain knows', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await loadDemo(page);
  const options = (id) => page.locator(`#${id} option`).evaluateAll((os) => os.map((o) => o.value));

  // A proposal's parent: the chosen model's versions, a refused one left out; a typo is named.
  await ready(page, '/models');
  await page.getByTestId('update-model').selectOption('lead-scorer');
  const parent = page.getByTestId('update-parent');
  assert.equal(await parent.getAttribute('list'), 'model-parents');
  const versions = await options('model-parents');
  assert.ok(versions.includes('1.0.0') && versions.includes('1.3.0'), JSON.stringify(versions));
  assert.ok(!versions.includes('1.2.0'), 'the refused 1.2.0 cannot be a parent');
  await parent.fill('1.9.9');
  await page.getByTestId('update-parent-error').filter({ hasText: '"1.9.9" is not a known version of this model' }).waitFor();
  await parent.fill('1.0.0');
  await page.getByTestId('update-parent-error').filter({ hasText: /^$/ }).waitFor();

  // The audit search offers every subject, whole and bare.
  await ready(page, '/audit');
  assert.equal(await page.getByTestId('audit-subject').getAttribute('list'), 'known-audit-subjects');
  const subjects = await options('known-audit-subjects');
  assert.ok(subjects.includes('model/lead-scorer') && subjects.includes('lead-scorer'), JSON.stringify(subjects));
  assert.equal(await page.getByTestId('log-subject').getAttribute('list'), 'known-audit-subjects');

  // A pre-registered rule's experiment, a lead's source.
  await ready(page, '/policy');
  assert.equal(await page.getByTestId('prereg-experiment').getAttribute('list'), 'known-experiments');
  assert.ok((await options('known-experiments')).length > 0);
  await ready(page, '/packets');
  assert.equal(await page.getByTestId('lead-source').getAttribute('list'), 'known-sources');
  assert.ok((await options('known-sources')).includes('redfin'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('a deploy and an evidence window say their result once, on the form', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await loadDemo(page);
  await ready(page, '/models');
  const actions = page.getByTestId('model-actions');
  await actions.getByTestId('action-model').selectOption('lead-scorer');
  await actions.getByTestId('action-version').selectOption('1.0.0');
  await actions.getByTestId('environment-name').selectOption('staging');
  await actions.getByTestId('environment-reason').fill('e2e once');
  await actions.getByTestId('environment-submit').click();
  await actions.getByTestId('environment-result').filter({ hasText: 'lead-scorer 1.0.0 deployed to staging' }).waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.getByTestId('toast').filter({ hasText: 'deployed' }).count(), 0, 'no toast repeats the line');

  // The evidence window: its line says it, no toast.
  const panel = page.locator('[data-model="lead-scorer"]');
  await panel.getByTestId('evidence-champion-correct').fill('80');
  await panel.getByTestId('evidence-champion-total').fill('100');
  await panel.getByTestId('evidence-challenger-correct').fill('85');
  await panel.getByTestId('evidence-challenger-total').fill('100');
  await panel.getByTestId('evidence-submit').click();
  await panel.getByTestId('evidence-result').filter({ hasText: 'evidence recorded for 1.3.0' }).waitFor();
  assert.equal(await panel.getByTestId('evidence-champion-correct').inputValue(), '', 'the fields clear');
  await page.waitForTimeout(300);
  assert.equal(await page.getByTestId('toast').filter({ hasText: 'evidence recorded' }).count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});
