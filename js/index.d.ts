// @brain/core: the wasm-bindgen declarations (./pkg/brain_core.d.ts) are the API; index.js takes
// Experiment and assignMany from assign-fast.js, which keeps their declared types.
export * from './pkg/brain_core.js';
export { default } from './pkg/brain_core.js';
