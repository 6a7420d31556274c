// @brain/core: the engine build's wasm-bindgen declarations (./pkg/brain_core.d.ts) are the API
// (they declare assignment and statistics exactly as the lite build does, and `Brain.ready` /
// `Brain.initSync` through a namespace merged with the class); `init` and `initSync` are the lite
// entry's, which index.js exports.
export * from './pkg/brain_core.js';
export { default, initSync } from './lite.js';
import type { Brain } from './pkg/brain_core.js';
/**
 * Routes a model's units to versions exactly as `brain.route(modelId, unitId)`, hashing in JS
 * from the plan `brain.routePlan(modelId)` gives; `refresh()` after commands that change the
 * model's rollout or champion.
 */
export declare class Router {
  constructor(brain: Brain, modelId: string);
  refresh(): void;
  route(unitId: string): string | undefined;
}
