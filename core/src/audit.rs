//! Block 29, audit trail: every accepted command and every refused guarded
//! action is appended as an entry; query by subject, action and time range;
//! snapshots (state hash and log position); JSON export.
//!
//! The entries are the leaves of an RFC 6962 Merkle tree (`merkle`): an
//! entry's leaf is its canonical JSON, which includes the SHA-256 of the
//! command's full content (its envelope) and of its events, so an entry
//! commits to what was done, not only to its summary. The tree head (size,
//! root) is the log's identity: whoever keeps a head they saw can check a
//! later log (or an exported file) against it, and a truncated or rewritten
//! history fails, however its hashes were recomputed. Each entry also records
//! the head after it, so `verify_chain` names the first entry that disagrees.

use crate::contract::{BlockCommand, BlockEvent};
use crate::wire::Tagged;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::merkle::{self, CompactRange, Hash};

/// The root of the empty log (SHA-256 of no bytes, as RFC 6962 defines it).
pub const EMPTY_ROOT: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

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
    #[serde(serialize_with = "crate::time_text::serialize")]
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
    /// SHA-256 (hex) of the canonical JSON of the command's envelope: its
    /// full content (values, time, actor), which the summary leaves out.
    pub command_hash: String,
    /// SHA-256 (hex) of the canonical JSON of the command's other events.
    pub events_hash: String,
    /// The entry's RFC 6962 leaf hash (hex): `SHA-256(0x00 || leaf)`, the
    /// leaf being the compact JSON of the fields above, in this order.
    pub hash: String,
    /// The tree head's root (hex) once this entry is appended: the root of
    /// the log of `seq + 1` entries.
    pub root: String,
}

/// Whether an entry about `subject` answers a search for `wanted`: the
/// exact subject, its kind (`model` for `model/lead-scorer`), or its bare
/// name (`lead-scorer`, what a person types).
fn subject_matches(subject: &str, wanted: &str) -> bool {
    subject == wanted
        || subject.starts_with(&format!("{wanted}/"))
        || subject.ends_with(&format!("/{wanted}"))
}

