// @brain/core's Brain from JS: the integrated workflow through every block (ab, promotion,
// packets, ingest, outcomes, models, readiness, gates, audit, policy) with plain JS objects
// and Dates, the queries of each block, snapshots, verify and what-if.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, thrown } from './js-pkg.mjs';

const bc = await load();
const T0 = '2026-03-02T09:00:00Z';
const BLOCKS = ['ab', 'promotion', 'packets', 'ingest', 'outcomes', 'models', 'readiness', 'gates', 'audit', 'policy', 'rollouts', 'monitoring'];

/** The demo's command log (every block), as plain objects. */
function workflow() {
  const demo = bc.Brain.demo(T0);
  const log = demo.log();
  const hash = demo.stateHash();
  demo.free();
  return { log, hash };
}

test('the integrated workflow through Brain#execute touches every block and reproduces the demo', () => {
  const { log, hash } = workflow();
  const brain = new bc.Brain();
  const touched = new Set();
  for (const cmd of log) {
    // Times as Date objects, as a JS app would pass them.
    const events = brain.execute({ ...cmd, at: new Date(cmd.at) });
    assert.ok(Array.isArray(events) && events.length >= 1);
    assert.equal(events.at(-1).block, 'audit', 'the audit entry comes last');
    touched.add(cmd.block);
  }
  // A policy change (block "policy") and a seed.
  const policy = brain.policy();
  policy.promotion.min_sample = 150;
  const last = Date.parse(log.at(-1).at);
  brain.execute({ at: new Date(last + 60_000), actor: 'ops', block: 'policy', type: 'SetPolicy', policy });
  brain.execute({ at: new Date(last + 120_000), actor: 'ops', block: 'policy', type: 'SetSeed', seed: 42 });
  touched.add('policy');
  assert.deepEqual([...touched].sort(), [...BLOCKS].sort());
  assert.notEqual(brain.stateHash(), hash);
  assert.equal(brain.position, log.length + 2);

  // Queries, one or more per block.
  const channel = brain.experiment('contact-channel');
  assert.equal(channel.winner, 'sms');
  assert.ok(brain.experiments().length >= 2);
  const split = brain.allocation('contact-channel');
  assert.equal(split.length, 3);
  assert.ok(Math.abs(split.reduce((s, [, share]) => s + share, 0) - 1) < 1e-9);
  assert.equal(brain.experiment('nope'), undefined);
  assert.ok(brain.scripts().some((s) => s.id === 'warm-open' && s.status === 'Primary'), JSON.stringify(brain.scripts().map((s) => [s.id, s.status])));
  const packets = brain.packets();
  assert.ok(packets.length >= 2);
  assert.deepEqual(JSON.parse(brain.exportPacket(packets[0].id)).id, packets[0].id);
  assert.equal(JSON.parse(brain.exportPackets()).length, packets.length);
  assert.match(brain.renderTemplate('intro', packets[0].id), /Ann Lee/);
  const zillow = brain.sources().find((s) => s.source === 'zillow');
  assert.equal(zillow.accepted, 3);
  assert.ok(brain.trends().length >= 1);
  assert.ok(brain.outcomes(brain.trends()[0].series_id ?? brain.trends()[0].seriesId).length >= 1);
  assert.ok(Array.isArray(brain.alerts()) && Array.isArray(brain.alerts({ open: true })));
  assert.ok(brain.models().some((m) => (m.model_id ?? m.modelId ?? m.id) === 'lead-scorer'));
  assert.deepEqual(brain.rollouts().map((r) => [r.rolloutId, r.status]), [['churn-1.1.0', 'running'], ['lead-scorer-1.3.0', 'rolled_back']]);
  assert.deepEqual(brain.clones().map((c) => c.clone_id ?? c.cloneId ?? c.id).sort(), ['clone-alpha', 'clone-beta']);
  assert.deepEqual(brain.gateDecisions().map((d) => d.verdict), ['PROMOTE', 'BLOCK']);
  const modelEntries = brain.auditQuery({ subject: 'model' });
  assert.ok(modelEntries.length > 0 && modelEntries.some((e) => e.outcome === 'refused'));
  assert.equal(brain.auditQuery().length, brain.position);
  assert.equal(JSON.parse(brain.auditExport()).entries.length, brain.position);
  brain.verifyAudit();

  // Verification and what-if.
  const report = brain.verify();
  assert.equal(report.status, 'pass', JSON.stringify(report.checks.filter((c) => c.status !== 'pass')));
  const strict = brain.policy();
  strict.promotion.min_sample = 100000;
  const whatIf = brain.whatIf(strict);
  assert.equal(whatIf.commands, brain.position);
  assert.ok(whatIf.differences.length > 0);
  assert.equal(brain.whatIf(brain.policy()).differences.length, 0);

  // Snapshots: toJSON (also through JSON.stringify), fromJSON from object or text.
  const text = JSON.stringify(brain);
  const back = bc.Brain.fromJSON(text);
  assert.equal(back.stateHash(), brain.stateHash());
  assert.equal(bc.Brain.fromJSON(brain.toJSON()).stateHash(), brain.stateHash());
  assert.equal(back.verify().status, 'pass');
  assert.deepEqual(back.events().length, brain.events().length);
  back.free();
  brain.free();
});

