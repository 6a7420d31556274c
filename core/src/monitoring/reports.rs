//! The daily health report and the weekly summary, built from the state alone (so the same
//! state gives the same report, byte for byte): experiments and their winners, script
//! promotions, model changes, alerts opened and resolved, gate decisions, automatic actions
//! and verification, over the period ending at the report's time. As JSON (serde) and
//! Markdown ([`Report::to_markdown`]).

use super::View;
use super::{values_words, ReportKind};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

/// An experiment and its winner now.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ExperimentLine {
    /// The experiment.
    pub experiment: String,
    /// Its winner, if decided.
    pub winner: Option<String>,
    /// Why.
    pub reason: String,
}

/// Something that happened in the period.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ReportLine {
    /// When.
    pub at: DateTime<Utc>,
    /// What it is about (`script/s1`, `model/m`, `alert-3`, `clone/c`).
    pub subject: String,
    /// What happened.
    pub text: String,
}

/// Verification of the live state, as the report shows it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Verification {
    /// Overall: `pass`, `warn` or `fail`.
    pub status: String,
    /// The checks that do not pass, `name: details`.
    pub problems: Vec<String>,
}

/// A report.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "MonitoringReport"))]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// Daily or weekly.
    pub kind: ReportKind,
    /// The period's start (excluded).
    pub from: DateTime<Utc>,
    /// The period's end (included): the report's time.
    pub to: DateTime<Utc>,
    /// Every experiment and its winner now.
    pub experiments: Vec<ExperimentLine>,
    /// Script status changes in the period.
    pub promotions: Vec<ReportLine>,
    /// Model changes in the period (accepted, refused, promoted, rolled back).
    pub model_changes: Vec<ReportLine>,
    /// Alerts opened in the period.
    pub alerts_opened: Vec<ReportLine>,
    /// Alerts resolved in the period.
    pub alerts_resolved: Vec<ReportLine>,
    /// Gate decisions in the period.
    pub gate_decisions: Vec<ReportLine>,
    /// Automatic actions in the period.
    pub actions: Vec<ReportLine>,
    /// Verification now.
    pub verification: Verification,
}

/// The report of `kind` for the period ending at `to`, with `verification` the live state's.
pub fn build(
    state: &View,
    kind: ReportKind,
    to: DateTime<Utc>,
    verification: Verification,
) -> Report {
    let from = to - kind.period();
    let within = |at: DateTime<Utc>| at > from && at <= to;
    let line = |at, subject: String, text: String| ReportLine { at, subject, text };
    let mut promotions = Vec::new();
    for (id, script) in &state.promotion.scripts {
        for c in script.history.iter().filter(|c| within(c.at)) {
            let from = c.from.map_or("new".to_string(), |s| format!("{s:?}"));
            promotions.push(line(
                c.at,
                format!("script/{id}"),
                format!("{from} -> {:?}: {}", c.to, c.reason),
            ));
        }
    }
    let mut model_changes = Vec::new();
    for (id, model) in &state.models.models {
        for h in model.history.iter().filter(|h| within(h.at)) {
            let reason = if h.reason.is_empty() {
                String::new()
            } else {
                format!(": {}", h.reason)
            };
            model_changes.push(line(
                h.at,
                format!("model/{id}"),
                format!("{:?} {}{reason}", h.kind, h.version),
            ));
        }
    }
    let mut alerts_opened = Vec::new();
    let mut alerts_resolved = Vec::new();
    for a in &state.outcomes.alerts {
        if within(a.raised_at) {
            alerts_opened.push(line(a.raised_at, a.alert_id.clone(), a.message.clone()));
        }
        if let Some(r) = a.resolved_at.filter(|r| within(*r)) {
            alerts_resolved.push(line(r, a.alert_id.clone(), a.notes.join("; ")));
        }
    }
    for a in &state.monitoring.alerts {
        if within(a.raised_at) {
            alerts_opened.push(line(a.raised_at, a.alert_id.clone(), a.message.clone()));
        }
        if let Some(r) = a.resolved_at.filter(|r| within(*r)) {
            alerts_resolved.push(line(r, a.alert_id.clone(), "condition cleared".into()));
        }
    }
    let gate_decisions = state
        .gates
        .decisions
        .iter()
        .filter(|d| within(d.at))
        .map(|d| {
            let why = d.failures().join("; ");
            line(
                d.at,
                format!("clone/{}", d.clone),
                if why.is_empty() {
                    format!("{:?}", d.verdict).to_uppercase()
                } else {
                    format!("{}: {why}", format!("{:?}", d.verdict).to_uppercase())
                },
            )
        })
        .collect();
    let actions = state
        .monitoring
        .actions
        .iter()
        .filter(|a| within(a.at))
        .map(|a| {
            line(
                a.at,
                a.action_id.clone(),
                format!(
                    "rule {}: {}{} ({})",
                    a.rule,
                    super::effect_words(&a.effect),
                    a.failed
                        .as_ref()
                        .map_or(String::new(), |w| format!(", not possible: {w}")),
                    values_words(&a.values)
                ),
            )
        })
        .collect();
    let sorted = |mut v: Vec<ReportLine>| {
        v.sort_by(|a, b| (a.at, &a.subject).cmp(&(b.at, &b.subject)));
        v
    };
    Report {
        kind,
        from,
        to,
        experiments: state
            .ab
            .reports(state.ab_policy)
            .into_iter()
            .map(|r| ExperimentLine {
                experiment: r.experiment,
                winner: r.winner,
                reason: r.reason,
            })
            .collect(),
        promotions: sorted(promotions),
        model_changes: sorted(model_changes),
        alerts_opened: sorted(alerts_opened),
        alerts_resolved: sorted(alerts_resolved),
        gate_decisions,
        actions,
        verification,
    }
}

impl Report {
    /// The report as Markdown: a title, the period, one section per part (a part with nothing
    /// says so).
    pub fn to_markdown(&self) -> String {
        let time = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::AutoSi, true);
        let title = match self.kind {
            ReportKind::Daily => "Daily health report",
            ReportKind::Weekly => "Weekly summary",
        };
        let mut md = format!(
            "# {title}\n\nPeriod: {} to {}\n\n## Experiments\n\n",
            time(self.from),
            time(self.to)
        );
        if self.experiments.is_empty() {
            md.push_str("None.\n");
        }
        for e in &self.experiments {
            md.push_str(&format!(
                "- {}: {} ({})\n",
                e.experiment,
                e.winner
                    .as_deref()
                    .map_or("no winner yet".to_string(), |w| format!("winner {w}")),
                e.reason
            ));
        }
        for (heading, lines) in [
            ("Promotions", &self.promotions),
            ("Model changes", &self.model_changes),
            ("Alerts opened", &self.alerts_opened),
            ("Alerts resolved", &self.alerts_resolved),
            ("Gate decisions", &self.gate_decisions),
            ("Automatic actions", &self.actions),
        ] {
            md.push_str(&format!("\n## {heading}\n\n"));
            if lines.is_empty() {
                md.push_str("None in the period.\n");
            }
            for l in lines {
                md.push_str(&format!("- {} {}: {}\n", time(l.at), l.subject, l.text));
            }
        }
        md.push_str(&format!(
            "\n## Verification\n\nOverall: {}\n",
            self.verification.status
        ));
        for p in &self.verification.problems {
            md.push_str(&format!("- {p}\n"));
        }
        md
    }
}
