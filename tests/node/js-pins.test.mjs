// Determinism pins from Node: the JS package's demo brain has the state hash and audit head of
// core/tests/fixtures/demo-pins.json (the values the native build and the console's wasm tests
// check too), and snapshots of earlier schema versions load through Brain.fromJSON to their
// pinned state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load, fixture, FIXTURES } from './js-pkg.mjs';

const bc = await load();
const pins = fixture('demo-pins.json');

/** What is pinned about a brain, as core/tests/pins.rs measures it. */
function measure(brain) {
  const entries = JSON.parse(brain.auditExport()).entries;
  return {
    state_hash: brain.stateHash(),
    // The audit log's identity: the root of its Merkle tree (the empty tree's for no entries).
    audit_head: brain.auditRoot().root,
    audit_entries: entries.length,
    commands: brain.log().length,
    events: brain.events().length,
  };
}

test('the demo brain in Node has the pinned state hash and audit head', () => {
  assert.deepEqual(measure(bc.Brain.demo(pins.demo_at)), pins.demo);
});

test('snapshots of earlier schema versions load in Node to their pinned state', () => {
  const names = Object.keys(pins.snapshots);
  assert.ok(names.length >= 2, 'a v0 snapshot and the current console export are pinned');
  for (const name of names) {
    const text = readFileSync(join(FIXTURES, 'snapshots', name), 'utf8');
    // Brain.fromJSON runs the console's import checks (Brain::import).
    const brain = bc.Brain.fromJSON(text);
    brain.verifyAudit();
    assert.deepEqual(measure(brain), pins.snapshots[name], name);
  }
});
