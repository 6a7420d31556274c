// The README's Node example runs as written (the root package.json links @brain/core to js/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, ROOT } from './js-pkg.mjs';

test('the Node example of js/README.md runs and prints what it says', () => {
  ensureBuilt();
  const readme = readFileSync(join(ROOT, 'js', 'README.md'), 'utf8');
  const code = readme.match(/## Example: Node 20\+\n\n```js\n([\s\S]*?)```/)?.[1];
  assert.ok(code, 'no Node example in js/README.md');
  const file = join(ROOT, `.readme-example-${process.pid}.mjs`);
  writeFileSync(file, code);
  try {
    const out = execFileSync(process.execPath, [file], { encoding: 'utf8', cwd: ROOT });
    assert.match(out, /inExperiment/);
    assert.match(out, /unknown_experiment/);
    assert.match(out, /^cuped$/m, 'the covariate made the metric test CUPED');
    assert.match(out, /^promote$/m, 'the bumped version promotes on its metric evidence');
    assert.match(out, /\bpass\b/);
    assert.match(out, /\btrue\n$/);
  } finally {
    rmSync(file, { force: true });
  }
});

test('the browser example of js/README.md is js/example.html, which the Chromium test loads', () => {
  const readme = readFileSync(join(ROOT, 'js', 'README.md'), 'utf8');
  const html = readme.match(/## Example: browser\n[\s\S]*?```html\n([\s\S]*?)```/)?.[1];
  assert.equal(html, readFileSync(join(ROOT, 'js', 'example.html'), 'utf8'));
});
