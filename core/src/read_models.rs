//! Read-models over the event log: what a page or an app shows that the
//! state does not keep (a series over time, every blocked attempt, the last
//! evidence seen), computed from the events the brain already holds.
//!
//! They are queries of the engine rather than code in the console so that
//! the console, JS apps and tests read the same answer. Each block's rule
//! lives in its module as a pure function over that block's events
//! ([`crate::ab::cumulative_lift`], [`crate::promotion::latest_evidence`],
//! [`crate::ingest::blocked_attempts`], [`crate::gates::decision_of`]); this
//! file only picks the block's events out of the whole log and pairs them
//! with their command's time.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::brain::{Brain, Event};
use crate::{ab, audit, gates, ingest, promotion};

/// The block events of `events` paired with the time of the command that
/// produced them: the audit entry that closes each command carries its time
/// (events after the last audit entry, which a complete log never has, are
/// left out).
pub fn timed_events(events: &[Event]) -> Vec<(DateTime<Utc>, &Event)> {
    let mut out = Vec::new();
    let mut pending: Vec<&Event> = Vec::new();
    for e in events {
        if let Event::Audit(audit::Event::EntryAppended { entry }) = e {
            out.extend(pending.drain(..).map(|p| (entry.at, p)));
        } else {
            pending.push(e);
        }
    }
    out
}

/// The gate decision among one command's events (what `execute` returned
/// for an `EvaluateGates`), if it made one.
pub fn gate_decision(events: &[Event]) -> Option<&gates::Decision> {
    gates::decision_of(events.iter().filter_map(|e| match e {
        Event::Gates(g) => Some(g),
        _ => None,
    }))
}

impl Brain {
    /// The cumulative lift of each variant of `experiment` over control,
    /// after every recorded batch (empty for an unknown experiment, or after
    /// a compaction, which keeps the totals but not the batches).
    pub fn cumulative_lift(&self, experiment: &str) -> ab::LiftSeries {
        let ab_events = timed_events(self.events())
            .into_iter()
            .filter_map(|(at, e)| match e {
                Event::Ab(a) => Some((at, a)),
                _ => None,
            });
        ab::cumulative_lift(ab_events, experiment)
    }

    /// The latest evidence evaluated for each script, by script id.
    pub fn latest_evidence(&self) -> BTreeMap<String, promotion::Evidence> {
        promotion::latest_evidence(self.events().iter().filter_map(|e| match e {
            Event::Promotion(p) => Some(p),
            _ => None,
        }))
    }

    /// The last `limit` blocked ingestion attempts, newest first.
    pub fn blocked_attempts(&self, limit: usize) -> Vec<ingest::BlockedAttempt> {
        let ingest_events = timed_events(self.events())
            .into_iter()
            .filter_map(|(at, e)| match e {
                Event::Ingest(i) => Some((at, i)),
                _ => None,
            });
        ingest::blocked_attempts(ingest_events, limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brain::{Command, Envelope};
    use chrono::TimeZone;

    fn demo() -> Brain {
        Brain::demo(
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
                .single()
                .unwrap_or_default(),
        )
    }

    #[test]
    fn every_block_event_gets_the_time_of_its_command() {
        let b = demo();
        let timed = timed_events(b.events());
        let audit_entries = b.state().audit.entries.len();
        assert_eq!(timed.len() + audit_entries, b.events().len());
        assert!(timed.windows(2).all(|w| w[0].0 <= w[1].0), "in time order");
        assert!(timed
            .iter()
            .all(|(_, e)| !matches!(e, Event::Audit(audit::Event::EntryAppended { .. }))));
    }

    #[test]
    fn the_demo_lift_of_each_variant_follows_its_batches() {
        let b = demo();
        let series = b.cumulative_lift("opening-script");
        assert_eq!(series.variants, vec!["direct-ask", "story-led"]);
        assert_eq!(series.points.len(), 21);
        // The first batch has only the control.
        assert!(series.points[0].lifts.iter().all(Option::is_none));
        // 12/200 vs 28/200 and 18/200 vs 28/200 in every batch.
        let last = &series.points[20].lifts;
        assert!((last[0].unwrap_or(f64::NAN) - (24.0 / 56.0 - 1.0)).abs() < 1e-12);
        assert!((last[1].unwrap_or(f64::NAN) - (36.0 / 56.0 - 1.0)).abs() < 1e-12);
        assert_eq!(b.cumulative_lift("no-such-experiment"), Default::default());
    }

    #[test]
    fn the_demo_blocked_attempts_are_listed_newest_first() {
        let b = demo();
        let blocked = b.blocked_attempts(10);
        assert_eq!(blocked.len(), 3);
        assert_eq!(blocked[0].source, "mls");
        assert!(blocked[0].reason.contains("exceeds"));
        assert_eq!(blocked[2].source, "craigslist");
        assert!(blocked[0].at >= blocked[2].at);
        assert_eq!(b.blocked_attempts(1), blocked[..1].to_vec());
    }

    #[test]
    fn every_demo_script_has_its_last_evidence() {
        let b = demo();
        let latest = b.latest_evidence();
        assert!(!latest.is_empty());
        for script in b.scripts() {
            let last = b.events().iter().rev().find_map(|e| match e {
                Event::Promotion(promotion::Event::ScriptEvaluated {
                    script: s,
                    evidence,
                    ..
                }) if *s == script.id => Some(evidence),
                _ => None,
            });
            assert_eq!(latest.get(&script.id), last, "{}", script.id);
        }
    }

    #[test]
    fn a_gate_check_returns_its_decision() {
        let mut b = demo();
        let clone = b.clones().first().map(|c| c.clone_id.clone());
        let at = b.state().last_at.unwrap_or_default();
        let cmd = Command::Gates(gates::Command::EvaluateGates {
            clone_id: clone.clone().unwrap_or_default(),
            model_id: None,
            experiment_id: None,
        });
        let events = b.execute(Envelope::new(at, cmd)).unwrap_or_default();
        let decision = gate_decision(&events);
        assert_eq!(decision.map(|d| d.clone.clone()), clone);
        assert_eq!(decision, b.gate_decisions().last());
        assert_eq!(gate_decision(&events[events.len() - 1..]), None);
    }
}
