//! Block 22's words: how its commands and events read in the audit trail and
//! in what-if (subject, detail, decision), and the status-change detail as a
//! sentence for people. Kept apart from the rules in `promotion.rs` so that
//! wording changes never touch a decision (the house style: each block owns
//! its words, the reducer only routes).

use super::{Command, Event, Status};
use crate::contract::{BlockCommand, BlockEvent, Decision, Kind, Outcome};

/// The audit detail of a status change (`Some(Testing) -> Primary: why`,
/// kept as written because it is hashed into the chain) as a sentence for
/// people: "moved from Testing to Primary: why". None for any other detail.
pub fn status_change_sentence(detail: &str) -> Option<String> {
    let (from, rest) = detail.split_once(" -> ")?;
    let (to, reason) = rest.split_once(": ").unwrap_or((rest, ""));
    let to = to.trim();
    if to.is_empty() || to.contains(' ') {
        return None;
    }
    let head = match from.strip_prefix("Some(").and_then(|f| f.strip_suffix(')')) {
        Some(from) => format!("moved from {from} to {to}"),
        None if from == "None" => format!("registered as {to}"),
        None => return None,
    };
    Some(if reason.is_empty() {
        head
    } else {
        format!("{head}: {reason}")
    })
}

impl BlockCommand for Command {
    type Event = Event;

    fn subject(&self, _: &[Event]) -> String {
        match self {
            Command::RegisterScript { script, .. }
            | Command::AddScriptVersion { script, .. }
            | Command::EvaluateScript { script, .. }
            | Command::RetireScript { script, .. } => format!("script/{}", script.trim()),
        }
    }

    fn decision_kind(&self) -> Kind {
        match self {
            Command::EvaluateScript { .. } => Kind::Promotion,
            _ => Kind::Command,
        }
    }
}

impl BlockEvent for Event {
    fn detail(&self) -> Option<String> {
        match self {
            // The audit trail has always written the previous status as
            // `Some(Testing)` / `None`: the text is hashed into the chain and
            // re-executing a stored log must give it again, so it stays.
            Event::ScriptStatusChanged { change, .. } => Some(format!(
                "{} -> {}: {}",
                match change.from {
                    Some(from) => format!("Some({})", from.name()),
                    None => "None".into(),
                },
                change.to.name(),
                change.reason
            )),
            _ => None,
        }
    }

    fn decision(&self) -> Option<Decision> {
        match self {
            Event::ScriptStatusChanged { script, change } => Some(Decision::new(
                if change.to == Status::Demoted {
                    Kind::Demotion
                } else {
                    Kind::Promotion
                },
                format!("script/{script}"),
                Outcome::Status(change.to.name()),
                change.reason.clone(),
            )),
            Event::ScriptEvaluated {
                script,
                evidence,
                streak,
                new_trials,
                stale,
            } => Some(Decision::new(
                Kind::Promotion,
                format!("script/{script}"),
                Outcome::Unchanged,
                match (streak, stale) {
                    (_, true) => format!(
                        "no new evidence ({} new trials): the run stays as it was",
                        new_trials.unwrap_or(0)
                    ),
                    (Some((to, n)), false) => {
                        format!("{n} qualifying evaluation(s) toward {}", to.name())
                    }
                    (None, false) => format!(
                        "no qualifying evidence ({} trials, rate {:.4})",
                        evidence.trials, evidence.estimate
                    ),
                },
            )),
            _ => None,
        }
    }
}
