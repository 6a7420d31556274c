// @brain/core: the ES module entry. Everything comes from the wasm-bindgen build in ./pkg/, except
// `Experiment` and `assignMany`, which come from ./assign-fast.js: the same API, with the
// per-user hash run in JS from the plan the wasm core computes once per experiment (a call
// into wasm would cost more than the hash itself). An explicit export takes precedence over
// `export *`, so these two names are the JS ones. `Router` (./route-fast.js) routes a model's
// units to versions the same way, hashing in JS from the engine's route plan.
export * from './pkg/brain_core.js';
export { default, initSync } from './pkg/brain_core.js';
export { Experiment, assignMany } from './assign-fast.js';
export { Router } from './route-fast.js';