impl Entry {
    /// The detail as people read it: a stored detail that predates the
    /// blocks' sentences (it is hashed into the chain, so it stays as
    /// written) is turned into one; any other detail is shown as it is.
    pub fn readable_detail(&self) -> String {
        if self.subject.starts_with("script/") {
            if let Some(sentence) = crate::promotion::status_change_sentence(&self.detail) {
                return sentence;
            }
        }
        self.detail.clone()
    }
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
#[serde(from = "Stored")]
pub struct State {
    /// The log, in order.
    pub entries: Vec<Entry>,
    /// Snapshot marks.
    pub snapshots: Vec<SnapshotMark>,
    /// The peaks of the tree over `entries` (derived from their hashes, never
    /// stored): sealing an entry costs O(log n) hashes, not a pass over the log.
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    range: CompactRange,
}

/// `State` as stored; the tree's peaks are rebuilt from the entries' hashes.
#[derive(Deserialize)]
struct Stored {
    entries: Vec<Entry>,
    snapshots: Vec<SnapshotMark>,
}

impl From<Stored> for State {
    fn from(stored: Stored) -> State {
        let mut range = CompactRange::default();
        for e in &stored.entries {
            range.append(stored_hash(&e.hash));
        }
        State {
            entries: stored.entries,
            snapshots: stored.snapshots,
            range,
        }
    }
}

/// An entry's stated leaf hash; an unreadable one counts as all zeros, so
/// the root (and `verify_chain`) no longer match and say so.
fn stored_hash(hex: &str) -> Hash {
    merkle::from_hex(hex).unwrap_or_default()
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
    /// An external action was recorded (its audit entry is the record).
    ActionLogged {
        /// What it acted on ("model/lead-scorer").
        subject: String,
        /// What was done ("deploy").
        action: String,
        /// How it went ("success", "failed").
        status: String,
        /// Free text.
        details: String,
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
    /// Records an action taken outside the engine (a deployment, a manual
    /// decision), as the original system's `log_action`: its audit entry has
    /// the given subject and action, and the status and details as detail.
    LogAction {
        /// What it acted on; a name (trimmed, non-empty, at most 200 characters).
        subject: String,
        /// What was done; a name.
        action: String,
        /// How it went; a name ("success", "failed").
        status: String,
        /// Free text (optional).
        #[serde(default)]
        details: String,
    },
}

/// Decides `LogAction`: the subject, action and status must be names.
pub fn decide_log_action(command: &Command) -> Result<Vec<Event>, Error> {
    let Command::LogAction {
        subject,
        action,
        status,
        details,
    } = command
    else {
        return Ok(Vec::new());
    };
    let name = |field: &str, value: &str| {
        crate::clean_name(value).map(str::to_string).ok_or_else(|| {
            Error::InvalidAction(format!(
                "{field} must be non-empty, at most 200 characters and free of control characters"
            ))
        })
    };
    Ok(vec![Event::ActionLogged {
        subject: name("subject", subject)?,
        action: name("action", action)?,
        status: name("status", status)?,
        details: details.trim().to_string(),
    }])
}

/// Faults found in a log, in an exported log, or in a proof.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum Error {
    /// An entry's content does not match its leaf hash, or the tree head it
    /// records is not the one the entries up to it give.
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
    /// The log is shorter than a tree head it should extend.
    #[error("the log has {size} entries but the root covers {published}: entries were cut off")]
    Truncated {
        /// Entries in the log.
        size: u64,
        /// Entries the root covers.
        published: u64,
    },
    /// The log's first entries do not give a tree head it should extend.
    #[error("the log's first {size} entries do not give that root: history was rewritten")]
    Rewritten {
        /// The size of the tree head.
        size: u64,
    },
    /// Text given as a hash is not 64 hex digits.
    #[error("{what} is not a SHA-256 hash in hex (64 digits): {text:?}")]
    NotAHash {
        /// Which value.
        what: &'static str,
        /// The text given (at most 80 characters).
        text: String,
    },
    /// A proof does not hold, or was asked for a size the log does not have.
    #[error(transparent)]
    Proof(#[from] merkle::Error),
    /// A logged action with an unusable subject, action or status.
    #[error("logged action: {0}")]
    InvalidAction(String),
}

impl Error {
    /// Stable code for JS and the console.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Altered { .. } => "audit_altered",
            Error::Removed { .. } => "audit_removed",
            Error::Reordered { .. } => "audit_reordered",
            Error::Malformed(_) => "audit_malformed",
            Error::Truncated { .. } => "audit_truncated",
            Error::Rewritten { .. } => "audit_rewritten",
            Error::NotAHash { .. } => "audit_not_a_hash",
            Error::Proof(e) => e.code(),
            Error::InvalidAction(_) => "invalid_name",
        }
    }
}

/// The tree head of a log: its size and root. Two logs with the same head
/// hold the same entries; a log extends an older head when its first `size`
/// entries give `root` (what a consistency proof shows with hashes alone).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "AuditRoot"))]
#[serde(deny_unknown_fields)]
pub struct TreeHead {
    /// Number of entries.
    pub size: u64,
    /// RFC 6962 root (hex).
    pub root: String,
}

impl TreeHead {
    fn hash(&self, what: &'static str) -> Result<Hash, Error> {
        parse_hash(&self.root, what)
    }
}

/// That entry `index` is in the log of `size` entries whose root is `root`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "AuditInclusionProof"))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct InclusionProof {
    /// The entry's position (its `seq`).
    pub index: u64,
    /// The log size the proof is for.
    pub size: u64,
    /// The entry's leaf hash (hex).
    pub leaf_hash: String,
    /// The root of that log (hex).
    pub root: String,
    /// The audit path (hex), from the entry's sibling up.
    pub path: Vec<String>,
}

/// That the log whose head is `new` extends the log whose head is `old`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "AuditConsistencyProof"))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ConsistencyProof {
    /// The older head.
    pub old: TreeHead,
    /// The newer head.
    pub new: TreeHead,
    /// The proof's hashes (hex).
    pub path: Vec<String>,
}

fn parse_hash(text: &str, what: &'static str) -> Result<Hash, Error> {
    merkle::from_hex(text.trim()).ok_or_else(|| Error::NotAHash {
        what,
        text: text.chars().take(80).collect(),
    })
}

