//! The accepted ingestion payloads (`Brain::ingested`), read from the
//! command log.
//!
//! Why from the log and not from state: a payload travels in its
//! `IngestData` command, which the log keeps anyway; copying it into state
//! would change the state hash of every existing log (pinned demo hashes,
//! fixtures, snapshot marks). The list is bounded per source by the
//! policy's `ingest.retain_payloads`, and refused attempts are left out
//! (each command's own events say whether it was accepted).

use super::{Brain, Event};
use crate::{audit, ingest, packets};
use chrono::{DateTime, Utc};
use serde::Serialize;
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

/// A payload's lead, if it is one a packet can be built from.
fn as_lead(payload: &str) -> Option<packets::Lead> {
    let lead: packets::Lead = serde_json::from_str(payload).ok()?;
    let usable = !lead.name.trim().is_empty() && lead.value.is_finite() && lead.value >= 0.0;
    usable.then_some(lead)
}

impl Brain {
    /// The accepted `IngestData` payloads in this brain's command log,
    /// newest first, at most `policy.ingest.retain_payloads` per source;
    /// only `source`'s (normalised) when given. Commands from before a
    /// loaded snapshot's origin are not in its log and so not listed.
    pub fn ingested(&self, source: Option<&str>) -> Vec<IngestedPayload> {
        let wanted = source.map(ingest::normalize);
        let retain = self.state.policy.ingest.retain_payloads;
        // Each command's events end with its audit entry: walk them beside
        // the log, one command at a time.
        let mut accepted = Vec::new();
        let mut commands = self.log.iter();
        let mut pending: Option<(String, u64)> = None;
        for e in &self.events {
            match e {
                Event::Ingest(ingest::Event::IngestAccepted { source, bytes }) => {
                    pending = Some((source.clone(), *bytes));
                }
                Event::Audit(audit::Event::EntryAppended { entry }) => {
                    let env = commands.next();
                    let Some((name, bytes)) = pending.take() else {
                        continue;
                    };
                    let Some(env) = env else { break };
                    if let super::Command::Ingest(ingest::Command::IngestData { payload, .. }) =
                        &env.command
                    {
                        accepted.push(IngestedPayload {
                            seq: entry.seq,
                            at: entry.at,
                            actor: entry.actor.clone(),
                            source: name,
                            bytes,
                            payload: payload.clone(),
                            lead: None,
                        });
                    }
                }
                _ => {}
            }
        }
        let mut kept: BTreeMap<String, usize> = BTreeMap::new();
        accepted
            .into_iter()
            .rev()
            .filter(|p| wanted.as_ref().is_none_or(|w| *w == p.source))
            .filter(|p| {
                let n = kept.entry(p.source.clone()).or_default();
                *n += 1;
                *n <= retain
            })
            .map(|p| IngestedPayload {
                lead: as_lead(&p.payload),
                ..p
            })
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
}
