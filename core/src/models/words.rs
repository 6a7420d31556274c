//! The models block's words in the audit trail and in what-if: each command's subject and
//! decision kind, each event's detail, refusal and decision (an override says so, with what
//! it bypassed).

use super::{Command, Event, SemVer, Version};
use crate::contract::{BlockCommand, BlockEvent, Decision, Kind, Outcome};

impl BlockCommand for Command {
    type Event = Event;

    fn subject(&self, _: &[Event]) -> String {
        match self {
            Command::RecordAccuracy { model_id, .. }
            | Command::RegisterModel { model_id, .. }
            | Command::ProposeUpdate { model_id, .. }
            | Command::PromoteVersion { model_id, .. }
            | Command::RecordArmEvidence { model_id, .. }
            | Command::RecordMetricEvidence { model_id, .. }
            | Command::OverridePromotion { model_id, .. }
            | Command::RecordVersionMetrics { model_id, .. }
            | Command::PromoteToEnvironment { model_id, .. }
            | Command::RollBack { model_id, .. } => format!("model/{model_id}"),
        }
    }

    fn decision_kind(&self) -> Kind {
        match self {
            Command::ProposeUpdate { .. }
            | Command::PromoteVersion { .. }
            | Command::OverridePromotion { .. } => Kind::ModelUpdate,
            _ => Kind::Command,
        }
    }
}

impl BlockEvent for Event {
    fn refusal(&self) -> Option<String> {
        match self {
            Event::UpdateRefused { reason, .. } | Event::PromotionRefused { reason, .. } => {
                Some(reason.clone())
            }
            _ => None,
        }
    }

    fn detail(&self) -> Option<String> {
        match self {
            Event::RolledBack {
                from, to, reason, ..
            } => Some(format!("rolled back {from} -> {to}: {reason}")),
            Event::PromotionOverridden {
                version,
                reason,
                bypassed,
                ..
            } => Some(if bypassed.is_empty() {
                format!("override: promoted {version}: {reason}")
            } else {
                format!(
                    "override: promoted {version}: {reason}; bypassed: {}",
                    bypassed.join("; ")
                )
            }),
            Event::EnvironmentPromoted {
                environment,
                version,
                previous,
                reason,
                ..
            } => Some(match previous {
                Some(p) => format!("{environment}: {p} -> {version}: {reason}"),
                None => format!("{environment}: {version}: {reason}"),
            }),
            other => other.refusal(),
        }
    }

    fn decision(&self) -> Option<Decision> {
        let subject = |model_id: &str| format!("model/{model_id}");
        match self {
            Event::UpdateAccepted {
                model_id, status, ..
            } => Some(Decision::new(
                Kind::ModelUpdate,
                subject(model_id),
                Outcome::AcceptedAs(status.title()),
                "",
            )),
            Event::UpdateRefused {
                model_id, reason, ..
            }
            | Event::PromotionRefused {
                model_id, reason, ..
            } => Some(Decision::new(
                Kind::ModelUpdate,
                subject(model_id),
                Outcome::Refused,
                reason.clone(),
            )),
            Event::VersionPromoted {
                model_id, version, ..
            }
            | Event::PromotionOverridden {
                model_id, version, ..
            } => Some(Decision::new(
                Kind::ModelUpdate,
                subject(model_id),
                Outcome::Promoted(version.to_string()),
                "",
            )),
            _ => None,
        }
    }
}

/// Why a version losing more accuracy than the policy allows is refused.
pub(super) fn loss_reason(
    version: &SemVer,
    accuracy: f64,
    champion: &Version,
    max_accuracy_drop: f64,
) -> String {
    format!(
        "accuracy {accuracy} of {version} is {drop:.4} below champion {} ({}), more than the allowed {max_accuracy_drop}",
        champion.version,
        champion.accuracy,
        drop = champion.accuracy - accuracy,
    )
}

/// Why a version that failed its rollout is not promoted.
pub(super) fn failed_rollout_reason(version: &SemVer, rollout_id: &str) -> String {
    format!("{version} failed rollout {rollout_id}: a version that failed its rollout never becomes champion")
}