test('commands as JSON text, decide without applying, executeAll', () => {
  const brain = new bc.Brain({ promotion: { min_sample: 50 } });
  assert.equal(brain.policy().promotion.min_sample, 50);
  const cmd = { at: T0, block: 'ab', type: 'RegisterVariant', experiment: 'e', variant: 'a', kind: 'channel', weight: 1 };
  const before = brain.stateHash();
  const preview = brain.decide(cmd);
  assert.equal(brain.stateHash(), before);
  assert.deepEqual(brain.execute(JSON.stringify(cmd)), preview);
  const events = brain.executeAll([
    { at: '2026-03-02T09:01:00Z', block: 'ab', type: 'RegisterVariant', experiment: 'e', variant: 'b', kind: 'channel', weight: 1 },
    { at: '2026-03-02T09:02:00Z', block: 'ab', type: 'RecordCounts', experiment: 'e', variant: 'a', trials: 100, conversions: 10 },
  ]);
  assert.ok(events.length >= 4);
  const e = thrown(() =>
    brain.executeAll([
      { at: '2026-03-02T09:03:00Z', block: 'ab', type: 'RecordCounts', experiment: 'e', variant: 'b', trials: 100, conversions: 12 },
      { at: '2026-03-02T09:04:00Z', block: 'ab', type: 'RecordCounts', experiment: 'e', variant: 'zz', trials: 1, conversions: 0 },
    ]),
  );
  assert.equal(e.code, 'unknown_variant');
  assert.equal(e.index, 1);
  // All or nothing: the accepted first command is not applied either.
  assert.equal(brain.position, 3);
  brain.free();
});

test('refused commands throw their engine code and leave the state unchanged', () => {
  const brain = bc.Brain.demo(T0);
  const hash = brain.stateHash();
  const at = new Date(Date.parse(brain.log().at(-1).at) + 60_000);
  const cases = [
    [{ at, block: 'ab', type: 'RecordCounts', experiment: 'contact-channel', variant: 'sms', trials: 10, conversions: 12 }, 'invalid_count'],
    [{ at, block: 'ab', type: 'RecordCounts', experiment: 'nope', variant: 'sms', trials: 10, conversions: 1 }, 'unknown_experiment'],
    [{ at, block: 'ab', type: 'RegisterVariant', experiment: 'contact-channel', variant: 'sms', kind: 'channel' }, 'duplicate_variant'],
    [{ at, block: 'ab', type: 'RegisterVariant', experiment: 'e', variant: 'x', kind: 'pigeon' }, 'invalid_json'],
    [{ at, block: 'nope', type: 'X' }, 'invalid_json'],
    [{ at: T0, block: 'audit', type: 'TakeSnapshot' }, 'time_backwards'],
    [{ at, actor: '', block: 'audit', type: 'TakeSnapshot' }, 'invalid_actor'],
  ];
  for (const [cmd, code] of cases) {
    const e = thrown(() => brain.execute(cmd));
    assert.ok(e instanceof Error);
    assert.equal(e.code, code, `${JSON.stringify(cmd)}: ${e.message}`);
    assert.equal(brain.stateHash(), hash);
  }
  assert.equal(thrown(() => bc.Brain.fromJSON('{"schema_version": 99}')).code, 'unsupported_schema');
  assert.equal(thrown(() => bc.Brain.fromJSON('not json')).code, 'invalid_json');
  assert.equal(thrown(() => brain.exportPacket('nope')).code.length > 0, true);
  brain.free();
});

