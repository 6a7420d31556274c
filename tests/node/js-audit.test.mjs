// The audit log's Merkle API from JS, as a witness would use it: Brain#auditRoot to keep a
// head, Brain#auditProof / #consistencyProof, and the free verifiers (verifyInclusion,
// verifyConsistency, verifyAuditExport) that need nothing but hashes. The leaf hash and a
// root are recomputed here with node:crypto from RFC 6962's definitions, independently of
// the engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { load, thrown } from './js-pkg.mjs';

const bc = await load();
const T0 = '2026-03-02T09:00:00Z';

const sha = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
/** RFC 6962: leaf = SHA-256(0x00 || bytes), node = SHA-256(0x01 || left || right). */
const leafHash = (bytes) => sha(Buffer.from([0]), bytes);
const nodeHash = (l, r) => sha(Buffer.from([1]), l, r);
function mth(leaves) {
  if (leaves.length === 0) return sha(Buffer.alloc(0));
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}
/** The documented leaf: the entry's compact JSON without `hash` and `root`. */
function leafOf(e) {
  const { seq, at, actor, subject, action, outcome, detail, commandHash, eventsHash } = e;
  return Buffer.from(JSON.stringify({ seq, at, actor, subject, action, outcome, detail, commandHash, eventsHash }));
}

function code(fn) {
  return thrown(fn).code;
}

// Commands whose id field was renamed in schema 4 are hashed under their schema-3 name, so the
// audit root of a log recorded before the rename does not move (core/src/brain/hash_names.rs).
const SCHEMA3_NAMES = {
  'ab.RegisterVariant': ['experiment_id', 'experiment'],
  'ab.RecordCounts': ['experiment_id', 'experiment'],
  'promotion.RegisterScript': ['script_id', 'script'],
  'promotion.AddScriptVersion': ['script_id', 'script'],
  'promotion.EvaluateScript': ['script_id', 'script'],
  'promotion.RetireScript': ['script_id', 'script'],
  'ingest.AddSource': ['source_id', 'source'],
  'ingest.RemoveSource': ['source_id', 'source'],
  'ingest.SuspendSource': ['source_id', 'source'],
  'ingest.IngestData': ['source_id', 'source'],
  'packets.AddTemplate': ['template_id', 'name'],
};
function hashedForm(cmd) {
  const rename = SCHEMA3_NAMES[`${cmd.block}.${cmd.type}`];
  if (!rename) return cmd;
  // Same key order, the one key renamed in place.
  return Object.fromEntries(Object.entries(cmd).map(([k, v]) => [k === rename[0] ? rename[1] : k, v]));
}

test('the root is the RFC 6962 tree head of the entries, each leaf the entry with its command and events hashes', () => {
  const brain = bc.Brain.demo(T0);
  const entries = brain.auditQuery();
  const head = brain.auditRoot();
  assert.equal(head.size, entries.length);
  assert.ok(entries.length > 20);
  const leaves = entries.map((e) => leafHash(leafOf(e)));
  entries.forEach((e, i) => assert.equal(e.hash, leaves[i].toString('hex'), `entry ${i}`));
  assert.equal(head.root, mth(leaves).toString('hex'));
  // The command hash is the SHA-256 of the command's full JSON. JS writes a whole-number
  // float as `1` where the engine writes `1.0`, so those commands are only checked to hold one.
  const log = brain.log();
  assert.equal(log.length, entries.length);
  let same = 0;
  log.forEach((cmd, i) => {
    const text = JSON.stringify(hashedForm(cmd));
    if (sha(text).toString('hex') === entries[i].commandHash) same++;
    else assert.match(text, /:\d+[,}]/, `command ${i}: ${text}`);
  });
  // Most commands have no whole-number float (the demo's metric sums and rollout metrics do).
  assert.ok(same >= log.length / 2, `${same} of ${log.length}`);
  brain.free();
});

test('every entry is proved included, by its hash or by its content, and a changed entry is not', () => {
  const brain = bc.Brain.demo(T0);
  const { size, root } = brain.auditRoot();
  const entries = brain.auditQuery();
  for (let i = 0; i < size; i++) {
    const p = brain.auditProof(i);
    assert.equal(p.index, i);
    assert.equal(p.root, root);
    bc.verifyInclusion(p.leafHash, i, size, p.path, root);
    bc.verifyInclusion(entries[i], i, size, p.path, root);
  }
  const p = brain.auditProof(3);
  const edited = { ...entries[3], detail: entries[3].detail + ' (edited)' };
  assert.equal(code(() => bc.verifyInclusion(edited, 3, size, p.path, root)), 'merkle_root_mismatch');
  assert.equal(code(() => bc.verifyInclusion(p.leafHash, 4, size, p.path, root)), 'merkle_root_mismatch');
  assert.equal(code(() => bc.verifyInclusion(p.leafHash, 3, size, p.path.slice(1), root)), 'merkle_proof_length');
  assert.equal(code(() => bc.verifyInclusion('zz', 3, size, p.path, root)), 'audit_not_a_hash');
  assert.equal(code(() => brain.auditProof(size)), 'merkle_index_out_of_range');
  assert.equal(code(() => brain.auditProof(-1)), 'invalid_input');
  assert.equal(code(() => bc.verifyInclusion(p.leafHash, 3, size, [1, 2], root)), 'invalid_input');
  brain.free();
});

