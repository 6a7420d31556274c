// Generated from the Rust types of brain-core by ts-rs (core/src/typescript.rs): do not edit.
// Regenerate: BRAIN_UPDATE_TYPES=1 cargo test -p brain-core --features ts --test typescript
// Integers are `number`: the engine writes them as JSON numbers (ts-rs would say `bigint`).

/**
 * The bucketing settings of an experiment made by `CreateExperiment`.
 */
export type AbBucketing = {
    /**
     * The key hashed with the unit id (GrowthBook's experiment `key`).
     */
    hash_key: string,
    /**
     * The hashing seed; `None` hashes with the key (the SDK's `seed || key`).
     */
    seed?: string,
    /**
     * GrowthBook's hash version, 1 or 2.
     */
    hash_version: number,
    /**
     * Share of units included, in [0, 1].
     */
    coverage: number,
};

/**
 * Commands of block 21.
 */
export type AbCommand = {
    "type": "RegisterVariant",
    /**
     * Experiment name.
     */
    experiment_id: string,
    /**
     * Variant name (for scripts, the script id).
     */
    variant: string,
    /**
     * Script or channel.
     */
    kind: VariantKind,
    /**
     * Planned traffic weight (default 1).
     */
    weight?: number,
} | {
    "type": "RecordCounts",
    /**
     * Experiment name.
     */
    experiment_id: string,
    /**
     * Variant name.
     */
    variant: string,
    /**
     * Trials in this batch (signed so that negatives become a typed error).
     */
    trials: number,
    /**
     * Conversions in this batch.
     */
    conversions: number,
} | {
    "type": "RecordMetric",
    /**
     * Experiment name.
     */
    experiment_id: string,
    /**
     * Variant name.
     */
    variant: string,
    /**
     * Units in this batch (signed so that negatives become a typed error).
     */
    n: number,
    /**
     * Sum of their values.
     */
    sum: number,
    /**
     * Sum of their squared values (at least `sum^2 / n`).
     */
    sum_squares: number,
    /**
     * The same units' pre-period values (CUPED's covariate), if known:
     * give it with every batch of the variant or with none.
     */
    covariate?: AbCovariate | null,
} | {
    "type": "CreateExperiment",
    /**
     * Experiment name.
     */
    experiment_id: string,
    /**
     * Script or channel.
     */
    kind: VariantKind,
    /**
     * The key hashed with each unit id (default: the experiment's name).
     */
    hash_key?: string | null,
    /**
     * The hashing seed (default: the hash key).
     */
    seed?: string | null,
    /**
     * GrowthBook's hash version, 1 or 2 (default 2).
     */
    hash_version?: number | null,
    /**
     * Share of units included, in [0, 1] (default 1).
     */
    coverage?: number | null,
} | {
    "type": "StartExperiment",
    /**
     * Experiment name.
     */
    experiment_id: string,
} | {
    "type": "StopExperiment",
    /**
     * Experiment name.
     */
    experiment_id: string,
} | {
    "type": "ConcludeExperiment",
    /**
     * Experiment name.
     */
    experiment_id: string,
    /**
     * The variant to keep (control to change nothing).
     */
    decision: string,
    /**
     * Why.
     */
    reason: string,
} | {
    "type": "ArchiveExperiment",
    /**
     * Experiment name.
     */
    experiment_id: string,
};

/**
 * What was decided when an experiment was concluded.
 */
export type AbConclusion = {
    /**
     * The variant to keep (control to change nothing).
     */
    decision: string,
    /**
     * Why, in the words of whoever decided.
     */
    reason: string,
    /**
     * When.
     */
    at: string,
};

/**
 * A batch's or a variant's pre-period covariate totals: what CUPED needs
 * beside the metric's own totals.
 */
export type AbCovariate = {
    /**
     * Sum of the units' pre-period values.
     */
    sum: number,
    /**
     * Sum of their squares.
     */
    sum_squares: number,
    /**
     * Sum over units of the metric's value times the pre-period value.
     */
    sum_products: number,
};

/**
 * Events of block 21.
 */
export type AbEvent = {
    "type": "VariantRegistered",
    /**
     * Experiment name.
     */
    experiment: string,
    /**
     * Variant name.
     */
    variant: string,
    /**
     * Script or channel.
     */
    kind: VariantKind,
    /**
     * Planned traffic weight.
     */
    weight: number,
    /**
     * When.
     */
    at: string,
} | {
    "type": "CountsRecorded",
    /**
     * Experiment name (inline up to 24 bytes: this is the hot path).
     */
    experiment: string,
    /**
     * Variant name.
     */
    variant: string,
    /**
     * Trials added.
     */
    trials: number,
    /**
     * Conversions added.
     */
    conversions: number,
} | {
    "type": "MetricRecorded",
    /**
     * Experiment name.
     */
    experiment: string,
    /**
     * Variant name.
     */
    variant: string,
    /**
     * Units added.
     */
    n: number,
    /**
     * Sum added.
     */
    sum: number,
    /**
     * Sum of squares added.
     */
    sum_squares: number,
    /**
     * Covariate totals added, when the batch had them.
     */
    covariate?: AbCovariate | null,
} | {
    "type": "ExperimentCreated",
    /**
     * Experiment name.
     */
    experiment: string,
    /**
     * Script or channel.
     */
    kind: VariantKind,
    /**
     * How its units are bucketed (absent from events written before
     * experiments carried it).
     */
    bucketing?: AbBucketing,
} | {
    "type": "StageChanged",
    /**
     * Experiment name.
     */
    experiment: string,
    /**
     * The stage before.
     */
    from: AbStage,
    /**
     * The stage now.
     */
    to: AbStage,
} | {
    "type": "ExperimentConcluded",
    /**
     * Experiment name.
     */
    experiment: string,
    /**
     * The variant kept.
     */
    decision: string,
    /**
     * Why.
     */
    reason: string,
    /**
     * When.
     */
    at: string,
};

/**
 * An experiment: its variants by name.
 */
export type AbExperiment = {
    /**
     * The kind shared by all its variants.
     */
    kind: VariantKind,
    /**
     * Variants by name.
     */
    variants: { [key in string]?: Variant },
    /**
     * Variant names in registration order; the first is the control.
     */
    order: Array<string>,
    /**
     * Where the experiment is in its life; `Running` (not written) for an
     * experiment made by `RegisterVariant` alone.
     */
    stage?: AbStage,
    /**
     * The decision, once concluded.
     */
    conclusion?: AbConclusion,
    /**
     * How its units are bucketed (`CreateExperiment`); absent for an
     * experiment made by `RegisterVariant` alone, which buckets with
     * [`Bucketing::default_for`] its name (not written, so older states
     * keep their hash).
     */
    bucketing?: AbBucketing,
};

/**
 * The test behind a variant's lift.
 */
export type AbMeanMethod = "welch" | "cuped";

/**
 * Running totals of a variant's continuous metric.
 */
export type AbMetricTotals = {
    /**
     * Units measured.
     */
    n: number,
    /**
     * Sum of the values.
     */
    sum: number,
    /**
     * Sum of the squared values.
     */
    sum_squares: number,
    /**
     * Totals of the units' pre-period covariate, when every batch gave it
     * (absent otherwise, so totals recorded without one hash as before).
     */
    covariate?: AbCovariate,
};

/**
 * Thresholds of block 21: the statistics engine's winner rule (test,
 * alpha, minimum sample per variant, SRM threshold, correction) and the
 * bandit's settings.
 */
export type AbPolicy = {
    /**
     * How the winner is decided (rate intervals use its `alpha`).
     */
    winner: WinnerRule,
    /**
     * Smallest traffic share the Thompson allocation gives any variant, in [0, 0.5).
     */
    bandit_floor: number,
    /**
     * Monte-Carlo draws of the Thompson allocation, in 1..=[`MAX_BANDIT_DRAWS`] (each
     * allocation costs draws x variants samples, so the cap keeps it within milliseconds).
     */
    bandit_draws: number,
};

/**
 * Where an experiment is in its life.
 */
export type AbStage = "draft" | "running" | "stopped" | "concluded" | "archived";

/**
 * The state of block 21.
 */
export type AbState = {
    /**
     * Experiments by name.
     */
    experiments: { [key in string]?: AbExperiment },
};

/**
 * A multiple-testing correction.
 */
export type Adjustment = "holm" | "bh";

/**
 * An alert raised on a series.
 */
export type Alert = {
    /**
     * Its id, `alert-<n>` with n counting every alert from 1.
     */
    alertId: string,
    /**
     * What kind.
     */
    kind: AlertKind,
    /**
     * The series.
     */
    seriesId: string,
    /**
     * The series' subject, copied for filtering (e.g. by model).
     */
    subject: string | null,
    /**
     * The outcome whose recording raised it (none for a drift alert).
     */
    outcomeId: string | null,
    /**
     * The level compared with: best recent window mean, baseline, or reference sample mean.
     */
    reference: number,
    /**
     * The level observed: latest window mean, moving average, or current sample mean.
     */
    observed: number,
    /**
     * How much worse `observed` is than `reference`, relative to `|reference|` (absolute
     * when the reference is 0); for drift, informative only (drift may go either way).
     */
    drop: number,
    /**
     * The tolerance that was exceeded (for drift, the significant PSI threshold).
     */
    tolerance: number,
    /**
     * The drift statistics, for a drift alert.
     */
    drift: DriftResult | null,
    /**
     * A human-readable description.
     */
    message: string,
    /**
     * Where it stands.
     */
    status: AlertStatus,
    /**
     * When raised.
     */
    raisedAt: string,
    /**
     * When acknowledged.
     */
    acknowledgedAt: string | null,
    /**
     * When resolved.
     */
    resolvedAt: string | null,
    /**
     * Notes given on acknowledgement and resolution, in order.
     */
    notes: Array<string>,
};

/**
 * Kinds of alerts.
 */
export type AlertKind = "regression" | "below_baseline" | "drift";

/**
 * Where an alert stands.
 */
export type AlertStatus = "open" | "acknowledged" | "resolved";

/**
 * Outcomes of one arm over a window: how many of its predictions were correct.
 */
export type ArmCounts = {
    /**
     * Correct outcomes (at most `total`).
     */
    correct: number,
    /**
     * Outcomes measured.
     */
    total: number,
};

/**
 * One recorded assessment of a clone.
 */
export type Assessment = {
    /**
     * The measured factors.
     */
    factors: Factors,
    /**
     * Evidence: the model the clone runs.
     */
    modelId: string | null,
    /**
     * Evidence: the experiment the factors were measured in.
     */
    experimentId: string | null,
    /**
     * The score and its explanation.
     */
    report: ReadinessReport,
    /**
     * When the assessment was made.
     */
    at: string,
};

/**
 * Commands of block 29.
 */
export type AuditCommand = { "type": "TakeSnapshot" } | {
    "type": "LogAction",
    /**
     * What it acted on; a name (trimmed, non-empty, at most 200 characters).
     */
    subject: string,
    /**
     * What was done; a name.
     */
    action: string,
    /**
     * How it went; a name ("success", "failed").
     */
    status: string,
    /**
     * Free text (optional).
     */
    details: string,
};

/**
 * That the log whose head is `new` extends the log whose head is `old`.
 */
export type AuditConsistencyProof = {
    /**
     * The older head.
     */
    old: AuditRoot,
    /**
     * The newer head.
     */
    new: AuditRoot,
    /**
     * The proof's hashes (hex).
     */
    path: Array<string>,
};

/**
 * One audit entry.
 */
export type AuditEntry = {
    /**
     * Position in the chain (0-based, equal to the log position).
     */
    seq: number,
    /**
     * The command's time.
     */
    at: string,
    /**
     * Who issued the command.
     */
    actor: string | null,
    /**
     * What it was about, e.g. `script/warm-open`.
     */
    subject: string,
    /**
     * The command, e.g. `EvaluateScript`.
     */
    action: string,
    /**
     * Done or refused.
     */
    outcome: AuditOutcome,
    /**
     * Details, e.g. the refusal reason.
     */
    detail: string,
    /**
     * SHA-256 (hex) of the canonical JSON of the command's envelope: its
     * full content (values, time, actor), which the summary leaves out.
     */
    commandHash: string,
    /**
     * SHA-256 (hex) of the canonical JSON of the command's other events.
     */
    eventsHash: string,
    /**
     * The entry's RFC 6962 leaf hash (hex): `SHA-256(0x00 || leaf)`, the
     * leaf being the compact JSON of the fields above, in this order.
     */
    hash: string,
    /**
     * The tree head's root (hex) once this entry is appended: the root of
     * the log of `seq + 1` entries.
     */
    root: string,
};

/**
 * Events of block 29.
 */
export type AuditEvent = {
    "type": "EntryAppended",
    /**
     * The entry.
     */
    entry: AuditEntry,
} | {
    "type": "SnapshotTaken",
    /**
     * The mark.
     */
    mark: SnapshotMark,
} | {
    "type": "ActionLogged",
    /**
     * What it acted on ("model/lead-scorer").
     */
    subject: string,
    /**
     * What was done ("deploy").
     */
    action: string,
    /**
     * How it went ("success", "failed").
     */
    status: string,
    /**
     * Free text.
     */
    details: string,
};

/**
 * The entries that match a query, with their proofs and the head they prove against.
 */
export type AuditFilteredExport = {
    /**
     * The filter.
     */
    query: AuditQuery,
    /**
     * The log's tree head when exported.
     */
    head: AuditRoot,
    /**
     * The matching entries, oldest first.
     */
    entries: Array<AuditProvenEntry>,
};

/**
 * That entry `index` is in the log of `size` entries whose root is `root`.
 */
export type AuditInclusionProof = {
    /**
     * The entry's position (its `seq`).
     */
    index: number,
    /**
     * The log size the proof is for.
     */
    size: number,
    /**
     * The entry's leaf hash (hex).
     */
    leafHash: string,
    /**
     * The root of that log (hex).
     */
    root: string,
    /**
     * The audit path (hex), from the entry's sibling up.
     */
    path: Array<string>,
};

/**
 * Whether the action was carried out.
 */
export type AuditOutcome = "accepted" | "refused";

/**
 * One entry of a filtered export and the proof that it is in the log.
 */
export type AuditProvenEntry = {
    /**
     * The entry.
     */
    entry: AuditEntry,
    /**
     * Its inclusion proof against the export's head.
     */
    proof: AuditInclusionProof,
};

/**
 * An audit query (all filters optional).
 */
