// The post-build hook that makes dist/ work on a plain static server: it finds every route of
// the router (the same list the e2e tests walk), and refuses a page its own policy would break.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { routesOf, policyProblem } from '../../scripts/static-routes.mjs';
import { ROUTES } from '../e2e/browser.mjs';

const ROOT = join(import.meta.dirname, '..', '..');

test("the router's routes are the e2e routes, each to be written as a folder", () => {
  const routes = routesOf(readFileSync(join(ROOT, 'web', 'src', 'app.rs'), 'utf8'));
  assert.deepEqual(
    routes,
    ROUTES.map(([path]) => path).filter((p) => p !== '/'),
  );
});

test('a route that is not a plain path is refused rather than written somewhere odd', () => {
  assert.throws(() => routesOf('path!("/../etc")'), /unexpected route/);
  assert.throws(() => routesOf('path!("/:id")'), /unexpected route/);
});

test('an index.html the policy would break is refused', () => {
  const csp = `<meta http-equiv="Content-Security-Policy" content="script-src 'self'">`;
  assert.equal(policyProblem(`${csp}<script type="module" src="/boot.js"></script>`), null);
  assert.match(policyProblem(`${csp}<script type="module">import init from '/x.js'</script>`), /inline script/);
  assert.match(policyProblem('<script src="/boot.js"></script>'), /no Content-Security-Policy/);
});

test('the committed index.html carries the policy and no inline script', () => {
  assert.equal(policyProblem(readFileSync(join(ROOT, 'index.html'), 'utf8')), null);
});
