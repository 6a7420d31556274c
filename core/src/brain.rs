//! The reducer: `Brain` holds the state of every block, routes each command
//! to its block's `decide`, appends the audit entry, folds the events with
//! `apply` (which cannot fail), and answers the console's queries.

use crate::error::BrainError;
use crate::policy::Policy;
use crate::{
    ab, audit, canon, clean_name, gates, ids, ingest, models, outcomes, packets, policy, promotion,
    readiness, wire,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The newest snapshot schema this build writes.
pub const SCHEMA_VERSION: u32 = 1;

/// The state of every block, plus the policy, the seed and the log position.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct BrainState {
    /// Every threshold and weight in force.
    pub policy: Policy,
    /// Seed of the generator kept in state.
    pub rng_seed: u64,
    /// Accepted commands so far (the next command's log position).
    pub position: u64,
    /// Time of the last accepted command (commands come in time order).
    pub last_at: Option<DateTime<Utc>>,
    /// Block 21.
    pub ab: ab::State,
    /// Block 22.
    pub promotion: promotion::State,
    /// Block 23.
    pub packets: packets::State,
    /// Block 24.
    pub ingest: ingest::State,
    /// Block 25.
    pub outcomes: outcomes::State,
    /// Block 26.
    pub models: models::State,
    /// Block 27.
    pub readiness: readiness::State,
    /// Block 28.
    pub gates: gates::State,
    /// Block 29.
    pub audit: audit::State,
}

/// A command for one block. JSON: `{"block": "ab", "type": "RegisterVariant", ...}`.
// Read by `Command::from_value` (see `wire`), not derived.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "BrainCommand"))]
#[serde(tag = "block", rename_all = "snake_case")]
pub enum Command {
    /// Block 21.
    Ab(ab::Command),
    /// Block 22.
    Promotion(promotion::Command),
    /// Block 23.
    Packets(packets::Command),
    /// Block 24.
    Ingest(ingest::Command),
    /// Block 25.
    Outcomes(outcomes::Command),
    /// Block 26.
    Models(models::Command),
    /// Block 27.
    Readiness(readiness::Command),
    /// Block 28.
    Gates(gates::Command),
    /// Block 29.
    Audit(audit::Command),
    /// Policy and seed.
    Policy(policy::Command),
}

/// A command with its time and actor, as `execute` takes it. JSON is flat:
/// `{"at": "2026-01-01T09:00:00Z", "actor": "ops", "block": "ab", "type": "RecordCounts", ...}`.
// Read by `Envelope::from_value` (see `wire`), not derived.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "Command"))]
pub struct Envelope {
    /// When the command happens (commands must come in time order): a JS
    /// `Date` or an RFC 3339 string on input; a string in `Brain#log`.
    #[cfg_attr(feature = "ts", ts(type = "Date | string"))]
    pub at: DateTime<Utc>,
    /// Who issues it.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub actor: Option<String>,
    /// The command.
    #[serde(flatten)]
    pub command: Command,
}

impl Envelope {
    /// A command at a time, without actor.
    pub fn new(at: DateTime<Utc>, command: Command) -> Self {
        Self {
            at,
            actor: None,
            command,
        }
    }

    /// The same command issued by `actor`.
    pub fn by(mut self, actor: &str) -> Self {
        self.actor = Some(actor.to_string());
        self
    }
}

/// An event of one block. JSON: `{"block": "ab", "type": "CountsRecorded", ...}`.
// Read by `Event::from_value` (see `wire`), not derived.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "BrainEvent"))]
#[serde(tag = "block", rename_all = "snake_case")]
pub enum Event {
    /// Block 21.
    Ab(ab::Event),
    /// Block 22.
    Promotion(promotion::Event),
    /// Block 23.
    Packets(packets::Event),
    /// Block 24.
    Ingest(ingest::Event),
    /// Block 25.
    Outcomes(outcomes::Event),
    /// Block 26.
    Models(models::Event),
    /// Block 27.
    Readiness(readiness::Event),
    /// Block 28.
    Gates(gates::Event),
    /// Block 29.
    Audit(audit::Event),
    /// Policy and seed.
    Policy(policy::Event),
}

/// The values of `block`, in declaration order.
const BLOCKS: &[&str] = &[
    "ab",
    "promotion",
    "packets",
    "ingest",
    "outcomes",
    "models",
    "readiness",
    "gates",
    "audit",
    "policy",
];

/// Commands, events and envelopes are read from one parsed JSON value: the
/// `block` tag (and the envelope's `at` and `actor`) are taken out of the
/// object and the rest goes to the block's own enum. serde's derive with
/// `#[serde(flatten)]` and the outer `#[serde(tag = "block")]` copied the
/// whole object through its `Content` buffer once per level (see
/// `crate::wire`). Same JSON, same error wording ("missing field `block`",
/// "unknown variant `x`, expected one of ...").
fn take_block(v: &mut serde_json::Value, what: &'static str) -> Result<String, serde_json::Error> {
    wire::take_tag(v, "block", what, "a block name")
}

/// `Deserialize` through `from_value` for the block-tagged types.
macro_rules! deserialize_via_value {
    ($($t:ty),*) => {$(
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                <$t>::from_value(serde_json::Value::deserialize(d)?)
                    .map_err(serde::de::Error::custom)
            }
        }
    )*};
}
deserialize_via_value!(Command, Event, Envelope);

/// `match block { "ab" => Enum::Ab(ab::X::deserialize(v)?), ... }` for
/// every block.
macro_rules! by_block {
    ($enum:ident, $inner:ident, $block:expr, $v:expr) => {
        match $block {
            "ab" => $enum::Ab(ab::$inner::deserialize($v)?),
            "promotion" => $enum::Promotion(promotion::$inner::deserialize($v)?),
            "packets" => $enum::Packets(packets::$inner::deserialize($v)?),
            "ingest" => $enum::Ingest(ingest::$inner::deserialize($v)?),
            "outcomes" => $enum::Outcomes(outcomes::$inner::deserialize($v)?),
            "models" => $enum::Models(models::$inner::deserialize($v)?),
            "readiness" => $enum::Readiness(readiness::$inner::deserialize($v)?),
            "gates" => $enum::Gates(gates::$inner::deserialize($v)?),
            "audit" => $enum::Audit(audit::$inner::deserialize($v)?),
            "policy" => $enum::Policy(policy::$inner::deserialize($v)?),
            other => return Err(serde::de::Error::unknown_variant(other, BLOCKS)),
        }
    };
}

impl Command {
    /// Reads `{"block": ..., "type": ..., ...}`.
    pub fn from_value(mut v: serde_json::Value) -> Result<Self, serde_json::Error> {
        let block = take_block(&mut v, "a command object")?;
        Ok(by_block!(Command, Command, block.as_str(), v))
    }
}

impl Event {
    /// Reads `{"block": ..., "type": ..., ...}`.
    pub fn from_value(mut v: serde_json::Value) -> Result<Self, serde_json::Error> {
        let block = take_block(&mut v, "an event object")?;
        Ok(by_block!(Event, Event, block.as_str(), v))
    }
}

impl Envelope {
    /// Reads `{"at": ..., "actor": ..., "block": ..., "type": ..., ...}`.
    pub fn from_value(mut v: serde_json::Value) -> Result<Self, serde_json::Error> {
        use serde::de::Error as _;
        let at = wire::object(&mut v, "a command object")?
            .remove("at")
            .ok_or_else(|| serde_json::Error::missing_field("at"))?;
        Self::from_value_at(v, DateTime::<Utc>::deserialize(at)?)
    }

    /// The same with the time already read (the JS package checks it first,
    /// to name a bad `at`); an `at` in `v` is ignored.
    pub fn from_value_at(
        mut v: serde_json::Value,
        at: DateTime<Utc>,
    ) -> Result<Self, serde_json::Error> {
        let obj = wire::object(&mut v, "a command object")?;
        obj.remove("at");
        let actor = match obj.remove("actor") {
            None | Some(serde_json::Value::Null) => None,
            Some(a) => Some(String::deserialize(a)?),
        };
        Ok(Envelope {
            at,
            actor,
            command: Command::from_value(v)?,
        })
    }
}

