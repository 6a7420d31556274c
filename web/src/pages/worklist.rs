//! The morning worklist: what needs attention now, most serious first, each
//! item with its one-click action (where the engine has one) and a link
//! that lands on the item itself.
//!
//! Read from the state alone, so an item leaves the list as soon as what it
//! is about is resolved or superseded (an alert closed, a clone passed on a
//! later check, a source resumed). Pure, tested natively; the overview
//! shows it first, before the verification summary.

use brain_core::brain::{Brain, Command};
use brain_core::gates::Verdict;
use brain_core::ingest::SourceStatus;
use brain_core::models::Status as VersionStatus;
use brain_core::promotion::Status as ScriptStatus;
use brain_core::rollouts::Status as RolloutStatus;
use brain_core::{gates, ingest, outcomes};

use crate::pages::Page;

/// How urgent an item is; the list is sorted by it, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Urgency {
    /// Something is wrong in production now (an open alert, a rolled-back rollout).
    Now,
    /// Work is stopped until someone acts (a blocked clone, no Primary script).
    Blocked,
    /// Waiting on a decision (a suspended source, a pending shadow, a held rollout).
    Waiting,
}

/// One thing to look at.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// How urgent.
    pub urgency: Urgency,
    /// What kind of thing, as a badge ("open alert", "blocked clone").
    pub kind: &'static str,
    /// What is wrong, in a sentence.
    pub text: String,
    /// The page that handles it.
    pub page: Page,
    /// The element id of the item on that page (the link lands on it).
    pub anchor: String,
    /// The one-click action: its button label and command, where one exists.
    pub action: Option<(&'static str, Command)>,
}

impl Item {
    /// The link to the item on its page.
    pub fn href(&self) -> String {
        format!("{}#{}", self.page.path(), self.anchor)
    }
}

/// An element id for `name` of `kind` (`source`, `alert`, `clone`, ...):
/// letters and digits kept, anything else a dash, so every name gives a
/// valid id. The pages put it on the item's row; the worklist links to it.
pub fn anchor(kind: &str, name: &str) -> String {
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("{kind}-{slug}")
}

/// Everything that needs attention, most urgent first (stable within an urgency).
pub fn worklist(brain: &Brain) -> Vec<Item> {
    let mut items = Vec::new();
    let state = brain.state();
    for alert in state.outcomes.open_alerts() {
        let acknowledged = alert.acknowledged_at.is_some();
        items.push(Item {
            urgency: Urgency::Now,
            kind: "open alert",
            text: format!(
                "{} alert on {}{}",
                alert_kind(alert.kind),
                alert.series_id,
                if acknowledged {
                    " (acknowledged, still open)"
                } else {
                    ""
                }
            ),
            page: Page::Outcomes,
            anchor: anchor("alert", &alert.alert_id),
            action: (!acknowledged).then(|| {
                (
                    "Acknowledge",
                    Command::Outcomes(outcomes::Command::AcknowledgeAlert {
                        alert_id: alert.alert_id.clone(),
                        note: None,
                    }),
                )
            }),
        });
    }
    for r in brain.rollouts() {
        let (urgency, kind, what) = match r.status {
            RolloutStatus::RolledBack => (Urgency::Now, "rolled back", "was rolled back"),
            RolloutStatus::Paused => (Urgency::Waiting, "rollout held", "is paused"),
            _ => continue,
        };
        items.push(Item {
            urgency,
            kind,
            text: format!(
                "rollout of {} {} {what} at stage {}",
                r.model_id, r.version, r.stage
            ),
            page: Page::Rollouts,
            anchor: anchor("rollout", &r.rollout_id),
            action: None,
        });
    }
    // A clone is blocked while its latest gate decision blocks it.
    let mut latest: Vec<&gates::Decision> = Vec::new();
    for d in brain.gate_decisions() {
        match latest.iter_mut().find(|l| l.clone == d.clone) {
            Some(l) => *l = d,
            None => latest.push(d),
        }
    }
    for d in latest.into_iter().filter(|d| d.verdict == Verdict::Block) {
        let why = d.failures().join("; ");
        items.push(Item {
            urgency: Urgency::Blocked,
            kind: "blocked clone",
            text: format!("clone {} is blocked: {why}", d.clone),
            page: Page::Gates,
            // The form that checks the clone again (the history lists every decision).
            anchor: "gate-form".into(),
            action: Some((
                "Check gates again",
                Command::Gates(gates::Command::EvaluateGates {
                    clone_id: d.clone.clone(),
                    model_id: None,
                    experiment_id: None,
                }),
            )),
        });
    }
    let scripts = brain.scripts();
    let has_primary = scripts.iter().any(|s| s.status == ScriptStatus::Primary);
    if !scripts.is_empty() && !has_primary {
        items.push(Item {
            urgency: Urgency::Blocked,
            kind: "no Primary script",
            text: format!(
                "none of the {} scripts is Primary: new packets get no script",
                scripts.len()
            ),
            page: Page::Promotion,
            anchor: "scripts".into(),
            action: None,
        });
    }
    let primary: Vec<&str> = scripts
        .iter()
        .filter(|s| s.status == ScriptStatus::Primary)
        .map(|s| s.id.as_str())
        .collect();
    let without = brain
        .packets()
        .iter()
        .filter(|p| !p.scripts.iter().any(|s| primary.contains(&s.as_str())))
        .count();
    if without > 0 {
        items.push(Item {
            urgency: Urgency::Blocked,
            kind: "packets without a Primary",
            text: format!(
                "{without} deal packet{} carr{} no Primary script",
                if without == 1 { "" } else { "s" },
                if without == 1 { "ies" } else { "y" }
            ),
            page: Page::Packets,
            anchor: "packets".into(),
            action: None,
        });
    }
    for s in brain
        .sources()
        .into_iter()
        .filter(|s| s.status == SourceStatus::Suspended)
    {
        items.push(Item {
            urgency: Urgency::Waiting,
            kind: "suspended source",
            text: format!(
                "source {} is suspended: its data is blocked ({} attempts so far)",
                s.source, s.blocked
            ),
            page: Page::Ingest,
            anchor: anchor("source", &s.source),
            action: Some((
                "Resume",
                Command::Ingest(ingest::Command::AddSource {
                    source: s.source.clone(),
                }),
            )),
        });
    }
    for m in brain.models() {
        for v in m
            .versions
            .iter()
            .filter(|v| v.status == VersionStatus::Shadow)
        {
            items.push(Item {
                urgency: Urgency::Waiting,
                kind: "pending shadow",
                text: format!(
                    "model {} {} runs in shadow, waiting for a decision",
                    m.model_id, v.version
                ),
                page: Page::Models,
                anchor: anchor("model", &m.model_id),
                action: None,
            });
        }
    }
    items.sort_by_key(|i| i.urgency);
    items
}

