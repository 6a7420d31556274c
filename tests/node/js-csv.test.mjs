// CSV from JS: brain.importCsv plans without changing anything (commands and row errors),
// brain.executeAll applies a batch all or nothing, brain.exportCsv writes a console table
// that imports back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, thrown } from './js-pkg.mjs';

const bc = await load();
const T0 = '2026-03-02T09:00:00Z';

function registered() {
  const brain = new bc.Brain();
  brain.executeAll([
    { at: T0, block: 'ab', type: 'RegisterVariant', experiment: 'e', variant: 'a', kind: 'channel' },
    { at: T0, block: 'ab', type: 'RegisterVariant', experiment: 'e', variant: 'b', kind: 'channel' },
  ]);
  return brain;
}

test('importCsv names each bad row and changes nothing; the fixed file applies as one batch', () => {
  const brain = registered();
  const hash = brain.stateHash();
  const bad = 'experiment;variant;trials;conversions\r\ne;a;100;10\r\ne;b;10;12\r\ne;zz;5;1\r\n';
  const plan = brain.importCsv('counts', bad, { at: new Date('2026-03-02T10:00:00Z'), actor: 'etl' });
  assert.equal(brain.stateHash(), hash);
  assert.equal(plan.delimiter, ';');
  assert.equal(plan.header, true);
  assert.deepEqual(
    plan.rowErrors.map((e) => [e.line, e.column, e.code]),
    [
      [3, 'conversions', 'invalid_count'],
      [4, 'variant', 'unknown_variant'],
    ],
  );
  assert.match(plan.rowErrors[0].message, /conversions \(12\) exceed trials \(10\)/);
  assert.equal(plan.commands.length, 1);
  assert.equal(plan.commands[0].actor, 'etl');

  const good = brain.importCsv('counts', 'experiment,variant,trials,conversions\ne,a,100,10\ne,b,100,12\n', { at: '2026-03-02T10:00:00Z' });
  assert.deepEqual(good.rowErrors, []);
  assert.deepEqual(good.summary.commands, { 'ab.RecordCounts': 2 });
  brain.executeAll(good.commands);
  assert.deepEqual(brain.experiment('e').variants.map((v) => [v.trials, v.conversions]), [[100, 10], [100, 12]]);
  brain.free();
});

test('executeAll is all or nothing: a refused command leaves state, log and audit trail as they were', () => {
  const brain = registered();
  const hash = brain.stateHash();
  const position = brain.position;
  const audit = brain.auditQuery({}).length;
  const e = thrown(() =>
    brain.executeAll([
      { at: '2026-03-02T09:03:00Z', block: 'ab', type: 'RecordCounts', experiment: 'e', variant: 'a', trials: 100, conversions: 12 },
      { at: '2026-03-02T09:04:00Z', block: 'ab', type: 'RecordCounts', experiment: 'e', variant: 'zz', trials: 1, conversions: 0 },
    ]),
  );
  assert.equal(e.code, 'unknown_variant');
  assert.equal(e.index, 1);
  assert.equal(brain.stateHash(), hash);
  assert.equal(brain.position, position);
  assert.equal(brain.auditQuery({}).length, audit);
  brain.free();
});

test('exportCsv writes every console table with a header, and experiments import back as counts', () => {
  const demo = bc.Brain.demo(T0);
  for (const table of ['experiments', 'scripts', 'packets', 'sources', 'series', 'alerts', 'models', 'clones', 'gates', 'audit']) {
    const text = demo.exportCsv(table);
    assert.equal(typeof text, 'string', table);
  }
  const experiments = demo.exportCsv('experiments');
  // Headers are the console's column labels (the importer reads them).
  assert.match(experiments.split('\r\n')[0], /^Experiment,Variant,Weight,Trials,Conversions,/);
  assert.match(demo.exportCsv('audit').split('\r\n')[0], /^#,When \(UTC\),Actor,/);
  assert.equal(typeof demo.exportCsv('what_if', { promotion: { min_sample: 10 } }), 'string');
  assert.equal(thrown(() => demo.exportCsv('nope')).code, 'unknown_table');
  assert.equal(thrown(() => demo.importCsv('nope', '')).code, 'unknown_kind');
  // The demo's experiments re-imported into a brain with the same variants give the same totals.
  const fresh = new bc.Brain();
  const at = demo.log().at(-1).at;
  fresh.executeAll(demo.log().filter((c) => ['CreateExperiment', 'RegisterVariant', 'StartExperiment'].includes(c.type)));
  const plan = fresh.importCsv('counts', experiments, { at });
  assert.deepEqual(plan.rowErrors, []);
  fresh.executeAll(plan.commands);
  const totals = (b) => b.experiments().map((x) => x.variants.map((v) => [x.experiment, v.name, v.trials, v.conversions])).flat();
  assert.deepEqual(totals(fresh), totals(demo));
  demo.free();
  fresh.free();
});
