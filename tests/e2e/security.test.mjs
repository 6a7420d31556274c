// Security basics: the console runs under a strict Content-Security-Policy (scripts from
// 'self' only, plus compiling its own wasm) without a single violation, and dist/ works on a
// plain static server with no single-page fallback: every route opened directly and reloaded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE_URL, ROUTES, launch, openPage } from './browser.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIST = process.env.DIST_DIR ?? join(ROOT, 'dist');

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** A page whose CSP violations (and console errors) are collected from before any script runs. */
async function watchedPage(context) {
  const { page, errors } = await openPage(context);
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  const violations = () => page.evaluate(() => window.__violations ?? []);
  return { page, errors, violations };
}

/** The directives of the page's policy meta tag, as { name: [sources] }. */
async function policyOf(page) {
  const content = await page.evaluate(
    () => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? null,
  );
  assert.ok(content, 'a Content-Security-Policy meta tag');
  return Object.fromEntries(
    content
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name, sources]),
  );
}

test('the policy is present and strict: scripts from self and wasm compilation only', async () => {
  const context = await browser.newContext();
  const { page } = await watchedPage(context);
  await page.goto(`${BASE_URL}/`);
  await page.getByTestId('page-title').waitFor();
  const policy = await policyOf(page);
  assert.deepEqual(policy['script-src'], ["'self'", "'wasm-unsafe-eval'"]);
  assert.deepEqual(policy['default-src'], ["'self'"]);
  assert.deepEqual(policy['object-src'], ["'none'"]);
  assert.deepEqual(policy['base-uri'], ["'none'"]);
  assert.deepEqual(policy['style-src'], ["'self'"]);
  for (const [name, sources] of Object.entries(policy)) {
    for (const loose of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", '*', 'http:', 'https:', 'data:', 'blob:']) {
      // The one exception: style attributes, which leptos-chartistry sets and which run no code.
      const allowed = (name === 'style-src-attr' && loose === "'unsafe-inline'") || (name === 'img-src' && loose === 'data:');
      assert.ok(allowed || !sources.includes(loose), `${name} allows ${loose}`);
    }
  }
  // No inline script at all: every script element loads a file.
  const inline = await page.evaluate(() => [...document.scripts].filter((s) => !s.src).length);
  assert.equal(inline, 0, 'inline scripts');
  await context.close();
});

test('the console loads, acts and shows every page with no policy violation or console error', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors, violations } = await watchedPage(context);
  await page.goto(`${BASE_URL}/`);
  await page.getByTestId('load-demo').click();
  await page.getByTestId('overall-status').filter({ hasText: 'pass' }).waitFor();
  const nav = page.getByTestId('nav');
  for (const [path, title] of ROUTES) {
    // By address: a link's name may carry a badge (Monitoring's unread count).
    await nav.locator(`a[href="${path}"]`).click();
    await page.waitForURL(`${BASE_URL}${path}`);
    await page.getByTestId('page-title').filter({ hasText: title }).waitFor();
  }
  assert.deepEqual(await violations(), []);
  assert.deepEqual(errors, []);
  await context.close();
});

/** Serves `dir` with Python's http.server on a free loopback port: files only, no fallback. */
async function plainStaticServer(dir) {
  const child = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = await new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`http.server did not start: ${out}`)), 10_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/port (\d+)/);
      if (m) {
        clearTimeout(timer);
        ok(Number(m[1]));
      }
    });
    child.on('exit', (code) => fail(new Error(`http.server exited (${code}): ${out}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

test('on a plain static server every route opens directly and survives a reload', async (t) => {
  assert.ok(existsSync(join(DIST, 'index.html')), `${DIST}/index.html: build dist/ first (DIST_DIR)`);
  const server = await plainStaticServer(DIST);
  t.after(server.stop);
  // It really has no single-page fallback: an unknown path is a 404.
  assert.equal((await fetch(`${server.url}/no-such-page`)).status, 404);

  const context = await browser.newContext();
  const { page, errors, violations } = await watchedPage(context);
  for (const [path, title] of ROUTES) {
    for (const address of path === '/' ? ['/'] : [path, `${path}/`]) {
      const response = await page.goto(`${server.url}${address}`);
      assert.equal(response.status(), 200, `GET ${address}`);
      await page.getByTestId('page-title').filter({ hasText: title }).waitFor({ timeout: 10_000 });
      assert.equal(new URL(page.url()).pathname, path, `address of ${address} after start`);
      await page.reload();
      await page.getByTestId('page-title').filter({ hasText: title }).waitFor({ timeout: 10_000 });
    }
  }
  assert.deepEqual(await violations(), []);
  assert.deepEqual(errors, []);
  await context.close();
});
