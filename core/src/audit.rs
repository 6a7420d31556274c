//! Block 29, audit trail: every accepted command and every refused guarded
//! action is appended as an entry, hash-chained with SHA-256 over a compact
//! canonical form of the entry and the previous hash; query by subject,
//! action and time range; snapshots (state hash and log position); JSON
//! export; `verify_chain` names the first altered, removed or reordered entry.

use crate::contract::{BlockCommand, BlockEvent};
use crate::wire::Tagged;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Whether the action was carried out.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "AuditOutcome"))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The command was accepted and its action done.
    Accepted,
    /// A guarded action was refused (blocked ingestion, refused model
    /// update, gate BLOCK): recorded, but not done.
    Refused,
}

/// One audit entry.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "AuditEntry"))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Entry {
    /// Position in the chain (0-based, equal to the log position).
    pub seq: u64,
    /// The command's time.
    pub at: DateTime<Utc>,
    /// Who issued the command.
    pub actor: Option<String>,
    /// What it was about, e.g. `script/warm-open`.
    pub subject: String,
    /// The command, e.g. `EvaluateScript`.
    pub action: String,
    /// Done or refused.
    pub outcome: Outcome,
    /// Details, e.g. the refusal reason.
    pub detail: String,
    /// Hash of the previous entry (hex).
    pub prev_hash: String,
    /// Hash of this entry (hex).
    pub hash: String,
}

/// A snapshot mark: the state hash at a log position.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SnapshotMark {
    /// Number of accepted commands before the snapshot.
    pub position: u64,
    /// State hash at that point.
    pub state_hash: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// The state of block 29.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "AuditState"))]
pub struct State {
    /// The chain.
    pub entries: Vec<Entry>,
    /// Snapshot marks.
    pub snapshots: Vec<SnapshotMark>,
}

tagged_enum! {
/// Events of block 29.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "AuditEvent"))]
pub enum Event {
    /// An entry was appended (it carries its hash, so replay does not re-hash).
    EntryAppended {
        /// The entry.
        entry: Entry,
    },
    /// A snapshot was taken.
    SnapshotTaken {
        /// The mark.
        mark: SnapshotMark,
    },
}
}

/// Commands of block 29.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "AuditCommand"))]
// On input, a missing `Option` field is `None`: such fields are optional.
#[cfg_attr(feature = "ts", ts(optional_fields = nullable))]
#[serde(tag = "type")]
pub enum Command {
    /// Records the state hash at the current log position.
    TakeSnapshot,
}

/// Faults found in a chain, or in an exported log.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum Error {
    /// An entry's content does not match its hash (or its link).
    #[error("audit entry {seq} was altered")]
    Altered {
        /// The entry.
        seq: u64,
    },
    /// An entry is missing.
    #[error("audit entry {seq} was removed")]
    Removed {
        /// The missing entry.
        seq: u64,
    },
    /// Entries are out of order.
    #[error("audit entry {seq} is out of order")]
    Reordered {
        /// The misplaced entry.
        seq: u64,
    },
    /// The export is not valid JSON of an audit log, or not in canonical form.
    #[error("exported audit log is malformed: {0}")]
    Malformed(String),
}

impl Error {
    /// Stable code for JS and the console.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Altered { .. } => "audit_altered",
            Error::Removed { .. } => "audit_removed",
            Error::Reordered { .. } => "audit_reordered",
            Error::Malformed(_) => "audit_malformed",
        }
    }
}

fn put(hasher: &mut Sha256, bytes: &[u8]) {
    hasher.update((bytes.len() as u64).to_le_bytes());
    hasher.update(bytes);
}

/// The hash of an entry: SHA-256 over a compact canonical form (a domain
/// tag, then each field length-prefixed in a fixed order, then the previous
/// hash). Compact so that an append costs about a microsecond.
pub fn entry_hash(e: &Entry) -> String {
    crate::canon::hex(&entry_digest(e))
}

