// The history and search of the tuning benchmark, shared by tests/bench/tune.mjs (Node) and
// tests/bench/tune-chromium.mjs (the same module imported in the page): the demo grown to
// 10,000 commands as core/benches/tuning.rs grows it, and the bench's search spec.
// Plain ES module with no Node imports, so a browser can import it from the served repository.

/** Grows `brain` (a `Brain` of the package) to `size` commands; refused commands stay out of
 * the log, as in the Rust bench. */
export function grow(brain, size = 10_000) {
  let at = Date.parse(brain.log().at(-1).at);
  const scripts = ['warm-open', 'direct-ask', 'story-led'];
  for (let k = 0; brain.position < size && k < 4 * size; k++) {
    at += 10 * 60_000;
    const when = new Date(at).toISOString();
    const r = k % 10;
    let cmd;
    if (r <= 6) cmd = { at: when, block: 'ab', type: 'RecordCounts', experiment_id: 'opening-script', variant: scripts[k % 3], trials: 20, conversions: k % 5 };
    else if (r <= 8) cmd = { at: when, block: 'promotion', type: 'EvaluateScript', script_id: scripts[k % 3] };
    else cmd = { at: when, block: 'outcomes', type: 'RecordOutcome', series_id: 'close_rate/story-led', outcome_id: `bench-${k}`, value: 0.08 + 0.01 * (Math.floor(k / 10) % 5) };
    try {
      brain.execute(cmd);
    } catch {
      // A refused command is not in the log.
    }
  }
}

/** The bench's search: 100 seeded random candidates over three fields, with a hold-out. */
export function spec(candidates = 100) {
  return {
    parameters: [
      { path: 'promotion.primary_rate', range: { min: 0.06, max: 0.3, step: 0.01 } },
      { path: 'promotion.consecutive', range: { min: 1, max: 6, step: 1 } },
      { path: 'outcomes.regression_tolerance', range: { min: 0.05, max: 0.5, step: 0.05 } },
    ],
    search: { kind: 'random', candidates, seed: 17 },
    objective: 'reversed_promotions',
    constraints: [{ objective: 'alerts_per_week' }],
    holdout: 0.3,
  };
}
