// The JS half of routing's hot path: `Router` takes a model's route plan from the engine once
// (`brain.routePlan(modelId)`: the active rollout's id as seed, its stage's traffic share, the
// version rolled out and the one serving the rest) and hashes each unit here with GrowthBook's
// hash (version 2, FNV-1a over UTF-16 code units: `hash-fast.js`, as `Experiment` does), so
// `router.route(unitId)` gives exactly what `brain.route(modelId, unitId)` gives without a call
// into wasm. The plan is read once: after a command that changes the model's rollout or
// champion, call `refresh()` (or build a new Router).
import { hashV2 } from './hash-fast.js';

function invalidInput(message) {
  const error = new Error(message);
  error.code = 'invalid_input';
  return error;
}

/** Routes a model's units to versions, hashing in JS. */
export class Router {
  #brain;
  #modelId;
  #value = null;
  #traffic = 0;
  #candidate;
  #baseline;

  /** `brain` is a `Brain`; `modelId` a registered model (else `unknown_model`). */
  constructor(brain, modelId) {
    if (typeof modelId !== 'string') throw invalidInput('modelId must be a string');
    this.#brain = brain;
    this.#modelId = modelId;
    this.refresh();
  }

  /** Reads the model's route plan from the brain again. */
  refresh() {
    const plan = this.#brain.routePlan(this.#modelId);
    if (plan === undefined) {
      const error = new Error(`model ${this.#modelId} is not registered`);
      error.code = 'unknown_model';
      throw error;
    }
    this.#candidate = plan.candidate ?? undefined;
    this.#baseline = plan.baseline ?? undefined;
    this.#traffic = plan.traffic;
    this.#value = this.#candidate === undefined ? null : hashV2(plan.seed);
  }

  /** The version serving `unitId` (undefined when the model has no champion). */
  route(unitId) {
    if (typeof unitId !== 'string') throw invalidInput('unitId must be a string');
    const value = this.#value;
    if (value !== null) {
      const v = value(unitId);
      if (v >= 0 && v / 10000 < this.#traffic) return this.#candidate;
    }
    return this.#baseline;
  }
}
