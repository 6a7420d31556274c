// Trunk post-build hook (Trunk.toml): makes dist/ work on a plain static server with no
// single-page fallback. For every route of web/src/app.rs (`path!("/ab")`, ...) it writes
// <staging>/ab/index.html, a copy of the built index.html (its asset paths are absolute), and
// <staging>/404.html for hosts that serve one for unknown paths. It also refuses a build whose
// index.html has an inline script or lacks the Content-Security-Policy: the policy allows
// scripts from 'self' only, so such a page would not start.
// Trunk sets TRUNK_STAGING_DIR; by hand: node scripts/static-routes.mjs [dist]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The routes of the console's router, without "/" (served by index.html itself). */
export function routesOf(appSource) {
  const routes = [...appSource.matchAll(/path!\(\s*"([^"]*)"\s*\)/g)].map((m) => m[1]);
  for (const r of routes) {
    if (!/^\/[a-z0-9-]*(\/[a-z0-9-]+)*$/.test(r)) throw new Error(`unexpected route ${JSON.stringify(r)} in web/src/app.rs`);
  }
  return routes.filter((r) => r !== '/');
}

/** Why the built page would break under its own policy, or null. */
export function policyProblem(html) {
  const csp = html.match(/<meta[^>]+http-equiv=["']?Content-Security-Policy["']?[^>]*>/i);
  if (!csp) return 'index.html has no Content-Security-Policy meta tag';
  for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) {
    if (!/\bsrc=/i.test(tag)) return `index.html has an inline script (${tag}); the policy allows scripts from 'self' only`;
  }
  return null;
}

function main() {
  const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2] ?? join(ROOT, 'dist');
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const problem = policyProblem(html);
  if (problem) {
    console.error(`static-routes: ${problem}`);
    process.exit(1);
  }
  const routes = routesOf(readFileSync(join(ROOT, 'web', 'src', 'app.rs'), 'utf8'));
  if (routes.length === 0) {
    console.error('static-routes: no route found in web/src/app.rs');
    process.exit(1);
  }
  for (const route of routes) {
    const folder = join(dir, ...route.split('/').filter(Boolean));
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'index.html'), html);
  }
  writeFileSync(join(dir, '404.html'), html);
  console.log(`static-routes: index.html copied for ${routes.length} routes and 404.html`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
