// Starts the console. Trunk would otherwise inject an inline <script type="module"> that
// imports the wasm-bindgen glue and calls init; the Content-Security-Policy in index.html
// allows scripts from 'self' only (no inline script, no hash to keep in step with each
// build), so Trunk.toml's `pattern_script` loads this file instead and passes the hashed
// names of the glue and the wasm in data attributes.
const tag = document.querySelector('script[data-brain-js][data-brain-wasm]');
if (tag === null) throw new Error('boot.js: no script tag with data-brain-js and data-brain-wasm');

// A plain static host serves the page of /ab from dist/ab/index.html and redirects /ab to
// /ab/; the router's paths have no trailing slash, so drop it before the router reads it.
const { pathname, search, hash } = window.location;
if (pathname.length > 1 && pathname.endsWith('/')) {
  window.history.replaceState(window.history.state, '', pathname.replace(/\/+$/, '') + search + hash);
}

const { default: init } = await import(tag.dataset.brainJs);
await init({ module_or_path: tag.dataset.brainWasm });
