// @brain/core/lite: the wasm-bindgen declarations of the lite build (./pkg-lite/) are the API;
// lite.js takes Experiment and assignMany from assign-fast.js, which keeps their declared types.
export * from './pkg-lite/brain_core_lite.js';
export { default } from './pkg-lite/brain_core_lite.js';