/// The raw SHA-256 digest behind [`entry_hash`].
fn entry_digest(e: &Entry) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"brain-audit-v1");
    h.update(e.seq.to_le_bytes());
    h.update(e.at.timestamp().to_le_bytes());
    h.update(e.at.timestamp_subsec_nanos().to_le_bytes());
    match &e.actor {
        Some(a) => {
            h.update([1u8]);
            put(&mut h, a.as_bytes());
        }
        None => h.update([0u8]),
    }
    put(&mut h, e.subject.as_bytes());
    put(&mut h, e.action.as_bytes());
    h.update([match e.outcome {
        Outcome::Accepted => 0u8,
        Outcome::Refused => 1u8,
    }]);
    put(&mut h, e.detail.as_bytes());
    put(&mut h, e.prev_hash.as_bytes());
    h.finalize().into()
}

/// True when `hex` is the lower-case hex of `digest` (no allocation: the
/// chain check runs this once per entry).
fn hex_matches(digest: &[u8; 32], hex: &str) -> bool {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let text = hex.as_bytes();
    text.len() == 64
        && digest.iter().zip(text.chunks_exact(2)).all(|(byte, pair)| {
            let hi = DIGITS.get(usize::from(byte >> 4)).copied();
            let lo = DIGITS.get(usize::from(byte & 0x0f)).copied();
            pair.first().copied() == hi && pair.get(1).copied() == lo
        })
}

/// What an appended entry says, before it is chained.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    /// Time.
    pub at: DateTime<Utc>,
    /// Actor.
    pub actor: Option<String>,
    /// Subject.
    pub subject: String,
    /// Action.
    pub action: String,
    /// Outcome.
    pub outcome: Outcome,
    /// Detail.
    pub detail: String,
}

impl State {
    /// Hash of the last entry (the genesis hash when empty).
    pub fn head(&self) -> &str {
        self.entries
            .last()
            .map(|e| e.hash.as_str())
            .unwrap_or(GENESIS)
    }

    /// Chains a draft onto the log: the event to apply.
    pub fn seal(&self, draft: Draft) -> Event {
        let mut entry = Entry {
            seq: self.entries.len() as u64,
            at: draft.at,
            actor: draft.actor,
            subject: draft.subject,
            action: draft.action,
            outcome: draft.outcome,
            detail: draft.detail,
            prev_hash: self.head().to_string(),
            hash: String::new(),
        };
        entry.hash = entry_hash(&entry);
        Event::EntryAppended { entry }
    }

    /// Folds one event; never fails.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::EntryAppended { entry } => self.entries.push(entry.clone()),
            Event::SnapshotTaken { mark } => self.snapshots.push(mark.clone()),
        }
    }

    /// Entries matching every given filter; `to` is exclusive.
    pub fn query(&self, q: &Query) -> Vec<&Entry> {
        self.entries
            .iter()
            .filter(|e| {
                q.subject
                    .as_ref()
                    .is_none_or(|s| e.subject == *s || e.subject.starts_with(&format!("{s}/")))
            })
            .filter(|e| q.action.as_ref().is_none_or(|a| e.action == *a))
            .filter(|e| q.from.is_none_or(|f| e.at >= f))
            .filter(|e| q.to.is_none_or(|t| e.at < t))
            .collect()
    }

    /// The log as compact canonical JSON (what `import` checks byte for byte).
    pub fn export(&self) -> String {
        export_entries(&self.entries)
    }
}

/// An audit query (all filters optional).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "AuditQuery", optional_fields = nullable))]
#[serde(rename_all = "camelCase")]
pub struct Query {
    /// Exact subject, or its prefix before a `/`.
    #[serde(default)]
    pub subject: Option<String>,
    /// Exact action.
    #[serde(default)]
    pub action: Option<String>,
    /// From (inclusive).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "Date | string | null", optional))]
    pub from: Option<DateTime<Utc>>,
    /// To (exclusive).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "Date | string | null", optional))]
    pub to: Option<DateTime<Utc>>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Export {
    entries: Vec<Entry>,
}

#[derive(Serialize)]
struct ExportRef<'a> {
    entries: &'a [Entry],
}

/// Compact canonical JSON of entries.
pub fn export_entries(entries: &[Entry]) -> String {
    serde_json::to_string(&ExportRef { entries }).unwrap_or_default()
}

/// Reads an exported log and checks it: the JSON must be exactly the
/// canonical form (so any changed byte is caught, even one that parses to
/// the same values) and the chain must hold.
pub fn import(json: &str) -> Result<Vec<Entry>, Error> {
    let parsed: Export = serde_json::from_str(json).map_err(|e| Error::Malformed(e.to_string()))?;
    verify_chain(&parsed.entries)?;
    if export_entries(&parsed.entries) != json {
        return Err(Error::Malformed("not in canonical form".into()));
    }
    Ok(parsed.entries)
}

