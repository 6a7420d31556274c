// A small TypeScript app using @brain/core, type-checked in strict mode by js-types.test.mjs
// (which also runs it against the built package). The `@ts-expect-error` lines must fail to
// compile: if the declarations became loose again (`any`, `string` for `type`, index
// signatures), the directive would be unused and the test would fail.
import type * as Core from '@brain/core';
import type {
  Alert,
  AuditEntry,
  BrainEvent,
  CloneSummary,
  Command,
  ExperimentReport,
  GateDecision,
  ModelReport,
  Outcome,
  Packet,
  Policy,
  PolicyInput,
  ScriptReport,
  Snapshot,
  SourceReport,
  TrendReport,
  VerifyReport,
  WhatIfReport,
} from '@brain/core';

type Check = (ok: boolean, what: string) => void;

/** One minute after 2026-03-02T09:00Z per step: commands come in time order. */
const at = (step: number): Date => new Date(Date.UTC(2026, 2, 2, 9, step));

/** Commands of several blocks, each with its exact fields. */
export function commands(): Command[] {
  return [
    { at: at(0), block: 'ab', type: 'RegisterVariant', experiment_id: 'opener', variant: 'warm', kind: 'script' },
    { at: at(1), block: 'ab', type: 'RegisterVariant', experiment_id: 'opener', variant: 'direct', kind: 'script', weight: 1 },
    { at: at(2), actor: 'ops', block: 'ab', type: 'RecordCounts', experiment_id: 'opener', variant: 'warm', trials: 400, conversions: 56 },
    { at: at(3), actor: null, block: 'ab', type: 'RecordCounts', experiment_id: 'opener', variant: 'direct', trials: 400, conversions: 24 },
    { at: '2026-03-02T09:04:00Z', block: 'promotion', type: 'RegisterScript', script_id: 'warm', body: 'Hi {{name}}' },
    { at: at(5), block: 'promotion', type: 'EvaluateScript', script_id: 'warm' },
    { at: at(6), block: 'packets', type: 'BuildPacket', lead: { name: 'Ann Lee', value: 320000 }, scripts: ['warm'] },
    { at: at(7), block: 'ingest', type: 'AddSource', source_id: 'Open House' },
    { at: at(8), block: 'ingest', type: 'IngestData', source_id: 'open house', payload: '{"lead":"Bo"}' },
    { at: at(9), block: 'outcomes', type: 'DefineSeries', series_id: 'close-rate', metric: 'close rate', baseline: 0.2 },
    { at: at(10), block: 'outcomes', type: 'RecordOutcome', series_id: 'close-rate', outcome_id: 'w1', value: 0.25 },
    { at: at(11), block: 'models', type: 'RegisterModel', model_id: 'scorer', name: 'Lead scorer' },
    { at: at(12), block: 'models', type: 'ProposeUpdate', model_id: 'scorer', version: '1.0.0', strategy: 'full_retrain', accuracy: 0.9 },
    {
      at: at(13),
      block: 'readiness',
      type: 'AssessClone',
      clone_id: 'clone-1',
      factors: { accuracy: 0.9, confidence: 0.85, consistency: 0.8, robustness: 0.75 },
      model_id: 'scorer',
      experiment_id: 'opener',
    },
    { at: at(14), block: 'gates', type: 'EvaluateGates', clone_id: 'clone-1' },
    { at: at(15), block: 'audit', type: 'TakeSnapshot' },
    { at: at(16), block: 'policy', type: 'SetSeed', seed: 7 },
  ];
}