export type AuditQuery = {
    /**
     * Exact subject, its prefix before a `/` (`model`), or its name after
     * one (`lead-scorer` finds `model/lead-scorer`).
     */
    subject?: string | null,
    /**
     * Exact action.
     */
    action?: string | null,
    /**
     * From (inclusive).
     */
    from?: Date | string | null,
    /**
     * To (exclusive).
     */
    to?: Date | string | null,
};

/**
 * The tree head of a log: its size and root. Two logs with the same head
 * hold the same entries; a log extends an older head when its first `size`
 * entries give `root` (what a consistency proof shows with hashes alone).
 */
export type AuditRoot = {
    /**
     * Number of entries.
     */
    size: number,
    /**
     * RFC 6962 root (hex).
     */
    root: string,
};

/**
 * The state of block 29.
 */
export type AuditState = {
    /**
     * The log, in order.
     */
    entries: Array<AuditEntry>,
    /**
     * Snapshot marks.
     */
    snapshots: Array<SnapshotMark>,
};

/**
 * One blocked attempt to ingest data, as [`blocked_attempts`] lists it.
 */
export type BlockedAttempt = {
    /**
     * Its place among every blocked attempt, oldest first (0-based): a
     * stable key for a list.
     */
    seq: number,
    /**
     * When (the time of its command).
     */
    at: string,
    /**
     * The normalised source.
     */
    source: string,
    /**
     * Why it was blocked.
     */
    reason: string,
};

/**
 * An event of one block. JSON: `{"block": "ab", "type": "CountsRecorded", ...}`.
 */
export type BrainEvent = { "block": "ab" } & AbEvent | { "block": "promotion" } & PromotionEvent | { "block": "packets" } & PacketsEvent | { "block": "ingest" } & IngestEvent | { "block": "outcomes" } & OutcomesEvent | { "block": "models" } & ModelsEvent | { "block": "readiness" } & ReadinessEvent | { "block": "gates" } & GatesEvent | { "block": "audit" } & AuditEvent | { "block": "policy" } & PolicyEvent | { "block": "rollouts" } & RolloutsEvent | { "block": "prereg" } & PreregEvent | { "block": "monitoring" } & MonitoringEvent;

/**
 * The state of every block, plus the policy, the seed and the log position.
 */
export type BrainState = {
    /**
     * Every threshold and weight in force.
     */
    policy: Policy,
    /**
     * Seed of the generator kept in state.
     */
    rng_seed: number,
    /**
     * Accepted commands so far (the next command's log position).
     */
    position: number,
    /**
     * Time of the last accepted command (commands come in time order).
     */
    last_at: string | null,
    /**
     * Block 21.
     */
    ab: AbState,
    /**
     * Block 22.
     */
    promotion: PromotionState,
    /**
     * Block 23.
     */
    packets: PacketsState,
    /**
     * Block 24.
     */
    ingest: IngestState,
    /**
     * Block 25.
     */
    outcomes: OutcomesState,
    /**
     * Block 26.
     */
    models: ModelsState,
    /**
     * Block 27.
     */
    readiness: ReadinessState,
    /**
     * Block 28.
     */
    gates: GatesState,
    /**
     * Block 29.
     */
    audit: AuditState,
    /**
     * Staged model rollouts (left out of the JSON while empty, so states written before
     * the block existed keep their hashes).
     */
    rollouts: RolloutsState,
    /**
     * Pre-registered decision rules (left out of the JSON while empty, so
     * states from before pre-registration keep their form and hash).
     */
    prereg?: PreregState,
    /**
     * Continuous monitoring (left out while empty, so older states hash as they did).
     */
    monitoring: MonitoringState,
};

/**
 * When a check last ran, and how often.
 */
export type CheckRun = {
    /**
     * The time of the `RunDueChecks` that last ran it.
     */
    lastRun: string,
    /**
     * Runs so far.
     */
    runs: number,
    /**
     * Runs skipped by long gaps, in total.
     */
    skipped: number,
};

/**
 * A clone's latest standing, for the console's list.
 */
export type CloneSummary = {
    /**
     * The clone.
     */
    cloneId: string,
    /**
     * Composite of the latest assessment.
     */
    composite: number,
    /**
     * Whether the latest assessment was ready.
     */
    ready: boolean,
    /**
     * Gap to ready of the latest assessment.
     */
    gap: number,
    /**
     * Weakest factor of the latest assessment.
     */
    weakest: Factor,
    /**
     * How many assessments the clone has.
     */
    assessments: number,
    /**
     * When the latest assessment was made.
     */
    assessedAt: string,
};

/**
 * A command with its time and actor, as `execute` takes it. JSON is flat:
 * `{"at": "2026-01-01T09:00:00Z", "actor": "ops", "block": "ab", "type": "RecordCounts", ...}`.
 */
export type Command = {
    /**
     * When the command happens (commands must come in time order): a JS
     * `Date` or an RFC 3339 string on input; a string in `Brain#log`.
     */
    at: Date | string,
    /**
     * Who issues it.
     */
    actor?: string | null,
} & ({ "block": "ab" } & AbCommand | { "block": "promotion" } & PromotionCommand | { "block": "packets" } & PacketsCommand | { "block": "ingest" } & IngestCommand | { "block": "outcomes" } & OutcomesCommand | { "block": "models" } & ModelsCommand | { "block": "readiness" } & ReadinessCommand | { "block": "gates" } & GatesCommand | { "block": "audit" } & AuditCommand | { "block": "policy" } & PolicyCommand | { "block": "rollouts" } & RolloutsCommand | { "block": "prereg" } & PreregCommand | { "block": "monitoring" } & MonitoringCommand);

/**
 * What one factor brings to the composite.
 */
export type Contribution = {
    /**
     * The factor.
     */
    factor: Factor,
    /**
     * Its measured value.
     */
    value: number,
    /**
     * Its weight in the policy.
     */
    weight: number,
    /**
     * `value * weight`: its share of the composite.
     */
    contribution: number,
    /**
     * `(1 - value) * weight`: what the factor costs the composite against a perfect score.
     */
    shortfall: number,
};

/**
 * A column of the file and what the import does with it.
 */
export type CsvColumn = {
    /**
     * Its header (or `column N` without a header).
     */
    header: string,
    /**
     * The field it fills; `None`: ignored.
     */
    field: string | null,
};

/**
 * The kinds of file the engine imports.
 */
export type CsvImportKind = "counts" | "outcomes" | "drift" | "leads" | "sources" | "model_metrics" | "rollout_metrics";

/**
 * How to read a file; everything is detected when left out.
 */
export type CsvImportOptions = {
    /**
     * `,`, `;` or `\t` (detected from the first line when left out).
     */
    delimiter?: string,
    /**
     * Whether the first line is a header (detected when left out: it is
     * when one of its cells names a column of the kind).
     */
    header?: boolean,
    /**
     * Field name to header name, where the header's own names differ.
     */
    columns?: { [key in string]?: string },
    /**
     * The time of rows without a date (default: the brain's last command,
     * or 1970-01-01 for an empty brain: the engine reads no clock).
     */
    at?: Date | string,
    /**
     * Who issues the commands.
     */
    actor?: string,
};

/**
 * An import planned against a brain, which is left unchanged.
 */
export type CsvPlan = {
    /**
     * The kind of file.
     */
    kind: CsvImportKind,
    /**
     * The delimiter read (`,`, `;` or a tab).
     */
    delimiter: string,
    /**
     * Whether the first line was taken as a header.
     */
    header: boolean,
    /**
     * Each column of the file and the field it fills.
     */
    columns: Array<CsvColumn>,
    /**
     * The first rows as read.
     */
    preview: Array<Array<string>>,
    /**
     * The commands the accepted rows become, in file order: apply them with
     * `Brain::execute_all` (all or nothing).
     */
    commands: Array<Command>,
    /**
     * The line each command comes from.
     */
    lines: Array<number>,
    /**
     * Every row that does not become a command.
     */
    rowErrors: Array<CsvRowError>,
    /**
     * What applying would do.
     */
    summary: CsvSummary,
};

/**
 * A row that does not become a command, and why.
 */
export type CsvRowError = {
    /**
     * The 1-based line of the file the row starts on.
     */
    line: number,
    /**
     * The column at fault, when one is.
     */
    column: string | null,
    /**
     * The rule it breaks: a code of the engine (`invalid_count`) or of the
     * file (`missing_column`, `missing_value`, `not_a_number`, `invalid_time`).
     */
    code: string,
    /**
     * What is wrong and what is allowed (the engine's own message).
     */
    message: string,
};

/**
 * What applying a plan would do.
 */
export type CsvSummary = {
    /**
     * Data rows read (header excluded).
     */
    rows: number,
    /**
     * Commands per `block.Type`.
     */
    commands: { [key in string]?: number },
    /**
     * The experiments, series, models, rollouts or sources the rows name.
     */
    subjects: Array<string>,
    /**
     * Those of them the import creates (new series, new sources).
     */
    newSubjects: Array<string>,
};

/**
 * The tables the console shows.
 */
export type CsvTable = "experiments" | "scripts" | "packets" | "sources" | "series" | "alerts" | "models" | "clones" | "gates" | "audit";

/**
 * How an experiment's winner will be decided, fixed before its data.
 */
export type DecisionRule = {
    /**
     * The metric the experiment is judged on (e.g. "conversion").
     */
    metric: string,
    /**
     * The test that decides.
     */
    method: WinnerMethod,
    /**
     * Significance level, in (0, 1).
     */
    alpha: number,
    /**
     * Trials every variant needs before the winner may be read.
     */
    min_sample: number,
    /**
     * Hours from the experiment's start before the winner may be read,
     * at most [`MAX_RUN_HOURS`].
     */
    min_run_hours: number,
    /**
     * Smallest relative lift worth detecting, in (0, 10] (what the sample
     * size was planned for).
     */
    min_detectable_effect: number,
};

/**
 * A decision that differs.
 */
export type Difference = {
    /**
     * Index of the command in the log.
     */
    position: number,
    /**
     * The command's action.
     */
    action: string,
    /**
     * What kind of decision.
     */
    kind: WhatIfKind,
    /**
     * Under the log's own policy.
     */
    original: WhatIfOutcome,
    /**
     * Under the alternative policy.
     */
    alternative: WhatIfOutcome,
    /**
     * The difference in words, where its block says it (a rollout: "under a stricter
     * criterion rollout/r would have rolled back at Pilot (...) instead of advancing to
     * Limited"); empty otherwise.
     */
    summary?: string,
};

/**
 * Which way is good for a metric.
 */
export type Direction = "higher_is_better" | "lower_is_better";

/**
 * A drift result and when it was assessed.
 */
export type DriftAssessment = {
    /**
     * The result.
     */
    result: DriftResult,
    /**
     * When.
     */
    at: string,
};

/**
 * How much a PSI says the population moved.
 */
export type DriftBand = "stable" | "moderate" | "significant";

/**
 * The outcome of comparing a reference sample with a current one.
 */
export type DriftResult = {
    /**
     * Population stability index of the current sample against the reference.
     */
    psi: number,
    /**
     * The PSI's band under the policy's thresholds.
     */
    band: DriftBand,
    /**
     * Kolmogorov-Smirnov statistic: the largest gap between the two empirical CDFs.
     */
    ksStatistic: number,
    /**
     * Kolmogorov-Smirnov asymptotic two-sided p-value.
     */
    ksPValue: number,
    /**
     * Size of the reference sample.
     */
    referenceSize: number,
    /**
     * Size of the current sample.
     */
    currentSize: number,
    /**
     * Mean of the reference sample.
     */
    referenceMean: number,
    /**
     * Mean of the current sample.
     */
    currentMean: number,
    /**
     * Whether the policy calls this drift: significant PSI band, or KS p-value below the
     * policy's level.
     */
    drifted: boolean,
};

/**
 * A report that fell due.
 */
export type DueReport = {
    /**
     * `report-<kind>-<n>`.
     */
    reportId: string,
    /**
     * Which.
     */
    kind: ReportKind,
    /**
     * When it fell due (the report covers the period up to then).
     */
    at: string,
};

/**
 * What a response does, carried out by another block through the reducer.
 */
export type Effect = {
    "type": "RollBack",
    /**
     * The model.
     */
    model_id: string,
} | {
    "type": "PauseRollout",
    /**
     * The model.
     */
    model_id: string,
};

/**
 * Which number is compared with the thresholds.
 */
export type Estimate = "point" | "wilson";

/**
 * The evidence and thresholds behind a status change (kept so that the
 * verification can re-check every promotion).
 */
export type Evidence = {
    /**
     * Trials evaluated.
     */
    trials: number,
    /**
     * Conversions evaluated.
     */
    conversions: number,
    /**
     * The estimate compared with the threshold.
     */
    estimate: number,
    /**
     * The threshold it was compared with.
     */
    threshold: number,
    /**
     * The minimum sample in force.
     */
    min_sample: number,
    /**
     * The performance score evaluated, when the evaluation gave one instead of counts.
     */
    score?: number,
};

/**
 * What the evidence says about a challenger against the current champion, as the console
 * shows it and `PromoteVersion` applies it.
 */
export type EvidenceAssessment = {
    /**
     * The challenger.
     */
    version: string,
    /**
     * The current champion.
     */
    champion: string,
    /**
     * Samples of the champion arm against this champion (0 without evidence).
     */
    championSamples: number,
    /**
     * Samples of the challenger arm.
     */
    challengerSamples: number,
    /**
     * The policy's minimum per arm.
     */
    minSamplesPerArm: number,
    /**
     * Share correct in the champion arm.
     */
    championRate: number | null,
    /**
     * Share correct in the challenger arm.
     */
    challengerRate: number | null,
    /**
     * Relative improvement `(challenger - champion) / champion`.
     */
    lift: number | null,
    /**
     * Lower bound of the interval of the relative improvement (the z-test's Wald interval
     * of the difference, divided by the champion's rate), at `1 - max_p_value`.
     */
    liftCiLow: number | null,
    /**
     * Upper bound of that interval.
     */
    liftCiHigh: number | null,
    /**
     * Two-sided p-value of the two-proportion z-test.
     */
    pValue: number | null,
    /**
     * The policy's bound on the p-value.
     */
    maxPValue: number,
    /**
     * The policy's minimum relative improvement.
     */
    minRelativeImprovement: number,
    /**
     * Open critical alerts on the challenger (alert ids).
     */
    criticalAlerts: Array<string>,
    /**
     * Promote or hold.
     */
    verdict: EvidenceVerdict,
    /**
     * Every rule that fails, in the policy's order (empty when the verdict is promote).
     */
    reasons: Array<string>,
    /**
     * The continuous metric tested (Welch's t-test on means), when the evidence is a metric
     * rather than outcome counts; absent otherwise, so earlier events read as before.
     */
    metric?: MetricAssessment,
};