impl Event {
    /// The reason when this event is a refused guarded action.
    pub fn refusal(&self) -> Option<String> {
        match self {
            Event::Ingest(ingest::Event::IngestBlocked { reason, .. }) => Some(reason.clone()),
            Event::Models(models::Event::UpdateRefused { reason, .. }) => Some(reason.clone()),
            Event::Models(models::Event::PromotionRefused { reason, .. }) => Some(reason.clone()),
            Event::Gates(gates::Event::GatesDecided { decision })
                if decision.verdict == gates::Verdict::Block =>
            {
                Some(decision.failures().join("; "))
            }
            _ => None,
        }
    }
}

impl BrainState {
    /// Folds one event; never fails.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::Ab(e) => self.ab.apply(e),
            Event::Promotion(e) => self.promotion.apply(e),
            Event::Packets(e) => self.packets.apply(e),
            Event::Ingest(e) => self.ingest.apply(e),
            Event::Outcomes(e) => self.outcomes.apply(e),
            Event::Models(e) => self.models.apply(e),
            Event::Readiness(e) => self.readiness.apply(e),
            Event::Gates(e) => self.gates.apply(e),
            Event::Audit(e) => {
                if let audit::Event::EntryAppended { entry } = e {
                    self.position = entry.seq.saturating_add(1);
                    self.last_at = Some(entry.at);
                }
                self.audit.apply(e);
            }
            Event::Policy(policy::Event::PolicyChanged { policy }) => {
                self.policy = (**policy).clone()
            }
            Event::Policy(policy::Event::SeedSet { seed }) => self.rng_seed = *seed,
        }
    }

    /// SHA-256 of the canonical JSON of the state. The audit log enters by
    /// its tree head (size and Merkle root), which commits to every entry
    /// (the entries are checked separately), so hashing stays cheap on long logs.
    pub fn hash(&self) -> String {
        self.hash_with(self.audit.entries.len(), self.audit.head())
    }

    /// The hash with the audit chain given by its length and head.
    fn hash_with(&self, audit_len: usize, audit_head: &str) -> String {
        #[derive(Serialize)]
        struct View<'a> {
            schema_version: u32,
            policy: &'a Policy,
            rng_seed: u64,
            position: u64,
            last_at: Option<DateTime<Utc>>,
            ab: &'a ab::State,
            promotion: &'a promotion::State,
            packets: &'a packets::State,
            ingest: &'a ingest::State,
            outcomes: &'a outcomes::State,
            models: &'a models::State,
            readiness: &'a readiness::State,
            gates: &'a gates::State,
            audit_len: usize,
            audit_head: &'a str,
            snapshots: &'a [audit::SnapshotMark],
        }
        canon::sha256_json(&View {
            schema_version: SCHEMA_VERSION,
            policy: &self.policy,
            rng_seed: self.rng_seed,
            position: self.position,
            last_at: self.last_at,
            ab: &self.ab,
            promotion: &self.promotion,
            packets: &self.packets,
            ingest: &self.ingest,
            outcomes: &self.outcomes,
            models: &self.models,
            readiness: &self.readiness,
            gates: &self.gates,
            audit_len,
            audit_head,
            snapshots: &self.audit.snapshots,
        })
    }

    /// The evidence the gates need, gathered from blocks 21, 26 and 27.
    pub fn gate_inputs(
        &self,
        clone: &str,
        model: Option<&str>,
        experiment: Option<&str>,
    ) -> gates::Inputs {
        let latest = self.readiness.latest(clone.trim());
        let readiness = latest
            .and_then(|a| readiness::score(&a.factors, &self.policy.readiness).ok())
            .map(|r| (r.composite, r.threshold));
        let model = model.or_else(|| latest.and_then(|a| a.model_id.as_deref()));
        let candidate = model.and_then(|m| {
            self.models
                .challenger(m)
                .or_else(|| self.models.champion(m))
        });
        let champion = model.and_then(|m| self.models.champion(m));
        let experiment = experiment.or_else(|| latest.and_then(|a| a.experiment_id.as_deref()));
        let srm_p_value = experiment.map(|e| {
            self.ab
                .report(e, &self.policy.ab)
                .and_then(|r| r.srm_p_value)
        });
        gates::Inputs {
            model: model.map(String::from),
            experiment: experiment.map(String::from),
            readiness,
            accuracy: candidate.map(|v| v.accuracy),
            champion_accuracy: champion.map(|v| v.accuracy),
            open_regressions: model
                .map(|m| {
                    self.outcomes
                        .open_regression_alerts_for(m)
                        .into_iter()
                        .map(|a| format!("{} on {}", a.alert_id, a.series_id))
                        .collect()
                })
                .unwrap_or_default(),
            srm_p_value,
        }
    }
}

/// A saved `Brain`: its state, command log and event log, versioned.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Snapshot {
    /// Schema version (see `ARCHITECTURE-core.md`).
    pub schema_version: u32,
    /// The state.
    pub state: BrainState,
    /// The state the event log starts from, for snapshots migrated from a
    /// version without logs (None: the empty state).
    #[serde(default)]
    pub origin: Option<BrainState>,
    /// Accepted commands, in order (what-if replays these).
    pub log: Vec<Envelope>,
    /// Events, in order (replay folds these).
    pub events: Vec<Event>,
}

/// The engine: state plus the command and event logs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Brain {
    state: BrainState,
    origin: Option<BrainState>,
    log: Vec<Envelope>,
    events: Vec<Event>,
    derived: Derived,
}

/// Values computed from the state and kept until an event could change
/// them; never serialised, never part of equality (the same state always
/// derives the same values).
#[derive(Clone, Debug, Default)]
struct Derived {
    /// The winning channels packets default to: every channel experiment's
    /// statistics, worth computing once per A/B change rather than once per
    /// packet (a batch of 100 packets ran the statistics 100 times).
    winning_channels: Option<Vec<String>>,
    /// How many leading commands of the log are known to give the event log:
    /// all of them for a brain built by `execute`, none for a loaded snapshot
    /// until `confirm_log` has executed its log again.
    log_checked: usize,
    /// Where a loaded log was found not to give its events (the log only
    /// grows, so that stays true): `confirm_log` keeps the answer either way.
    log_broken: Option<String>,
}

impl PartialEq for Derived {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// The action name of a command (its JSON `type`).
pub fn action_of(cmd: &Command) -> &'static str {
    match cmd {
        Command::Ab(ab::Command::RegisterVariant { .. }) => "RegisterVariant",
        Command::Ab(ab::Command::RecordCounts { .. }) => "RecordCounts",
        Command::Promotion(promotion::Command::RegisterScript { .. }) => "RegisterScript",
        Command::Promotion(promotion::Command::AddScriptVersion { .. }) => "AddScriptVersion",
        Command::Promotion(promotion::Command::EvaluateScript { .. }) => "EvaluateScript",
        Command::Promotion(promotion::Command::RetireScript { .. }) => "RetireScript",
        Command::Packets(packets::Command::BuildPacket { .. }) => "BuildPacket",
        Command::Packets(packets::Command::AddTemplate { .. }) => "AddTemplate",
        Command::Ingest(ingest::Command::AddSource { .. }) => "AddSource",
        Command::Ingest(ingest::Command::RemoveSource { .. }) => "RemoveSource",
        Command::Ingest(ingest::Command::SuspendSource { .. }) => "SuspendSource",
        Command::Ingest(ingest::Command::IngestData { .. }) => "IngestData",
        Command::Outcomes(outcomes::Command::DefineSeries { .. }) => "DefineSeries",
        Command::Outcomes(outcomes::Command::SetBaseline { .. }) => "SetBaseline",
        Command::Outcomes(outcomes::Command::RecordOutcome { .. }) => "RecordOutcome",
        Command::Outcomes(outcomes::Command::AssessDrift { .. }) => "AssessDrift",
        Command::Outcomes(outcomes::Command::AcknowledgeAlert { .. }) => "AcknowledgeAlert",
        Command::Outcomes(outcomes::Command::ResolveAlert { .. }) => "ResolveAlert",
        Command::Models(models::Command::RecordAccuracy { .. }) => "RecordAccuracy",
        Command::Models(models::Command::RegisterModel { .. }) => "RegisterModel",
        Command::Models(models::Command::ProposeUpdate { .. }) => "ProposeUpdate",
        Command::Models(models::Command::PromoteVersion { .. }) => "PromoteVersion",
        Command::Models(models::Command::RollBack { .. }) => "RollBack",
        Command::Readiness(readiness::Command::AssessClone { .. }) => "AssessClone",
        Command::Gates(gates::Command::EvaluateGates { .. }) => "EvaluateGates",
        Command::Audit(audit::Command::TakeSnapshot) => "TakeSnapshot",
        Command::Policy(policy::Command::SetPolicy { .. }) => "SetPolicy",
        Command::Policy(policy::Command::SetSeed { .. }) => "SetSeed",
    }
}