fn parse_path(path: &[String]) -> Result<Vec<Hash>, Error> {
    path.iter().map(|h| parse_hash(h, "a proof hash")).collect()
}

fn hexes(hashes: &[Hash]) -> Vec<String> {
    hashes.iter().map(merkle::to_hex).collect()
}

/// The leaf of an entry: the canonical JSON (fixed field order, compact) of
/// everything but its own `hash` and `root`. Documented so that anyone can
/// recompute it: `{"seq":..,"at":..,"actor":..,"subject":..,"action":..,
/// "outcome":..,"detail":..,"commandHash":..,"eventsHash":..}`.
pub fn leaf_bytes(e: &Entry) -> Vec<u8> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Leaf<'a> {
        seq: u64,
        #[serde(serialize_with = "crate::time_text::serialize")]
        at: DateTime<Utc>,
        actor: &'a Option<String>,
        subject: &'a str,
        action: &'a str,
        outcome: Outcome,
        detail: &'a str,
        command_hash: &'a str,
        events_hash: &'a str,
    }
    // Sized for a leaf, so that it is written without growing the buffer.
    let mut bytes = Vec::with_capacity(1024);
    let leaf = Leaf {
        seq: e.seq,
        at: e.at,
        actor: &e.actor,
        subject: &e.subject,
        action: &e.action,
        outcome: e.outcome,
        detail: &e.detail,
        command_hash: &e.command_hash,
        events_hash: &e.events_hash,
    };
    match serde_json::to_writer(&mut bytes, &leaf) {
        Ok(()) => bytes,
        Err(_) => Vec::new(),
    }
}

/// The RFC 6962 leaf hash of an entry, recomputed from its content.
pub fn entry_leaf_hash(e: &Entry) -> Hash {
    merkle::leaf_hash(&leaf_bytes(e))
}

/// The leaf hash (hex) of an entry, recomputed from its content.
pub fn entry_hash(e: &Entry) -> String {
    merkle::to_hex(&entry_leaf_hash(e))
}

/// True when `hex` is the lower-case hex of `digest` (no allocation: the
/// log check runs this twice per entry).
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

/// What an appended entry says, before it is sealed into the tree.
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
    /// SHA-256 (hex) of the command's canonical JSON.
    pub command_hash: String,
    /// SHA-256 (hex) of its events' canonical JSON.
    pub events_hash: String,
}

impl State {
    /// The current root (hex): the state hash commits to the log through it.
    pub fn head(&self) -> &str {
        self.entries
            .last()
            .map(|e| e.root.as_str())
            .unwrap_or(EMPTY_ROOT)
    }

    /// The tree head (size, root) of the log.
    pub fn tree_head(&self) -> TreeHead {
        TreeHead {
            size: self.entries.len() as u64,
            root: self.head().to_string(),
        }
    }

    /// Seals a draft into the log: the event to apply. O(log n) hashes.
    pub fn seal(&self, draft: Draft) -> Event {
        let mut entry = Self::entry_of(draft, self.entries.len() as u64);
        let leaf = entry_leaf_hash(&entry);
        let mut range = self.range.clone();
        range.append(leaf);
        entry.hash = merkle::to_hex(&leaf);
        entry.root = merkle::to_hex(&range.root());
        Event::EntryAppended { entry }
    }

    /// The entry a decision-only replay records at `seq`: the draft's words
    /// without any hash (no leaf, no root), since nothing will verify it and
    /// the hashes are most of a replay's cost. Never part of a kept log.
    pub(crate) fn unsealed(draft: Draft, seq: u64) -> Event {
        Event::EntryAppended {
            entry: Self::entry_of(draft, seq),
        }
    }

    /// A draft as the entry at `seq`, its own hash and root still empty.
    fn entry_of(draft: Draft, seq: u64) -> Entry {
        Entry {
            seq,
            at: draft.at,
            actor: draft.actor,
            subject: draft.subject,
            action: draft.action,
            outcome: draft.outcome,
            detail: draft.detail,
            command_hash: draft.command_hash,
            events_hash: draft.events_hash,
            hash: String::new(),
            root: String::new(),
        }
    }

