// @brain/core/lite: assignment and statistics only, from a wasm built without the engine
// (`--no-default-features --features js`: no Brain, no JSON reader), a few tens of KB gzip.
// Everything comes from the wasm-bindgen build in ./pkg-lite/, so a function added to
// core/src/js/assign.rs or stats.rs is exported here with no change to this file; `Experiment`
// and `assignMany` come from ./assign-fast.js (the same API, hashing in JS from the plan the
// wasm computes once: a call into wasm per user would cost more than the hash). An explicit
// export takes precedence over `export *`, so these two names are the JS ones.
// Browsers: `await init()` (fetches pkg-lite/brain_core_lite_bg.wasm); Node: `initSync({ module })`.
export * from './pkg-lite/brain_core_lite.js';
export { default, initSync } from './pkg-lite/brain_core_lite.js';
export { Experiment, assignMany } from './assign-fast.js';
