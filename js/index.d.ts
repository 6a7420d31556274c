// @brain/core: the wasm-bindgen declarations (./pkg/brain_core.d.ts) are the API; index.js takes
// Experiment and assignMany from assign-fast.js, which keeps their declared types.
export * from './pkg/brain_core.js';
export { default } from './pkg/brain_core.js';
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