    /// Folds one event; never fails.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::EntryAppended { entry } => {
                self.range.append(stored_hash(&entry.hash));
                self.entries.push(entry.clone())
            }
            Event::SnapshotTaken { mark } => self.snapshots.push(mark.clone()),
            // The entry sealed with it is the record.
            Event::ActionLogged { .. } => {}
        }
    }

    /// The whole tree over the entries' stated leaf hashes (O(n)): what
    /// proofs are cut from.
    pub fn tree(&self) -> merkle::Tree {
        merkle::Tree::from_leaf_hashes(self.entries.iter().map(|e| stored_hash(&e.hash)).collect())
    }

    /// The inclusion proof of entry `index` in the current log.
    pub fn prove_entry(&self, index: u64) -> Result<InclusionProof, Error> {
        let tree = self.tree();
        let size = tree.size();
        let path = tree.inclusion_proof(index, size)?;
        Ok(InclusionProof {
            index,
            size,
            leaf_hash: merkle::to_hex(&tree.leaf(index).unwrap_or_default()),
            root: merkle::to_hex(&tree.root(size)?),
            path: hexes(&path),
        })
    }

    /// The consistency proof from the log's first `old_size` entries to the
    /// current log.
    pub fn consistency_proof(&self, old_size: u64) -> Result<ConsistencyProof, Error> {
        let tree = self.tree();
        let size = tree.size();
        let path = tree.consistency_proof(old_size, size)?;
        Ok(ConsistencyProof {
            old: TreeHead {
                size: old_size,
                root: merkle::to_hex(&tree.root(old_size)?),
            },
            new: TreeHead {
                size,
                root: merkle::to_hex(&tree.root(size)?),
            },
            path: hexes(&path),
        })
    }

    /// Checks that the log extends `head` (a root published earlier): not
    /// cut below its size, its first entries unchanged. Done as a verifier
    /// would, with a consistency proof and hashes only.
    pub fn check_head(&self, head: &TreeHead) -> Result<(), Error> {
        let want = head.hash("the root")?;
        let size = self.entries.len() as u64;
        if head.size > size {
            return Err(Error::Truncated {
                size,
                published: head.size,
            });
        }
        if head.size == 0 {
            return if want == merkle::empty_root() {
                Ok(())
            } else {
                Err(Error::Rewritten { size: 0 })
            };
        }
        let proof = self.consistency_proof(head.size)?;
        verify_consistency(head, &proof.new, &proof.path).map_err(|e| match e {
            Error::Proof(merkle::Error::RootMismatch { .. }) => {
                Error::Rewritten { size: head.size }
            }
            other => other,
        })
    }

    /// Entries matching every given filter; `to` is exclusive.
    pub fn query(&self, q: &Query) -> Vec<&Entry> {
        self.entries
            .iter()
            .filter(|e| {
                q.subject
                    .as_ref()
                    .is_none_or(|s| subject_matches(&e.subject, s))
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

/// Checks an inclusion proof with hashes alone: `leaf_hash` is entry `index`
/// of the log whose head is `root`.
pub fn verify_inclusion(
    leaf_hash: &str,
    index: u64,
    path: &[String],
    root: &TreeHead,
) -> Result<(), Error> {
    let leaf = parse_hash(leaf_hash, "the leaf hash")?;
    let want = root.hash("the root")?;
    Ok(merkle::verify_inclusion(
        &leaf,
        index,
        root.size,
        &parse_path(path)?,
        &want,
    )?)
}

/// Checks a consistency proof with hashes alone: the log whose head is
/// `new` extends the log whose head is `old`.
pub fn verify_consistency(old: &TreeHead, new: &TreeHead, path: &[String]) -> Result<(), Error> {
    let old_root = old.hash("the old root")?;
    let new_root = new.hash("the new root")?;
    Ok(merkle::verify_consistency(
        old.size,
        new.size,
        &old_root,
        &new_root,
        &parse_path(path)?,
    )?)
}

/// An audit query (all filters optional).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "AuditQuery", optional_fields = nullable))]
#[serde(rename_all = "camelCase")]
pub struct Query {
    /// Exact subject, its prefix before a `/` (`model`), or its name after
    /// one (`lead-scorer` finds `model/lead-scorer`).
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
/// the same values), every entry is re-hashed and the tree rebuilt.
pub fn import(json: &str) -> Result<Vec<Entry>, Error> {
    let parsed: Export =
        crate::wire::from_text(json).map_err(|e| Error::Malformed(e.to_string()))?;
    verify_chain(&parsed.entries)?;
    if export_entries(&parsed.entries) != json {
        return Err(Error::Malformed("not in canonical form".into()));
    }
    Ok(parsed.entries)
}

/// Verifies an exported log: [`import`]'s checks, then, when `root` is
/// given (a head published or kept earlier), that the export extends it:
/// an export cut below its size, or whose first entries were rewritten (even
/// with every hash recomputed), fails. Returns the export's own head.
pub fn verify_export(json: &str, root: Option<&TreeHead>) -> Result<TreeHead, Error> {
    let entries = import(json)?;
    let state = State::from(Stored {
        entries,
        snapshots: Vec::new(),
    });
    if let Some(head) = root {
        state.check_head(head)?;
    }
    Ok(state.tree_head())
}

/// Checks the log: positions in order, every entry re-hashed to its leaf
/// hash, and the tree head each entry records rebuilt from the entries up to
/// it; names the first entry removed, reordered or altered.
pub fn verify_chain(entries: &[Entry]) -> Result<(), Error> {
    let mut range = CompactRange::default();
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
        let leaf = entry_leaf_hash(e);
        if !hex_matches(&leaf, &e.hash) {
            return Err(Error::Altered { seq: e.seq });
        }
        range.append(leaf);
        if !hex_matches(&range.root(), &e.root) {
            return Err(Error::Altered { seq: e.seq });
        }
    }
    Ok(())
}

impl Tagged for Command {
    fn tag(&self) -> &'static str {
        match self {
            Command::TakeSnapshot => "TakeSnapshot",
            Command::LogAction { .. } => "LogAction",
        }
    }
}

impl BlockCommand for Command {
    type Event = Event;

    fn subject(&self, events: &[Event]) -> String {
        events
            .iter()
            .find_map(|e| match e {
                Event::ActionLogged { subject, .. } => Some(subject.clone()),
                _ => None,
            })
            .unwrap_or_else(|| "audit".into())
    }

    fn audit_action(&self, events: &[Event]) -> String {
        events
            .iter()
            .find_map(|e| match e {
                Event::ActionLogged { action, .. } => Some(action.clone()),
                _ => None,
            })
            .unwrap_or_else(|| self.action().to_string())
    }
}

impl BlockEvent for Event {
    fn detail(&self) -> Option<String> {
        match self {
            Event::ActionLogged {
                status, details, ..
            } if details.is_empty() => Some(format!("status {status}")),
            Event::ActionLogged {
                status, details, ..
            } => Some(format!("status {status}: {details}")),
            _ => None,
        }
    }
}

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
                command_hash: merkle::to_hex(&merkle::leaf_hash(&i.to_le_bytes())),
                events_hash: EMPTY_ROOT.into(),
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
        let mut head_edited = s.entries.clone();
        if let Some(e) = head_edited.get_mut(3) {
            e.root = EMPTY_ROOT.into();
        }
        assert_eq!(verify_chain(&head_edited), Err(Error::Altered { seq: 3 }));
    }

    /// Rewrites entry `seq` and recomputes every hash and root after it, as
    /// whoever holds the file could: only a root kept from before can tell.
    fn forge(entries: &[Entry], seq: usize, detail: &str) -> Vec<Entry> {
        let mut forged = entries.to_vec();
        if let Some(e) = forged.get_mut(seq) {
            e.detail = detail.into();
        }
        let mut range = CompactRange::default();
        for e in &mut forged {
            let leaf = entry_leaf_hash(e);
            range.append(leaf);
            e.hash = merkle::to_hex(&leaf);
            e.root = merkle::to_hex(&range.root());
        }
        forged
    }

    #[test]
    fn an_export_rewritten_with_every_hash_recomputed_or_cut_off_fails_against_the_old_root() {
        let s = chain(7);
        let published = s.tree_head();
        assert_eq!(
            verify_export(&s.export(), Some(&published)),
            Ok(published.clone())
        );
        // Rewritten: the file is self-consistent, so without a root it passes...
        let forged = export_entries(&forge(&s.entries, 2, "forged"));
        assert!(verify_export(&forged, None).is_ok());
        // ...and against the root kept from before it does not.
        assert_eq!(
            verify_export(&forged, Some(&published)),
            Err(Error::Rewritten { size: 7 })
        );
        // Truncated: the newest entries cut off.
        let cut = export_entries(&s.entries[..5]);
        assert_eq!(
            verify_export(&cut, Some(&published)),
            Err(Error::Truncated {
                size: 5,
                published: 7
            })
        );
        // An older root: the export extends it, unless an entry under it changed.
        let mut older = State::default();
        for e in &s.entries[..4] {
            older.apply(&Event::EntryAppended { entry: e.clone() });
        }
        let old_head = older.tree_head();
        assert_eq!(verify_export(&s.export(), Some(&old_head)), Ok(published));
        let forged_late = export_entries(&forge(&s.entries, 5, "forged"));
        assert!(verify_export(&forged_late, Some(&old_head)).is_ok());
        let forged_early = export_entries(&forge(&s.entries, 3, "forged"));
        assert_eq!(
            verify_export(&forged_early, Some(&old_head)),
            Err(Error::Rewritten { size: 4 })
        );
    }

    #[test]
    fn the_leaf_is_the_canonical_entry_with_its_command_and_events_hashes() {
        let s = chain(2);
        let e = &s.entries[1];
        let leaf = String::from_utf8(leaf_bytes(e)).unwrap_or_default();
        assert_eq!(
            leaf,
            format!(
                r#"{{"seq":1,"at":"2026-01-01T09:01:00Z","actor":"ops","subject":"script/s1","action":"RegisterScript","outcome":"accepted","detail":"","commandHash":"{}","eventsHash":"{}"}}"#,
                e.command_hash, e.events_hash
            )
        );
        assert_eq!(e.hash, merkle::to_hex(&merkle::leaf_hash(leaf.as_bytes())));
        assert_eq!(
            e.root,
            merkle::to_hex(&merkle::node_hash(
                &merkle::from_hex(&s.entries[0].hash).unwrap_or_default(),
                &merkle::from_hex(&e.hash).unwrap_or_default()
            ))
        );
        // A changed command (same summary) is a changed entry.
        let mut other = e.clone();
        other.command_hash = EMPTY_ROOT.into();
        assert_ne!(entry_hash(&other), e.hash);
    }

    #[test]
    fn the_peaks_are_rebuilt_when_a_stored_state_is_read() {
        let s = chain(6);
        let json = serde_json::to_string(&s).unwrap_or_default();
        assert!(!json.contains("range"));
        let read: State = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(read, s);
        assert_eq!(read.seal(draft_at(9)), s.seal(draft_at(9)));
    }

    fn draft_at(minute: u32) -> Draft {
        Draft {
            at: at(minute),
            actor: None,
            subject: "audit".into(),
            action: "TakeSnapshot".into(),
            outcome: Outcome::Accepted,
            detail: String::new(),
            command_hash: EMPTY_ROOT.into(),
            events_hash: EMPTY_ROOT.into(),
        }
    }

    #[test]
    fn proofs_of_the_log_verify_with_hashes_alone_and_a_tampered_one_does_not() {
        let s = chain(11);
        let head = s.tree_head();
        for i in 0..11 {
            let p = s.prove_entry(i).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(verify_inclusion(&p.leaf_hash, i, &p.path, &head), Ok(()));
            let wrong = (i + 1) % 11;
            assert!(verify_inclusion(&p.leaf_hash, wrong, &p.path, &head).is_err());
        }
        let c = s.consistency_proof(6).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(verify_consistency(&c.old, &head, &c.path), Ok(()));
        let mut bad = c.path.clone();
        bad[0] = EMPTY_ROOT.into();
        assert_eq!(
            verify_consistency(&c.old, &head, &bad).map_err(|e| e.code()),
            Err("merkle_root_mismatch")
        );
        assert_eq!(
            s.prove_entry(11).map_err(|e| e.code()),
            Err("merkle_index_out_of_range")
        );
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
        assert_eq!(q(Some("s0"), None, None, None), 3, "a bare name is found");
        assert_eq!(q(Some("0"), None, None, None), 0, "a name is matched whole");
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
