// @brain/core: the ES module entry. Assignment and statistics are the lite entry's (./lite.js,
// shipped without comments as ./pkg-lite/lite.js by scripts/build-js.sh: `init()` /
// `initSync({ module })` load its small wasm, and importing this file for them costs what the
// lite entry costs); the engine (`Brain` and the audit verifiers) comes from
// ./engine.js, which fetches and instantiates the engine's wasm on first use:
// `await Brain.ready()` (browsers and Node) or `Brain.initSync()` (Node).
export * from './pkg-lite/lite.js';
export { default, initSync } from './pkg-lite/lite.js';
export {
  Brain,
  verifyInclusion,
  verifyConsistency,
  verifyAuditExport,
  verifyAuditFilteredExport,
  promotionPreset,
} from './engine.js';
// `Router` (./route-fast.js) routes a model's units to versions as `brain.route` does, hashing in
// JS from the engine's route plan.
export { Router } from './route-fast.js';