/**
 * The evidence a challenger needs against the champion before it is promoted (defaults
 * from the original system's continuous-learning document).
 */
export type EvidencePolicy = {
    /**
     * Fewest samples per arm, champion and challenger each (>= 1; default 1,000).
     */
    min_samples_per_arm: number,
    /**
     * The two-sided p-value must be below this (in (0, 1); default 0.05).
     */
    max_p_value: number,
    /**
     * Smallest relative improvement of the challenger over the champion
     * (`(challenger - champion) / champion`, >= 0; default 0.02, i.e. 2%).
     */
    min_relative_improvement: number,
};

/**
 * Whether the evidence lets the challenger become champion.
 */
export type EvidenceVerdict = "promote" | "hold";

/**
 * An experiment and its winner now.
 */
export type ExperimentLine = {
    /**
     * The experiment.
     */
    experiment: string,
    /**
     * Its winner, if decided.
     */
    winner: string | null,
    /**
     * Why.
     */
    reason: string,
};

/**
 * One experiment in a report.
 */
export type ExperimentReport = {
    /**
     * Experiment name.
     */
    experiment: string,
    /**
     * Script or channel.
     */
    kind: VariantKind,
    /**
     * Variants with rates and intervals.
     */
    variants: Array<VariantReport>,
    /**
     * The winning variant, if the evidence decides one.
     */
    winner: string | null,
    /**
     * Why there is (or is not) a winner.
     */
    reason: string,
    /**
     * p-value of the sample-ratio check, when computed.
     */
    srmPValue: number | null,
    /**
     * True when traffic does not match the planned weights.
     */
    srmFailed: boolean,
    /**
     * Where the experiment is in its life.
     */
    stage: AbStage,
    /**
     * The decision, once concluded.
     */
    conclusion: AbConclusion | null,
};

/**
 * One of the four readiness factors.
 */
export type Factor = "accuracy" | "confidence" | "consistency" | "robustness";

/**
 * The four measured factors of a clone, each in [0, 1].
 */
export type Factors = {
    /**
     * See [`Factor::Accuracy`].
     */
    accuracy: number,
    /**
     * See [`Factor::Confidence`].
     */
    confidence: number,
    /**
     * See [`Factor::Consistency`].
     */
    consistency: number,
    /**
     * See [`Factor::Robustness`].
     */
    robustness: number,
};

/**
 * The gates.
 */
export type Gate = "readiness" | "performance" | "safety" | "sample_ratio" | "rollout";

/**
 * A recorded decision.
 */
export type GateDecision = {
    /**
     * Derived id.
     */
    id: string,
    /**
     * The clone.
     */
    clone: string,
    /**
     * PROMOTE or BLOCK.
     */
    verdict: Verdict,
    /**
     * Every gate evaluated.
     */
    gates: Array<GateResult>,
    /**
     * When.
     */
    at: string,
};

/**
 * One gate's result.
 */
export type GateResult = {
    /**
     * Which gate.
     */
    gate: Gate,
    /**
     * Passed or not.
     */
    passed: boolean,
    /**
     * Why, in words (always filled).
     */
    reason: string,
};

/**
 * Commands of block 28.
 */
export type GatesCommand = {
    "type": "EvaluateGates",
    /**
     * The clone (its readiness factors are recorded in block 27).
     */
    clone_id: string,
    /**
     * The model whose candidate version the clone runs (block 26).
     */
    model_id?: string | null,
    /**
     * The experiment its evidence came from (block 21), if any.
     */
    experiment_id?: string | null,
};

/**
 * Events of block 28.
 */
export type GatesEvent = {
    "type": "GatesDecided",
    /**
     * The decision.
     */
    decision: GateDecision,
};

/**
 * Thresholds of block 28 (defaults: the original system's).
 */
export type GatesPolicy = {
    /**
     * Minimum accuracy for the performance gate, in [0, 1].
     */
    min_accuracy: number,
    /**
     * The safety gate's tolerance: largest accuracy drop of the clone's candidate model
     * against its champion, in [0, 1]. Not the models block's `max_accuracy_drop`, which
     * decides whether a model update is accepted; this one decides whether a clone ships.
     */
    safety_max_accuracy_drop: number,
    /**
     * Sample-ratio p-values below this fail the SRM gate, in [0, 1].
     */
    srm_alpha: number,
};

/**
 * The state of block 28.
 */
export type GatesState = {
    /**
     * Every decision, oldest first.
     */
    decisions: Array<GateDecision>,
    /**
     * Clones promoted so far.
     */
    promoted: Array<string>,
};

/**
 * What happened to a model, in order.
 */
export type HistoryEntry = {
    /**
     * What happened.
     */
    kind: HistoryKind,
    /**
     * The version it happened to (for a rollback, the version restored).
     */
    version: string,
    /**
     * The champion before (for a promotion or a rollback), or the champion compared with
     * (for a refusal).
     */
    previousChampion: string | null,
    /**
     * Why: the refusal reason, the rollback reason or the override's reason; empty
     * otherwise.
     */
    reason: string,
    /**
     * When.
     */
    at: string,
};

/**
 * Kinds of [`HistoryEntry`].
 */
export type HistoryKind = "accepted" | "update_refused" | "promoted" | "promotion_refused" | "rolled_back" | "promoted_by_override";

/**
 * What a trend's improvement rate is measured against.
 */
export type ImprovementReference = "baseline" | "first_window";

/**
 * Commands of block 24.
 */
export type IngestCommand = {
    "type": "AddSource",
    /**
     * Source name (normalised).
     */
    source_id: string,
} | {
    "type": "RemoveSource",
    /**
     * Source name.
     */
    source_id: string,
} | {
    "type": "SuspendSource",
    /**
     * Source name.
     */
    source_id: string,
} | {
    "type": "IngestData",
    /**
     * Source name.
     */
    source_id: string,
    /**
     * The data: state keeps only its size; the payload itself stays in
     * the command log (see `Brain::ingested`).
     */
    payload: string,
};

/**
 * Events of block 24.
 */
export type IngestEvent = {
    "type": "SourceAdded",
    /**
     * Normalised name.
     */
    source: string,
} | {
    "type": "SourceRemoved",
    /**
     * Normalised name.
     */
    source: string,
} | {
    "type": "SourceSuspended",
    /**
     * Normalised name.
     */
    source: string,
} | {
    "type": "IngestAccepted",
    /**
     * Normalised name.
     */
    source: string,
    /**
     * Payload size.
     */
    bytes: number,
} | {
    "type": "IngestBlocked",
    /**
     * Normalised name.
     */
    source: string,
    /**
     * Why.
     */
    reason: string,
    /**
     * Keep this many reasons (from the policy in force).
     */
    keep: number,
};

/**
 * Whitelist and limits of block 24 (defaults: the original system's).
 */
export type IngestPolicy = {
    /**
     * Sources allowed without an `AddSource` command (normalised on use), at most
     * [`MAX_ALLOWED_SOURCES`] names.
     */
    allowed_sources: Array<string>,
    /**
     * Largest payload accepted, in bytes, in 1..=[`MAX_PAYLOAD_BYTES`].
     */
    max_payload_bytes: number,
    /**
     * How many block reasons each source keeps, in 0..=[`MAX_KEEP_REASONS`].
     */
    keep_reasons: number,
    /**
     * How many accepted payloads per source `Brain::ingested` lists, newest
     * first, in 0..=[`MAX_RETAIN_PAYLOADS`]. Payloads live in the command log,
     * not in state; this bounds what the console shows and exports. Left
     * out of the JSON at its default so that older policies (and the state
     * hashes over them) stay the same.
     */
    retain_payloads?: number,
};

/**
 * The state of block 24.
 */
export type IngestState = {
    /**
     * Sources by normalised name.
     */
    sources: { [key in string]?: Source },
};

/**
 * One accepted payload, as [`Brain::ingested`] lists it.
 */
export type IngestedPayload = {
    /**
     * The position of its command in the log (the audit entry's seq): a
     * stable key.
     */
    seq: number,
    /**
     * When it was ingested.
     */
    at: string,
    /**
     * Who ingested it.
     */
    actor?: string | null,
    /**
     * The normalised source.
     */
    source: string,
    /**
     * Its size in bytes.
     */
    bytes: number,
    /**
     * The payload as it was sent.
     */
    payload: string,
    /**
     * The payload read as a lead (a `packets::Lead` JSON with a name and a
     * finite non-negative value), from which a packet can be built.
     */
    lead?: Lead | null,
};

/**
 * Lead data a packet is built from.
 */
export type Lead = {
    /**
     * The lead's name (non-empty).
     */
    name: string,
    /**
     * Deal value (finite, non-negative).
     */
    value: number,
    /**
     * Terms.
     */
    terms?: string,
    /**
     * Where the lead came from.
     */
    source?: string,
    /**
     * Any other fields, usable in templates.
     */
    fields?: { [key in string]?: string },
};

/**
 * One point of an experiment's cumulative lift: after one batch of counts,
 * the lift of each non-control variant over control, so far.
 */
export type LiftPoint = {
    /**
     * When the batch was recorded (the time of its command).
     */
    at: string,
    /**
     * The lift (`rate / control rate - 1`) of each non-control variant, in
     * registration order; `None` while it is undefined (the variant has no
     * trials yet, or control's rate is not above 0).
     */
    lifts: Array<number | null>,
};

/**
 * How an experiment's lift over control moved, batch by batch: what a
 * chart of "is the winner still winning?" needs and the state does not
 * keep (it holds only the totals).
 */
export type LiftSeries = {
    /**
     * The non-control variants, in registration order (the first
     * registered variant is control).
     */
    variants: Array<string>,
    /**
     * One point per recorded batch, in time order.
     */
    points: Array<LiftPoint>,
};

/**
 * An alert that is open now.
 */
export type LiveAlert = {
    /**
     * The notification id.
     */
    alertId: string,
    /**
     * Where from.
     */
    source: LiveAlertSource,
    /**
     * In words.
     */
    message: string,
    /**
     * Since when.
     */
    since: string,
};

/**
 * Where a live alert comes from.
 */
export type LiveAlertSource = "outcomes" | "monitoring" | "gates";

/**
 * Totals of a continuous metric over one arm's units, as gbstats keeps them: a window of
 * any size is three numbers.
 */
export type MeanArm = {
    /**
     * Units measured.
     */
    n: number,
    /**
     * Sum of the values.
     */
    sum: number,
    /**
     * Sum of the squared values (at least `sum^2 / n`).
     */
    sum_squares: number,
};

/**
 * One variant's continuous metric in a report.
 */
export type MeanReport = {
    /**
     * Units measured.
     */
    n: number,
    /**
     * Mean value (0 without units).
     */
    mean: number,
    /**
     * Relative lift of the mean over control's; `None` for control, or
     * when the test is undefined (see `reason`).
     */
    lift: number | null,
    /**
     * Lower bound of the lift's interval at the policy's alpha.
     */
    ciLow: number | null,
    /**
     * Upper bound of the lift's interval.
     */
    ciHigh: number | null,
    /**
     * Two-sided p-value of "no lift" (not adjusted for several variants).
     */
    pValue: number | null,
    /**
     * Why there is no test, when there is none and this is not control.
     */
    reason: string | null,
    /**
     * How the lift was tested: CUPED when this variant and control both
     * carry a pre-period covariate, else Welch.
     */
    method: AbMeanMethod,
};

/**
 * The continuous metric an assessment tested, when it tested one (Welch on means).
 */
export type MetricAssessment = {
    /**
     * The metric.
     */
    metric: string,
    /**
     * Whether a higher or a lower mean is better.
     */
    direction: Direction,
    /**
     * The champion arm's mean.
     */
    championMean: number,
    /**
     * The challenger arm's mean.
     */
    challengerMean: number,
};

/**
 * A model: its versions (lineage) and who serves.
 */
export type Model = {
    /**
     * Human-readable name.
     */
    name: string,
    /**
     * Every version, in the order proposed.
     */
    versions: Array<ModelsVersion>,
    /**
     * The serving champion.
     */
    champion: string | null,
    /**
     * The serving challenger.
     */
    challenger: string | null,
    /**
     * Champions before the current one, oldest first: the rollback stack.
     */
    previousChampions: Array<string>,
    /**
     * Every acceptance, refusal, promotion and rollback, in order.
     */
    history: Array<HistoryEntry>,
    /**
     * When the model was registered.
     */
    registeredAt: string,
    /**
     * The version deployed in each environment (at most one each).
     */
    environments?: { [key in string]?: string },
    /**
     * Every promotion to an environment, in order: which version was where, when.
     */
    environmentHistory?: Array<ModelEnvironmentChange>,
};

/**
 * Two versions compared.
 */
export type ModelComparison = {
    /**
     * The model.
     */
    modelId: string,
    /**
     * The reference version.
     */
    a: ModelsVersion,
    /**
     * The version compared with it.
     */
    b: ModelsVersion,
    /**
     * Every metric either has (accuracy always), by name.
     */
    metrics: Array<ModelMetricDelta>,
    /**
     * `b`'s evidence assessed against `a`, when `a` is the champion and the policy has
     * the evidence rule.
     */
    evidence: EvidenceAssessment | null,
    /**
     * What to do.
     */
    recommendation: ModelRecommendation,
    /**
     * Why, one sentence per reason.
     */
    reasons: Array<string>,
};

/**
 * A span of time a version was in an environment.
 */
export type ModelDeployment = {
    /**
     * The environment.
     */
    environment: string,
    /**
     * The version.
     */
    version: string,
    /**
     * From when.
     */
    from: string,
    /**
     * Until when (none: still there).
     */
    until: string | null,
    /**
     * Who put it there.
     */
    actor: string | null,
    /**
     * Why.
     */
    reason: string,
};

/**
 * One promotion of a version to an environment.
 */
export type ModelEnvironmentChange = {
    /**
     * The environment.
     */
    environment: string,
    /**
     * The version deployed there from now on.
     */
    version: string,
    /**
     * The version it replaced there, if any.
     */
    previous: string | null,
    /**
     * Who did it (the command's actor), when known.
     */
    actor: string | null,
    /**
     * Why.
     */
    reason: string,
    /**
     * When.
     */
    at: string,
};

/**
 * A challenger's evidence against one champion: both arms' outcomes over the same windows,
 * summed. Evidence against an earlier champion does not count against a new one.
 */
export type ModelEvidence = {
    /**
     * The champion the challenger was measured against.
     */
    champion: string,
    /**
     * The champion arm's outcomes.
     */
    championArm: ArmCounts,
    /**
     * The challenger arm's outcomes.
     */
    challengerArm: ArmCounts,
    /**
     * How many windows were recorded.
     */
    windows: number,
    /**
     * When the last window was recorded.
     */
    updatedAt: string,
};

