// The engine half of @brain/core, loaded on first use: importing the package for assignment or
// statistics fetches neither the engine's wasm (about 336 KB gzip) nor its wasm-bindgen glue
// (about 9 KB gzip); both come with the first `await Brain.ready()` (any runtime) or
// `Brain.initSync()` (Node 20.16+, which can load the glue synchronously).
//
// `Brain` is a live binding: until the engine is loaded it is a stand-in whose constructor and
// static methods throw `engine_not_loaded` (or, once loaded, forward to the real class); after
// loading it is the wasm-bindgen class itself, so `instanceof Brain` and every static hold. The
// free audit verifiers forward to the engine the same way.

const GLUE = './pkg/brain_core.js';
const WASM = new URL('./pkg/brain_core_bg.wasm', import.meta.url);

/** The engine's wasm-bindgen module, once loaded and instantiated; null until then. */
let engine = null;
/** The load under way (`Brain.ready()`), so concurrent callers share it. */
let loading = null;

function notLoaded(what) {
  const error = new Error(`${what} needs the engine: call await Brain.ready() first (or Brain.initSync() in Node)`);
  error.code = 'engine_not_loaded';
  return error;
}

/** The loaded engine, or throws `engine_not_loaded` naming `what`. */
function loaded(what) {
  if (engine === null) throw notLoaded(what);
  return engine;
}

/** Node's builtin module `name`, synchronously (null elsewhere: browsers, workers, Deno without it). */
function nodeBuiltin(name) {
  const proc = globalThis.process;
  return typeof proc?.getBuiltinModule === 'function' ? proc.getBuiltinModule(name) : null;
}

/** The engine's wasm bytes from disk when this file is a local file under Node (fetch cannot read file: URLs). */
function wasmFromDisk() {
  const fs = WASM.protocol === 'file:' ? nodeBuiltin('node:fs') : null;
  return fs === null ? null : fs.readFileSync(WASM);
}

/**
 * Loads the engine (once): fetches and instantiates its wasm. `input` is what the wasm-bindgen
 * `init` takes (`{ module_or_path }`: a URL, a Response, bytes or a `WebAssembly.Module`);
 * missing, the wasm next to this file is used. Resolves to the `Brain` class.
 */
function ready(input) {
  if (engine !== null) return Promise.resolve(engine.Brain);
  if (loading === null) {
    loading = (async () => {
      const glue = await import(GLUE);
      let arg = input;
      if (arg === undefined) {
        const bytes = wasmFromDisk();
        arg = { module_or_path: bytes ?? WASM };
      }
      await glue.default(arg);
      return install(glue);
    })();
    // A failed load (network, wrong bytes) may be retried.
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

/**
 * Loads the engine synchronously (Node 20.16+: the glue through `require`, the wasm from
 * `options.module` or from disk). Returns the `Brain` class.
 */
function initSync(options) {
  if (engine !== null) return engine.Brain;
  const nodeModule = nodeBuiltin('node:module');
  if (nodeModule === null || typeof nodeModule.createRequire !== 'function') {
    const error = new Error('Brain.initSync() needs Node 20.16 or later (it loads the engine synchronously); elsewhere use await Brain.ready()');
    error.code = 'engine_not_loaded';
    throw error;
  }
  const glue = nodeModule.createRequire(import.meta.url)(GLUE);
  const module = options?.module ?? wasmFromDisk();
  glue.initSync({ module });
  return install(glue);
}

/** Makes the loaded engine the package's: rebinds `Brain`, gives the real class `ready`/`initSync`. */
function install(glue) {
  engine = glue;
  glue.Brain.ready = ready;
  glue.Brain.initSync = initSync;
  Brain = glue.Brain;
  return glue.Brain;
}

/** `Brain` until the engine is loaded; forwards to the real class once it is. */
class PendingBrain {
  constructor(policy) {
    return new (loaded('new Brain()').Brain)(policy);
  }

  static ready(input) {
    return ready(input);
  }

  static initSync(options) {
    return initSync(options);
  }

  static fromJSON(snapshot) {
    return loaded('Brain.fromJSON').Brain.fromJSON(snapshot);
  }

  static demo(at) {
    return loaded('Brain.demo').Brain.demo(at);
  }

  static [Symbol.hasInstance](value) {
    return engine !== null && value instanceof engine.Brain;
  }
}

export let Brain = PendingBrain;

export function verifyInclusion(...args) {
  return loaded('verifyInclusion').verifyInclusion(...args);
}

export function verifyConsistency(...args) {
  return loaded('verifyConsistency').verifyConsistency(...args);
}

export function verifyAuditExport(...args) {
  return loaded('verifyAuditExport').verifyAuditExport(...args);
}

export function verifyAuditFilteredExport(...args) {
  return loaded('verifyAuditFilteredExport').verifyAuditFilteredExport(...args);
}

export function promotionPreset(...args) {
  return loaded('promotionPreset').promotionPreset(...args);
}