/// The subject of the audit entry, from the command and its events.
fn subject_of(cmd: &Command, events: &[Event]) -> String {
    match cmd {
        Command::Ab(ab::Command::RegisterVariant {
            experiment,
            variant,
            ..
        })
        | Command::Ab(ab::Command::RecordCounts {
            experiment,
            variant,
            ..
        }) => {
            format!("experiment/{}/{}", experiment.trim(), variant.trim())
        }
        Command::Promotion(promotion::Command::RegisterScript { script, .. })
        | Command::Promotion(promotion::Command::AddScriptVersion { script, .. })
        | Command::Promotion(promotion::Command::EvaluateScript { script, .. })
        | Command::Promotion(promotion::Command::RetireScript { script, .. }) => {
            format!("script/{}", script.trim())
        }
        Command::Packets(packets::Command::BuildPacket { .. }) => match events.first() {
            Some(Event::Packets(packets::Event::PacketBuilt { packet })) => {
                format!("packet/{}", packet.id)
            }
            _ => "packet".into(),
        },
        Command::Packets(packets::Command::AddTemplate { name, .. }) => {
            format!("template/{}", name.trim())
        }
        Command::Ingest(ingest::Command::AddSource { source })
        | Command::Ingest(ingest::Command::RemoveSource { source })
        | Command::Ingest(ingest::Command::SuspendSource { source })
        | Command::Ingest(ingest::Command::IngestData { source, .. }) => {
            format!("source/{}", ingest::normalize(source))
        }
        Command::Outcomes(outcomes::Command::DefineSeries { series_id, .. })
        | Command::Outcomes(outcomes::Command::SetBaseline { series_id, .. })
        | Command::Outcomes(outcomes::Command::RecordOutcome { series_id, .. })
        | Command::Outcomes(outcomes::Command::AssessDrift { series_id, .. }) => {
            format!("series/{series_id}")
        }
        Command::Outcomes(outcomes::Command::AcknowledgeAlert { alert_id, .. })
        | Command::Outcomes(outcomes::Command::ResolveAlert { alert_id, .. }) => {
            format!("alert/{alert_id}")
        }
        Command::Models(models::Command::RecordAccuracy { model_id, .. })
        | Command::Models(models::Command::RegisterModel { model_id, .. })
        | Command::Models(models::Command::ProposeUpdate { model_id, .. })
        | Command::Models(models::Command::PromoteVersion { model_id, .. })
        | Command::Models(models::Command::RollBack { model_id, .. }) => {
            format!("model/{model_id}")
        }
        Command::Readiness(readiness::Command::AssessClone { clone_id, .. }) => {
            format!("clone/{clone_id}")
        }
        Command::Gates(gates::Command::EvaluateGates { clone, .. }) => {
            format!("clone/{}", clone.trim())
        }
        Command::Audit(_) => "audit".into(),
        Command::Policy(_) => "policy".into(),
    }
}

/// Short detail for the audit entry: refusal reasons, status changes, verdicts.
fn detail_of(events: &[Event]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for e in events {
        match e {
            Event::Promotion(promotion::Event::ScriptStatusChanged { change, .. }) => {
                parts.push(format!(
                    "{:?} -> {:?}: {}",
                    change.from, change.to, change.reason
                ));
            }
            Event::Gates(gates::Event::GatesDecided { decision })
                if decision.verdict == gates::Verdict::Promote =>
            {
                parts.push("PROMOTE: every gate passed".into());
            }
            Event::Gates(gates::Event::GatesDecided { decision }) => {
                parts.push(format!("BLOCK: {}", decision.failures().join("; ")))
            }
            Event::Models(models::Event::RolledBack {
                from, to, reason, ..
            }) => parts.push(format!("rolled back {from} -> {to}: {reason}")),
            Event::Outcomes(outcomes::Event::AlertRaised { alert }) => {
                parts.push(format!("alert {}: {}", alert.alert_id, alert.message))
            }
            other => {
                if let Some(r) = other.refusal() {
                    parts.push(r);
                }
            }
        }
    }
    parts.join("; ")
}

impl Brain {
    /// An empty brain under the default policy.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty brain under `policy` (not a command: used by what-if to
    /// replay a log under another policy). The policy is validated.
    pub fn with_policy(policy: Policy) -> Result<Self, BrainError> {
        policy.validate()?;
        let state = BrainState {
            policy,
            ..BrainState::default()
        };
        Ok(Self {
            origin: Some(state.clone()),
            state,
            log: Vec::new(),
            events: Vec::new(),
            derived: Derived::default(),
        })
    }

    /// The events a command would produce, or why it is refused; the state
    /// is not touched.
    pub fn decide(&self, env: &Envelope) -> Result<Vec<Event>, BrainError> {
        let s = &self.state;
        if let Some(actor) = &env.actor {
            clean_name(actor).ok_or(BrainError::InvalidActor)?;
        }
        if let Some(last) = s.last_at {
            if env.at < last {
                return Err(BrainError::TimeBackwards { at: env.at, last });
            }
        }
        let at = env.at;
        let p = &s.policy;
        let mut events: Vec<Event> = match &env.command {
            Command::Ab(c) => ab::decide(&s.ab, &p.ab, c, at)?
                .into_iter()
                .map(Event::Ab)
                .collect(),
            Command::Promotion(c) => {
                let totals = match c {
                    promotion::Command::EvaluateScript { script, .. } => {
                        s.ab.totals_for(ab::VariantKind::Script, script.trim())
                    }
                    _ => None,
                };
                promotion::decide(&s.promotion, &p.promotion, c, at, totals)?
                    .into_iter()
                    .map(Event::Promotion)
                    .collect()
            }
            Command::Packets(c) => {
                // Only what the command needs: the defaults are computed
                // only when the command does not name scripts or channels.
                let (given_scripts, given_channels) = match c {
                    packets::Command::BuildPacket {
                        scripts, channels, ..
                    } => (scripts.is_some(), channels.is_some()),
                    packets::Command::AddTemplate { .. } => (true, true),
                };
                let known: BTreeSet<String> = if given_scripts {
                    s.promotion.scripts.keys().cloned().collect()
                } else {
                    BTreeSet::new()
                };
                let ctx = packets::Context {
                    known_scripts: &known,
                    primary_scripts: if given_scripts {
                        Vec::new()
                    } else {
                        s.promotion.primaries()
                    },
                    winning_channels: if given_channels {
                        Vec::new()
                    } else {
                        match &self.derived.winning_channels {
                            Some(w) => w.clone(),
                            None => s.ab.winners(ab::VariantKind::Channel, &p.ab),
                        }
                    },
                    new_id: ids::derive(s.position, at, "packet"),
                };
                packets::decide(&s.packets, &p.packets, c, at, ctx)?
                    .into_iter()
                    .map(Event::Packets)
                    .collect()
            }
            Command::Ingest(c) => ingest::decide(&s.ingest, &p.ingest, c)?
                .into_iter()
                .map(Event::Ingest)
                .collect(),
            Command::Outcomes(c) => outcomes::decide(&s.outcomes, &p.outcomes, c, at)?
                .into_iter()
                .map(Event::Outcomes)
                .collect(),
            Command::Models(c) => models::decide(&s.models, &p.models, c, at)?
                .into_iter()
                .map(Event::Models)
                .collect(),
            Command::Readiness(c) => readiness::decide(&s.readiness, &p.readiness, c, at)?
                .into_iter()
                .map(Event::Readiness)
                .collect(),
            Command::Gates(c) => {
                let gates::Command::EvaluateGates {
                    clone,
                    model,
                    experiment,
                } = c;
                if let Some(m) = model {
                    if s.models.model(m).is_none() {
                        return Err(gates::Error::UnknownModel(m.clone()).into());
                    }
                }
                if let Some(e) = experiment {
                    if !s.ab.experiments.contains_key(e) {
                        return Err(gates::Error::UnknownExperiment(e.clone()).into());
                    }
                }
                let inputs = s.gate_inputs(clone, model.as_deref(), experiment.as_deref());
                let id = ids::derive(s.position, at, "gate-decision");
                gates::decide(&p.gates, c, at, &inputs, id)?
                    .into_iter()
                    .map(Event::Gates)
                    .collect()
            }
            Command::Audit(audit::Command::TakeSnapshot) => {
                vec![Event::Audit(audit::Event::SnapshotTaken {
                    mark: audit::SnapshotMark {
                        position: s.position,
                        state_hash: s.hash(),
                        at,
                    },
                })]
            }
            Command::Policy(c) => policy::decide(c)?.into_iter().map(Event::Policy).collect(),
        };
        let refused = events.iter().any(|e| e.refusal().is_some());
        let draft = audit::Draft {
            at,
            actor: env.actor.clone(),
            subject: subject_of(&env.command, &events),
            action: action_of(&env.command).to_string(),
            outcome: if refused {
                audit::Outcome::Refused
            } else {
                audit::Outcome::Accepted
            },
            detail: detail_of(&events),
            command_hash: canon::sha256_json(env),
            events_hash: canon::sha256_json(&events),
        };
        events.push(Event::Audit(s.audit.seal(draft)));
        Ok(events)
    }

