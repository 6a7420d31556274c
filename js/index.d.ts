// @brain/core: the engine build's wasm-bindgen declarations (./pkg/brain_core.d.ts) are the API
// of `Brain`, the verifiers and every type (with `Brain.ready` / `Brain.initSync` through a
// namespace merged with the class); assignment and statistics, `init` and `initSync` are the
// lite entry's, which index.js exports (declared in ./lite.d.ts).
export * from './pkg/brain_core.js';
export {
  default, initSync, gbHash, bucketRanges, chooseVariation, assign, assignMany, Experiment, proportionZTest,
  liftTTest, sequentialLiftTest, chanceToBeat, srmPValue, adjustPValues, sampleSizePerArm, detectableEffect,
  rateInterval, ksTest, psi, meanLiftTTest, meanSequentialTest, meanBayesian, ratioLiftTTest, cupedLiftTTest,
} from './lite.js';
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
