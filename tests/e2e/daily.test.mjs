// The console as an operator's daily tool (issue 20): the operator's name in the audit trail,
// nothing destroyed without consent (a keyboard-only confirm dialog, the demo's question over
// existing work and its cancel), undo from a toast that covers no button, the overview's
// worklist with a one-click action and links that land on the item, a refused unknown model id,
// the menu button at 390 px, and an axe-core scan of every page (no serious or critical
// violation) with screenshots at 390 and 1280 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { BASE_URL, ROUTES, launch, openMenu, openPage, ready, screenshot } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The focused element's test id. */
const focused = (page) => page.evaluate(() => document.activeElement?.dataset?.testid ?? document.activeElement?.tagName);

/** Buttons whose box intersects the box of `locator` (a toast must cover none). */
function buttonsUnder(page, selector) {
  return page.evaluate((sel) => {
    const t = document.querySelector(sel).getBoundingClientRect();
    const hit = (r) => r.width > 0 && r.height > 0 && r.left < t.right && r.right > t.left && r.top < t.bottom && r.bottom > t.top;
    return [...document.querySelectorAll('button, a, input, select')]
      .filter((b) => !b.closest(sel) && hit(b.getBoundingClientRect()))
      .map((b) => b.textContent.trim() || b.outerHTML.slice(0, 60));
  }, selector);
}

