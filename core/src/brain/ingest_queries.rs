//! The accepted ingestion payloads (`Brain::ingested`), read from the
//! command log, and those a compaction keeps (`RetainedPayload`).
//!
//! Why from the log and not from state: a payload travels in its
//! `IngestData` command, which the log keeps anyway; copying it into state
//! would change the state hash of every existing log (pinned demo hashes,
//! fixtures, snapshot marks). The list is bounded per source by the
//! policy's `ingest.retain_payloads`, and refused attempts are left out
//! (each command's own events say whether it was accepted).
//!
//! A compaction folds the log into the origin, and the commands with it:
//! the compacted brain keeps the listed ones as `RetainedPayload`s, beside
//! the state and outside its hash (the snapshot's `retained`). Each is bound
//! to the audit trail: its command must hash to the `commandHash` of the
//! accepted `IngestData` entry at its position, so a loaded snapshot with an
//! edited or invented payload is refused.

use super::{hash_names, Brain, Command, Envelope, Event};
use crate::error::{BrainError, ImportError};
use crate::{audit, ingest, packets};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One accepted payload, as [`Brain::ingested`] lists it.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct IngestedPayload {
    /// The position of its command in the log (the audit entry's seq): a
    /// stable key.
    pub seq: u64,
    /// When it was ingested.
    pub at: DateTime<Utc>,
    /// Who ingested it.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub actor: Option<String>,
    /// The normalised source.
    pub source: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// The payload as it was sent.
    pub payload: String,
    /// The payload read as a lead (a `packets::Lead` JSON with a name and a
    /// finite non-negative value), from which a packet can be built.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub lead: Option<packets::Lead>,
}

/// An accepted `IngestData` command from before the origin, kept by a
/// compaction so that [`Brain::ingested`] still lists its payload.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RetainedPayload {
    /// Its position in the audit trail (the entry's seq).
    pub seq: u64,
    /// The command as it was executed (time, actor, source as sent, payload).
    pub command: Envelope,
}

impl RetainedPayload {
    /// The payload as listed (its lead read later, once it is kept).
    fn listed(&self) -> Option<IngestedPayload> {
        let Command::Ingest(ingest::Command::IngestData { source, payload }) =
            &self.command.command
        else {
            return None;
        };
        Some(IngestedPayload {
            seq: self.seq,
            at: self.command.at,
            actor: self.command.actor.clone(),
            source: ingest::normalize(source),
            bytes: payload.len() as u64,
            payload: payload.clone(),
            lead: None,
        })
    }
}

/// Checks that each retained payload is the accepted `IngestData` command
/// whose hash the audit entry at its position holds.
pub(super) fn check_retained(
    entries: &[audit::Entry],
    retained: &[RetainedPayload],
) -> Result<(), BrainError> {
    for r in retained {
        let entry = usize::try_from(r.seq)
            .ok()
            .and_then(|i| entries.get(i))
            .filter(|e| e.seq == r.seq);
        let bound = entry.is_some_and(|e| {
            e.action == "IngestData"
                && e.outcome == audit::Outcome::Accepted
                && e.command_hash == hash_names::command_hash(&r.command)
        });
        if !bound || r.listed().is_none() {
            return Err(ImportError::AuditBroken(format!(
                "the retained payload at position {} is not the accepted IngestData command its audit entry hashes",
                r.seq
            ))
            .into());
        }
    }
    Ok(())
}

/// A payload's lead, if it is one a packet can be built from.
fn as_lead(payload: &str) -> Option<packets::Lead> {
    let lead: packets::Lead = crate::wire::from_text(payload).ok()?;
    let usable = !lead.name.trim().is_empty() && lead.value.is_finite() && lead.value >= 0.0;
    usable.then_some(lead)
}

impl Brain {
    /// The accepted `IngestData` payloads this brain holds (those a
    /// compaction retained, then those of its command log), newest first, at
    /// most `policy.ingest.retain_payloads` per source; only `source`'s
    /// (normalised) when given. A snapshot loaded without its log and without
    /// retained payloads (an older compaction) lists only what came after.
    pub fn ingested(&self, source: Option<&str>) -> Vec<IngestedPayload> {
        self.kept_ingestions(source)
            .iter()
            .filter_map(RetainedPayload::listed)
            .map(|p| IngestedPayload {
                lead: as_lead(&p.payload),
                ..p
            })
            .collect()
    }

    /// What a compaction keeps: the listed payloads' commands, oldest first.
    pub(super) fn retained_for_compaction(&self) -> Vec<RetainedPayload> {
        let mut kept = self.kept_ingestions(None);
        kept.reverse();
        kept
    }