fn alert_kind(kind: outcomes::AlertKind) -> &'static str {
    match kind {
        outcomes::AlertKind::Regression => "regression",
        outcomes::AlertKind::BelowBaseline => "below-baseline",
        outcomes::AlertKind::Drift => "drift",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brain_core::brain::Envelope;
    use chrono::{TimeZone, Utc};

    fn demo() -> Brain {
        Brain::demo(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap())
    }

    fn kinds(items: &[Item]) -> Vec<&'static str> {
        items.iter().map(|i| i.kind).collect()
    }

    #[test]
    fn anchors_are_valid_ids_for_any_name() {
        assert_eq!(anchor("source", "facebook leads"), "source-facebook-leads");
        assert_eq!(anchor("alert", "alert-1"), "alert-alert-1");
        assert_eq!(anchor("clone", "Clone.Beta"), "clone-clone-beta");
    }

    #[test]
    fn the_demo_lists_its_open_alerts_first_then_what_waits_and_an_item_leaves_once_handled() {
        let mut brain = demo();
        let items = worklist(&brain);
        let urgencies: Vec<Urgency> = items.iter().map(|i| i.urgency).collect();
        let mut sorted = urgencies.clone();
        sorted.sort();
        assert_eq!(urgencies, sorted, "most urgent first");
        assert_eq!(items.first().map(|i| i.kind), Some("open alert"));
        let suspended = items
            .iter()
            .find(|i| i.kind == "suspended source")
            .expect("the demo suspends a source");
        assert_eq!(suspended.href(), "/ingest#source-redfin");
        // Its action is one click: run it, and the item leaves the list.
        let (_, resume) = suspended.action.clone().expect("an action");
        let at = brain.state().last_at.unwrap_or_default() + chrono::Duration::minutes(1);
        brain.execute(Envelope::new(at, resume)).expect("accepted");
        let after = worklist(&brain);
        assert!(!kinds(&after).contains(&"suspended source"), "{after:?}");
        assert_eq!(after.len(), items.len() - 1);
    }

    #[test]
    fn an_empty_state_needs_nothing() {
        assert_eq!(worklist(&Brain::new()), vec![]);
    }
}
