// Every page with the demo loaded: every input, select and textarea has a label (a <label for>,
// a wrapping label or aria-label); the page is readable on a narrow screen (390 px: nothing
// pushes the page wider than the screen, wide tables scroll inside their panel) and at 1280x720;
// and the console can be used from the keyboard (Tab reaches the navigation and the forms,
// Enter follows a link and submits a form). Screenshots at 390 px are saved as artifacts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, ROUTES as PAGES, launch, loadDemo, openPage, screenshot } from './browser.mjs';

const ROUTES = PAGES.map(([path]) => path);

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function withDemo(viewport) {
  const context = await browser.newContext({ viewport });
  const { page, errors } = await openPage(context);
  await loadDemo(page);
  return { context, page, errors };
}

async function open(page, path) {
  await page.goto(`${BASE_URL}${path}`);
  await page.getByTestId('page-title').waitFor();
  // Let charts and computed panels settle.
  await page.waitForTimeout(150);
}

/** Form controls a user can reach that have no accessible name. */
function unlabelled(page) {
  return page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (el.type === 'hidden' || el.type === 'file' || el.closest('[hidden]')) continue;
      const byLabel = [...(el.labels ?? [])].some((l) => l.textContent.trim() !== '');
      const byAria = (el.getAttribute('aria-label') ?? '').trim() !== '';
      const byRef = (el.getAttribute('aria-labelledby') ?? '')
        .split(/\s+/)
        .some((id) => id && (document.getElementById(id)?.textContent ?? '').trim() !== '');
      if (!byLabel && !byAria && !byRef) out.push(el.outerHTML.slice(0, 120));
    }
    return out;
  });
}

test('every input, select and textarea on every page has a label', async () => {
  const { context, page, errors } = await withDemo({ width: 1280, height: 720 });
  const missing = {};
  for (const path of ROUTES) {
    await open(page, path);
    const list = await unlabelled(page);
    if (list.length) missing[path] = list;
  }
  assert.deepEqual(missing, {}, 'form controls without a label');
  assert.deepEqual(errors, []);
  await context.close();
});

/** What sticks out past the right edge of the screen (the page itself must not scroll sideways). */
function overflow(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [];
    if (document.documentElement.scrollWidth > width + 1) {
      for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > width + 1) {
          // Report the outermost offender only.
          const parent = el.parentElement?.getBoundingClientRect();
          if (!parent || parent.right <= width + 1) wide.push(`${el.tagName.toLowerCase()}.${el.className} (right ${Math.round(r.right)})`);
        }
      }
    }
    return { width, scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 5) };
  });
}

test('on a 390 px wide screen no page scrolls sideways; wide tables scroll in their panel', async () => {
  const { context, page, errors } = await withDemo({ width: 390, height: 844 });
  const wide = {};
  for (const path of ROUTES) {
    await open(page, path);
    const o = await overflow(page);
    if (o.scrollWidth > o.width + 1) wide[path] = o;
    await screenshot(page, `narrow${path === '/' ? '-overview' : path.replaceAll('/', '-')}`);
  }
  assert.deepEqual(wide, {}, 'pages wider than the screen');
  // The navigation is still there, above the page.
  const nav = await page.getByTestId('nav').boundingBox();
  const title = await page.getByTestId('page-title').boundingBox();
  assert.ok(nav.y + nav.height <= title.y + 1, 'the navigation sits above the page title');
  assert.deepEqual(errors, []);
  await context.close();
});

test('at 1280x720 the navigation and the page title are in view and nothing scrolls sideways', async () => {
  const { context, page, errors } = await withDemo({ width: 1280, height: 720 });
  for (const path of ROUTES) {
    await open(page, path);
    const o = await overflow(page);
    assert.ok(o.scrollWidth <= o.width + 1, `${path} is wider than 1280 px: ${JSON.stringify(o)}`);
    const title = await page.getByTestId('page-title').boundingBox();
    assert.ok(title.y >= 0 && title.y + title.height <= 720, `${path}: title in view`);
    assert.ok(await page.getByTestId('nav').isVisible(), `${path}: navigation visible`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('the keyboard reaches the navigation and the forms; Enter follows links and submits', async () => {
  const { context, page, errors } = await withDemo({ width: 1280, height: 720 });
  await open(page, '/');
  // Tab from the top of the page reaches the navigation's links in order.
  await page.locator('body').focus();
  const seen = [];
  for (let i = 0; i < 40 && !seen.includes('21 A/B tracking'); i++) {
    await page.keyboard.press('Tab');
    seen.push(await page.evaluate(() => document.activeElement?.textContent?.trim() ?? ''));
  }
  assert.ok(seen.includes('21 A/B tracking'), `Tab reached: ${seen.join(' | ')}`);
  // The focused link is visibly marked.
  const outlined = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return s.outlineStyle !== 'none' || s.backgroundColor !== 'rgba(0, 0, 0, 0)';
  });
  assert.ok(outlined, 'the focused link is visibly marked');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${BASE_URL}/ab`);
  assert.equal((await page.getByTestId('page-title').textContent()).trim(), '21 A/B tracking');

  // Fill the "Add a variant" form with the keyboard only and submit it with Enter.
  await page.getByTestId('ab-experiment').focus();
  await page.keyboard.type('keyboard-exp');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'ab-variant', 'Tab moves to the next field');
  await page.keyboard.type('kb-control');
  await page.keyboard.press('Enter');
  await page.getByTestId('ab-variant-result').filter({ hasText: 'variant kb-control added' }).waitFor();
  const options = await page.getByTestId('ab-experiment-select').locator('option').allTextContents();
  assert.ok(options.includes('keyboard-exp'), `the new experiment is offered: ${options.join(', ')}`);
  assert.deepEqual(errors, []);
  await context.close();
});
