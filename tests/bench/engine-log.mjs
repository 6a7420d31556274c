// The engine benches' history: the demo's commands, then RecordCounts of three variants up to `n`
// commands, one second apart (tests/bench/engine.mjs and engine-cpu.mjs measure the same log).
export function engineLog(Brain, n) {
  const log = Brain.demo(new Date(Date.parse('2026-03-02T09:00:00Z'))).log();
  let t = Date.parse(log[log.length - 1].at) + 1000;
  const variants = ['warm-open', 'direct-ask', 'story-led'];
  for (let i = 0; log.length < n; i++) {
    t += 1000;
    log.push({ at: new Date(t).toISOString(), block: 'ab', type: 'RecordCounts', experiment: 'opening-script', variant: variants[i % 3], trials: 10, conversions: 1 });
  }
  return log;
}