    /// Validates a command, decides its events, applies them and returns
    /// them; on error the state is unchanged and nothing is appended.
    pub fn execute(&mut self, env: Envelope) -> Result<Vec<Event>, BrainError> {
        if self.derived.winning_channels.is_none()
            && matches!(
                env.command,
                Command::Packets(packets::Command::BuildPacket { .. })
            )
        {
            let winners = self
                .state
                .ab
                .winners(ab::VariantKind::Channel, &self.state.policy.ab);
            self.derived.winning_channels = Some(winners);
        }
        let events = self.decide(&env)?;
        for e in &events {
            if matches!(e, Event::Ab(_) | Event::Policy(_)) {
                self.derived.winning_channels = None;
            }
            self.state.apply(e);
        }
        self.events.extend(events.iter().cloned());
        // A command executed here gives its events by construction.
        if self.derived.log_checked == self.log.len() {
            self.derived.log_checked += 1;
        }
        self.log.push(env);
        Ok(events)
    }

    /// `execute` for a JSON envelope (what the JS package calls).
    pub fn execute_json(&mut self, json: &str) -> Result<Vec<Event>, BrainError> {
        let env: Envelope =
            serde_json::from_str(json).map_err(|e| BrainError::Json(e.to_string()))?;
        self.execute(env)
    }

    /// Rebuilds a brain by folding events onto the empty state. The command
    /// log is not rebuilt (events do not carry commands): use a snapshot to
    /// keep it.
    pub fn replay(events: &[Event]) -> Brain {
        Self::replay_from(None, events)
    }

    /// Folds events onto `origin` (or the empty state).
    pub fn replay_from(origin: Option<&BrainState>, events: &[Event]) -> Brain {
        let mut state = origin.cloned().unwrap_or_default();
        for e in events {
            state.apply(e);
        }
        Brain {
            state,
            origin: origin.cloned(),
            log: Vec::new(),
            events: events.to_vec(),
            derived: Derived::default(),
        }
    }

    /// The state hash that `replay_from(origin, events)` would give,
    /// without copying the audit entries (the hash needs only the log's
    /// tree head): what verification uses on long logs.
    pub fn replay_hash(origin: Option<&BrainState>, events: &[Event]) -> String {
        let mut state = origin.cloned().unwrap_or_default();
        let origin_head = state.audit.head().to_string();
        let mut len = state.audit.entries.len();
        let mut head: &str = &origin_head;
        for e in events {
            match e {
                Event::Audit(audit::Event::EntryAppended { entry }) => {
                    state.position = entry.seq.saturating_add(1);
                    state.last_at = Some(entry.at);
                    len += 1;
                    head = &entry.root;
                }
                other => state.apply(other),
            }
        }
        state.hash_with(len, head)
    }

    /// Executes the command log again from the origin and checks that it
    /// gives this brain's events and state: a log edited after the fact
    /// (a changed count, a renamed variant) would otherwise be replayed by
    /// what-if and exported as if it were the history. Returns the number of
    /// commands re-executed, or where the log and the events part.
    pub fn rerun_log(&self) -> Result<usize, String> {
        if let Some(broken) = &self.derived.log_broken {
            return Err(broken.clone());
        }
        if self.derived.log_checked == self.log.len() {
            return Ok(self.log.len());
        }
        let mut again = Brain::replay_from(self.origin.as_ref(), &[]);
        for (i, env) in self.log.iter().enumerate() {
            let from = again.events.len();
            let what = || {
                format!(
                    "command {} ({} at {})",
                    i + 1,
                    action_of(&env.command),
                    env.at
                )
            };
            let events = again
                .execute(env.clone())
                .map_err(|e| format!("{} is refused when executed again: {e}", what()))?;
            if self.events.get(from..from + events.len()) != Some(&events[..]) {
                return Err(format!("{} gives other events than the event log", what()));
            }
        }
        if again.events.len() != self.events.len() {
            return Err(format!(
                "the log's {} commands give {} events, the event log has {}",
                self.log.len(),
                again.events.len(),
                self.events.len()
            ));
        }
        if again.state_hash() != self.state_hash() {
            return Err("the log's commands give another state".into());
        }
        Ok(self.log.len())
    }

    /// `rerun_log`, remembered: once a loaded log has been executed again,
    /// later checks (and `verify`) give the same answer without the work,
    /// whether the log gave its events or not.
    pub fn confirm_log(&mut self) -> Result<usize, String> {
        let result = self.rerun_log();
        match &result {
            Ok(n) => self.derived.log_checked = *n,
            Err(e) => self.derived.log_broken = Some(e.clone()),
        }
        result
    }

    /// The state of every block.
    pub fn state(&self) -> &BrainState {
        &self.state
    }

    /// The state the event log starts from (None: empty).
    pub fn origin(&self) -> Option<&BrainState> {
        self.origin.as_ref()
    }

    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.state.policy
    }

    /// Accepted commands, in order.
    pub fn log(&self) -> &[Envelope] {
        &self.log
    }

    /// Events, in order.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// SHA-256 of the canonical state.
    pub fn state_hash(&self) -> String {
        self.state.hash()
    }

    /// A generator for `stream`, seeded from the state's seed and the log
    /// position: deterministic, replayable, and different after each command.
    pub fn rng(&self, stream: &str) -> rand_chacha::ChaCha8Rng {
        use rand::SeedableRng;
        let mut seed = [0u8; 32];
        let digest = {
            use sha2::{Digest, Sha256};
            let mut h = Sha256::new();
            h.update(self.state.rng_seed.to_le_bytes());
            h.update(self.state.position.to_le_bytes());
            h.update(stream.as_bytes());
            h.finalize()
        };
        seed.copy_from_slice(&digest);
        rand_chacha::ChaCha8Rng::from_seed(seed)
    }

    /// The versioned snapshot.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            schema_version: SCHEMA_VERSION,
            state: self.state.clone(),
            origin: self.origin.clone(),
            log: self.log.clone(),
            events: self.events.clone(),
        }
    }

    /// The snapshot as JSON.
    pub fn to_snapshot_json(&self) -> String {
        serde_json::to_string(&self.snapshot()).unwrap_or_default()
    }

    /// Loads a snapshot, migrating older schema versions.
    pub fn from_snapshot_json(json: &str) -> Result<Brain, BrainError> {
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| BrainError::Json(e.to_string()))?;
        let value = migrate(value)?;
        let snap: Snapshot =
            serde_json::from_value(value).map_err(|e| BrainError::Json(e.to_string()))?;
        Ok(Brain {
            state: snap.state,
            origin: snap.origin,
            log: snap.log,
            events: snap.events,
            derived: Derived::default(),
        })
    }
}

