//! A filtered export of the audit log (by subject, action and time range):
//! the matching entries, each with its inclusion proof against the log's
//! tree head, so that a reader holding the root can check that every entry
//! is in the log unaltered, although the entries in between are left out
//! (a plain export must be whole: it is checked as a chain from entry 0).

use crate::audit::{self, Entry, InclusionProof, Query, TreeHead};
use serde::{Deserialize, Serialize};

/// One entry of a filtered export and the proof that it is in the log.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "AuditProvenEntry"))]
#[serde(deny_unknown_fields)]
pub struct ProvenEntry {
    /// The entry.
    pub entry: Entry,
    /// Its inclusion proof against the export's head.
    pub proof: InclusionProof,
}

/// The entries that match a query, with their proofs and the head they prove against.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "AuditFilteredExport"))]
#[serde(deny_unknown_fields)]
pub struct FilteredExport {
    /// The filter.
    pub query: Query,
    /// The log's tree head when exported.
    pub head: TreeHead,
    /// The matching entries, oldest first.
    pub entries: Vec<ProvenEntry>,
}

/// The entries of `log` matching `query`, each with its inclusion proof
/// (the tree is built once, O(n), and each proof cut from it).
pub fn export(log: &audit::State, query: &Query) -> FilteredExport {
    let tree = log.tree();
    let head = log.tree_head();
    let entries = log
        .query(query)
        .into_iter()
        .filter_map(|entry| {
            let path = tree.inclusion_proof(entry.seq, head.size).ok()?;
            Some(ProvenEntry {
                entry: entry.clone(),
                proof: InclusionProof {
                    index: entry.seq,
                    size: head.size,
                    leaf_hash: entry.hash.clone(),
                    root: head.root.clone(),
                    path: path.iter().map(|h| crate::canon::hex(h)).collect(),
                },
            })
        })
        .collect();
    FilteredExport {
        query: query.clone(),
        head,
        entries,
    }
}

/// Checks a filtered export: every entry re-hashes to its leaf hash, its
/// proof is for its position and proves it under the export's head, which,
/// when `root` is given (a head kept earlier), must be that head. Returns
/// the number of entries checked.
pub fn verify(json: &str, root: Option<&TreeHead>) -> Result<usize, audit::Error> {
    let export: FilteredExport =
        crate::wire::from_text(json).map_err(|e| audit::Error::Malformed(e.to_string()))?;
    if let Some(root) = root {
        if *root != export.head {
            return Err(audit::Error::Rewritten { size: root.size });
        }
    }
    for item in &export.entries {
        let (entry, proof) = (&item.entry, &item.proof);
        if audit::entry_hash(entry) != entry.hash
            || proof.leaf_hash != entry.hash
            || proof.index != entry.seq
            || proof.size != export.head.size
            || proof.root != export.head.root
        {
            return Err(audit::Error::Altered { seq: entry.seq });
        }
        audit::verify_inclusion(&proof.leaf_hash, proof.index, &proof.path, &export.head)
            .map_err(|_| audit::Error::Altered { seq: entry.seq })?;
    }
    Ok(export.entries.len())
}

impl crate::brain::Brain {
    /// The audit entries matching `query`, with inclusion proofs (see [`export`]).
    pub fn audit_export_filtered(&self, query: &Query) -> FilteredExport {
        export(&self.state().audit, query)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brain::{Brain, Command, Envelope};
    use chrono::{DateTime, Duration, TimeZone, Utc};

    fn demo_at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .unwrap_or_default()
    }

    /// The demo plus two logged deployments.
    fn brain() -> Brain {
        let mut brain = Brain::demo(demo_at());
        let mut at = brain.state().last_at.unwrap_or_default();
        for (subject, status) in [
            ("model/lead-scorer", "success"),
            ("model/lead-scorer", "failed"),
        ] {
            at += Duration::minutes(1);
            let cmd = Command::Audit(audit::Command::LogAction {
                subject: subject.into(),
                action: "deploy".into(),
                status: status.into(),
                details: "v1.3.0 to production".into(),
            });
            if let Err(e) = brain.execute(Envelope::new(at, cmd).by("release-bot")) {
                panic!("{e}");
            }
        }
        brain
    }

    #[test]
    fn a_logged_action_is_an_audit_entry_with_its_subject_action_and_status() {
        let brain = brain();
        let last = brain.state().audit.entries.last().cloned();
        let last = last.unwrap_or_else(|| panic!("an entry"));
        assert_eq!(
            (
                last.subject.as_str(),
                last.action.as_str(),
                last.detail.as_str()
            ),
            (
                "model/lead-scorer",
                "deploy",
                "status failed: v1.3.0 to production"
            )
        );
        assert_eq!(last.actor.as_deref(), Some("release-bot"));
        assert_eq!(brain.verify_audit(), Ok(()));
    }

    #[test]
    fn a_logged_action_without_a_subject_action_or_status_is_refused() {
        let mut brain = Brain::new();
        let before = brain.state_hash();
        for (subject, action, status) in [
            (" ", "deploy", "ok"),
            ("m", "", "ok"),
            ("m", "deploy", "\n"),
        ] {
            let cmd = Command::Audit(audit::Command::LogAction {
                subject: subject.into(),
                action: action.into(),
                status: status.into(),
                details: String::new(),
            });
            let got = brain
                .execute(Envelope::new(demo_at(), cmd))
                .map_err(|e| e.code());
            assert_eq!(got, Err("invalid_name"));
        }
        assert_eq!(brain.state_hash(), before);
    }

    #[test]
    fn a_filtered_export_holds_only_the_matching_entries_each_proven_under_the_head() {
        let brain = brain();
        let by_action = Query {
            action: Some("deploy".into()),
            ..Query::default()
        };
        let export = brain.audit_export_filtered(&by_action);
        // The demo's deployment and the two logged here.
        assert_eq!(export.entries.len(), 3);
        assert!(export.entries.iter().all(|p| p.entry.action == "deploy"));
        assert_eq!(export.head, brain.audit_root());
        let json = serde_json::to_string(&export).unwrap_or_default();
        assert_eq!(verify(&json, Some(&brain.audit_root())), Ok(3));
        // By subject prefix and time range: the script entries of one minute.
        let from = demo_at() + Duration::minutes(30);
        let scripts = Query {
            subject: Some("script".into()),
            from: Some(from),
            to: Some(from + Duration::minutes(10)),
            ..Query::default()
        };
        let export = brain.audit_export_filtered(&scripts);
        assert!(!export.entries.is_empty());
        assert!(export
            .entries
            .iter()
            .all(|p| p.entry.subject.starts_with("script/")
                && p.entry.at >= from
                && p.entry.at < from + Duration::minutes(10)));
        let json = serde_json::to_string(&export).unwrap_or_default();
        assert!(verify(&json, None).is_ok());
    }

    #[test]
    fn an_edited_entry_or_another_head_fails_the_check() {
        let brain = brain();
        let export = brain.audit_export_filtered(&Query {
            action: Some("deploy".into()),
            ..Query::default()
        });
        let json = serde_json::to_string(&export).unwrap_or_default();
        let edited = json.replacen("status failed", "status success", 1);
        assert_ne!(edited, json);
        assert_eq!(
            verify(&edited, None).map_err(|e| e.code()),
            Err("audit_altered")
        );
        let other = TreeHead {
            size: 3,
            root: "00".repeat(32),
        };
        assert_eq!(
            verify(&json, Some(&other)).map_err(|e| e.code()),
            Err("audit_rewritten")
        );
    }
}