test('the read-models the console charts are queries of the package: cumulative lift, latest evidence, blocked attempts', () => {
  const demo = bc.Brain.demo(T0);
  const events = demo.events();
  // Cumulative lift: one point per recorded batch of the experiment, non-control variants only.
  const experiment = demo.experiments()[0];
  const lift = demo.cumulativeLift(experiment.experiment);
  const batches = events.filter((e) => e.block === 'ab' && e.type === 'CountsRecorded' && e.experiment === experiment.experiment);
  assert.equal(lift.points.length, batches.length);
  assert.equal(lift.variants.length, experiment.variants.length - 1);
  // The last point is the lift of the totals the report shows.
  const rate = (v) => v.conversions / v.trials;
  const control = experiment.variants[0];
  const last = lift.points.at(-1).lifts;
  experiment.variants.slice(1).forEach((v, i) => {
    assert.ok(Math.abs(last[i] - (rate(v) / rate(control) - 1)) < 1e-12, `${v.name}: ${last[i]}`);
  });
  assert.deepEqual(demo.cumulativeLift('no-such-experiment'), { variants: [], points: [] });
  // Latest evidence: one entry per evaluated script, the last evaluation's.
  const evaluated = events.filter((e) => e.block === 'promotion' && e.type === 'ScriptEvaluated');
  const evidence = demo.latestEvidence();
  assert.deepEqual(Object.keys(evidence).sort(), [...new Set(evaluated.map((e) => e.script))].sort());
  const lastOf = evaluated.filter((e) => e.script === evaluated.at(-1).script).at(-1);
  assert.deepEqual(evidence[lastOf.script], lastOf.evidence);
  // Blocked attempts: newest first, as many as the IngestBlocked events, bounded by the limit.
  const blocked = events.filter((e) => e.block === 'ingest' && e.type === 'IngestBlocked');
  assert.ok(blocked.length >= 2, 'the demo blocks at least two attempts');
  const attempts = demo.blockedAttempts();
  assert.equal(attempts.length, blocked.length);
  assert.equal(attempts[0].reason, blocked.at(-1).reason);
  assert.ok(Date.parse(attempts[0].at) >= Date.parse(attempts.at(-1).at));
  assert.equal(demo.blockedAttempts(1).length, 1);
  assert.equal(thrown(() => demo.blockedAttempts(-1)).code, 'invalid_input');
  // Ingested payloads: the accepted IngestData payloads of the log, newest first, each once.
  const accepted = events.filter((e) => e.block === 'ingest' && e.type === 'IngestAccepted');
  const kept = demo.ingested();
  assert.equal(kept.length, accepted.length);
  assert.ok(kept[0].seq > kept.at(-1).seq);
  const sent = demo.log().find((c) => c.block === 'ingest' && c.type === 'IngestData' && c.payload === kept.at(-1).payload);
  assert.ok(sent, 'a kept payload is the one its command sent');
  assert.equal(kept.at(-1).bytes, kept.at(-1).payload.length);
  assert.deepEqual(demo.ingested(' ZILLOW ').map((p) => p.source), ['zillow', 'zillow', 'zillow']);
  demo.free();
});

test('ids are named <noun>_id: the new names work, the old ones are still read, the log writes the new', () => {
  const brain = new bc.Brain();
  const at = (m) => `2026-03-02T09:${String(m).padStart(2, '0')}:00Z`;
  brain.execute({ at: at(0), block: 'promotion', type: 'RegisterScript', script_id: 's', body: 'Hi {{name}}' });
  brain.execute({ at: at(1), block: 'promotion', type: 'AddScriptVersion', script: 's', body: 'Hello {{name}}' });
  brain.execute({ at: at(2), block: 'ingest', type: 'AddSource', source_id: 'Open House' });
  brain.execute({ at: at(3), block: 'ab', type: 'RegisterVariant', experiment_id: 'e', variant: 'a', kind: 'channel' });
  brain.execute({ at: at(4), block: 'ab', type: 'RecordCounts', experiment_id: 'e', variant: 'a', trials: 10, conversions: 1 });
  brain.execute({ at: at(5), block: 'packets', type: 'AddTemplate', template_id: 'intro', body: 'For {{name}}' });
  const log = brain.log();
  assert.deepEqual(
    log.map((c) => c.script_id ?? c.source_id ?? c.experiment_id ?? c.template_id),
    ['s', 's', 'Open House', 'e', 'e', 'intro'],
  );
  assert.ok(log.every((c) => !('script' in c) && !('source' in c) && !('experiment' in c)));
  const again = bc.Brain.fromJSON(brain.toJSON());
  assert.deepEqual(again.auditRoot(), brain.auditRoot());
  again.free();
  brain.free();
});