/// Brings a snapshot of any known version to the current one.
///
/// v0 (before logs were kept): `{"schema_version": 0, "state": {...}}`, the
/// promotion policy's `min_sample` was called `min_trials`, and there was
/// no seed. v1 keeps `origin` (the state the logs start from), `log`, `events`.
pub fn migrate(mut value: serde_json::Value) -> Result<serde_json::Value, BrainError> {
    let version = value
        .get("schema_version")
        .and_then(|v| v.as_u64())
        .unwrap_or(0);
    if version > u64::from(SCHEMA_VERSION) {
        return Err(BrainError::SchemaVersion {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    if version == 0 {
        let obj = value
            .as_object_mut()
            .ok_or_else(|| BrainError::Json("snapshot must be an object".into()))?;
        let mut state = obj.remove("state").unwrap_or_else(|| serde_json::json!({}));
        if let Some(promo) = state
            .pointer_mut("/policy/promotion")
            .and_then(|p| p.as_object_mut())
        {
            if let Some(v) = promo.remove("min_trials") {
                promo.insert("min_sample".into(), v);
            }
        }
        if let Some(s) = state.as_object_mut() {
            s.entry("rng_seed").or_insert(serde_json::json!(0));
        }
        let state: BrainState = serde_json::from_value(state)
            .map_err(|e| BrainError::Json(format!("v0 state: {e}")))?;
        let origin = serde_json::to_value(&state).map_err(|e| BrainError::Json(e.to_string()))?;
        obj.insert("schema_version".into(), serde_json::json!(1));
        obj.insert("origin".into(), origin.clone());
        obj.insert("state".into(), origin);
        obj.insert("log".into(), serde_json::json!([]));
        obj.insert("events".into(), serde_json::json!([]));
    }
    Ok(value)
}

/// A script with its id, for the console.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ScriptReport {
    /// Script id.
    pub id: String,
    /// Current status.
    pub status: promotion::Status,
    /// Versions, oldest first.
    pub versions: Vec<promotion::Version>,
    /// Status history with reasons.
    pub history: Vec<promotion::StatusChange>,
    /// Transition qualified for, and the run length.
    pub streak: Option<(promotion::Status, u32)>,
    /// Evaluations run.
    pub evaluations: u64,
    /// Totals in the script experiments (trials, conversions).
    pub ab_totals: Option<(u64, u64)>,
}

/// Queries: what the console and the JS package show.
impl Brain {
    /// Every experiment with rates, intervals and winner.
    pub fn experiments(&self) -> Vec<ab::ExperimentReport> {
        self.state.ab.reports(&self.state.policy.ab)
    }

    /// One experiment.
    pub fn experiment(&self, name: &str) -> Option<ab::ExperimentReport> {
        self.state.ab.report(name, &self.state.policy.ab)
    }

    /// A Thompson-sampling traffic split for an experiment, seeded from the
    /// state's generator (same state, same split).
    pub fn allocation(&self, experiment: &str) -> Option<Vec<(String, f64)>> {
        use rand::RngCore;
        let seed = self.rng(&format!("allocation/{experiment}")).next_u64();
        self.state
            .ab
            .allocation(experiment, &self.state.policy.ab, seed)
    }

    /// Every script with status and history.
    pub fn scripts(&self) -> Vec<ScriptReport> {
        self.state
            .promotion
            .scripts
            .iter()
            .map(|(id, s)| ScriptReport {
                id: id.clone(),
                status: s.status,
                versions: s.versions.clone(),
                history: s.history.clone(),
                streak: s.streak,
                evaluations: s.evaluations,
                ab_totals: self.state.ab.totals_for(ab::VariantKind::Script, id),
            })
            .collect()
    }

    /// Every packet, in build order.
    pub fn packets(&self) -> &[packets::Packet] {
        &self.state.packets.packets
    }

    /// One packet as JSON.
    pub fn export_packet(&self, id: &str) -> Result<String, BrainError> {
        Ok(self.state.packets.export_packet(id)?)
    }

    /// Every packet as a JSON array.
    pub fn export_packets(&self) -> String {
        self.state.packets.export_all()
    }

    /// Renders a template with a packet's fields.
    pub fn render_template(&self, template: &str, packet_id: &str) -> Result<String, BrainError> {
        Ok(self.state.packets.render(template, packet_id)?)
    }

    /// Every source with counters (including the policy's whitelist).
    pub fn sources(&self) -> Vec<ingest::SourceReport> {
        self.state.ingest.report(&self.state.policy.ingest)
    }

    /// Every model with its lineage.
    pub fn models(&self) -> Vec<models::ModelReport> {
        self.state.models.models()
    }

    /// Every assessed clone.
    pub fn clones(&self) -> Vec<readiness::CloneSummary> {
        self.state.readiness.clones()
    }

    /// Every gate decision, oldest first.
    pub fn gate_decisions(&self) -> &[gates::Decision] {
        &self.state.gates.decisions
    }

    /// Audit entries matching a query.
    pub fn audit_query(&self, query: &audit::Query) -> Vec<audit::Entry> {
        self.state.audit.query(query).into_iter().cloned().collect()
    }

    /// The audit log as canonical JSON.
    pub fn audit_export(&self) -> String {
        self.state.audit.export()
    }

    /// Checks the audit chain.
    pub fn verify_audit(&self) -> Result<(), BrainError> {
        Ok(audit::verify_chain(&self.state.audit.entries)?)
    }

    /// Runs every verification check on the live state.
    pub fn verify(&self) -> crate::verify::Report {
        crate::verify::verify(self)
    }

    /// Replays this brain's command log (from its origin) under another
    /// policy.
    pub fn what_if(&self, alternative: &Policy) -> Result<crate::whatif::Report, BrainError> {
        let mut run = self.what_if_run(alternative)?;
        run.step(usize::MAX);
        Ok(run.report())
    }

    /// [`Self::what_if`] in steps, for a caller that shows progress.
    pub fn what_if_run(&self, alternative: &Policy) -> Result<crate::whatif::Run, BrainError> {
        crate::whatif::Run::new(self.origin.as_ref(), self.log.clone(), alternative)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn packets_follow_the_winning_channel_as_counts_change() {
        // Given a channel experiment where sms wins, when a packet is built,
        // then it recommends sms; after counts that make email win, the next
        // packet recommends email (the cached winners were dropped).
        let mut brain = Brain::new();
        let mut minute = 0;
        let mut run = |brain: &mut Brain, command: Command| {
            minute += 1;
            brain
                .execute(Envelope::new(t0() + Duration::minutes(minute), command))
                .expect("accepted")
        };
        for variant in ["sms", "email"] {
            run(
                &mut brain,
                Command::Ab(ab::Command::RegisterVariant {
                    experiment: "contact".into(),
                    variant: variant.into(),
                    kind: ab::VariantKind::Channel,
                    weight: 1.0,
                }),
            );
        }
        let counts = |variant: &str, trials, conversions| {
            Command::Ab(ab::Command::RecordCounts {
                experiment: "contact".into(),
                variant: variant.into(),
                trials,
                conversions,
            })
        };
        let packet = || {
            Command::Packets(packets::Command::BuildPacket {
                lead: packets::Lead {
                    name: "Lead".into(),
                    value: 1.0,
                    terms: String::new(),
                    source: "zillow".into(),
                    fields: std::collections::BTreeMap::new(),
                },
                scripts: None,
                channels: None,
            })
        };
        let channels = |events: &[Event]| -> Vec<String> {
            events
                .iter()
                .find_map(|e| match e {
                    Event::Packets(packets::Event::PacketBuilt { packet }) => {
                        Some(packet.channels.clone())
                    }
                    _ => None,
                })
                .unwrap_or_default()
        };
        run(&mut brain, counts("sms", 2000, 600));
        run(&mut brain, counts("email", 2000, 200));
        assert_eq!(
            channels(&run(&mut brain, packet())),
            vec!["sms".to_string()]
        );
        assert_eq!(
            channels(&run(&mut brain, packet())),
            vec!["sms".to_string()]
        );
        // Balanced traffic (a sample-ratio mismatch would leave no winner).
        run(&mut brain, counts("sms", 20_000, 6_000));
        run(&mut brain, counts("email", 20_000, 16_000));
        let fresh = brain.decide(&Envelope::new(t0() + Duration::days(1), packet()));
        assert_eq!(
            channels(&fresh.expect("decided")),
            vec!["email".to_string()]
        );
        assert_eq!(
            channels(&run(&mut brain, packet())),
            vec!["email".to_string()]
        );
        // A brain rebuilt from its events (no cache) decides the same.
        let replayed = Brain::replay_from(brain.origin(), brain.events());
        assert_eq!(replayed.state_hash(), brain.state_hash());
    }

    fn demo() -> Brain {
        Brain::demo(t0())
    }

    fn later(brain: &Brain) -> DateTime<Utc> {
        brain.state().last_at.unwrap_or_else(t0) + Duration::minutes(1)
    }

    #[test]
    fn commands_and_events_read_back_what_they_write_with_serde_like_errors() {
        // Every command of the demo, and every event, reads back equal from
        // its own JSON (through text, as storage and the JS package do).
        let brain = demo();
        let snap = brain.snapshot();
        assert!(snap.log.len() > 20 && snap.events.len() > 40);
        for env in &snap.log {
            let json = serde_json::to_string(env).unwrap_or_default();
            let back: Result<Envelope, _> = serde_json::from_str(&json);
            assert_eq!(back.as_ref().ok(), Some(env), "{json}");
        }
        for e in &snap.events {
            let json = serde_json::to_string(e).unwrap_or_default();
            let back: Result<Event, _> = serde_json::from_str(&json);
            assert_eq!(back.as_ref().ok(), Some(e), "{json}");
        }
        // The actor is optional: missing or null is None.
        let read = |json: &str| {
            serde_json::from_str::<serde_json::Value>(json)
                .map_err(|e| e.to_string())
                .and_then(|v| Envelope::from_value(v).map_err(|e| e.to_string()))
        };
        let ok = r#"{"at":"2026-03-02T09:00:00Z","block":"ab","type":"RecordCounts","experiment":"e","variant":"v","trials":1,"conversions":0}"#;
        assert_eq!(read(ok).map(|e| e.actor), Ok(None));
        let with_null = ok.replace(r#""block""#, r#""actor":null,"block""#);
        assert_eq!(read(&with_null).map(|e| e.actor), Ok(None));
        let with_actor = ok.replace(r#""block""#, r#""actor":"ops","block""#);
        assert_eq!(read(&with_actor).map(|e| e.actor), Ok(Some("ops".into())));
        // With the time already read, the object's own `at` is ignored.
        let given = t0() + Duration::hours(1);
        let v: serde_json::Value = serde_json::from_str(&with_actor).unwrap_or_default();
        let env = Envelope::from_value_at(v, given).map_err(|e| e.to_string());
        assert_eq!(env.as_ref().map(|e| e.at), Ok(given));
        assert_eq!(env.map(|e| e.actor), Ok(Some("ops".into())));
        // Errors a user can act on, worded as serde words them.
        let err = |json: &str| read(json).err().unwrap_or_default();
        assert_eq!(
            err(&ok.replace(r#""block":"ab","#, "")),
            "missing field `block`"
        );
        assert!(err(&ok.replace(r#""block":"ab""#, r#""block":"abc""#))
            .starts_with("unknown variant `abc`, expected one of `ab`, `promotion`"));
        assert!(err(&ok.replace(r#""block":"ab""#, r#""block":7"#))
            .starts_with("invalid type: integer `7`, expected a block name"));
        assert_eq!(
            err(&ok.replace(r#""at":"2026-03-02T09:00:00Z","#, "")),
            "missing field `at`"
        );
        assert!(!err(&ok.replace("2026-03-02T09:00:00Z", "yesterday")).is_empty());
        assert!(err(&ok.replace(r#""type":"RecordCounts","#, "")).contains("missing field `type`"));
        assert!(err(&ok.replace(r#""trials":1"#, r#""trials":"1""#)).contains("invalid type"));
        assert_eq!(
            err("[1]"),
            "invalid type: sequence, expected a command object"
        );
        assert!(Event::from_value(serde_json::json!("x"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
            .contains("expected an event object"));
        // Through the text parser the position is added.
        let from_text = serde_json::from_str::<Envelope>(&ok.replace(r#""block":"ab","#, ""));
        assert!(from_text
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
            .starts_with("missing field `block`"));
    }

    /// Given the demo, when `json` (an envelope without `at`) is executed,
    /// then the error code is `code` and the state hash is unchanged.
    fn check_refused(json: &str, code: &str) {
        let mut brain = demo();
        let before = brain.state_hash();
        let entries = brain.state().audit.entries.len();
        let mut value: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
        if let Some(obj) = value.as_object_mut() {
            obj.entry("at").or_insert(serde_json::json!(later(&brain)));
        }
        let result = brain.execute_json(&value.to_string());
        assert_eq!(result.map_err(|e| e.code()), Err(code), "{json}");
        assert_eq!(brain.state_hash(), before, "{json}");
        assert_eq!(brain.state().audit.entries.len(), entries, "{json}");
    }

    #[test]
    fn bad_inputs_are_typed_errors_that_leave_the_state_untouched() {
        let cases = [
            (
                r#"{"block":"ab","type":"RecordCounts","experiment":"contact-channel","variant":"sms","trials":-5,"conversions":0}"#,
                "invalid_count",
            ),
            (
                r#"{"block":"ab","type":"RecordCounts","experiment":"contact-channel","variant":"sms","trials":10,"conversions":12}"#,
                "invalid_count",
            ),
            (
                r#"{"block":"ab","type":"RecordCounts","experiment":"contact-channel","variant":"fax","trials":10,"conversions":1}"#,
                "unknown_variant",
            ),
            (
                r#"{"block":"ab","type":"RecordCounts","experiment":"nope","variant":"sms","trials":10,"conversions":1}"#,
                "unknown_experiment",
            ),
            (
                r#"{"block":"ab","type":"RecordCounts","experiment":"contact-channel","variant":"sms","trials":1e400,"conversions":1}"#,
                "invalid_json",
            ),
            (
                r#"{"block":"ab","type":"RecordCounts","experiment":"contact-channel","variant":"sms","trials":99999999999999999999,"conversions":1}"#,
                "invalid_json",
            ),
            (
                r#"{"block":"ab","type":"RegisterVariant","experiment":"contact-channel","variant":"sms","kind":"channel"}"#,
                "duplicate_variant",
            ),
            (
                r#"{"block":"ab","type":"RegisterVariant","experiment":"","variant":"x","kind":"channel"}"#,
                "invalid_name",
            ),
            (
                r#"{"block":"ab","type":"RegisterVariant","experiment":"e","variant":"x","kind":"channel","weight":-1}"#,
                "invalid_number",
            ),
            (
                r#"{"block":"ab","type":"RegisterVariant","experiment":"e","variant":"x","kind":"pigeon"}"#,
                "invalid_json",
            ),
            (
                r#"{"block":"promotion","type":"RegisterScript","script":"warm-open","body":"x"}"#,
                "duplicate_script",
            ),
            (
                r#"{"block":"promotion","type":"RegisterScript","script":" ","body":"x"}"#,
                "invalid_name",
            ),
            (
                r#"{"block":"promotion","type":"EvaluateScript","script":"ghost"}"#,
                "unknown_script",
            ),
            (
                r#"{"block":"promotion","type":"EvaluateScript","script":"warm-open","trials":-1,"conversions":0}"#,
                "invalid_count",
            ),
            (
                r#"{"block":"promotion","type":"AddScriptVersion","script":"warm-open","body":""}"#,
                "empty_body",
            ),
            (
                r#"{"block":"promotion","type":"RetireScript","script":"ghost","reason":"x"}"#,
                "unknown_script",
            ),
            (
                r#"{"block":"packets","type":"BuildPacket","lead":{"name":"","value":1}}"#,
                "invalid_name",
            ),
            (
                r#"{"block":"packets","type":"BuildPacket","lead":{"name":"A","value":-1}}"#,
                "invalid_number",
            ),
            (
                r#"{"block":"packets","type":"BuildPacket","lead":{"name":"A","value":1},"scripts":["ghost"]}"#,
                "unknown_script",
            ),
            (
                r#"{"block":"packets","type":"AddTemplate","name":"t","body":"{{oops"}"#,
                "invalid_template",
            ),
            (
                r#"{"block":"ingest","type":"AddSource","source":" ZILLOW "}"#,
                "duplicate_source",
            ),
            (
                r#"{"block":"ingest","type":"RemoveSource","source":"ghost"}"#,
                "unknown_source",
            ),
            (
                r#"{"block":"ingest","type":"SuspendSource","source":"redfin"}"#,
                "source_suspended",
            ),
            (
                r#"{"block":"ingest","type":"IngestData","source":"   ","payload":"x"}"#,
                "invalid_name",
            ),
            (
                r#"{"block":"models","type":"RegisterModel","model_id":"lead-scorer","name":"x"}"#,
                "duplicate_model",
            ),
            (
                r#"{"block":"models","type":"ProposeUpdate","model_id":"ghost","version":"1.0.0","strategy":"incremental","accuracy":0.9}"#,
                "unknown_model",
            ),
            (
                r#"{"block":"models","type":"ProposeUpdate","model_id":"lead-scorer","version":"9.0.0","strategy":"incremental","accuracy":1.5}"#,
                "accuracy_out_of_range",
            ),
            (
                r#"{"block":"models","type":"ProposeUpdate","model_id":"lead-scorer","version":"1.0.0","strategy":"incremental","accuracy":0.9}"#,
                "duplicate_version",
            ),
            (
                r#"{"block":"readiness","type":"AssessClone","clone_id":"c","factors":{"accuracy":2,"confidence":0.5,"consistency":0.5,"robustness":0.5}}"#,
                "factor_out_of_range",
            ),
            (
                r#"{"block":"readiness","type":"AssessClone","clone_id":"","factors":{"accuracy":0.5,"confidence":0.5,"consistency":0.5,"robustness":0.5}}"#,
                "empty_id",
            ),
            (
                r#"{"block":"gates","type":"EvaluateGates","clone":""}"#,
                "invalid_name",
            ),
            (
                r#"{"block":"gates","type":"EvaluateGates","clone":"clone-alpha","model":"ghost"}"#,
                "unknown_model",
            ),
            (
                r#"{"block":"gates","type":"EvaluateGates","clone":"clone-alpha","experiment":"ghost"}"#,
                "unknown_experiment",
            ),
            (
                r#"{"block":"policy","type":"SetPolicy","policy":{"promotion":{"min_sample":10,"testing_rate":0.5,"primary_rate":0.1,"demote_rate":0.01,"consecutive":2,"estimate":"point","alpha":0.05}}}"#,
                "invalid_policy",
            ),
            (
                r#"{"block":"policy","type":"SetPolicy","policy":{"readiness":{"weights":{"accuracy":0.5,"confidence":0.5,"consistency":0.5,"robustness":0.5},"ready_threshold":0.8}}}"#,
                "invalid_policy",
            ),
            (
                r#"{"block":"ab","type":"RecordCounts","experiment":"contact-channel","variant":"sms","trials":1,"conversions":0,"actor":""}"#,
                "invalid_actor",
            ),
            (r#"{"block":"nope","type":"X"}"#, "invalid_json"),
            (r#"not json"#, "invalid_json"),
            (
                r#"{"block":"ab","type":"RecordCounts","experiment":"contact-channel","variant":"sms","trials":10,"conversions":-3}"#,
                "invalid_count",
            ),
            (
                r#"{"block":"packets","type":"AddTemplate","name":" ","body":"x"}"#,
                "invalid_name",
            ),
            (
                r#"{"block":"ingest","type":"AddSource","source":""}"#,
                "invalid_name",
            ),
            (
                r#"{"block":"outcomes","type":"DefineSeries","series_id":"accuracy/lead-scorer","metric":"accuracy"}"#,
                "duplicate_series",
            ),
            (
                r#"{"block":"outcomes","type":"DefineSeries","series_id":"","metric":"accuracy"}"#,
                "empty",
            ),
            (
                r#"{"block":"outcomes","type":"RecordOutcome","series_id":"ghost","outcome_id":"x","value":1}"#,
                "unknown_series",
            ),
            (
                r#"{"block":"outcomes","type":"RecordOutcome","series_id":"accuracy/lead-scorer","outcome_id":"week-1","value":0.9}"#,
                "duplicate_outcome",
            ),
            (
                r#"{"block":"outcomes","type":"RecordOutcome","series_id":"accuracy/lead-scorer","outcome_id":"w","value":1e300}"#,
                "value_out_of_range",
            ),
            (
                r#"{"block":"outcomes","type":"SetBaseline","series_id":"ghost","baseline":0.5}"#,
                "unknown_series",
            ),
            (
                r#"{"block":"outcomes","type":"AssessDrift","series_id":"accuracy/lead-scorer","reference":[],"current":[0.5]}"#,
                "empty_sample",
            ),
            (
                r#"{"block":"outcomes","type":"AcknowledgeAlert","alert_id":"alert-99"}"#,
                "unknown_alert",
            ),
            (
                r#"{"block":"outcomes","type":"ResolveAlert","alert_id":"alert-99","note":"x"}"#,
                "unknown_alert",
            ),
            (
                r#"{"block":"models","type":"RecordAccuracy","model_id":"lead-scorer","version":"9.9.9","accuracy":0.9}"#,
                "unknown_version",
            ),
            (
                r#"{"block":"models","type":"PromoteVersion","model_id":"lead-scorer","version":"9.9.9"}"#,
                "unknown_version",
            ),
            (
                r#"{"block":"models","type":"RollBack","model_id":"lead-scorer","reason":""}"#,
                "empty",
            ),
            (
                r#"{"block":"models","type":"ProposeUpdate","model_id":"lead-scorer","version":"not-a-version","strategy":"incremental","accuracy":0.9}"#,
                "invalid_json",
            ),
            (
                r#"{"block":"audit","type":"TakeSnapshot","actor":""}"#,
                "invalid_actor",
            ),
            (
                r#"{"block":"policy","type":"SetSeed","seed":-1}"#,
                "invalid_json",
            ),
        ];
        for (json, code) in cases {
            check_refused(json, code);
        }
    }

    #[test]
    fn nan_and_infinity_never_enter_the_state() {
        let mut brain = demo();
        let before = brain.state_hash();
        let at = later(&brain);
        let nan_cmds = [
            Command::Ab(ab::Command::RegisterVariant {
                experiment: "e".into(),
                variant: "v".into(),
                kind: ab::VariantKind::Script,
                weight: f64::NAN,
            }),
            Command::Ab(ab::Command::RegisterVariant {
                experiment: "e".into(),
                variant: "v".into(),
                kind: ab::VariantKind::Script,
                weight: f64::INFINITY,
            }),
            Command::Packets(packets::Command::BuildPacket {
                lead: packets::Lead {
                    name: "A".into(),
                    value: f64::NAN,
                    terms: String::new(),
                    source: String::new(),
                    fields: Default::default(),
                },
                scripts: None,
                channels: None,
            }),
            Command::Models(models::Command::ProposeUpdate {
                model_id: "lead-scorer".into(),
                version: semver::Version::new(7, 0, 0),
                parent: None,
                strategy: models::Strategy::Incremental,
                accuracy: f64::NAN,
            }),
            Command::Readiness(readiness::Command::AssessClone {
                clone_id: "c".into(),
                factors: readiness::Factors {
                    accuracy: f64::INFINITY,
                    confidence: 0.5,
                    consistency: 0.5,
                    robustness: 0.5,
                },
                model_id: None,
                experiment_id: None,
            }),
        ];
        for cmd in nan_cmds {
            assert!(brain.execute(Envelope::new(at, cmd)).is_err());
            assert_eq!(brain.state_hash(), before);
        }
        let mut bad_policy = Policy::default();
        bad_policy.gates.srm_alpha = f64::NAN;
        let set = Command::Policy(policy::Command::SetPolicy {
            policy: Box::new(bad_policy),
        });
        assert_eq!(
            brain.execute(Envelope::new(at, set)).map_err(|e| e.code()),
            Err("invalid_policy")
        );
        assert_eq!(brain.state_hash(), before);
    }

    #[test]
    fn commands_must_come_in_time_order() {
        let mut brain = demo();
        let before = brain.state_hash();
        let cmd = Command::Ingest(ingest::Command::IngestData {
            source: "zillow".into(),
            payload: "{}".into(),
        });
        let result = brain.execute(Envelope::new(t0(), cmd));
        assert_eq!(result.map_err(|e| e.code()), Err("time_backwards"));
        assert_eq!(brain.state_hash(), before);
    }

    #[test]
    fn replay_of_the_events_reproduces_the_state_byte_for_byte() {
        let brain = demo();
        let replayed = Brain::replay(brain.events());
        assert_eq!(replayed.state_hash(), brain.state_hash());
        assert_eq!(Brain::replay_hash(None, brain.events()), brain.state_hash());
        let a = serde_json::to_string(brain.state()).unwrap_or_default();
        let b = serde_json::to_string(replayed.state()).unwrap_or_default();
        assert_eq!(a, b);
        // And from JSON events.
        let json = serde_json::to_string(brain.events()).unwrap_or_default();
        let events: Vec<Event> = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(Brain::replay(&events).state_hash(), brain.state_hash());
    }

    #[test]
    fn ids_are_derived_from_the_log_so_a_rerun_gives_the_same_ids() {
        let a = demo();
        let b = demo();
        let ids = |x: &Brain| x.packets().iter().map(|p| p.id).collect::<Vec<_>>();
        assert_eq!(ids(&a), ids(&b));
        assert_eq!(ids(&a).len(), 2);
        assert_ne!(ids(&a).first(), ids(&a).get(1));
    }

    #[test]
    fn architecture_examples_parse() {
        let doc = include_str!("../ARCHITECTURE-core.md");
        let lines: Vec<&str> = doc.lines().filter(|l| l.starts_with("{\"at\"")).collect();
        assert!(lines.len() >= 28, "{}", lines.len());
        let mut actions = BTreeSet::new();
        for line in lines {
            let env: Result<Envelope, _> = serde_json::from_str(line);
            match env {
                Ok(env) => {
                    actions.insert(action_of(&env.command));
                }
                Err(e) => panic!("{line}: {e}"),
            }
        }
        // One example per command.
        assert_eq!(actions.len(), 28, "{actions:?}");
    }

    #[test]
    fn envelope_json_is_flat_and_round_trips() {
        let json = r#"{"at":"2026-03-02T09:00:00Z","actor":"ops","block":"ab","type":"RecordCounts","experiment":"e","variant":"A","trials":100,"conversions":12}"#;
        let env: Result<Envelope, _> = serde_json::from_str(json);
        let env = env.ok();
        assert_eq!(
            env.as_ref().map(|e| &e.command),
            Some(&Command::Ab(ab::Command::RecordCounts {
                experiment: "e".into(),
                variant: "A".into(),
                trials: 100,
                conversions: 12
            }))
        );
        let back: serde_json::Value = serde_json::to_value(&env).unwrap_or_default();
        let orig: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
        assert_eq!(back, orig);
    }

    #[test]
    fn snapshots_round_trip_and_newer_versions_are_refused() {
        let brain = demo();
        let json = brain.to_snapshot_json();
        let loaded = Brain::from_snapshot_json(&json);
        assert_eq!(
            loaded.as_ref().map(|b| b.state_hash()).ok(),
            Some(brain.state_hash())
        );
        assert_eq!(loaded.map(|b| b.log().len()).ok(), Some(brain.log().len()));
        let newer = r#"{"schema_version":99,"state":{}}"#;
        assert_eq!(
            Brain::from_snapshot_json(newer).map_err(|e| e.code()).err(),
            Some("unsupported_schema")
        );
    }

    #[test]
    fn a_v0_snapshot_is_migrated() {
        // Given a hand-written v0 snapshot (no logs, `min_trials`, no seed).
        let v0 = r#"{
          "schema_version": 0,
          "state": {
            "policy": {"promotion": {"min_trials": 50, "testing_rate": 0.05, "primary_rate": 0.1,
                        "demote_rate": 0.03, "consecutive": 3, "estimate": "point", "alpha": 0.05}},
            "position": 0,
            "last_at": null,
            "ab": {"experiments": {"subject": {"kind": "script", "order": ["A"], "variants": {
                "A": {"kind": "script", "weight": 1.0, "trials": 10, "conversions": 2,
                      "registered_at": "2025-12-01T00:00:00Z"}}}}},
            "promotion": {"scripts": {}}, "packets": {"packets": [], "templates": {}},
            "ingest": {"sources": {}}, "models": {"models": {}}, "readiness": {"clones": {}},
            "gates": {"decisions": [], "promoted": []}, "audit": {"entries": [], "snapshots": []}
          }
        }"#;
        // When loaded, then it is v1 with the renamed field and the data kept.
        let brain = Brain::from_snapshot_json(v0);
        let brain = match brain {
            Ok(b) => b,
            Err(e) => panic!("migration failed: {e}"),
        };
        assert_eq!(brain.policy().promotion.min_sample, 50);
        assert_eq!(
            brain.experiment("subject").map(|r| r.variants.len()),
            Some(1)
        );
        assert_eq!(brain.snapshot().schema_version, SCHEMA_VERSION);
        // And verification replays from the migrated origin.
        let report = brain.verify();
        assert_eq!(
            report.check("replay_reproduces_state").map(|c| c.status),
            Some(crate::verify::Status::Pass)
        );
    }

    #[test]
    fn what_if_lists_every_decision_that_differs() {
        let brain = demo();
        let mut strict = Policy::default();
        strict.promotion.primary_rate = 0.5;
        strict.ingest.allowed_sources.push("craigslist".into());
        strict.gates.min_accuracy = 0.95;
        strict.models.max_accuracy_drop = 0.2;
        let report = brain.what_if(&strict);
        let report = match report {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        let kinds: Vec<crate::whatif::Kind> = report.differences.iter().map(|d| d.kind).collect();
        use crate::whatif::Kind;
        for k in [
            Kind::Promotion,
            Kind::Ingestion,
            Kind::Gate,
            Kind::ModelUpdate,
        ] {
            assert!(
                kinds.contains(&k),
                "{k:?} missing from {:?}",
                report.differences
            );
        }
        let gate = report.differences.iter().find(|d| d.kind == Kind::Gate);
        assert_eq!(
            gate.map(|d| (d.original.outcome.as_str(), d.alternative.outcome.as_str())),
            Some(("PROMOTE", "BLOCK"))
        );
        assert!(gate
            .map(|d| d.alternative.reason.contains("minimum 0.950"))
            .unwrap_or(false));
        // The same policy changes nothing.
        assert_eq!(
            brain
                .what_if(&Policy::default())
                .map(|r| r.differences.len())
                .ok(),
            Some(0)
        );
    }

    #[test]
    fn a_policy_change_is_a_command_and_is_audited() {
        let mut brain = demo();
        let mut p = Policy::default();
        p.readiness.ready_threshold = 0.9;
        let at = later(&brain);
        let result = brain.execute(
            Envelope::new(
                at,
                Command::Policy(policy::Command::SetPolicy {
                    policy: Box::new(p),
                }),
            )
            .by("cfo"),
        );
        assert!(result.is_ok());
        assert_eq!(brain.policy().readiness.ready_threshold, 0.9);
        let entries = brain.audit_query(&audit::Query {
            action: Some("SetPolicy".into()),
            ..Default::default()
        });
        assert_eq!(entries.len(), 1);
        assert_eq!(
            entries.first().and_then(|e| e.actor.clone()),
            Some("cfo".into())
        );
        assert_eq!(
            Brain::replay(brain.events()).state_hash(),
            brain.state_hash()
        );
    }

    #[test]
    fn verification_catches_a_tampered_snapshot() {
        let brain = demo();
        // Given the snapshot with one audit entry's detail edited.
        let json = brain.to_snapshot_json();
        let start = json.find("\"entries\":[").unwrap_or(0);
        let (head, tail) = json.split_at(start);
        let json = format!("{head}{}", tail.replacen("mis-scored", "mis-rated", 1));
        let tampered = Brain::from_snapshot_json(&json);
        let report = tampered.map(|b| b.verify());
        let failing: Vec<String> = report
            .map(|r| {
                r.checks
                    .into_iter()
                    .filter(|c| c.status == crate::verify::Status::Fail)
                    .map(|c| c.name)
                    .collect()
            })
            .unwrap_or_default();
        assert!(
            failing.contains(&"audit_chain_intact".to_string()),
            "{failing:?}"
        );
        assert!(brain.verify().checks.len() >= 12);
    }

    #[test]
    fn refused_guarded_actions_are_recorded_and_audited() {
        let brain = demo();
        let refused = brain.audit_query(&audit::Query::default());
        let refused: Vec<&audit::Entry> = refused
            .iter()
            .filter(|e| e.outcome == audit::Outcome::Refused)
            .collect();
        let subjects: Vec<&str> = refused.iter().map(|e| e.subject.as_str()).collect();
        assert!(subjects.contains(&"source/craigslist"), "{subjects:?}");
        assert!(subjects.contains(&"model/lead-scorer"));
        assert!(subjects.contains(&"clone/clone-beta"));
        let blocked = brain
            .sources()
            .into_iter()
            .find(|s| s.source == "craigslist");
        assert_eq!(blocked.map(|s| (s.accepted, s.blocked)), Some((0, 1)));
    }
}