/**
 * A model's history, as `brain.modelHistory(modelId)` returns it.
 */
export type ModelHistory = {
    /**
     * The model.
     */
    modelId: string,
    /**
     * Every acceptance, refusal, promotion, override and rollback, oldest first.
     */
    entries: Array<HistoryEntry>,
    /**
     * Which version was in which environment when, by environment then time.
     */
    deployments: Array<ModelDeployment>,
};

/**
 * One metric of two versions.
 */
export type ModelMetricDelta = {
    /**
     * The metric.
     */
    metric: string,
    /**
     * Its value for `a`, if measured.
     */
    a: number | null,
    /**
     * Its value for `b`, if measured.
     */
    b: number | null,
    /**
     * `b - a`, when both are measured.
     */
    delta: number | null,
    /**
     * `(b - a) / |a|`, when both are measured and `a` is not 0.
     */
    relative: number | null,
    /**
     * Whether a lower value is better (error rates, latencies, losses).
     */
    lowerIsBetter: boolean,
    /**
     * Which is better: `a`, `b`, or none (equal or not both measured).
     */
    better: string | null,
};

/**
 * A challenger's continuous-metric evidence against one champion: both arms' totals over
 * the same windows, summed. Evidence against an earlier champion does not count against a
 * new one.
 */
export type ModelMetricEvidence = {
    /**
     * The metric measured (e.g. `deal_value`).
     */
    metric: string,
    /**
     * Whether a higher or a lower mean is better.
     */
    direction: Direction,
    /**
     * The champion the challenger was measured against.
     */
    champion: string,
    /**
     * The champion arm's totals.
     */
    championArm: MeanArm,
    /**
     * The challenger arm's totals.
     */
    challengerArm: MeanArm,
    /**
     * How many windows were recorded.
     */
    windows: number,
    /**
     * When the last window was recorded.
     */
    updatedAt: string,
};

/**
 * What a comparison recommends.
 */
export type ModelRecommendation = "promote_b" | "keep_a" | "collect_evidence";

/**
 * A model with its lineage, for the console's chart (accuracy by version).
 */
export type ModelReport = {
    /**
     * The model.
     */
    modelId: string,
    /**
     * Its name.
     */
    name: string,
    /**
     * The serving champion.
     */
    champion: string | null,
    /**
     * The serving challenger.
     */
    challenger: string | null,
    /**
     * The version a rollback would restore.
     */
    rollbackTarget: string | null,
    /**
     * Every version with its parent, accuracy and status, in the order proposed.
     */
    versions: Array<ModelsVersion>,
    /**
     * The version in each environment.
     */
    environments: { [key in string]?: string },
};

/**
 * Commands of the models block.
 */
export type ModelsCommand = {
    "type": "RegisterModel",
    /**
     * The model's id (non-empty, unique).
     */
    model_id: string,
    /**
     * Human-readable name (non-empty).
     */
    name: string,
} | {
    "type": "ProposeUpdate",
    /**
     * The model.
     */
    model_id: string,
    /**
     * The new version (unique within the model, greater than its parent); give it or
     * `bump`, not both.
     */
    version?: string | null,
    /**
     * The new version as the next patch, minor or major version of the parent; give it
     * or `version`, not both.
     */
    bump?: VersionBump | null,
    /**
     * The version it derives from; when omitted, the current champion (none if the model
     * has no champion).
     */
    parent?: string | null,
    /**
     * How it was produced.
     */
    strategy: Strategy,
    /**
     * Its measured accuracy, in [0, 1].
     */
    accuracy: number,
    /**
     * Who made it (a person or a training pipeline); kept on the version. Left out of
     * the JSON when absent, so earlier logs hash as before.
     */
    created_by?: string | null,
} | {
    "type": "RecordAccuracy",
    /**
     * The model.
     */
    model_id: string,
    /**
     * The version measured.
     */
    version: string,
    /**
     * Its measured accuracy, in [0, 1].
     */
    accuracy: number,
} | {
    "type": "PromoteVersion",
    /**
     * The model.
     */
    model_id: string,
    /**
     * The version to promote.
     */
    version: string,
} | {
    "type": "RecordArmEvidence",
    /**
     * The model.
     */
    model_id: string,
    /**
     * The challenger or shadow measured.
     */
    version: string,
    /**
     * The champion arm's outcomes in the window.
     */
    champion: ArmCounts,
    /**
     * The challenger arm's outcomes in the same window.
     */
    challenger: ArmCounts,
} | {
    "type": "RecordMetricEvidence",
    /**
     * The model.
     */
    model_id: string,
    /**
     * The challenger or shadow measured.
     */
    version: string,
    /**
     * The metric (one per champion: a new champion starts the evidence over).
     */
    metric: string,
    /**
     * Whether a higher or a lower mean is better.
     */
    direction: Direction,
    /**
     * The champion arm's totals in the window.
     */
    champion: MeanArm,
    /**
     * The challenger arm's totals in the same window.
     */
    challenger: MeanArm,
} | {
    "type": "OverridePromotion",
    /**
     * The model.
     */
    model_id: string,
    /**
     * The version to promote.
     */
    version: string,
    /**
     * Why (non-empty; kept in the history and the audit).
     */
    reason: string,
} | {
    "type": "RecordVersionMetrics",
    /**
     * The model.
     */
    model_id: string,
    /**
     * The version.
     */
    version: string,
    /**
     * Metric values by name (finite numbers), e.g. `f1`, `latency_p95`.
     */
    metrics: { [key in string]?: number },
    /**
     * Facts by key, e.g. `training_data`, `commit`.
     */
    metadata: { [key in string]?: string },
} | {
    "type": "PromoteToEnvironment",
    /**
     * The model.
     */
    model_id: string,
    /**
     * The version to deploy (not a refused one).
     */
    version: string,
    /**
     * The environment.
     */
    environment: string,
    /**
     * Why (non-empty).
     */
    reason: string,
} | {
    "type": "RollBack",
    /**
     * The model.
     */
    model_id: string,
    /**
     * Why (non-empty; kept in the history and the audit).
     */
    reason: string,
};

/**
 * Events of the models block.
 */
export type ModelsEvent = {
    "type": "ModelRegistered",
    /**
     * The model.
     */
    model_id: string,
    /**
     * Its name.
     */
    name: string,
    /**
     * When.
     */
    at: string,
} | {
    "type": "UpdateAccepted",
    /**
     * The model.
     */
    model_id: string,
    /**
     * The new version.
     */
    version: string,
    /**
     * Its parent.
     */
    parent: string | null,
    /**
     * How it was produced.
     */
    strategy: Strategy,
    /**
     * Its accuracy.
     */
    accuracy: number,
    /**
     * `Challenger` or `Shadow`.
     */
    status: ModelsStatus,
    /**
     * Who made it, when the proposal said.
     */
    created_by?: string | null,
    /**
     * When.
     */
    at: string,
} | {
    "type": "UpdateRefused",
    /**
     * The model.
     */
    model_id: string,
    /**
     * The refused version.
     */
    version: string,
    /**
     * Its parent.
     */
    parent: string | null,
    /**
     * How it was produced.
     */
    strategy: Strategy,
    /**
     * Its accuracy.
     */
    accuracy: number,
    /**
     * The champion it was compared with.
     */
    champion: string,
    /**
     * The champion's accuracy.
     */
    champion_accuracy: number,
    /**
     * The tolerance applied.
     */
    max_accuracy_drop: number,
    /**
     * A human-readable reason.
     */
    reason: string,
    /**
     * Who made it, when the proposal said.
     */
    created_by?: string | null,
    /**
     * When.
     */
    at: string,
} | {
    "type": "AccuracyRecorded",
    /**
     * The model.
     */
    model_id: string,
    /**
     * The version.
     */
    version: string,
    /**
     * The new accuracy.
     */
    accuracy: number,
    /**
     * The accuracy it replaces.
     */
    previous: number,
    /**
     * When.
     */
    at: string,
} | {
    "type": "VersionPromoted",
    /**
     * The model.
     */
    model_id: string,
    /**
     * The new champion.
     */
    version: string,
    /**
     * The champion it replaced.
     */
    previous_champion: string | null,
    /**
     * When.
     */
    at: string,
} | {
    "type": "PromotionRefused",
    /**
     * The model.
     */
    model_id: string,
    /**
     * The version not promoted.
     */
    version: string,
    /**
     * Its accuracy.
     */
    accuracy: number,
    /**
     * The champion it was compared with.
     */
    champion: string,
    /**
     * The champion's accuracy.
     */
    champion_accuracy: number,
    /**
     * The tolerance applied.
     */
    max_accuracy_drop: number,
    /**
     * A human-readable reason (every reason, joined by "; ").
     */
    reason: string,
    /**
     * Every failing reason, under the evidence rule.
     */
    reasons?: Array<string>,
    /**
     * The evidence as tested, under the evidence rule (boxed: most events are small).
     */
    assessment?: EvidenceAssessment | null,
    /**
     * When.
     */
    at: string,
} | {
    "type": "RolledBack",
    /**
     * The model.
     */
    model_id: string,
    /**
     * The champion rolled back.
     */
    from: string,
    /**
     * The champion restored.
     */
    to: string,
    /**
     * Why.
     */
    reason: string,
    /**
     * When.
     */
    at: string,
} | {
    "type": "ArmEvidenceRecorded",
    /**
     * The model.
     */
    model_id: string,
    /**
     * The challenger or shadow.
     */
    version: string,
    /**
     * The champion it was measured against.
     */
    champion: string,
    /**
     * The champion arm's outcomes in the window.
     */
    champion_arm: ArmCounts,
    /**
     * The challenger arm's outcomes in the window.
     */
    challenger_arm: ArmCounts,
    /**
     * When.
     */
    at: string,
} | {
    "type": "MetricEvidenceRecorded",
    /**
     * The model.
     */
    model_id: string,
    /**
     * The challenger or shadow.
     */
    version: string,
    /**
     * The champion it was measured against.
     */
    champion: string,
    /**
     * The metric.
     */
    metric: string,
    /**
     * Whether a higher or a lower mean is better.
     */
    direction: Direction,
    /**
     * The champion arm's totals in the window.
     */
    champion_arm: MeanArm,
    /**
     * The challenger arm's totals in the window.
     */
    challenger_arm: MeanArm,
    /**
     * When.
     */
    at: string,
} | {
    "type": "PromotionOverridden",
    /**
     * The model.
     */
    model_id: string,
    /**
     * The new champion.
     */
    version: string,
    /**
     * The champion it replaced.
     */
    previous_champion: string | null,
    /**
     * Why the rule was overridden.
     */
    reason: string,
    /**
     * The reasons the promotion would have been refused (empty if none).
     */
    bypassed: Array<string>,
    /**
     * When.
     */
    at: string,
} | {
    "type": "VersionMetricsRecorded",
    /**
     * The model.
     */
    model_id: string,
    /**
     * The version.
     */
    version: string,
    /**
     * Metric values by name.
     */
    metrics: { [key in string]?: number },
    /**
     * Facts by key.
     */
    metadata: { [key in string]?: string },
    /**
     * When.
     */
    at: string,
} | {
    "type": "EnvironmentPromoted",
    /**
     * The model.
     */
    model_id: string,
    /**
     * The environment.
     */
    environment: string,
    /**
     * The version now there.
     */
    version: string,
    /**
     * The version it replaced there.
     */
    previous: string | null,
    /**
     * Who did it.
     */
    actor: string | null,
    /**
     * Why.
     */
    reason: string,
    /**
     * When.
     */
    at: string,
};

/**
 * The block's thresholds (missing fields take their default when read from JSON).
 */
export type ModelsPolicy = {
    /**
     * Largest accuracy loss against the champion an update or promotion may have
     * (absolute, in accuracy points, in [0, 1]; original system: 0.02). The gates block's
     * `safety_max_accuracy_drop` is another rule: whether a clone ships.
     */
    max_accuracy_drop: number,
    /**
     * What a challenger needs to become champion. `None` is the rule before evidence
     * existed (accuracy only): a policy stored without this field (every snapshot written
     * before it) keeps that rule, so its log replays to the decisions it made then, and
     * its state hash is unchanged. A new policy has the evidence rule.
     */
    evidence?: EvidencePolicy | null,
    /**
     * The environments a version can be deployed to, in promotion order (original system:
     * development, staging, production). Omitted from JSON when it is the default, so the
     * hash of a state stored before environments existed is unchanged.
     */
    environments?: Array<string>,
};

/**
 * Every model by id.
 */
export type ModelsState = {
    /**
     * Models by id.
     */
    models: { [key in string]?: Model },
};

/**
 * Where a version stands.
 */
export type ModelsStatus = "champion" | "challenger" | "shadow" | "retired" | "rolled_back" | "refused";

/**
 * One version of a model and its place in the lineage.
 */
export type ModelsVersion = {
    /**
     * The semantic version.
     */
    version: string,
    /**
     * The version it was derived from (none for a root).
     */
    parent: string | null,
    /**
     * How it was produced.
     */
    strategy: Strategy,
    /**
     * Its latest measured accuracy, in [0, 1].
     */
    accuracy: number,
    /**
     * Where it stands now.
     */
    status: ModelsStatus,
    /**
     * When it was proposed.
     */
    proposedAt: string,
    /**
     * Named measurements (accuracy, f1, error_rate, latency_p50/p95/p99, any other), the
     * latest value of each; what `CompareVersions` compares.
     */
    metrics?: { [key in string]?: number },
    /**
     * Key/value facts about how it was made (training data, commit).
     */
    metadata?: { [key in string]?: string },
    /**
     * Its outcomes against the champion, arm by arm (challengers and shadows).
     */
    evidence?: ModelEvidence | null,
    /**
     * Its continuous-metric totals against the champion, arm by arm (challengers and
     * shadows); when recorded against the current champion, what promotion tests.
     */
    metricEvidence?: ModelMetricEvidence,
    /**
     * Who made it, when its proposal said (`ProposeUpdate`'s `created_by`).
     */
    createdBy?: string,
};

/**
 * An automatic action: what a safety rule did.
 */
export type MonitoringAction = {
    /**
     * `action-<n>`, counting every action from 1.
     */
    actionId: string,
    /**
     * The rule.
     */
    rule: string,
    /**
     * The alert raised with it.
     */
    alertId: string,
    /**
     * The model.
     */
    modelId: string,
    /**
     * The series.
     */
    seriesId: string,
    /**
     * What it does.
     */
    effect: Effect,
    /**
     * The values the rule compared.
     */
    values: Array<RuleValue>,
    /**
     * In words.
     */
    message: string,
    /**
     * The command that caused it.
     */
    causedBy: string,
    /**
     * When.
     */
    at: string,
    /**
     * Why the effect could not be carried out (e.g. no previous champion); none when done.
     */
    failed: string | null,
};

