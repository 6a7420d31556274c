// @brain/core: the wasm-bindgen declarations (./pkg/brain_core.d.ts) are the API; index.js
// only speeds up Experiment#assign, Experiment#assignMany and assignMany with the same types.
export * from './pkg/brain_core.js';
export { default } from './pkg/brain_core.js';