/// Checks the chain; names the first altered, removed or reordered entry.
pub fn verify_chain(entries: &[Entry]) -> Result<(), Error> {
    let mut prev: &str = GENESIS;
    for (i, e) in entries.iter().enumerate() {
        let i = i as u64;
        if e.seq != i {
            let later = entries
                .iter()
                .skip(usize::try_from(i).unwrap_or(usize::MAX))
                .any(|x| x.seq == i);
            return Err(if e.seq > i && !later {
                Error::Removed { seq: i }
            } else {
                Error::Reordered { seq: e.seq }
            });
        }
        if !hex_matches(&entry_digest(e), &e.hash) {
            return Err(Error::Altered { seq: e.seq });
        }
        if e.prev_hash != prev {
            return Err(Error::Altered {
                seq: i.saturating_sub(1),
            });
        }
        prev = &e.hash;
    }
    Ok(())
}

impl Tagged for Command {
    fn tag(&self) -> &'static str {
        match self {
            Command::TakeSnapshot => "TakeSnapshot",
        }
    }
}

impl BlockCommand for Command {
    type Event = Event;

    fn subject(&self, _: &[Event]) -> String {
        "audit".into()
    }
}

impl BlockEvent for Event {}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 9, minute, 0)
            .single()
            .unwrap_or_default()
    }

    fn chain(n: u32) -> State {
        let mut s = State::default();
        for i in 0..n {
            let ev = s.seal(Draft {
                at: at(i),
                actor: Some("ops".into()),
                subject: format!("script/s{}", i % 2),
                action: if i % 2 == 0 {
                    "EvaluateScript".into()
                } else {
                    "RegisterScript".into()
                },
                outcome: Outcome::Accepted,
                detail: String::new(),
            });
            s.apply(&ev);
        }
        s
    }

    #[test]
    fn an_intact_chain_verifies_and_each_kind_of_tampering_is_named() {
        let s = chain(5);
        assert_eq!(verify_chain(&s.entries), Ok(()));
        let mut altered = s.entries.clone();
        if let Some(e) = altered.get_mut(2) {
            e.detail = "x".into();
        }
        assert_eq!(verify_chain(&altered), Err(Error::Altered { seq: 2 }));
        let mut removed = s.entries.clone();
        removed.remove(1);
        assert_eq!(verify_chain(&removed), Err(Error::Removed { seq: 1 }));
        let mut swapped = s.entries.clone();
        swapped.swap(1, 3);
        assert_eq!(verify_chain(&swapped), Err(Error::Reordered { seq: 3 }));
        let mut rehashed = s.entries.clone();
        if let Some(e) = rehashed.get_mut(1) {
            e.detail = "forged".into();
            e.hash = entry_hash(e);
        }
        assert_eq!(verify_chain(&rehashed), Err(Error::Altered { seq: 1 }));
    }

    #[test]
    fn queries_filter_by_subject_action_and_time() {
        let s = chain(6);
        let q =
            |subject: Option<&str>, action: Option<&str>, from: Option<u32>, to: Option<u32>| {
                s.query(&Query {
                    subject: subject.map(String::from),
                    action: action.map(String::from),
                    from: from.map(at),
                    to: to.map(at),
                })
                .len()
            };
        assert_eq!(q(Some("script/s0"), None, None, None), 3);
        assert_eq!(q(Some("script"), None, None, None), 6);
        assert_eq!(q(None, Some("RegisterScript"), None, None), 3);
        assert_eq!(q(None, None, Some(2), Some(4)), 2);
    }

    #[test]
    fn export_round_trips_and_a_changed_byte_is_detected() {
        let s = chain(3);
        let json = s.export();
        assert_eq!(import(&json).map(|e| e.len()), Ok(3));
        let mut bytes = json.into_bytes();
        if let Some(b) = bytes.get_mut(40) {
            *b = b.wrapping_add(1);
        }
        let changed = String::from_utf8_lossy(&bytes).to_string();
        assert!(import(&changed).is_err());
    }
}