    /// The accepted `IngestData` commands listed, newest first, bounded per
    /// source, only `source`'s when given.
    fn kept_ingestions(&self, source: Option<&str>) -> Vec<RetainedPayload> {
        let wanted = source.map(ingest::normalize);
        let retain = self.state.policy.ingest.retain_payloads;
        let mut accepted: Vec<(String, RetainedPayload)> = self
            .retained
            .iter()
            .filter_map(|r| r.listed().map(|p| (p.source, r.clone())))
            .collect();
        // Each command's events end with its audit entry: walk them beside
        // the log, one command at a time.
        let mut commands = self.log.iter();
        let mut pending: Option<String> = None;
        for e in &self.events {
            match e {
                Event::Ingest(ingest::Event::IngestAccepted { source, .. }) => {
                    pending = Some(source.clone());
                }
                Event::Audit(audit::Event::EntryAppended { entry }) => {
                    let env = commands.next();
                    let Some(name) = pending.take() else {
                        continue;
                    };
                    let Some(env) = env else { break };
                    if matches!(
                        &env.command,
                        Command::Ingest(ingest::Command::IngestData { .. })
                    ) {
                        accepted.push((
                            name,
                            RetainedPayload {
                                seq: entry.seq,
                                command: env.clone(),
                            },
                        ));
                    }
                }
                _ => {}
            }
        }
        let mut kept: BTreeMap<String, usize> = BTreeMap::new();
        accepted
            .into_iter()
            .rev()
            .filter(|(name, _)| wanted.as_ref().is_none_or(|w| w == name))
            .filter(|(name, _)| {
                let n = kept.entry(name.clone()).or_default();
                *n += 1;
                *n <= retain
            })
            .map(|(_, r)| r)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brain::{Command, Envelope};
    use crate::policy;
    use chrono::TimeZone;

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, minute, 0)
            .single()
            .unwrap_or_default()
    }

    fn ingest(b: &mut Brain, minute: u32, source: &str, payload: &str) {
        let env = Envelope::new(
            at(minute),
            Command::Ingest(ingest::Command::IngestData {
                source: source.into(),
                payload: payload.into(),
            }),
        )
        .by("ops");
        assert!(b.execute(env).is_ok());
    }

    #[test]
    fn the_demo_lists_its_accepted_payloads_newest_first_without_the_refused() {
        let b = Brain::demo(at(0));
        let all = b.ingested(None);
        let sources: Vec<&str> = all.iter().map(|p| p.source.as_str()).collect();
        // craigslist (unlisted), redfin (suspended) and the 70 kB mls payload were refused.
        assert_eq!(
            sources,
            ["facebook leads", "realtor", "zillow", "zillow", "zillow"]
        );
        assert!(all.windows(2).all(|w| w[0].seq > w[1].seq));
        assert_eq!(all[4].payload, r#"{"lead":"Ann Lee","value":320000}"#);
        assert_eq!(all[4].bytes, all[4].payload.len() as u64);
        // The demo's payloads say "lead", not "name": not a packets lead.
        assert!(all.iter().all(|p| p.lead.is_none()));
        let zillow = b.ingested(Some(" ZILLOW "));
        assert_eq!(zillow.len(), 3);
        assert!(b.ingested(Some("craigslist")).is_empty());
    }

    #[test]
    fn each_source_keeps_its_newest_payloads_up_to_the_policy() {
        let policy = policy::Policy {
            ingest: ingest::Policy {
                retain_payloads: 2,
                ..ingest::Policy::default()
            },
            ..policy::Policy::default()
        };
        let Ok(mut b) = Brain::with_policy(policy) else {
            panic!("a valid policy")
        };
        for (minute, source, payload) in [
            (1, "zillow", "z1"),
            (2, "realtor", "r1"),
            (3, "zillow", "z2"),
            (4, "Zillow", "z3"),
            (5, "craigslist", "refused"),
        ] {
            ingest(&mut b, minute, source, payload);
        }
        let listed = b.ingested(None);
        let payloads: Vec<&str> = listed.iter().map(|p| p.payload.as_str()).collect();
        assert_eq!(payloads, ["z3", "z2", "r1"]);
        let first = &listed[0];
        assert_eq!((first.at, first.actor.as_deref()), (at(4), Some("ops")));
    }

    #[test]
    fn a_lead_payload_is_read_as_a_lead() {
        let mut b = Brain::new();
        ingest(&mut b, 1, "zillow", r#"{"name":"Ann Lee","value":320000}"#);
        ingest(&mut b, 2, "zillow", r#"{"name":" ","value":1}"#);
        ingest(&mut b, 3, "zillow", r#"{"name":"Bo","value":-1}"#);
        let leads: Vec<Option<String>> = b
            .ingested(None)
            .into_iter()
            .map(|p| p.lead.map(|l| l.name))
            .collect();
        assert_eq!(leads, [None, None, Some("Ann Lee".to_string())]);
    }
    #[test]
    fn a_compaction_keeps_the_listed_payloads_and_its_snapshot_carries_them_bound_to_the_audit() {
        let b = Brain::demo(at(0));
        let listed = b.ingested(None);
        assert_eq!(listed.len(), 5);
        let compacted = b.compacted();
        assert!(compacted.log().is_empty());
        assert_eq!(compacted.state_hash(), b.state_hash());
        assert_eq!(compacted.ingested(None), listed);
        // Exported and imported, then one more payload and a second compaction.
        let json = compacted.to_snapshot_json();
        let mut loaded = match Brain::import(&json) {
            Ok(l) => l,
            Err(e) => panic!("the compacted snapshot imports: {e}"),
        };
        assert_eq!(loaded.ingested(Some("zillow")).len(), 3);
        let last = loaded.state().last_at.unwrap_or_default();
        let env = Envelope::new(
            last + chrono::Duration::minutes(1),
            Command::Ingest(ingest::Command::IngestData {
                source: "Realtor".into(),
                payload: "r2".into(),
            }),
        );
        assert!(loaded.execute(env).is_ok());
        let again = loaded.compacted();
        assert_eq!(again.ingested(Some("realtor")).len(), 2);
        assert_eq!(again.ingested(None)[0].payload, "r2");
        assert_eq!(again.ingested(None)[1..], listed[..]);
        // An edited payload, or one moved to another entry, is refused on load.
        let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        for (pointer, forged) in [
            ("/retained/0/command/payload", serde_json::json!("forged")),
            ("/retained/0/seq", serde_json::json!(0)),
        ] {
            let mut v = value.clone();
            if let Some(slot) = v.pointer_mut(pointer) {
                *slot = forged;
            }
            assert_eq!(
                Brain::from_snapshot_json(&v.to_string())
                    .err()
                    .map(|e| e.code()),
                Some("import_audit_broken"),
                "{pointer}"
            );
        }
    }
}
