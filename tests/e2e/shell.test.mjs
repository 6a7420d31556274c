// The console shell: every route renders its page with its title, the navigation lists
// every page, and no route logs a console error or panics.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, ROUTES, launch, openPage, screenshot } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('every route renders its title without console errors', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const { page, errors } = await openPage(context);
  for (const [path, title] of ROUTES) {
    await page.goto(`${BASE_URL}${path}`);
    const heading = page.getByTestId('page-title');
    await heading.waitFor({ timeout: 10_000 });
    assert.equal((await heading.textContent()).trim(), title, `title of ${path}`);
    await screenshot(page, `shell${path === '/' ? '-overview' : path.replaceAll('/', '-')}`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('the navigation lists every page and moves between them', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/`);
  const nav = page.getByTestId('nav');
  await nav.waitFor();
  assert.ok(await nav.isVisible(), 'navigation visible');
  const labels = (await nav.getByRole('link').allTextContents()).map((t) => t.trim());
  assert.deepEqual(labels, ROUTES.map(([, title]) => title));
  await nav.getByRole('link', { name: '29 Audit trail' }).click();
  await page.waitForURL(`${BASE_URL}/audit`);
  assert.equal((await page.getByTestId('page-title').textContent()).trim(), '29 Audit trail');
  assert.deepEqual(errors, []);
  await context.close();
});

test('an unknown address says so and keeps the navigation', async () => {
  const context = await browser.newContext();
  const { page } = await openPage(context);
  await page.goto(`${BASE_URL}/no-such-page`);
  const heading = page.getByTestId('page-title');
  await heading.waitFor();
  assert.equal((await heading.textContent()).trim(), 'Page not found');
  assert.ok(await page.getByTestId('nav').isVisible());
  await context.close();
});