/**
 * An alert the monitoring block raised; open while its condition holds.
 */
export type MonitoringAlert = {
    /**
     * `monitor-<n>`, counting every monitoring alert from 1.
     */
    alertId: string,
    /**
     * What kind.
     */
    kind: MonitoringAlertKind,
    /**
     * The condition (`"threshold/<rule>/<series>"`, `"degradation/<series>"`,
     * `"drift/<alert>"`): one open alert per condition.
     */
    key: string,
    /**
     * The rule.
     */
    rule: string,
    /**
     * The series.
     */
    seriesId: string,
    /**
     * The series' subject.
     */
    subject: string | null,
    /**
     * The values the rule compared.
     */
    values: Array<RuleValue>,
    /**
     * In words.
     */
    message: string,
    /**
     * The command that raised it (`"RunDueChecks at <time> (log position <n>)"`).
     */
    causedBy: string,
    /**
     * When raised.
     */
    raisedAt: string,
    /**
     * When its condition cleared.
     */
    resolvedAt: string | null,
};

/**
 * Where a monitoring alert stands.
 */
export type MonitoringAlertKind = "threshold" | "response";

/**
 * The scheduled checks, in the order they run when due at the same time.
 */
export type MonitoringCheck = "drift" | "thresholds" | "ab_evaluation" | "health" | "weekly_report";

/**
 * Commands of the monitoring block.
 */
export type MonitoringCommand = { "type": "RunDueChecks", } | {
    "type": "RunCheck",
    /**
     * The check.
     */
    check: MonitoringCheck,
} | {
    "type": "MarkRead",
    /**
     * The notifications (at least one, each in the inbox).
     */
    notification_ids: Array<string>,
};

/**
 * Events of the monitoring block.
 */
export type MonitoringEvent = {
    "type": "CheckRan",
    /**
     * Which.
     */
    check: MonitoringCheck,
    /**
     * When it fell due.
     */
    due_at: string,
    /**
     * When it ran (the command's time).
     */
    at: string,
    /**
     * Due runs a long gap skipped.
     */
    skipped: number,
} | {
    "type": "AlertRaised",
    /**
     * The alert.
     */
    alert: MonitoringAlert,
} | {
    "type": "AlertCleared",
    /**
     * The alert.
     */
    alert_id: string,
    /**
     * When.
     */
    at: string,
} | {
    "type": "ResponseTaken",
    /**
     * The action.
     */
    action: MonitoringAction,
} | {
    "type": "ExperimentEvaluated",
    /**
     * The experiment.
     */
    experiment: string,
    /**
     * Its winner, if the evidence decides one.
     */
    winner: string | null,
    /**
     * Why.
     */
    reason: string,
    /**
     * When.
     */
    at: string,
} | {
    "type": "ReportDue",
    /**
     * The report.
     */
    report: DueReport,
} | {
    "type": "NotificationsRead",
    /**
     * Which.
     */
    notification_ids: Array<string>,
    /**
     * When.
     */
    at: string,
};

/**
 * The block's rules (missing fields take their default when read from JSON).
 */
export type MonitoringPolicy = {
    /**
     * How often each check runs.
     */
    schedule: Schedule,
    /**
     * Roll a model back when one of its series degrades critically: its latest window is
     * worse than the best recent window by more than `critical_factor` times the outcomes
     * block's regression tolerance (the original system's rule: 3x).
     */
    rollback_on_critical_degradation: boolean,
    /**
     * The factor, in (0, 1000].
     */
    critical_factor: number,
    /**
     * Roll a model back on a major drift: an open drift alert on one of its series with a PSI
     * at or above `major_drift_psi`.
     */
    rollback_on_major_drift: boolean,
    /**
     * The PSI of a major drift, finite and above 0 (default 0.25, the significant band).
     */
    major_drift_psi: number,
    /**
     * Absolute thresholds on outcome series (at most 100).
     */
    thresholds: Array<MonitoringThreshold>,
    /**
     * The safety gate also fails on an open drift alert on the model's series. Off by
     * default: a stored command log must execute again to the events it gave (import checks
     * it), and turning this on changes gate decisions of existing logs (the demo's
     * clone-alpha is blocked by its drift alert). Turn it on with `SetPolicy`.
     */
    safety_gate_counts_drift: boolean,
    /**
     * The safety gate also fails on an open below-baseline alert on the model's series (off
     * by default, for the same reason).
     */
    safety_gate_counts_below_baseline: boolean,
};

/**
 * A report.
 */
export type MonitoringReport = {
    /**
     * Daily or weekly.
     */
    kind: ReportKind,
    /**
     * The period's start (excluded).
     */
    from: string,
    /**
     * The period's end (included): the report's time.
     */
    to: string,
    /**
     * Every experiment and its winner now.
     */
    experiments: Array<ExperimentLine>,
    /**
     * Script status changes in the period.
     */
    promotions: Array<ReportLine>,
    /**
     * Model changes in the period (accepted, refused, promoted, rolled back).
     */
    modelChanges: Array<ReportLine>,
    /**
     * Alerts opened in the period.
     */
    alertsOpened: Array<ReportLine>,
    /**
     * Alerts resolved in the period.
     */
    alertsResolved: Array<ReportLine>,
    /**
     * Gate decisions in the period.
     */
    gateDecisions: Array<ReportLine>,
    /**
     * Automatic actions in the period.
     */
    actions: Array<ReportLine>,
    /**
     * Verification now.
     */
    verification: Verification,
};

/**
 * The state of the monitoring block.
 */
export type MonitoringState = {
    /**
     * Each check's last run.
     */
    runs: { [key in MonitoringCheck]?: CheckRun },
    /**
     * Every monitoring alert, oldest first.
     */
    alerts: Array<MonitoringAlert>,
    /**
     * Every automatic action, oldest first.
     */
    actions: Array<MonitoringAction>,
    /**
     * Each experiment's winner at its latest evaluation.
     */
    winners: { [key in string]?: string | null },
    /**
     * Every report that fell due, oldest first.
     */
    reports: Array<DueReport>,
    /**
     * Notifications read.
     */
    read: Array<string>,
};

/**
 * One absolute threshold: on every series of `metric`, `statistic` over the outcomes of the
 * last `window_minutes` must stay at or below `max` and at or above `min`.
 */
export type MonitoringThreshold = {
    /**
     * The rule's name (non-empty, unique), named by its alerts.
     */
    rule: string,
    /**
     * On or off.
     */
    enabled: boolean,
    /**
     * The metric of the series it watches (e.g. `"error_rate"`).
     */
    metric: string,
    /**
     * What is computed over the window.
     */
    statistic: ThresholdStatistic,
    /**
     * The window, in minutes, in 1..=129600 (90 days).
     */
    window_minutes: number,
    /**
     * A breach above this (finite when given).
     */
    max: number | null,
    /**
     * A breach below this (finite when given).
     */
    min: number | null,
};

/**
 * One notification.
 */
export type Notification = {
    /**
     * Its id: the alert's, the action's, the report's, or `gate-<decision id>`.
     */
    notificationId: string,
    /**
     * What about.
     */
    kind: NotificationKind,
    /**
     * When it happened.
     */
    at: string,
    /**
     * One line.
     */
    title: string,
    /**
     * The details.
     */
    detail: string,
    /**
     * Read with `MarkRead`.
     */
    read: boolean,
};

/**
 * What a notification is about.
 */
export type NotificationKind = "alert" | "monitoring_alert" | "gate_block" | "action" | "report";

/**
 * One recorded outcome.
 */
export type Outcome = {
    /**
     * The caller's id (unique within the series).
     */
    outcomeId: string,
    /**
     * The measured value.
     */
    value: number,
    /**
     * An optional label ("won", "variant-b").
     */
    label: string | null,
    /**
     * When it was recorded.
     */
    at: string,
};

/**
 * Commands of the outcomes block.
 */
export type OutcomesCommand = {
    "type": "DefineSeries",
    /**
     * The series' id (non-empty, unique), e.g. `"conversion_rate/script:s1"`.
     */
    series_id: string,
    /**
     * The metric (non-empty), e.g. `"conversion_rate"`.
     */
    metric: string,
    /**
     * What is measured, e.g. a model id (non-empty when given).
     */
    subject?: string | null,
    /**
     * Which way is good (default: higher is better).
     */
    direction?: Direction,
    /**
     * The reference level, if known.
     */
    baseline?: number | null,
} | {
    "type": "SetBaseline",
    /**
     * The series.
     */
    series_id: string,
    /**
     * The new baseline.
     */
    baseline: number,
} | {
    "type": "RecordOutcome",
    /**
     * The series.
     */
    series_id: string,
    /**
     * The outcome's id (unique within the series); omitted or empty, the
     * engine assigns one (`outcome-<uuid v5 of the log position and time>`).
     */
    outcome_id?: string,
    /**
     * The measured value (finite, magnitude at most 1e15).
     */
    value: number,
    /**
     * An optional label (non-empty when given).
     */
    label?: string | null,
} | {
    "type": "AssessDrift",
    /**
     * The series.
     */
    series_id: string,
    /**
     * The reference sample (non-empty, finite values of magnitude at most 1e15, at most
     * 100000 values).
     */
    reference: Array<number>,
    /**
     * The current sample (same rules).
     */
    current: Array<number>,
} | {
    "type": "AcknowledgeAlert",
    /**
     * The alert.
     */
    alert_id: string,
    /**
     * An optional note (non-empty when given).
     */
    note?: string | null,
} | {
    "type": "ResolveAlert",
    /**
     * The alert.
     */
    alert_id: string,
    /**
     * Why it is resolved (non-empty; kept for the audit).
     */
    note: string,
};

/**
 * Events of the outcomes block.
 */
export type OutcomesEvent = {
    "type": "SeriesDefined",
    /**
     * The series.
     */
    series_id: string,
    /**
     * The metric.
     */
    metric: string,
    /**
     * What is measured.
     */
    subject: string | null,
    /**
     * Which way is good.
     */
    direction: Direction,
    /**
     * The reference level.
     */
    baseline: number | null,
    /**
     * When.
     */
    at: string,
} | {
    "type": "BaselineSet",
    /**
     * The series.
     */
    series_id: string,
    /**
     * The new baseline.
     */
    baseline: number,
    /**
     * The one it replaced.
     */
    previous: number | null,
    /**
     * When.
     */
    at: string,
} | {
    "type": "OutcomeRecorded",
    /**
     * The series.
     */
    series_id: string,
    /**
     * The outcome.
     */
    outcome_id: string,
    /**
     * Its value.
     */
    value: number,
    /**
     * Its label.
     */
    label: string | null,
    /**
     * When.
     */
    at: string,
} | {
    "type": "DriftAssessed",
    /**
     * The series.
     */
    series_id: string,
    /**
     * The result.
     */
    result: DriftResult,
    /**
     * When.
     */
    at: string,
} | {
    "type": "AlertRaised",
    /**
     * The alert, with status `Open`.
     */
    alert: Alert,
} | {
    "type": "AlertAcknowledged",
    /**
     * The alert.
     */
    alert_id: string,
    /**
     * The note given.
     */
    note: string | null,
    /**
     * When.
     */
    at: string,
} | {
    "type": "AlertResolved",
    /**
     * The alert.
     */
    alert_id: string,
    /**
     * Why.
     */
    note: string,
    /**
     * When.
     */
    at: string,
};

/**
 * The block's thresholds (missing fields take their default when read from JSON).
 */
export type OutcomesPolicy = {
    /**
     * Outcomes in the moving average (and in the full window a below-baseline alert needs),
     * in 1..=[`MAX_WINDOW`].
     */
    moving_average_window: number,
    /**
     * Outcomes in each window compared by regression detection, in 1..=[`MAX_WINDOW`].
     */
    regression_window: number,
    /**
     * How many recent outcomes the best window is searched in, in
     * `regression_window..=`[`MAX_WINDOW`].
     */
    regression_lookback: number,
    /**
     * Relative drop from the best recent window beyond which a regression is raised, in [0, 1].
     */
    regression_tolerance: number,
    /**
     * Relative shortfall against the baseline beyond which a below-baseline alert is raised,
     * in [0, 1].
     */
    baseline_tolerance: number,
    /**
     * Number of PSI bins (cut at the reference sample's quantiles), in 2..=1000.
     */
    psi_bins: number,
    /**
     * PSI at or above which drift is moderate (reported, no alert): finite, above 0.
     */
    psi_moderate: number,
    /**
     * PSI at or above which drift is significant (alert): finite, above `psi_moderate`.
     */
    psi_significant: number,
    /**
     * KS p-value below which the samples are called different (alert), in (0, 1).
     */
    ks_alpha: number,
};

/**
 * Every series, every alert.
 */
export type OutcomesState = {
    /**
     * Series by id.
     */
    series: { [key in string]?: Series },
    /**
     * Every alert ever raised, oldest first.
     */
    alerts: Array<Alert>,
};

/**
 * A built packet.
 */
export type Packet = {
    /**
     * Derived id.
     */
    id: string,
    /**
     * The lead.
     */
    lead: Lead,
    /**
     * Recommended scripts.
     */
    scripts: Array<string>,
    /**
     * Recommended channels.
     */
    channels: Array<string>,
    /**
     * When it was built.
     */
    builtAt: string,
};

/**
 * Commands of block 23.
 */
export type PacketsCommand = {
    "type": "BuildPacket",
    /**
     * Lead data.
     */
    lead: Lead,
    /**
     * Scripts to recommend instead of the Primary ones.
     */
    scripts?: Array<string> | null,
    /**
     * Channels to recommend instead of the winning ones.
     */
    channels?: Array<string> | null,
} | {
    "type": "AddTemplate",
    /**
     * Template name.
     */
    template_id: string,
    /**
     * Text with `{{field}}` placeholders.
     */
    body: string,
};

/**
 * Events of block 23.
 */
export type PacketsEvent = {
    "type": "PacketBuilt",
    /**
     * The packet.
     */
    packet: Packet,
} | {
    "type": "TemplateAdded",
    /**
     * Name.
     */
    name: string,
    /**
     * Text.
     */
    body: string,
};

/**
 * Limits of block 23.
 */
export type PacketsPolicy = {
    /**
     * At most this many recommended scripts per packet, in 1..=[`MAX_RECOMMENDED`].
     */
    max_scripts: number,
    /**
     * At most this many recommended channels per packet, in 1..=[`MAX_RECOMMENDED`].
     */
    max_channels: number,
};