/** Runs the commands and reads events and reports through their declared types. */
export function run(bc: typeof Core, check: Check): void {
  const policyInput: PolicyInput = { ab: { winner: { alpha: 0.1 } }, readiness: { ready_threshold: 0.7 } };
  const brain = new bc.Brain(policyInput);
  const events: BrainEvent[] = brain.executeAll(commands());
  check(events.length > 0, 'events');

  let counts = 0;
  for (const e of events) {
    // Narrowing on block and type gives the event's own fields.
    if (e.block === 'ab' && e.type === 'CountsRecorded') {
      const trials: number = e.trials;
      const experiment: string = e.experiment;
      check(typeof trials === 'number' && experiment === 'opener', 'CountsRecorded fields');
      counts += 1;
    } else if (e.block === 'audit' && e.type === 'EntryAppended') {
      const entry: AuditEntry = e.entry;
      check(typeof entry.hash === 'string' && typeof entry.seq === 'number', 'audit entry');
      check(entry.outcome === 'accepted' || entry.outcome === 'refused', 'audit outcome');
    } else if (e.block === 'gates' && e.type === 'GatesDecided') {
      const verdict: 'PROMOTE' | 'BLOCK' = e.decision.verdict;
      check(verdict === 'PROMOTE' || verdict === 'BLOCK', 'gate verdict');
    } else if (e.block === 'policy' && e.type === 'SeedSet') {
      check(e.seed === 7, 'seed');
    }
  }
  check(counts === 2, 'two CountsRecorded events');

  const experiments: ExperimentReport[] = brain.experiments();
  const opener = brain.experiment('opener');
  check(opener !== undefined && opener.variants.length === 2, 'experiment report');
  if (opener) {
    const rate: number = opener.variants[0]!.rate;
    const pValue: number | null = opener.variants[1]!.pValue;
    const winner: string | null = opener.winner;
    check(rate === 56 / 400 && (pValue === null || typeof pValue === 'number'), 'variant fields');
    check(winner === null || typeof winner === 'string', 'winner');
  }
  check(experiments.length === 1, 'experiments');
  const split = brain.allocation('opener') ?? [];
  check(split.every(([variant, share]) => typeof variant === 'string' && share >= 0), 'allocation');

  const scripts: ScriptReport[] = brain.scripts();
  check(scripts[0]?.status === 'Experimental', 'script status');
  const packets: Packet[] = brain.packets();
  check(packets.length === 1, 'packets');
  const sources: SourceReport[] = brain.sources();
  check(sources.some((s) => s.accepted === 1), 'sources');
  const trends: TrendReport[] = brain.trends();
  const latest: number | null = trends[0]?.latest ?? null;
  check(latest === 0.25, 'trend latest');
  const outcomes: Outcome[] = brain.outcomes('close-rate');
  check(outcomes[0]?.value === 0.25, 'outcomes');
  const alerts: Alert[] = brain.alerts({ open: true });
  check(alerts.every((a) => a.status === 'open'), 'alerts');
  const models: ModelReport[] = brain.models();
  check(models[0]?.modelId === 'scorer', 'models');
  const clones: CloneSummary[] = brain.clones();
  check(typeof clones[0]?.composite === 'number', 'clones');
  const decisions: GateDecision[] = brain.gateDecisions();
  check(decisions.length === 1, 'gate decisions');
  const audit: AuditEntry[] = brain.auditQuery({ subject: 'experiment', from: at(0), to: '2026-03-03T00:00:00Z' });
  check(audit.length === 4, 'audit query');

  const policy: Policy = brain.policy();
  const alpha: number = policy.ab.winner.alpha;
  check(alpha === 0.1 && policy.readiness.ready_threshold === 0.7, 'policy');
  const verify: VerifyReport = brain.verify();
  check(['pass', 'warn', 'fail'].includes(verify.status) && verify.checks.length > 0, 'verify');
  const whatIf: WhatIfReport = brain.whatIf({ readiness: { ready_threshold: 0.99 } });
  check(whatIf.commands === commands().length, 'what-if');

  const snapshot: Snapshot = brain.toJSON();
  const first: Command | undefined = snapshot.log[0];
  check(first?.block === 'ab' && first.type === 'RegisterVariant' && first.kind === 'script', 'snapshot log');
  const copy = bc.Brain.fromJSON(snapshot);
  check(copy.stateHash() === brain.stateHash(), 'snapshot reloads');
  copy.free();
  brain.free();
}

/** Never called: each line marked `@ts-expect-error` must not compile. */
export function mistakes(brain: Core.Brain, bc: typeof Core): void {
  const t = at(0);
  // @ts-expect-error RecordCounts without `trials`
  brain.execute({ at: t, block: 'ab', type: 'RecordCounts', experiment_id: 'e', variant: 'a', conversions: 1 });
  // @ts-expect-error a `type` the block does not have
  brain.execute({ at: t, block: 'ab', type: 'RecordCount', experiment: 'e', variant: 'a', trials: 1, conversions: 1 });
  // @ts-expect-error a string where a number is expected
  brain.execute({ at: t, block: 'ab', type: 'RecordCounts', experiment: 'e', variant: 'a', trials: '1', conversions: 1 });
  // @ts-expect-error a command of another block
  brain.execute({ at: t, block: 'models', type: 'RecordCounts', experiment: 'e', variant: 'a', trials: 1, conversions: 1 });
  // @ts-expect-error a misspelt field
  brain.execute({ at: t, block: 'gates', type: 'EvaluateGates', clone_id: 'c', modle: 'm' });
  // @ts-expect-error every command needs its time
  brain.execute({ block: 'audit', type: 'TakeSnapshot' });
  // @ts-expect-error an enum value the engine does not know
  brain.execute({ at: t, block: 'ab', type: 'RegisterVariant', experiment: 'e', variant: 'a', kind: 'video' });
  // @ts-expect-error a report field that does not exist
  brain.experiments()[0]?.winnerName;
  // @ts-expect-error the winner may be null
  const winner: string = brain.experiments()[0]!.winner;
  // @ts-expect-error a policy field of the wrong type
  new bc.Brain({ ab: { bandit_draws: 'many' } });
  // @ts-expect-error a policy block that does not exist
  brain.whatIf({ abtest: {} });
  for (const e of brain.events()) {
    if (e.block === 'ab' && e.type === 'CountsRecorded') {
      // @ts-expect-error CountsRecorded has no `kind`
      e.kind;
    }
  }
  void winner;
}