test('a kept root is proved consistent with the grown log, in both call forms, and a rewritten one is not', () => {
  const brain = bc.Brain.demo(T0);
  const kept = brain.auditRoot();
  const last = Date.parse(brain.log().at(-1).at);
  for (let i = 1; i <= 3; i++) {
    brain.execute({ at: new Date(last + i * 60_000), actor: 'ops', block: 'audit', type: 'TakeSnapshot' });
  }
  const now = brain.auditRoot();
  assert.equal(now.size, kept.size + 3);
  const proof = brain.consistencyProof(kept.size);
  assert.deepEqual(proof.old, kept);
  assert.deepEqual(proof.new, now);
  bc.verifyConsistency(kept, now, proof.path);
  bc.verifyConsistency(kept.size, now.size, kept.root, now.root, proof.path);
  brain.checkAuditRoot(kept);
  const forged = { size: kept.size, root: now.root };
  assert.equal(code(() => bc.verifyConsistency(forged, now, proof.path)), 'merkle_root_mismatch');
  assert.equal(code(() => brain.checkAuditRoot(forged)), 'audit_rewritten');
  assert.equal(code(() => brain.checkAuditRoot({ size: now.size + 1, root: now.root })), 'audit_truncated');
  assert.equal(code(() => brain.consistencyProof(now.size + 1)), 'merkle_size_out_of_range');
  brain.free();
});

test('an exported log verifies against its root; cut off or rewritten with every hash recomputed, it does not', () => {
  const brain = bc.Brain.demo(T0);
  const root = brain.auditRoot();
  const text = brain.auditExport();
  assert.deepEqual(bc.verifyAuditExport(text), root);
  assert.deepEqual(bc.verifyAuditExport(text, root), root);

  const { entries } = JSON.parse(text);
  const write = (es) => JSON.stringify({ entries: es });
  // Truncated: the newest two entries cut off (the rest intact).
  assert.equal(code(() => bc.verifyAuditExport(write(entries.slice(0, -2)), root)), 'audit_truncated');
  // Edited without re-hashing: caught on its own.
  const edited = entries.map((e, i) => (i === 5 ? { ...e, detail: 'nothing happened' } : e));
  assert.equal(code(() => bc.verifyAuditExport(write(edited))), 'audit_altered');
  // Rewritten by someone who recomputes every leaf hash and root: self-consistent...
  const leaves = [];
  const forged = edited.map((e) => {
    const leaf = leafHash(leafOf(e));
    leaves.push(leaf);
    return { ...e, hash: leaf.toString('hex'), root: mth(leaves).toString('hex') };
  });
  const forgedHead = bc.verifyAuditExport(write(forged));
  assert.equal(forgedHead.size, root.size);
  assert.notEqual(forgedHead.root, root.root);
  // ...but not against the root kept from before.
  assert.equal(code(() => bc.verifyAuditExport(write(forged), root)), 'audit_rewritten');
  assert.equal(code(() => bc.verifyAuditExport(42)), 'invalid_input');
  assert.equal(code(() => bc.verifyAuditExport(text, { size: 'x' })), 'invalid_json');
  brain.free();
});

test('LogAction records an external action, and a filtered export proves each matching entry under the head', () => {
  const brain = bc.Brain.demo(T0);
  const last = Date.parse(brain.log().at(-1).at);
  brain.execute({
    at: new Date(last + 60_000), actor: 'release-bot', block: 'audit', type: 'LogAction',
    subject: 'model/lead-scorer', action: 'deploy', status: 'success', details: '1.3.0 to production',
  });
  const entry = brain.auditQuery({ subject: 'model', action: 'deploy' });
  assert.equal(entry.length, 1);
  assert.equal(entry[0].subject, 'model/lead-scorer');
  assert.equal(entry[0].detail, 'status success: 1.3.0 to production');
  assert.equal(code(() => brain.execute({
    at: new Date(last + 120_000), block: 'audit', type: 'LogAction', subject: ' ', action: 'deploy', status: 'ok',
  })), 'invalid_name');

  const exported = brain.auditExportFiltered({ subject: 'script', from: '2026-03-02T09:30:00Z', to: '2026-03-02T09:40:00Z' });
  assert.ok(exported.entries.length > 0);
  for (const { entry: e, proof } of exported.entries) {
    assert.ok(e.subject.startsWith('script/') && e.at >= '2026-03-02T09:30:00Z' && e.at < '2026-03-02T09:40:00Z');
    // Each proof holds on its own, with the free verifier.
    bc.verifyInclusion(proof.leafHash, proof.index, proof.size, proof.path, exported.head.root);
  }
  const text = JSON.stringify(exported);
  assert.equal(bc.verifyAuditFilteredExport(text, brain.auditRoot()), exported.entries.length);
  const edited = text.replace('"outcome":"accepted"', '"outcome":"refused"');
  assert.notEqual(edited, text);
  assert.equal(code(() => bc.verifyAuditFilteredExport(edited)), 'audit_altered');
});

test('the performance-score preset promotes at 0.87 and demotes at 0.62', () => {
  const brain = new bc.Brain({ promotion: bc.promotionPreset('performance_score') });
  const at = (m) => new Date(Date.parse(T0) + m * 60_000);
  brain.execute({ at: at(0), block: 'promotion', type: 'RegisterScript', script: 's', body: 'Hi {{name}}' });
  const status = () => brain.scripts().find((s) => s.id === 's').status;
  brain.execute({ at: at(1), block: 'promotion', type: 'EvaluateScript', script: 's', score: 0.87 });
  assert.equal(status(), 'Testing');
  brain.execute({ at: at(2), block: 'promotion', type: 'EvaluateScript', script: 's', score: 0.87 });
  assert.equal(status(), 'Primary');
  brain.execute({ at: at(3), block: 'promotion', type: 'EvaluateScript', script: 's', score: 0.62 });
  assert.equal(status(), 'Demoted');
  assert.equal(code(() => bc.promotionPreset('nope')), 'invalid_input');
});