/**
 * The state of block 23.
 */
export type PacketsState = {
    /**
     * Packets in build order.
     */
    packets: Array<Packet>,
    /**
     * Templates by name.
     */
    templates: { [key in string]?: string },
};

/**
 * Every threshold and weight.
 */
export type Policy = {
    /**
     * Block 21.
     */
    ab: AbPolicy,
    /**
     * Block 22.
     */
    promotion: PromotionPolicy,
    /**
     * Block 23.
     */
    packets: PacketsPolicy,
    /**
     * Block 24.
     */
    ingest: IngestPolicy,
    /**
     * Block 25 (trend windows, regression tolerances, drift bands).
     */
    outcomes: OutcomesPolicy,
    /**
     * Block 26 (model-update tolerance).
     */
    models: ModelsPolicy,
    /**
     * Block 27 (readiness weights 0.4/0.3/0.2/0.1, ready at >= 0.80).
     */
    readiness: ReadinessPolicy,
    /**
     * Block 28.
     */
    gates: GatesPolicy,
    /**
     * Staged rollouts (default stages). Left out of the JSON while default, so the hashes
     * of states written before the block existed do not change; `merge` puts it back.
     */
    rollouts?: RolloutsPolicy,
    /**
     * Continuous monitoring (schedule, safety responses, thresholds). Left out of the JSON
     * while it is the default, so policies and state hashes from before it are unchanged.
     */
    monitoring?: MonitoringPolicy,
    /**
     * Verification's health-warning limits (experiment overrun, pending evaluations,
     * unacknowledged alerts). Left out of the JSON while default, so older hashes hold.
     */
    verify?: VerifyPolicy,
};

/**
 * One accepted `SetPolicy` of the log.
 */
export type PolicyChange = {
    /**
     * Index of the command in the log.
     */
    position: number,
    /**
     * When.
     */
    at: string,
    /**
     * Who, if the command named someone.
     */
    actor: string | null,
    /**
     * Why, if the command said.
     */
    reason: string | null,
    /**
     * What changed (empty when the command set the values in force).
     */
    changes: Array<PolicyFieldChange>,
};

/**
 * Commands about the policy and the seed.
 */
export type PolicyCommand = {
    "type": "SetPolicy",
    /**
     * The blocks and fields to change (the result is validated).
     */
    policy: PolicyInput,
    /**
     * Why the policy changes (shown in the policy history); optional,
     * so logs written before it existed still read, and left out of
     * the JSON when absent, so their command hashes do not change.
     * At most [`MAX_REASON_LEN`] characters, not blank.
     */
    reason?: string | null,
} | {
    "type": "SetSeed",
    /**
     * The seed.
     */
    seed: number,
};

/**
 * Events about the policy and the seed.
 */
export type PolicyEvent = {
    "type": "PolicyChanged",
    /**
     * The whole policy now in force (the patch merged over the previous one).
     */
    policy: Policy,
} | {
    "type": "SeedSet",
    /**
     * The seed.
     */
    seed: number,
};

/**
 * One field that differs between two policies.
 */
export type PolicyFieldChange = {
    /**
     * Dotted path (`gates.min_accuracy`).
     */
    field: string,
    /**
     * The value before.
     */
    before: JsonValue,
    /**
     * The value after.
     */
    after: JsonValue,
};

/**
 * Commands of pre-registration.
 */
export type PreregCommand = {
    "type": "RegisterRule",
    /**
     * The experiment (its A/B name).
     */
    experiment_id: string,
    /**
     * The rule.
     */
    rule: DecisionRule,
    /**
     * Why the rule changes (required once data arrived).
     */
    reason?: string | null,
};

/**
 * Events of pre-registration.
 */
export type PreregEvent = {
    "type": "RuleRegistered",
    /**
     * The experiment.
     */
    experiment_id: string,
    /**
     * The rule now in force.
     */
    rule: DecisionRule,
    /**
     * Its hash (also in the audit entry's detail).
     */
    rule_hash: string,
    /**
     * When.
     */
    at: string,
    /**
     * Set when an earlier rule was replaced.
     */
    change: RuleChange | null,
};

/**
 * The state of pre-registration: registrations by experiment.
 */
export type PreregState = {
    /**
     * Registrations by experiment id.
     */
    registrations: { [key in string]?: Registration },
};

/**
 * Commands of block 22.
 */
export type PromotionCommand = {
    "type": "RegisterScript",
    /**
     * Script id (also the variant name in script experiments).
     */
    script_id: string,
    /**
     * First version's text.
     */
    body: string,
} | {
    "type": "AddScriptVersion",
    /**
     * Script id.
     */
    script_id: string,
    /**
     * New text.
     */
    body: string,
} | {
    "type": "EvaluateScript",
    /**
     * Script id.
     */
    script_id: string,
    /**
     * Trials (optional; signed so that negatives become a typed error).
     */
    trials?: number | null,
    /**
     * Conversions (optional).
     */
    conversions?: number | null,
    /**
     * A performance score in [0, 1], instead of counts (optional).
     */
    score?: number | null,
} | {
    "type": "RetireScript",
    /**
     * Script id.
     */
    script_id: string,
    /**
     * Why.
     */
    reason: string,
};

/**
 * Trials and conversions, as A/B totals or a version's evidence.
 */
export type PromotionCounts = {
    /**
     * Trials.
     */
    trials: number,
    /**
     * Conversions.
     */
    conversions: number,
};

/**
 * Events of block 22.
 */
export type PromotionEvent = {
    "type": "ScriptRegistered",
    /**
     * Script id.
     */
    script: string,
    /**
     * First version's text.
     */
    body: string,
    /**
     * When.
     */
    at: string,
} | {
    "type": "ScriptVersionAdded",
    /**
     * Script id.
     */
    script: string,
    /**
     * Version number.
     */
    number: number,
    /**
     * Text.
     */
    body: string,
    /**
     * When.
     */
    at: string,
    /**
     * The A/B totals set aside: the version's evidence starts after
     * them (present when the policy keeps evidence per version).
     */
    evidence_from?: PromotionCounts,
} | {
    "type": "ScriptEvaluated",
    /**
     * Script id.
     */
    script: string,
    /**
     * The evidence.
     */
    evidence: Evidence,
    /**
     * Transition qualified for and the run length, if any.
     */
    streak: [PromotionStatus, number] | null,
    /**
     * Trials since the last evaluation that counted (present when the
     * policy asks for new evidence).
     */
    new_trials?: number,
    /**
     * Too few new trials: the run is neither extended nor broken.
     */
    stale?: boolean,
} | {
    "type": "ScriptStatusChanged",
    /**
     * Script id.
     */
    script: string,
    /**
     * The change.
     */
    change: StatusChange,
};

/**
 * Thresholds of block 22 (defaults: the original system's).
 */
export type PromotionPolicy = {
    /**
     * Trials needed before an evaluation counts, in 0..=[`MAX_MIN_SAMPLE`].
     */
    min_sample: number,
    /**
     * Rate to move Experimental (or Demoted) -> Testing, in [0, 1].
     */
    testing_rate: number,
    /**
     * Rate to move Testing -> Primary, in [0, 1], at least `testing_rate`.
     */
    primary_rate: number,
    /**
     * Below this rate Testing or Primary -> Demoted, in [0, 1], at most `testing_rate`.
     */
    demote_rate: number,
    /**
     * Consecutive qualifying evaluations before a change, in 1..=[`MAX_CONSECUTIVE`].
     */
    consecutive: number,
    /**
     * Point estimate or Wilson bounds.
     */
    estimate: Estimate,
    /**
     * Significance of the Wilson bounds, in (0, 1).
     */
    alpha: number,
    /**
     * New trials an evaluation must bring, since the last one that counted,
     * to count toward the run, in 0..=[`MAX_MIN_SAMPLE`] (0: every
     * evaluation counts, as before this rule). A policy written before the
     * rule existed reads as 0, so its command logs re-execute as they ran;
     * 0 is not written, so such a policy keeps its hash.
     */
    min_new_trials?: number,
    /**
     * A new version starts its own evidence: the run restarts and the A/B
     * totals so far are set aside. A policy written before the rule
     * existed reads as `false`, so its logs re-execute as they ran (and
     * `false` is not written, so such a policy keeps its hash).
     */
    evidence_per_version?: boolean,
};

/**
 * The state of block 22.
 */
export type PromotionState = {
    /**
     * Scripts by id.
     */
    scripts: { [key in string]?: Script },
};

/**
 * Where a script stands.
 */
export type PromotionStatus = "Experimental" | "Testing" | "Primary" | "Demoted" | "Retired";

/**
 * One version of a script's text.
 */
export type PromotionVersion = {
    /**
     * 1, 2, ...
     */
    number: number,
    /**
     * The script text.
     */
    body: string,
    /**
     * When it was added.
     */
    at: string,
};

/**
 * Commands of the readiness block.
 */
export type ReadinessCommand = {
    "type": "AssessClone",
    /**
     * The clone assessed (non-empty).
     */
    clone_id: string,
    /**
     * The measured factors, each in [0, 1].
     */
    factors: Factors,
    /**
     * The model the clone runs, as evidence (non-empty when given).
     */
    model_id?: string | null,
    /**
     * The experiment the factors were measured in, as evidence (non-empty when given).
     */
    experiment_id?: string | null,
};

/**
 * Events of the readiness block.
 */
export type ReadinessEvent = {
    "type": "CloneAssessed",
    /**
     * The clone assessed.
     */
    clone_id: string,
    /**
     * The measured factors.
     */
    factors: Factors,
    /**
     * Evidence: the model the clone runs.
     */
    model_id: string | null,
    /**
     * Evidence: the experiment the factors were measured in.
     */
    experiment_id: string | null,
    /**
     * The score and its explanation.
     */
    report: ReadinessReport,
    /**
     * When the assessment was made.
     */
    at: string,
};

/**
 * The block's thresholds (missing fields take their default when read from JSON).
 */
export type ReadinessPolicy = {
    /**
     * Weight of each factor in the composite.
     */
    weights: Weights,
    /**
     * Composite at or above which a clone is ready, in [0, 1] (original system: 0.80).
     */
    ready_threshold: number,
};

/**
 * The scored and explained readiness of a set of factors.
 */
export type ReadinessReport = {
    /**
     * Weighted sum of the factors, in [0, 1].
     */
    composite: number,
    /**
     * The policy's ready threshold used.
     */
    threshold: number,
    /**
     * `composite >= threshold`.
     */
    ready: boolean,
    /**
     * How much the composite must still rise to be ready (0 when ready).
     */
    gap: number,
    /**
     * Each factor's contribution, in [`Factor::ALL`] order.
     */
    contributions: Array<Contribution>,
    /**
     * The factor with the lowest value (first in [`Factor::ALL`] order on ties).
     */
    weakest: Factor,
    /**
     * A human-readable explanation: the score, the weakest factor, and what would make the
     * clone ready.
     */
    explanation: string,
};

/**
 * Every clone's assessments, oldest first (the last one is the latest).
 */
export type ReadinessState = {
    /**
     * Assessments by clone id.
     */
    clones: { [key in string]?: Array<Assessment> },
};

/**
 * An experiment's registration: its rule in force and how it came to be.
 */
export type Registration = {
    /**
     * The rule in force.
     */
    rule: DecisionRule,
    /**
     * Its hash.
     */
    ruleHash: string,
    /**
     * When the first rule was registered.
     */
    registeredAt: string,
    /**
     * Every later change, oldest first.
     */
    changes: Array<RuleChange>,
};

/**
 * The kind of a report.
 */
export type ReportKind = "daily" | "weekly";

/**
 * Something that happened in the period.
 */
export type ReportLine = {
    /**
     * When.
     */
    at: string,
    /**
     * What it is about (`script/s1`, `model/m`, `alert-3`, `clone/c`).
     */
    subject: string,
    /**
     * What happened.
     */
    text: string,
};

/**
 * An accepted `IngestData` command from before the origin, kept by a
 * compaction so that [`Brain::ingested`] still lists its payload.
 */
export type RetainedPayload = {
    /**
     * Its position in the audit trail (the entry's seq).
     */
    seq: number,
    /**
     * The command as it was executed (time, actor, source as sent, payload).
     */
    command: Command,
};

/**
 * One rollout.
 */
export type Rollout = {
    /**
     * Its id.
     */
    rolloutId: string,
    /**
     * The model.
     */
    modelId: string,
    /**
     * The version rolled out.
     */
    version: string,
    /**
     * The champion when it started: serves the rest of the traffic, and is returned to.
     */
    baseline: string,
    /**
     * Its stages.
     */
    stages: Array<RolloutStage>,
    /**
     * The index of the current (or last) stage.
     */
    stage: number,
    /**
     * Where it stands.
     */
    status: RolloutStatus,
    /**
     * Whether the version became champion (on entering a stage with traffic 1).
     */
    promoted: boolean,
    /**
     * What the current stage has measured.
     */
    current: RolloutMeasures,
    /**
     * When the current stage began.
     */
    stageStartedAt: string,
    /**
     * When it started.
     */
    startedAt: string,
    /**
     * One per stage left.
     */
    checkpoints: Array<RolloutCheckpoint>,
    /**
     * Why it ended (rollback breaches or abort reason); empty while active or completed.
     */
    reason: string,
};

/**
 * A criterion that failed, and by how much.
 */
export type RolloutBreach = {
    /**
     * Which criterion ("accuracy >= 0.85", "error rate <= 0.05", "open alerts").
     */
    criterion: string,
    /**
     * The measured value (for alerts: how many are open).
     */
    value: number,
    /**
     * The threshold.
     */
    threshold: number,
    /**
     * How far past the threshold (always positive).
     */
    by: number,
};

/**
 * What a stage showed when it was left (advanced, completed, rolled back or aborted).
 */
export type RolloutCheckpoint = {
    /**
     * The stage's name.
     */
    stage: string,
    /**
     * Its traffic share.
     */
    traffic: number,
    /**
     * What it measured.
     */
    measures: RolloutMeasures,
    /**
     * `advanced`, `completed`, `rolled_back` or `aborted`.
     */
    decision: string,
    /**
     * The breaches that rolled it back (empty otherwise).
     */
    breaches: Array<RolloutBreach>,
    /**
     * When the stage began.
     */
    startedAt: string,
    /**
     * When it was left.
     */
    at: string,
};

/**
 * What a stage must show before it advances; any breach rolls the rollout back.
 */
