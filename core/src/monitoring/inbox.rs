//! The notification inbox and the live alerts, read from the state of every block: every
//! alert (outcomes and monitoring), every gate BLOCK, every automatic action and every due
//! report, each with read / unread (`MarkRead` keeps the read ids). A read-model, so the
//! console, JS apps (`brain.notifications({ since })`, to forward by email or chat) and tests
//! share it.

use super::View;
use crate::gates::Verdict;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What a notification is about.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "NotificationKind"))]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// An outcomes alert (regression, below baseline, drift).
    Alert,
    /// A monitoring alert (threshold breach, safety response).
    MonitoringAlert,
    /// A gate BLOCK.
    GateBlock,
    /// An automatic action.
    Action,
    /// A report fell due.
    Report,
}

/// One notification.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    /// Its id: the alert's, the action's, the report's, or `gate-<decision id>`.
    pub notification_id: String,
    /// What about.
    pub kind: NotificationKind,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// One line.
    pub title: String,
    /// The details.
    pub detail: String,
    /// Read with `MarkRead`.
    pub read: bool,
}

/// Every notification at or after `since` (all without), oldest first (ties by id).
pub fn notifications(state: &View, since: Option<DateTime<Utc>>) -> Vec<Notification> {
    let read = &state.monitoring.read;
    let mut all = Vec::new();
    let mut push = |id: String, kind, at, title: String, detail: String| {
        let is_read = read.contains(&id);
        all.push(Notification {
            notification_id: id,
            kind,
            at,
            title,
            detail,
            read: is_read,
        });
    };
    for a in &state.outcomes.alerts {
        push(
            a.alert_id.clone(),
            NotificationKind::Alert,
            a.raised_at,
            format!("{:?} alert on {}", a.kind, a.series_id)
                .replace("BelowBaseline", "Below-baseline"),
            a.message.clone(),
        );
    }
    for a in &state.monitoring.alerts {
        push(
            a.alert_id.clone(),
            NotificationKind::MonitoringAlert,
            a.raised_at,
            format!("rule {} on {}", a.rule, a.series_id),
            format!("{} (raised by {})", a.message, a.caused_by),
        );
    }
    for d in &state.gates.decisions {
        if d.verdict == Verdict::Block {
            push(
                format!("gate-{}", d.id),
                NotificationKind::GateBlock,
                d.at,
                format!("gates BLOCK clone {}", d.clone),
                d.failures().join("; "),
            );
        }
    }
    for a in &state.monitoring.actions {
        push(
            a.action_id.clone(),
            NotificationKind::Action,
            a.at,
            format!("{} by rule {}", super::effect_words(&a.effect), a.rule),
            format!(
                "{}{}; values: {}; caused by {}",
                a.message,
                a.failed
                    .as_ref()
                    .map_or(String::new(), |w| format!("; not possible: {w}")),
                super::values_words(&a.values),
                a.caused_by
            ),
        );
    }
    for r in &state.monitoring.reports {
        push(
            r.report_id.clone(),
            NotificationKind::Report,
            r.at,
            format!("{} report due", r.kind.name()),
            format!("the {} report up to {} is ready", r.kind.name(), r.at),
        );
    }
    all.retain(|n| since.is_none_or(|s| n.at >= s));
    all.sort_by(|a, b| (a.at, &a.notification_id).cmp(&(b.at, &b.notification_id)));
    all
}

/// Every id the inbox holds.
pub fn ids(state: &View) -> BTreeSet<String> {
    notifications(state, None)
        .into_iter()
        .map(|n| n.notification_id)
        .collect()
}

/// Where a live alert comes from.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum LiveAlertSource {
    /// Block 25.
    Outcomes,
    /// This block.
    Monitoring,
    /// Block 28: the clone's latest gate decision is BLOCK.
    Gates,
}

/// An alert that is open now.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct LiveAlert {
    /// The notification id.
    pub alert_id: String,
    /// Where from.
    pub source: LiveAlertSource,
    /// In words.
    pub message: String,
    /// Since when.
    pub since: DateTime<Utc>,
}

/// Every open alert: open outcomes alerts, open monitoring alerts, and each clone whose latest
/// gate decision is BLOCK; oldest first.
pub fn live_alerts(state: &View) -> Vec<LiveAlert> {
    let mut live: Vec<LiveAlert> = state
        .outcomes
        .open_alerts()
        .into_iter()
        .map(|a| LiveAlert {
            alert_id: a.alert_id.clone(),
            source: LiveAlertSource::Outcomes,
            message: a.message.clone(),
            since: a.raised_at,
        })
        .collect();
    live.extend(state.monitoring.open_alerts().map(|a| LiveAlert {
        alert_id: a.alert_id.clone(),
        source: LiveAlertSource::Monitoring,
        message: a.message.clone(),
        since: a.raised_at,
    }));
    let mut latest = BTreeMap::new();
    for d in &state.gates.decisions {
        latest.insert(d.clone.as_str(), d);
    }
    live.extend(
        latest
            .into_values()
            .filter(|d| d.verdict == Verdict::Block)
            .map(|d| LiveAlert {
                alert_id: format!("gate-{}", d.id),
                source: LiveAlertSource::Gates,
                message: format!("gates BLOCK clone {}: {}", d.clone, d.failures().join("; ")),
                since: d.at,
            }),
    );
    live.sort_by(|a, b| (a.since, &a.alert_id).cmp(&(b.since, &b.alert_id)));
    live
}
