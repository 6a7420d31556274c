// The engine benches' history: the demo's commands, then RecordCounts of three variants up to `n`
// commands, one second apart (tests/bench/engine.mjs, engine-cpu.mjs and engine-cpu-ab.mjs
// measure the same log), and the CPU-time round that engine-cpu.mjs and engine-cpu-ab.mjs share.
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

/** CPU milliseconds (user + system) of `fn`. */
export function cpuMs(fn) {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

/**
 * One round: the CPU ms of `executeAll(log)` on a new Brain and of `Brain.fromJSON(text)`
 * (`text` defaults to the snapshot this round wrote), and the snapshot's text.
 */
export function cpuRound(Brain, log, text) {
  const brain = new Brain();
  const executeAll = cpuMs(() => brain.executeAll(log));
  const snapshot = text ?? JSON.stringify(brain);
  brain.free();
  let read;
  const fromJSON = cpuMs(() => { read = Brain.fromJSON(snapshot); });
  read.free();
  return { executeAll, fromJSON, text: snapshot };
}