export type RolloutCriteria = {
    /**
     * The quality metric checked against `min_metric` (default `accuracy`; any metric name
     * recorded with `RecordRolloutMetrics`).
     */
    metric: string,
    /**
     * The metric's lowest allowed value (none: not checked).
     */
    min_metric?: number | null,
    /**
     * Highest allowed errors / samples, in [0, 1] (none: not checked).
     */
    max_error_rate?: number | null,
    /**
     * Highest allowed `latency_p95` in milliseconds, >= 0 (none: not checked).
     */
    max_latency_p95?: number | null,
    /**
     * Whether an open regression or drift alert on the model is a breach.
     */
    no_open_alerts: boolean,
};

/**
 * One criterion of the current stage with its current value.
 */
export type RolloutCriterion = {
    /**
     * What is checked ("accuracy >= 0.85", "error rate <= 0.05", "latency_p95 <= 500",
     * "open alerts = 0").
     */
    criterion: string,
    /**
     * The threshold.
     */
    threshold: number,
    /**
     * The current value (none: not measured yet).
     */
    value: number | null,
    /**
     * Met, breached, or (none) not measured yet.
     */
    met: boolean | null,
};

/**
 * What the current stage has measured (counts summed, metrics averaged weighted by samples).
 */
export type RolloutMeasures = {
    /**
     * Requests served by the new version in this stage.
     */
    samples: number,
    /**
     * Of which failed.
     */
    errors: number,
    /**
     * Each metric's sample-weighted mean over the stage's recordings.
     */
    metrics: { [key in string]?: number },
};

/**
 * One rollout as `brain.rollout(id)` shows it.
 */
export type RolloutReport = {
    /**
     * Its id.
     */
    rolloutId: string,
    /**
     * The model.
     */
    modelId: string,
    /**
     * The version rolled out.
     */
    version: string,
    /**
     * The champion it started against.
     */
    baseline: string,
    /**
     * Where it stands.
     */
    status: RolloutStatus,
    /**
     * The current (or last) stage's name.
     */
    stage: string,
    /**
     * Its index.
     */
    stageIndex: number,
    /**
     * Every stage.
     */
    stages: Array<RolloutStage>,
    /**
     * The share the version serves now.
     */
    traffic: number,
    /**
     * How far it has come, in [0, 1].
     */
    progress: number,
    /**
     * The current stage's criteria with their current values (empty once ended).
     */
    criteria: Array<RolloutCriterion>,
    /**
     * What an evaluation now would do ("advance", "hold: ...", "roll back: ...", or why
     * none happens).
     */
    nextDecision: string,
    /**
     * What the current stage has measured.
     */
    measures: RolloutMeasures,
    /**
     * One per stage left.
     */
    checkpoints: Array<RolloutCheckpoint>,
    /**
     * Why it ended (empty while active or completed).
     */
    reason: string,
    /**
     * When it started.
     */
    startedAt: string,
};

/**
 * One stage of a rollout: a traffic share held until its minimums are met.
 */
export type RolloutStage = {
    /**
     * The stage's name ("Pilot").
     */
    name: string,
    /**
     * The share of units the new version serves, in (0, 1]; the last stage's is 1.
     */
    traffic: number,
    /**
     * The stage lasts at least this long before it may advance (minutes, at most a year).
     */
    min_duration_minutes: number,
    /**
     * The stage needs at least this many samples before it may advance (at most 1e9).
     */
    min_samples: number,
    /**
     * What the stage must show; missing fields take their default.
     */
    criteria: RolloutCriteria,
};

/**
 * Where a rollout stands.
 */
export type RolloutStatus = "running" | "paused" | "completed" | "rolled_back" | "aborted";

/**
 * Commands of the rollouts block.
 */
export type RolloutsCommand = {
    "type": "StartRollout",
    /**
     * The rollout's id; derived from the log position and time when omitted.
     */
    rollout_id?: string | null,
    /**
     * The model.
     */
    model_id: string,
    /**
     * The version to roll out (a challenger or a shadow).
     */
    version: string,
    /**
     * The stages; the policy's when omitted.
     */
    stages?: Array<RolloutStage> | null,
} | {
    "type": "RecordRolloutMetrics",
    /**
     * The rollout.
     */
    rollout_id: string,
    /**
     * Requests it served.
     */
    samples: number,
    /**
     * Of which failed (at most `samples`).
     */
    errors: number,
    /**
     * Named measurements (`accuracy`, `latency_p95` in ms, ...), finite numbers.
     */
    metrics: { [key in string]?: number },
} | {
    "type": "EvaluateRollout",
    /**
     * The rollout.
     */
    rollout_id: string,
} | {
    "type": "PauseRollout",
    /**
     * The rollout.
     */
    rollout_id: string,
} | {
    "type": "ResumeRollout",
    /**
     * The rollout.
     */
    rollout_id: string,
} | {
    "type": "AbortRollout",
    /**
     * The rollout.
     */
    rollout_id: string,
    /**
     * Why (non-empty; kept in the rollout and the audit).
     */
    reason: string,
};

/**
 * Events of the rollouts block.
 */
export type RolloutsEvent = {
    "type": "RolloutStarted",
    /**
     * The rollout.
     */
    rollout_id: string,
    /**
     * The model.
     */
    model_id: string,
    /**
     * The version rolled out.
     */
    version: string,
    /**
     * The champion it is measured against and returns to.
     */
    baseline: string,
    /**
     * Its stages.
     */
    stages: Array<RolloutStage>,
    /**
     * Whether the first stage already serves everyone (the version becomes champion).
     */
    promotes: boolean,
    /**
     * When.
     */
    at: string,
} | {
    "type": "RolloutMetricsRecorded",
    /**
     * The rollout.
     */
    rollout_id: string,
    /**
     * The stage they belong to.
     */
    stage: string,
    /**
     * Requests served.
     */
    samples: number,
    /**
     * Of which failed.
     */
    errors: number,
    /**
     * Named measurements.
     */
    metrics: { [key in string]?: number },
    /**
     * When.
     */
    at: string,
} | {
    "type": "RolloutHeld",
    /**
     * The rollout.
     */
    rollout_id: string,
    /**
     * The stage.
     */
    stage: string,
    /**
     * What is missing.
     */
    reasons: Array<string>,
    /**
     * When.
     */
    at: string,
} | {
    "type": "StageAdvanced",
    /**
     * The rollout.
     */
    rollout_id: string,
    /**
     * The model.
     */
    model_id: string,
    /**
     * The version rolled out.
     */
    version: string,
    /**
     * The stage left.
     */
    from: string,
    /**
     * The index of the stage entered.
     */
    to: number,
    /**
     * Its name.
     */
    stage: string,
    /**
     * Its traffic share.
     */
    traffic: number,
    /**
     * Whether the version becomes champion (the stage serves everyone).
     */
    promotes: boolean,
    /**
     * When.
     */
    at: string,
} | {
    "type": "RolloutCompleted",
    /**
     * The rollout.
     */
    rollout_id: string,
    /**
     * The model.
     */
    model_id: string,
    /**
     * The version rolled out.
     */
    version: string,
    /**
     * The stage passed.
     */
    stage: string,
    /**
     * When.
     */
    at: string,
} | {
    "type": "RolloutRolledBack",
    /**
     * The rollout.
     */
    rollout_id: string,
    /**
     * The model.
     */
    model_id: string,
    /**
     * The version rolled back.
     */
    version: string,
    /**
     * The champion that serves again.
     */
    baseline: string,
    /**
     * The stage it failed in.
     */
    stage: string,
    /**
     * Each breached criterion, and by how much.
     */
    breaches: Array<RolloutBreach>,
    /**
     * The breaches in words.
     */
    reason: string,
    /**
     * Whether the version had become champion (the model returns to its previous one).
     */
    restores: boolean,
    /**
     * When.
     */
    at: string,
} | {
    "type": "RolloutPaused",
    /**
     * The rollout.
     */
    rollout_id: string,
    /**
     * When.
     */
    at: string,
} | {
    "type": "RolloutResumed",
    /**
     * The rollout.
     */
    rollout_id: string,
    /**
     * When.
     */
    at: string,
} | {
    "type": "RolloutAborted",
    /**
     * The rollout.
     */
    rollout_id: string,
    /**
     * The model.
     */
    model_id: string,
    /**
     * The version.
     */
    version: string,
    /**
     * The champion that serves again.
     */
    baseline: string,
    /**
     * Why.
     */
    reason: string,
    /**
     * Whether the version had become champion (the model returns to its previous one).
     */
    restores: boolean,
    /**
     * When.
     */
    at: string,
};

/**
 * The block's policy (missing fields take their default when read from JSON).
 */
export type RolloutsPolicy = {
    /**
     * The stages of a rollout started without its own (original system: Pilot 5% for an
     * hour and 100 samples, Limited 25% for 4 hours and 1,000, Production 100% for a day
     * and 5,000).
     */
    stages: Array<RolloutStage>,
};

/**
 * Every rollout by id.
 */
export type RolloutsState = {
    /**
     * Rollouts by id.
     */
    rollouts: { [key in string]?: Rollout },
};

/**
 * What routing a model's units needs: JS apps hash in JS with it (the fast path), the
 * engine with [`route`].
 */
export type RoutePlan = {
    /**
     * The hash seed (the active rollout's id; empty without one).
     */
    seed: string,
    /**
     * Units whose hash is below this get `candidate`; the others `baseline`.
     */
    traffic: number,
    /**
     * The version rolled out (none without an active rollout).
     */
    candidate: string | null,
    /**
     * The version serving the rest (the champion without an active rollout; none without).
     */
    baseline: string | null,
};

/**
 * A registered rule replaced by another.
 */
export type RuleChange = {
    /**
     * When.
     */
    at: string,
    /**
     * The hash of the rule it replaced.
     */
    previousHash: string,
    /**
     * Whether the experiment had data then (such a change is flagged).
     */
    afterData: boolean,
    /**
     * Why (required after data arrived).
     */
    reason: string | null,
};

/**
 * A named value a rule looked at, kept with its action so it names what it saw.
 */
export type RuleValue = {
    /**
     * What ("drop", "limit", "psi").
     */
    name: string,
    /**
     * Its value.
     */
    value: number,
};

/**
 * How often each check runs, in minutes; 0 turns a check off.
 */
export type Schedule = {
    /**
     * Drift and degradation (default 60: hourly).
     */
    drift: number,
    /**
     * Absolute thresholds (default 60).
     */
    thresholds: number,
    /**
     * A/B evaluation (default 360: every 6 hours).
     */
    ab_evaluation: number,
    /**
     * Health check and daily report (default 1440: daily).
     */
    health: number,
    /**
     * Weekly report (default 10080: 7 days).
     */
    weekly_report: number,
};

/**
 * One row of the schedule: a check's cadence, its last and next run.
 */
export type ScheduleRow = {
    /**
     * Which check.
     */
    check: MonitoringCheck,
    /**
     * Its cadence in minutes (0: off).
     */
    everyMinutes: number,
    /**
     * When it last ran.
     */
    lastRun: string | null,
    /**
     * When it falls due next (none when off; a check never run is due at once, at its
     * first `RunDueChecks`, shown as none).
     */
    nextRun: string | null,
    /**
     * Runs so far.
     */
    runs: number,
    /**
     * Runs skipped by long gaps, in total.
     */
    skipped: number,
};

/**
 * A script.
 */
export type Script = {
    /**
     * Current status.
     */
    status: PromotionStatus,
    /**
     * Versions, oldest first.
     */
    versions: Array<PromotionVersion>,
    /**
     * Every status change, oldest first.
     */
    history: Array<StatusChange>,
    /**
     * The transition the last evaluations qualified for, and how many in a row.
     */
    streak: [PromotionStatus, number] | null,
    /**
     * Evaluations run.
     */
    evaluations: number,
    /**
     * The script's A/B totals when its current version was added: its
     * evidence is counted from there (`evidence_per_version`).
     */
    evidence_from?: PromotionCounts,
    /**
     * Trials of the last evaluation that counted toward the run, when the
     * policy asks for new evidence (`min_new_trials` above 0).
     */
    last_counted_trials?: number,
};

/**
 * A script with its id, for the console.
 */
export type ScriptReport = {
    /**
     * Script id.
     */
    id: string,
    /**
     * Current status.
     */
    status: PromotionStatus,
    /**
     * Versions, oldest first.
     */
    versions: Array<PromotionVersion>,
    /**
     * Status history with reasons.
     */
    history: Array<StatusChange>,
    /**
     * Transition qualified for, and the run length.
     */
    streak: [PromotionStatus, number] | null,
    /**
     * Evaluations run.
     */
    evaluations: number,
    /**
     * Totals in the script experiments (trials, conversions).
     */
    abTotals: [number, number] | null,
};

/**
 * One metric on one subject, and its outcomes in the order recorded.
 */
export type Series = {
    /**
     * The metric ("conversion_rate").
     */
    metric: string,
    /**
     * What is measured (a model, script or clone id), if any.
     */
    subject: string | null,
    /**
     * Which way is good.
     */
    direction: Direction,
    /**
     * The reference level, if any.
     */
    baseline: number | null,
    /**
     * Outcomes, oldest first.
     */
    outcomes: Array<Outcome>,
    /**
     * Regression detection only looks at outcomes from this index on (set when a regression
     * alert is resolved).
     */
    regressionFrom: number,
    /**
     * Below-baseline detection only looks at outcomes from this index on (set when such an
     * alert is resolved).
     */
    baselineFrom: number,
    /**
     * The latest drift assessment, if any.
     */
    latestDrift: DriftAssessment | null,
    /**
     * When the series was defined.
     */
    definedAt: string,
};

/**
 * A saved `Brain`: its state, command log and event log, versioned.
 */
export type Snapshot = {
    /**
     * Schema version (see `ARCHITECTURE-core.md`).
     */
    schema_version: number,
    /**
     * The state.
     */
    state: BrainState,
    /**
     * The state the event log starts from, for snapshots migrated from a
     * version without logs (None: the empty state).
     */
    origin: BrainState | null,
    /**
     * Accepted commands, in order (what-if replays these).
     */
    log: Array<Command>,
    /**
     * Events, in order (replay folds these).
     */
    events: Array<BrainEvent>,
    /**
     * Accepted ingestion payloads from before the origin that a compaction
     * kept (see `Brain::ingested`), each bound to its audit entry's command
     * hash; outside the state and its hash. Absent when empty, so other
     * snapshots read and write as before.
     */
    retained?: Array<RetainedPayload>,
};

/**
 * A snapshot mark: the state hash at a log position.
 */
export type SnapshotMark = {
    /**
     * Number of accepted commands before the snapshot.
     */
    position: number,
    /**
     * State hash at that point.
     */
    stateHash: string,
    /**
     * When.
     */
    at: string,
};

