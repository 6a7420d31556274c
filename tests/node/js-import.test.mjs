// Brain.fromJSON takes in only what the console's import takes in: a snapshot whose state, events,
// command log or policy was edited after the fact is refused with a code, and one written by
// toJSON loads to the same state. (The console's own checks: web/src/components/data_menu.rs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, thrown } from './js-pkg.mjs';

const bc = await load();
const T0 = '2026-03-02T09:00:00Z';

/** The demo's snapshot, as plain JSON data. */
function demoSnapshot() {
  const demo = bc.Brain.demo(T0);
  const snapshot = demo.toJSON();
  demo.free();
  return snapshot;
}

/** Path (array of keys) of the first leaf under `root` whose key is `key` and value a number > 0. */
function findCount(root, key, path = []) {
  if (root === null || typeof root !== 'object') return null;
  for (const [k, v] of Object.entries(root)) {
    if (k === key && typeof v === 'number' && v > 0) return [...path, k];
    const found = findCount(v, key, [...path, k]);
    if (found) return found;
  }
  return null;
}

function setAt(root, path, value) {
  const copy = structuredClone(root);
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k];
  node[path.at(-1)] = value;
  return copy;
}

function getAt(root, path) {
  return path.reduce((node, k) => node[k], root);
}

/** fromJSON refuses `snapshot` (as an object and as JSON text) with `code`. */
function refused(snapshot, code, why) {
  for (const input of [snapshot, JSON.stringify(snapshot)]) {
    const e = thrown(() => bc.Brain.fromJSON(input).free());
    assert.ok(e instanceof Error, why);
    assert.equal(e.code, code, `${why}: ${e.message}`);
    assert.ok(e.message.length > 0);
  }
}

test('a snapshot written by toJSON loads to the same state, log and events', () => {
  const snapshot = demoSnapshot();
  for (const input of [snapshot, JSON.stringify(snapshot)]) {
    const brain = bc.Brain.fromJSON(input);
    const demo = bc.Brain.demo(T0);
    assert.equal(brain.stateHash(), demo.stateHash());
    assert.deepEqual(brain.log(), demo.log());
    assert.equal(brain.verify().status, 'pass');
    brain.free();
    demo.free();
  }
});

test('a changed count in the state is refused: the state is not what its events give', () => {
  const snapshot = demoSnapshot();
  const path = findCount(snapshot.state, 'trials', ['state']);
  assert.ok(path, 'the demo state records trials');
  refused(setAt(snapshot, path, getAt(snapshot, path) + 1), 'import_state_mismatch', path.join('.'));
});

test('edited events are refused, and a consistent forged history with an empty log too', () => {
  const snapshot = demoSnapshot();
  // An event's count edited alone: the state no longer follows from the events.
  const path = findCount(snapshot.events, 'trials', ['events']);
  assert.ok(path, 'the demo events record trials');
  refused(setAt(snapshot, path, getAt(snapshot, path) + 1), 'import_state_mismatch', path.join('.'));

  // A forger runs an edited history through the engine, so that state, events and audit chain
  // agree, and drops the command log that would show it: the log must still give the events.
  const log = snapshot.log.map((c) => structuredClone(c));
  const k = log.findIndex((c) => c.type === 'RecordCounts');
  assert.ok(k >= 0, 'the demo records counts');
  log[k].trials += 1;
  const forged = new bc.Brain();
  forged.executeAll(log);
  const forgedSnapshot = { ...forged.toJSON(), log: [] };
  forged.free();
  assert.notDeepEqual(forgedSnapshot.events, snapshot.events);
  refused(forgedSnapshot, 'import_log_mismatch', 'forged events with an empty log');
});

test('an edited command in the log is refused: the log does not give the events', () => {
  const snapshot = demoSnapshot();
  const k = snapshot.log.findIndex((c) => c.type === 'RecordCounts');
  refused(setAt(snapshot, ['log', k, 'trials'], snapshot.log[k].trials + 1), 'import_log_mismatch', `log[${k}].trials`);
  // A command dropped from the log.
  refused({ ...snapshot, log: snapshot.log.filter((_, i) => i !== k) }, 'import_log_mismatch', `log[${k}] dropped`);
});

test('a bad policy is refused: edited in the state, or consistent from an origin no command could set', () => {
  const snapshot = demoSnapshot();
  // Edited in the state: out of range, and in range (then only the history shows it).
  refused(setAt(snapshot, ['state', 'policy', 'readiness', 'ready_threshold'], 5), 'import_policy_invalid', 'state policy out of range');
  refused(setAt(snapshot, ['state', 'policy', 'readiness', 'ready_threshold'], 0.5), 'import_state_mismatch', 'state policy edited');
  // An empty brain whose policy (in force and at the origin) is out of range: its state, events
  // (none) and log (none) agree, so only the policy's own check finds it.
  const empty = new bc.Brain();
  const fresh = empty.toJSON();
  empty.free();
  const bad = structuredClone(fresh);
  bad.state.policy.readiness.ready_threshold = 5;
  if (bad.origin) bad.origin.policy.readiness.ready_threshold = 5;
  refused(bad, 'import_policy_invalid', 'an out-of-range policy');
  // The same snapshot with a valid policy loads.
  bc.Brain.fromJSON(fresh).free();
});

test('a broken audit chain is refused with its audit code', () => {
  const snapshot = demoSnapshot();
  const entries = snapshot.state.audit.entries;
  assert.ok(entries.length > 2);
  const edited = structuredClone(snapshot);
  edited.state.audit.entries[1].hash = '0'.repeat(64);
  // The state no longer replays either; whichever check comes first, the refusal has a code.
  const e = thrown(() => bc.Brain.fromJSON(edited).free());
  assert.match(e.code, /^(import_state_mismatch|import_audit_broken)$/, e.message);
});