test('an operator works under a name, confirms with the keyboard, undoes, and keeps work over the demo', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await ready(page);

  // Asked once; kept.
  await page.getByTestId('operator-input').fill('Dana Ops');
  await page.getByTestId('operator-save').click();
  assert.equal((await page.getByTestId('operator-name').textContent()).trim(), 'Dana Ops');

  await ready(page, '/ingest');
  assert.equal((await page.getByTestId('operator-name').textContent()).trim(), 'Dana Ops', 'kept across pages');
  await page.getByTestId('source-name').fill('dana-feed');
  await page.getByTestId('source-add').click();
  const row = page.locator('[data-testid=source-row]', { has: page.locator('[data-testid=source-cell]', { hasText: 'dana-feed' }) });
  await row.getByTestId('source-remove').waitFor();

  // Keyboard only: the dialog takes focus (Cancel), keeps Tab inside, closes on Esc and gives focus back.
  await row.getByTestId('source-remove').focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('confirm-dialog');
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /dana-feed is taken off the whitelist/);
  assert.equal(await focused(page), 'source-remove-cancel');
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'source-remove-confirm', 'Tab wraps inside the dialog');
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'source-remove-cancel');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await focused(page), 'source-remove', 'focus is back on the button that opened it');
  assert.equal(await row.getByTestId('source-remove').count(), 1, 'Esc changed nothing');
  await page.keyboard.press('Enter');
  await dialog.waitFor();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
  await row.getByTestId('source-allow').waitFor();

  // The toast offers undo and covers no control.
  const toast = page.getByTestId('toast').filter({ hasText: 'remove dana-feed' });
  await toast.waitFor();
  assert.deepEqual(await buttonsUnder(page, '[data-testid=toasts]'), [], 'the toasts cover no control');
  await toast.getByTestId('toast-undo').click();
  await row.getByTestId('source-remove').waitFor();
  await page.getByTestId('toast').filter({ hasText: 'undone' }).getByTestId('toast-dismiss').click();
  await page.getByTestId('toast').filter({ hasText: 'undone' }).waitFor({ state: 'detached' });

  // The audit trail says who, and finds the bare name.
  await ready(page, '/audit');
  await page.getByTestId('audit-subject').fill('dana-feed');
  const rows = page.getByTestId('audit-row');
  await rows.first().waitFor();
  const actors = await rows.evaluateAll((trs) => trs.map((tr) => tr.children[2].textContent.trim()));
  assert.equal(actors.length, 3, 'added, removed, added back');
  assert.deepEqual([...new Set(actors)], ['Dana Ops']);

  // The demo over this work asks; cancel keeps the work.
  await page.getByTestId('load-demo').click();
  await dialog.waitFor();
  assert.match(await page.getByTestId('confirm-changes').textContent(), /replaces all \d+ recorded actions/);
  assert.equal(await page.getByTestId('demo-alternative').textContent(), 'Export first');
  await page.getByTestId('demo-cancel').click();
  await ready(page, '/ingest');
  await row.waitFor();
  await screenshot(page, 'daily-work-kept');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the overview leads with a ranked worklist whose actions work and whose links land on the item', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openPage(context);
  await ready(page);
  await page.getByTestId('load-demo').click();
  const items = page.getByTestId('worklist-item');
  await items.first().waitFor();
  // The worklist comes before the verification summary, an open alert first.
  const order = await page.evaluate(() => {
    const w = document.querySelector('[data-testid=worklist]');
    const v = document.querySelector('[data-testid=overall-status]');
    return Boolean(w.compareDocumentPosition(v) & Node.DOCUMENT_POSITION_FOLLOWING);
  });
  assert.ok(order, 'worklist before verification');
  assert.match(await items.first().textContent(), /open alert/);
  const before = await items.count();

  // One click resumes the suspended source; the item leaves the list.
  const suspended = items.filter({ hasText: 'suspended source' });
  await suspended.getByTestId('worklist-action').click();
  await page.getByTestId('worklist-result').filter({ hasText: 'Resume: done' }).waitFor();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=worklist-item]').length === n - 1, before);

  // A link lands on the item itself.
  await items.first().getByTestId('worklist-link').click();
  await page.waitForURL(/\/outcomes#alert-/);
  const id = decodeURIComponent(new URL(page.url()).hash.slice(1));
  const target = page.locator(`[id="${id}"]`);
  await target.waitFor();
  assert.ok(await target.isVisible(), `#${id} is on the page`);
  await screenshot(page, 'daily-worklist-landing');

  // An unknown model id is refused by the engine with a clear error.
  await ready(page, '/readiness');
  await page.getByTestId('assess-clone').fill('clone-z');
  await page.getByTestId('assess-model').fill('lead-scorr');
  await page.getByTestId('record-assessment').click();
  await page.getByTestId('assess-error').filter({ hasText: 'model_id "lead-scorr" is not a known model' }).waitFor();
  assert.equal(await page.locator('[data-testid="clone-row"][data-clone="clone-z"]').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('at 390 px a menu button opens the navigation; every page passes axe-core at 390 and 1280 px', async () => {
  const axe = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const failures = {};
  for (const width of [390, 1280]) {
    // axe is injected as a script tag: the console's CSP allows only its own scripts.
    const context = await browser.newContext({ viewport: { width, height: 844 }, bypassCSP: true });
    const { page, errors } = await openPage(context);
    await ready(page);
    if (width === 390) {
      const links = page.getByTestId('nav-body');
      assert.equal(await links.isVisible(), false, 'the navigation is folded');
      await page.getByTestId('menu-button').click();
      assert.equal(await page.getByTestId('menu-button').getAttribute('aria-expanded'), 'true');
      await page.getByTestId('load-demo').click();
      await page.getByTestId('worklist-item').first().waitFor();
      await page.getByTestId('nav').getByRole('link', { name: '29 Audit trail' }).click();
      await page.waitForURL(`${BASE_URL}/audit`);
      assert.equal(await links.isVisible(), false, 'following a link folds it again');
    } else {
      await openMenu(page);
      await page.getByTestId('load-demo').click();
      await page.getByTestId('worklist-item').first().waitFor();
    }
    for (const [path] of ROUTES) {
      await ready(page, path);
      await page.waitForTimeout(150);
      await page.addScriptTag({ content: axe });
      const result = await page.evaluate(() =>
        window.axe.run(document, { resultTypes: ['violations'] }).then((r) =>
          r.violations
            .filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`),
        ),
      );
      if (result.length) failures[`${width} ${path}`] = result;
      await screenshot(page, `daily-${width}${path === '/' ? '-overview' : path.replaceAll('/', '-')}`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
  assert.deepEqual(failures, {}, 'serious or critical axe-core violations');
});
