// The e2e static server: deep links fall back to index.html, files keep their type,
// and no path escapes the served folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, resolveInside } from '../serve.mjs';

async function withServer(fn) {
  const dir = await mkdtemp(join(tmpdir(), 'brain-serve-'));
  await writeFile(join(dir, 'index.html'), '<p>index</p>');
  await writeFile(join(dir, 'app.wasm'), Buffer.from([0, 97, 115, 109]));
  const server = await startServer(dir, 0);
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    await fn(base, dir);
  } finally {
    server.close();
  }
}

test('a deep link to a page gets index.html', async () => {
  await withServer(async (base) => {
    const res = await fetch(`${base}/ab`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '<p>index</p>');
  });
});

test('wasm is served with its MIME type, which streaming compilation needs', async () => {
  await withServer(async (base) => {
    const res = await fetch(`${base}/app.wasm`);
    assert.equal(res.headers.get('content-type'), 'application/wasm');
  });
});

test('a missing asset is a 404, not the index page', async () => {
  await withServer(async (base) => {
    assert.equal((await fetch(`${base}/missing.js`)).status, 404);
  });
});

test('a path cannot escape the served folder', () => {
  for (const attack of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/a/../../../etc/passwd']) {
    assert.equal(resolveInside('/srv/dist', attack), '/srv/dist/etc/passwd', attack);
  }
});
