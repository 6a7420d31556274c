//! The envelope and the block-tagged command and event enums: how a
//! command's JSON (`{"at", "actor", "block", "type", ...}`) is read, and
//! how the reducer asks the block of a command or event for its words
//! (action, subject, detail, refusal, decision: see `crate::contract`).

use crate::contract::{self, BlockCommand, BlockEvent, Decision, Kind, Words};
use crate::wire;
use crate::{
    ab, audit, gates, ingest, models, monitoring, outcomes, packets, policy, prereg, promotion,
    readiness, rollouts,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

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
    /// Staged model rollouts.
    Rollouts(rollouts::Command),
    /// Pre-registered decision rules.
    Prereg(prereg::Command),
    /// Continuous monitoring: scheduled checks, safety responses, inbox.
    Monitoring(monitoring::Command),
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
    #[serde(serialize_with = "crate::time_text::serialize")]
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
    /// Staged model rollouts.
    Rollouts(rollouts::Event),
    /// Pre-registered decision rules.
    Prereg(prereg::Event),
    /// Continuous monitoring.
    Monitoring(monitoring::Event),
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
    "rollouts",
    "prereg",
    "monitoring",
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
            "rollouts" => $enum::Rollouts(rollouts::$inner::deserialize($v)?),
            "prereg" => $enum::Prereg(prereg::$inner::deserialize($v)?),
            "monitoring" => $enum::Monitoring(monitoring::$inner::deserialize($v)?),
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

/// `match $value { Enum::Ab($x) => $body, ... }` for every block.
macro_rules! each_block {
    ($enum:ident, $value:expr, $x:ident => $body:expr) => {
        match $value {
            $enum::Ab($x) => $body,
            $enum::Promotion($x) => $body,
            $enum::Packets($x) => $body,
            $enum::Ingest($x) => $body,
            $enum::Outcomes($x) => $body,
            $enum::Models($x) => $body,
            $enum::Readiness($x) => $body,
            $enum::Gates($x) => $body,
            $enum::Audit($x) => $body,
            $enum::Policy($x) => $body,
            $enum::Rollouts($x) => $body,
            $enum::Prereg($x) => $body,
            $enum::Monitoring($x) => $body,
        }
    };
}

impl Command {
    /// The action name in the audit trail (the command's JSON `type`).
    pub fn action(&self) -> &'static str {
        each_block!(Command, self, c => c.action())
    }

    /// The kind of decision the command makes, for what-if.
    pub fn decision_kind(&self) -> Kind {
        each_block!(Command, self, c => c.decision_kind())
    }
}

impl Event {
    /// The reason when this event is a refused guarded action.
    pub fn refusal(&self) -> Option<String> {
        each_block!(Event, self, e => e.refusal())
    }

    /// The decision this event records, for what-if.
    pub fn decision(&self) -> Option<Decision> {
        each_block!(Event, self, e => e.decision())
    }
}

/// The events of a block's command, wrapped into [`Event`], with the words
/// of its audit entry asked from the block.
pub(crate) fn routed<C: BlockCommand>(
    command: &C,
    events: Vec<C::Event>,
    wrap: fn(C::Event) -> Event,
) -> (Vec<Event>, Words) {
    let words = Words::of(command, &events);
    (events.into_iter().map(wrap).collect(), words)
}

// The policy block's words. They belong in `policy.rs`, which another
// branch is rewriting: move them there once it is merged.
impl BlockCommand for policy::Command {
    type Event = policy::Event;

    fn subject(&self, _: &[policy::Event]) -> String {
        "policy".into()
    }
}

impl BlockEvent for policy::Event {}

/// The decision a command's result records: its events' decision, or
/// "rejected" with the error when it was bad input.
pub(crate) fn decision_of(
    command: &Command,
    result: &Result<Vec<Event>, crate::BrainError>,
) -> Option<Decision> {
    match result {
        Err(e) => Some(Decision::new(
            command.decision_kind(),
            String::new(),
            contract::Outcome::Rejected,
            e.to_string(),
        )),
        Ok(events) => contract::decision_of(events),
    }
}

impl BlockEvent for Event {
    fn refusal(&self) -> Option<String> {
        Event::refusal(self)
    }

    fn decision(&self) -> Option<Decision> {
        Event::decision(self)
    }
}
