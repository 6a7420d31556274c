// A static server for the built console on 127.0.0.1, with the single-page fallback:
// any path that is not a file gets index.html, so deep links to a page work.
// Usage: node tests/serve.mjs <dir> <port>
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** Resolve a URL path inside `root`, or null when it escapes it. */
export function resolveInside(root, urlPath) {
  const decoded = decodeURIComponent(urlPath.split('?')[0]);
  const full = resolve(join(root, normalize(decoded)));
  return full.startsWith(resolve(root)) ? full : null;
}

export function startServer(root, port, host = '127.0.0.1') {
  const server = createServer(async (req, res) => {
    let file = resolveInside(root, req.url ?? '/');
    if (file === null) {
      res.writeHead(400).end('bad path');
      return;
    }
    try {
      if (!(await stat(file)).isFile()) file = join(root, 'index.html');
    } catch {
      file = extname(file) === '' ? join(root, 'index.html') : null;
    }
    if (file === null) {
      res.writeHead(404).end('not found');
      return;
    }
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  });
  return new Promise((ok) => server.listen(port, host, () => ok(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir = 'dist', port = '8091'] = process.argv.slice(2);
  await startServer(dir, Number(port));
  console.log(`serving ${dir} on http://127.0.0.1:${port}`);
}
