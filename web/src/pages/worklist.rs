//! The morning worklist: what needs attention now, most serious first, each
//! item with its one-click action (where the engine has one) and a link
//! that lands on the item itself.
//!
//! Read from the state (and, for due checks, the time given), so an item
//! leaves the list as soon as what it is about is resolved or superseded (an
//! alert closed, a clone passed on a later check, a source resumed, a check
//! run, the inbox read). Pure, tested natively; the overview shows it first,
//! before the verification summary.

use brain_core::brain::{Brain, Command};
use brain_core::gates::Verdict;
use brain_core::ingest::SourceStatus;
use brain_core::models::Status as VersionStatus;
use brain_core::monitoring::{self, schedule};
use brain_core::promotion::Status as ScriptStatus;
use brain_core::rollouts::Status as RolloutStatus;
use brain_core::{gates, ingest, outcomes};
use chrono::{DateTime, Utc};

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

/// Everything that needs attention at `at` (the console's clock), most
/// urgent first (stable within an urgency).
pub fn worklist(brain: &Brain, at: DateTime<Utc>) -> Vec<Item> {
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
    for alert in state.monitoring.open_alerts() {
        items.push(Item {
            urgency: Urgency::Now,
            kind: "monitoring alert",
            text: format!(
                "rule {} on {}: {}",
                alert.rule, alert.series_id, alert.message
            ),
            page: Page::Monitoring,
            anchor: anchor("notification", &alert.alert_id),
            action: None,
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
    items.extend(monitoring_items(brain, at));
    items.sort_by_key(|i| i.urgency);
    items
}

/// The checks due at `at` (each with "Run now") and the unread notifications
/// (one item, "Mark all read"): nothing for an empty brain, which has
/// nothing to monitor.
fn monitoring_items(brain: &Brain, at: DateTime<Utc>) -> Vec<Item> {
    if brain.log().is_empty() {
        return Vec::new();
    }
    let state = brain.state();
    let mut items: Vec<Item> = schedule::due(
        &brain.policy().monitoring.schedule,
        &state.monitoring.runs,
        at,
    )
    .into_iter()
    .map(|due| Item {
        urgency: Urgency::Waiting,
        kind: "check due",
        text: if state.monitoring.runs.contains_key(&due.check) {
            format!(
                "the {} check is due since {}",
                due.check.name().replace('_', " "),
                due.due_at.format("%Y-%m-%d %H:%M")
            )
        } else {
            format!(
                "the {} check has never run",
                due.check.name().replace('_', " ")
            )
        },
        page: Page::Monitoring,
        anchor: anchor("check", due.check.name()),
        action: Some((
            "Run now",
            Command::Monitoring(monitoring::Command::RunCheck { check: due.check }),
        )),
    })
    .collect();
    let unread: Vec<String> = brain
        .notifications(None)
        .into_iter()
        .filter(|n| !n.read)
        .map(|n| n.notification_id)
        .collect();
    if !unread.is_empty() {
        let n = unread.len();
        items.push(Item {
            urgency: Urgency::Waiting,
            kind: "unread notifications",
            text: format!(
                "{n} unread notification{} in the inbox",
                if n == 1 { "" } else { "s" }
            ),
            page: Page::Monitoring,
            anchor: "inbox".into(),
            action: Some((
                "Mark all read",
                Command::Monitoring(monitoring::Command::MarkRead {
                    notification_ids: unread,
                }),
            )),
        });
    }
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
        let items = worklist(&brain, last(&brain));
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
        let after = worklist(&brain, last(&brain));
        assert!(!kinds(&after).contains(&"suspended source"), "{after:?}");
        assert_eq!(after.len(), items.len() - 1);
    }

    #[test]
    fn an_empty_state_needs_nothing() {
        let far = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(worklist(&Brain::new(), far), vec![]);
    }

    /// The time of the brain's last command.
    fn last(brain: &Brain) -> chrono::DateTime<Utc> {
        brain.log().last().map(|e| e.at).unwrap_or_default()
    }

    fn run(brain: &mut Brain, item: &Item, at: chrono::DateTime<Utc>) {
        let (_, command) = item.action.clone().expect("an action");
        let events = brain.execute(Envelope::new(at, command)).expect("accepted");
        assert!(events.iter().all(|e| e.refusal().is_none()), "{events:?}");
    }

    #[test]
    fn a_check_falls_due_on_the_list_with_a_link_to_its_row_and_leaves_once_run() {
        let mut brain = demo();
        let ran = brain.state().monitoring.runs[&monitoring::schedule::Check::Drift].last_run;
        let drift = |items: Vec<Item>| items.into_iter().find(|i| i.anchor == "check-drift");
        let before = worklist(&brain, ran + chrono::Duration::minutes(59));
        assert_eq!(drift(before), None);
        let at = ran + chrono::Duration::minutes(60);
        let due = drift(worklist(&brain, at)).expect("drift is due an hour after it ran");
        assert_eq!(due.kind, "check due");
        assert_eq!(due.href(), "/monitoring#check-drift");
        assert!(
            due.text.contains("drift check is due since"),
            "{}",
            due.text
        );
        run(&mut brain, &due, at);
        assert_eq!(drift(worklist(&brain, at)), None);
    }

    #[test]
    fn unread_notifications_are_one_item_that_one_click_reads() {
        let mut brain = demo();
        let at = last(&brain);
        let unread = brain.notifications(None).iter().filter(|n| !n.read).count();
        assert!(unread > 0, "the demo has unread notifications");
        let items = worklist(&brain, at);
        let item = items
            .iter()
            .find(|i| i.kind == "unread notifications")
            .expect("listed");
        assert_eq!(
            item.text,
            format!("{unread} unread notifications in the inbox")
        );
        assert_eq!(item.href(), "/monitoring#inbox");
        run(&mut brain, item, at);
        assert!(!kinds(&worklist(&brain, at)).contains(&"unread notifications"));
    }

    #[test]
    fn open_monitoring_alerts_are_listed_now_and_link_to_their_inbox_row() {
        let brain = demo();
        let open: Vec<String> = brain
            .state()
            .monitoring
            .open_alerts()
            .map(|a| a.alert_id.clone())
            .collect();
        let items = worklist(&brain, last(&brain));
        let listed: Vec<String> = items
            .iter()
            .filter(|i| i.kind == "monitoring alert")
            .inspect(|i| assert_eq!(i.urgency, Urgency::Now))
            .map(|i| i.href())
            .collect();
        let expected: Vec<String> = open
            .iter()
            .map(|id| format!("/monitoring#{}", anchor("notification", id)))
            .collect();
        assert_eq!(listed, expected);
        assert!(
            !expected.is_empty(),
            "the demo has an open monitoring alert"
        );
    }
}
