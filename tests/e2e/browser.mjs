// Shared set-up of the end-to-end tests: Debian's Chromium driven by playwright-core,
// a page that records every console error and uncaught exception (a wasm panic shows as one),
// and screenshots saved as artifacts under tests/artifacts/.
import { chromium } from 'playwright-core';
import { mkdir } from 'node:fs/promises';

export const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:8080';

/** Every page of the console: its route and its title, in the navigation's order. */
export const ROUTES = [
  ['/', 'Overview'],
  ['/ab', '21 A/B tracking'],
  ['/promotion', '22 Script promotion'],
  ['/packets', '23 Deal packets'],
  ['/ingest', '24 Learning ingestion'],
  ['/outcomes', '25 Outcome evaluation'],
  ['/models', '26 Safe model updates'],
  ['/rollouts', 'Staged rollouts'],
  ['/monitoring', 'Monitoring'],
  ['/readiness', '27 Clone readiness'],
  ['/gates', '28 Gate enforcement'],
  ['/audit', '29 Audit trail'],
  ['/verify', '30 Verification'],
  ['/policy', 'Policy'],
  ['/what-if', 'What-if'],
];
export const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * A new page whose console errors and page errors are collected in `errors`. The console's
 * automatic monitoring checks are off (`window.brainChecks = 'off'`): whether one is due
 * depends on the wall clock against the demo's time; `{ checks: true }` keeps them on
 * (tests/e2e/monitoring.test.mjs).
 */
export async function openPage(context, { checks = false } = {}) {
  const page = await context.newPage();
  if (!checks) await page.addInitScript(() => { window.brainChecks = 'off'; });
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  return { page, errors };
}

export async function screenshot(page, name) {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
}

/** Opens the sidebar's data menu: under 600 px it is folded behind the menu button. */
export async function openMenu(page) {
  await page.getByTestId('nav').waitFor();
  if (!(await page.getByTestId('nav-body').isVisible())) await page.getByTestId('menu-button').click();
}

/** Opens the overview, loads the demo data and waits until its verification passes. */
export async function loadDemo(page) {
  await page.goto(`${BASE_URL}/`);
  await openMenu(page);
  await page.getByTestId('load-demo').click();
  await page.getByTestId('overall-status').filter({ hasText: 'pass' }).waitFor();
}

// Toasts: remember the newest before an action, to tell the action's own toast afterwards
// (at most three show, so counting them does not work).
const isNewToast = () => {
  const last = document.querySelector('[data-testid=toasts]')?.lastElementChild ?? null;
  return last !== null && last !== window.__lastToast;
};
export function markToasts(page) {
  return page.evaluate(() => {
    window.__lastToast = document.querySelector('[data-testid=toasts]')?.lastElementChild ?? null;
  });
}
/** Whether a toast appeared since `markToasts`. */
export function hasNewToast(page) {
  return page.evaluate(isNewToast);
}
/** Waits for a toast that appeared since `markToasts`. */
export function waitForNewToast(page) {
  return page.waitForFunction(isNewToast);
}

/** Opens `path` and waits for the console's page title (the app has mounted). */
export async function ready(page, path = '/') {
  await page.goto(`${BASE_URL}${path}`);
  await page.getByTestId('page-title').waitFor({ timeout: 15_000 });
}

/**
 * Polls `fn` in the page (it may be async) every 20 ms until it returns a truthy value, which is
 * returned. Playwright's `waitForFunction` takes a returned Promise itself as truthy, so it cannot
 * wait on an asynchronous page API (`navigator.locks.query()`).
 */
export async function until(page, fn, arg = null, { timeout = 10_000, what = 'a condition' } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await page.evaluate(fn, arg);
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Resolves once no save is queued or running: a save runs under the Web Lock `brain.console.log`
 * (web/src/storage/format.rs LOCK_NAME), requested by the action itself, and asynchronously
 * (web/src/fence.rs reads IndexedDB first), so what storage holds is read after it.
 */
export function saved(page) {
  return until(
    page,
    async () => {
      const { held, pending } = await navigator.locks.query();
      return ![...held, ...pending].some((l) => l.name === 'brain.console.log');
    },
    null,
    { what: 'the console to finish saving' },
  );
}

/** The stored head and the commands of its generation, read as another tab would, once saved. */
export async function storedLog(page) {
  await saved(page);
  return page.evaluate((headKey) => {
    const head = JSON.parse(localStorage.getItem(headKey));
    const commands = [];
    for (let n = 0; n < head.chunks; n++) commands.push(...JSON.parse(localStorage.getItem(`brain.console.log.${head.epoch}.${n}`)));
    return { head, commands: commands.slice(0, head.revision), keys: Object.keys(localStorage).sort() };
  }, 'brain.console.head');
}