/**
 * Counters and status of one source.
 */
export type Source = {
    /**
     * Status set by commands.
     */
    status: SourceStatus,
    /**
     * Accepted attempts.
     */
    accepted: number,
    /**
     * Blocked attempts.
     */
    blocked: number,
    /**
     * Bytes accepted.
     */
    accepted_bytes: number,
    /**
     * The last block reasons, newest last.
     */
    last_reasons: Array<string>,
};

/**
 * One source in a report.
 */
export type SourceReport = {
    /**
     * Normalised name.
     */
    source: string,
    /**
     * Effective status.
     */
    status: SourceStatus,
    /**
     * Accepted attempts.
     */
    accepted: number,
    /**
     * Blocked attempts.
     */
    blocked: number,
    /**
     * Last block reasons.
     */
    lastReasons: Array<string>,
};

/**
 * How a source stands in the whitelist (as changed by commands).
 */
export type SourceStatus = "active" | "suspended" | "removed" | "unlisted";

/**
 * One entry of a script's status history.
 */
export type StatusChange = {
    /**
     * Previous status (None when registered).
     */
    from: PromotionStatus | null,
    /**
     * New status.
     */
    to: PromotionStatus,
    /**
     * When.
     */
    at: string,
    /**
     * Why, in words.
     */
    reason: string,
    /**
     * The evidence, for automatic changes.
     */
    evidence: Evidence | null,
};

/**
 * How a version was produced.
 */
export type Strategy = "incremental" | "full_retrain" | "shadow";

/**
 * What is computed over the window.
 */
export type ThresholdStatistic = "mean" | "sum" | "count" | "p50" | "p90" | "p95" | "p99";

/**
 * A series' trend, for the console.
 */
export type TrendReport = {
    /**
     * The series.
     */
    seriesId: string,
    /**
     * The metric.
     */
    metric: string,
    /**
     * What is measured.
     */
    subject: string | null,
    /**
     * Which way is good.
     */
    direction: Direction,
    /**
     * How many outcomes.
     */
    count: number,
    /**
     * The latest value.
     */
    latest: number | null,
    /**
     * Mean of all outcomes.
     */
    mean: number | null,
    /**
     * Mean of the latest `moving_average_window` outcomes (fewer if there are fewer).
     */
    movingAverage: number | null,
    /**
     * Least-squares slope of value against outcome index (change per outcome); needs two
     * outcomes.
     */
    slope: number | null,
    /**
     * The baseline.
     */
    baseline: number | null,
    /**
     * `(movingAverage - reference) / |reference|`, sign flipped when lower is better, so
     * positive is always an improvement. The reference is the baseline; without one (or with
     * a zero baseline), the mean of the first `moving_average_window` outcomes once there
     * are more outcomes than that; none otherwise.
     */
    improvementRate: number | null,
    /**
     * What the improvement rate is measured against; none when there is no rate.
     */
    improvementReference: ImprovementReference | null,
    /**
     * Improving, declining or stable (a rate within the policy's `baseline_tolerance` either
     * way is stable); none when there is no rate.
     */
    verdict: TrendVerdict | null,
    /**
     * The verdict as a sentence ("improving: the moving average 0.12 is 20.0% better than
     * the baseline 0.1"), or why there is none yet.
     */
    summary: string,
    /**
     * Best window mean among the recent outcomes considered by regression detection.
     */
    bestWindowMean: number | null,
    /**
     * Mean of the latest regression window.
     */
    currentWindowMean: number | null,
    /**
     * The latest drift assessment.
     */
    latestDrift: DriftAssessment | null,
    /**
     * Open alerts on the series.
     */
    openAlerts: number,
};

/**
 * Which way a series is going.
 */
export type TrendVerdict = "improving" | "declining" | "stable";

/**
 * A candidate's place in the ranking.
 */
export type TuningCandidate = {
    /**
     * Its index in search order (0-based).
     */
    index: number,
    /**
     * The values it tried.
     */
    settings: Array<TuningSetting>,
    /**
     * The partial policy that applies it (`SetPolicy`'s `policy`).
     */
    patch: PolicyInput,
    /**
     * Scores on the choosing part (absent when the policy did not validate).
     */
    choose?: TuningScores,
    /**
     * Scores on the held-out part (absent without a hold-out).
     */
    validate?: TuningScores,
    /**
     * Every constraint holds on the choosing part.
     */
    feasible: boolean,
    /**
     * The constraints it breaks, in words.
     */
    violations: Array<string>,
    /**
     * Why its policy does not validate (then it did not run).
     */
    invalid?: string,
};

/**
 * A limit on an objective: at most `max`, or (without `max`) no more than
 * the current policy gives on the same part of the history.
 */
export type TuningConstraint = {
    /**
     * The objective limited.
     */
    objective: TuningObjective,
    /**
     * The limit (absent: the current policy's score).
     */
    max?: number,
};

/**
 * What a candidate is scored by; lower is better for each.
 */
export type TuningObjective = "reversed_promotions" | "time_to_correct_decision" | "good_clones_blocked" | "alerts_per_week";

/**
 * One policy field searched: a numeric range with a step, or choices.
 */
export type TuningParameter = {
    /**
     * Dotted path of the field (`promotion.primary_rate`).
     */
    path: string,
    /**
     * From `min` to `max` (both included) in steps of `step`.
     */
    range?: TuningRange,
    /**
     * The values tried, in order (for a word, a flag, or hand-picked numbers).
     */
    choices?: JsonValue[],
};

/**
 * How far a [`Tuner`] is.
 */
export type TuningProgress = {
    /**
     * Commands replayed so far, over every run.
     */
    commandsDone: number,
    /**
     * Commands to replay in all (the current policy's run and each valid candidate's).
     */
    commandsTotal: number,
    /**
     * Candidates scored so far.
     */
    candidatesDone: number,
    /**
     * Candidates in all.
     */
    candidatesTotal: number,
    /**
     * Every run is done: the ranking is ready.
     */
    done: boolean,
};

/**
 * A numeric range.
 */
export type TuningRange = {
    /**
     * Smallest value.
     */
    min: number,
    /**
     * Largest value.
     */
    max: number,
    /**
     * Distance between two values tried (above 0).
     */
    step: number,
};

/**
 * The result of a search: the current policy's scores and every candidate,
 * best first (feasible before infeasible before invalid; then by the
 * objective on the choosing part, the held-out part, the search order).
 */
export type TuningRanking = {
    /**
     * What the ranking minimises.
     */
    objective: TuningObjective,
    /**
     * Commands replayed per candidate.
     */
    commands: number,
    /**
     * The first command of the held-out part (= `commands` without one).
     */
    split: number,
    /**
     * The current policy on the choosing part.
     */
    baselineChoose: TuningScores,
    /**
     * The current policy on the held-out part.
     */
    baselineValidate?: TuningScores,
    /**
     * Every candidate, best first.
     */
    candidates: Array<TuningCandidate>,
};

/**
 * A candidate's score on one part of the history, for every objective.
 */
export type TuningScores = {
    /**
     * Promotions later reversed in the same part.
     */
    reversedPromotions: number,
    /**
     * Mean hours to the settled status (0 when nothing settled).
     */
    timeToCorrectDecision: number,
    /**
     * Blocks of clones called ready.
     */
    goodClonesBlocked: number,
    /**
     * Outcome alerts per week.
     */
    alertsPerWeek: number,
};

/**
 * How candidates are drawn.
 */
export type TuningSearch = { "kind": "grid" } | {
    "kind": "random",
    /**
     * How many (1 to [`MAX_CANDIDATES`]).
     */
    candidates: number,
    /**
     * The generator's seed.
     */
    seed: number,
};

/**
 * One field's value in a candidate.
 */
export type TuningSetting = {
    /**
     * Dotted path.
     */
    path: string,
    /**
     * The value tried.
     */
    value: JsonValue,
};

/**
 * What to search, how, and what for.
 */
export type TuningSpec = {
    /**
     * The policy fields searched (dotted paths, as on the policy page).
     */
    parameters: Array<TuningParameter>,
    /**
     * Every combination, or a seeded random sample.
     */
    search: TuningSearch,
    /**
     * What the ranking minimises.
     */
    objective: TuningObjective,
    /**
     * Limits a candidate must keep on the choosing part of the history.
     */
    constraints?: Array<TuningConstraint>,
    /**
     * Share of the history (its later commands) held out to validate the
     * choice: 0 (none) to 0.9. Default 0.3.
     */
    holdout?: number,
};

/**
 * One variant's running totals.
 */
export type Variant = {
    /**
     * Script or channel.
     */
    kind: VariantKind,
    /**
     * Planned share of traffic (relative), used by the sample-ratio check.
     */
    weight: number,
    /**
     * Trials so far.
     */
    trials: number,
    /**
     * Conversions so far (never above `trials`).
     */
    conversions: number,
    /**
     * When the variant was registered.
     */
    registered_at: string,
    /**
     * Continuous-metric totals (`RecordMetric`); absent until the first
     * batch, and then not written, so older states keep their hash.
     */
    metric?: AbMetricTotals,
};

/**
 * What a variant tests: a sales script or a contact channel.
 */
export type VariantKind = "script" | "channel";

/**
 * One variant in a report.
 */
export type VariantReport = {
    /**
     * Variant name.
     */
    name: string,
    /**
     * Trials.
     */
    trials: number,
    /**
     * Conversions.
     */
    conversions: number,
    /**
     * Planned weight.
     */
    weight: number,
    /**
     * Conversion rate (0 without trials).
     */
    rate: number,
    /**
     * Lower bound of the rate interval.
     */
    low: number,
    /**
     * Upper bound of the rate interval.
     */
    high: number,
    /**
     * Relative lift against control (None for control or when undefined).
     */
    lift: number | null,
    /**
     * Lower bound of the lift's interval (frequentist and sequential rules).
     */
    liftCiLow: number | null,
    /**
     * Upper bound of the lift's interval.
     */
    liftCiHigh: number | null,
    /**
     * p-value against control (adjusted for multiple variants).
     */
    pValue: number | null,
    /**
     * Chance to beat control.
     */
    chanceToBeat: number | null,
    /**
     * Significantly different from control.
     */
    significant: boolean,
    /**
     * The continuous metric's mean and its lift over control's, when
     * any variant of the experiment records one.
     */
    metric?: MeanReport,
};

/**
 * The verdict.
 */
export type Verdict = "PROMOTE" | "BLOCK";

/**
 * Verification of the live state, as the report shows it.
 */
export type Verification = {
    /**
     * Overall: `pass`, `warn` or `fail`.
     */
    status: string,
    /**
     * The checks that do not pass, `name: details`.
     */
    problems: Array<string>,
};

/**
 * One check.
 */
export type VerifyCheck = {
    /**
     * Stable snake_case name.
     */
    name: string,
    /**
     * Pass, warn or fail.
     */
    status: VerifyStatus,
    /**
     * What was found.
     */
    details: string,
};

/**
 * The limits of the health warnings.
 */
export type VerifyPolicy = {
    /**
     * A pre-registered experiment still running once every variant has this many times its
     * planned sample (the rule's `min_sample`) is flagged; at least 1, at most 1000.
     */
    experiment_overrun_factor: number,
    /**
     * A model version left as challenger or shadow longer than this many hours after its
     * proposal is flagged; 1 to 87,600.
     */
    pending_evaluation_hours: number,
    /**
     * An outcome alert left unacknowledged longer than this many hours after it was raised
     * is flagged; 1 to 87,600.
     */
    unacknowledged_alert_hours: number,
};

/**
 * The report.
 */
export type VerifyReport = {
    /**
     * The worst status of any check.
     */
    status: VerifyStatus,
    /**
     * Every check, in a fixed order.
     */
    checks: Array<VerifyCheck>,
    /**
     * The state hash verified.
     */
    stateHash: string,
    /**
     * The log position verified.
     */
    position: number,
};

/**
 * Result of one check, and of the whole report.
 */
export type VerifyStatus = "pass" | "warn" | "fail";

/**
 * Which part of the parent's version a new version increments.
 */
export type VersionBump = "patch" | "minor" | "major";

/**
 * The weight of each factor in the composite, each in [0, 1]; they must sum to 1 (a
 * missing weight takes its default).
 */
export type Weights = {
    /**
     * Weight of accuracy (original system: 0.4).
     */
    accuracy: number,
    /**
     * Weight of confidence (original system: 0.3).
     */
    confidence: number,
    /**
     * Weight of consistency (original system: 0.2).
     */
    consistency: number,
    /**
     * Weight of robustness (original system: 0.1).
     */
    robustness: number,
};

/**
 * What kind of decision a command makes (what-if groups differences by it).
 */
export type WhatIfKind = "promotion" | "demotion" | "gate" | "ingestion" | "model_update" | "rollout" | "ab_winner" | "packet" | "alert" | "readiness" | "response" | "command";

/**
 * One outcome.
 */
export type WhatIfOutcome = {
    /**
     * Short outcome, e.g. "Primary", "BLOCK", "blocked", "refused".
     */
    outcome: string,
    /**
     * Why.
     */
    reason: string,
};

/**
 * The what-if report.
 */
export type WhatIfReport = {
    /**
     * Commands replayed.
     */
    commands: number,
    /**
     * `SetPolicy` commands skipped in the alternative run (it keeps the alternative policy).
     */
    skippedPolicyChanges: number,
    /**
     * Every differing decision, in log order.
     */
    differences: Array<Difference>,
};

/**
 * Which test decides.
 */
export type WinnerMethod = "frequentist" | "sequential" | "bayesian";

/**
 * The policy that decides a winner (fields in snake_case, like the rest of the policy;
 * a missing field takes its default).
 */
export type WinnerRule = {
    /**
     * Which test decides.
     */
    method: WinnerMethod,
    /**
     * Significance level of the frequentist and sequential tests, in (0, 1).
     */
    alpha: number,
    /**
     * Trials every variant needs before any decision, in 0..=[`MAX_MIN_SAMPLE`].
     */
    min_sample_per_variant: number,
    /**
     * SRM p-value below which the split is broken and nothing is decided, in [0, 1)
     * (the same name as the gates' SRM level: both are significance levels of one test).
     */
    srm_alpha: number,
    /**
     * Correction of the p-values when there are more than two variants.
     */
    correction: Adjustment | null,
    /**
     * Tuning parameter of the sequential test, in (0, [`MAX_SEQUENTIAL_TUNING`]].
     */
    sequential_tuning: number,
    /**
     * Chance to beat control a Bayesian winner needs, in (0.5, 1).
     */
    bayes_threshold: number,
};
