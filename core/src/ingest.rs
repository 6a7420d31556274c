//! Block 24, learning ingestion: a whitelist of normalised sources (trim,
//! case-fold, fullwidth forms folded to ASCII), add / remove / suspend, per-source counts of
//! accepted and blocked attempts with the last reasons, a payload size
//! limit. Blocked data leaves nothing in state but its counter (and the
//! audit entry the reducer appends).

use crate::contract::{BlockCommand, BlockEvent, Decision, Kind, Outcome};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};

/// Normalises a source name: fullwidth forms folded to ASCII, trimmed,
/// lower-cased, so that "Zillow", " zillow " and the fullwidth "Ｚｉｌｌｏｗ"
/// are one source.
///
/// Why not full Unicode NFKC (what this did until stop 9): its tables were
/// 64 KB of the JS package's 469 KB gzip, and source names are brand and
/// system names typed on keyboards, where the one compatibility form that
/// turns up is the fullwidth ASCII an East Asian input method writes. The
/// fold is U+FF01..=U+FF5E to U+0021..=U+007E and the ideographic space
/// U+3000 to a space. A name spelled with combining accents and the same
/// name precomposed are two sources.
pub fn normalize(source: &str) -> String {
    let folded: String = source
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .collect();
    folded.trim().to_lowercase()
}

/// How a source stands in the whitelist (as changed by commands).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SourceStatus {
    /// Allowed.
    Active,
    /// Temporarily refused.
    Suspended,
    /// Taken off the whitelist.
    Removed,
    /// Never added: allowed only if the policy's list has it.
    Unlisted,
}

/// Counters and status of one source.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Source {
    /// Status set by commands.
    pub status: SourceStatus,
    /// Accepted attempts.
    pub accepted: u64,
    /// Blocked attempts.
    pub blocked: u64,
    /// Bytes accepted.
    pub accepted_bytes: u64,
    /// The last block reasons, newest last.
    #[cfg_attr(feature = "ts", ts(as = "Vec<String>"))]
    pub last_reasons: VecDeque<String>,
}

impl Source {
    fn new(status: SourceStatus) -> Self {
        Self {
            status,
            accepted: 0,
            blocked: 0,
            accepted_bytes: 0,
            last_reasons: VecDeque::new(),
        }
    }
}

/// The state of block 24.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "IngestState"))]
pub struct State {
    /// Sources by normalised name.
    pub sources: BTreeMap<String, Source>,
}

/// Whitelist and limits of block 24 (defaults: the original system's).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "IngestPolicy"))]
#[serde(default)]
pub struct Policy {
    /// Sources allowed without an `AddSource` command (normalised on use), at most
    /// [`MAX_ALLOWED_SOURCES`] names.
    pub allowed_sources: Vec<String>,
    /// Largest payload accepted, in bytes, in 1..=[`MAX_PAYLOAD_BYTES`].
    pub max_payload_bytes: usize,
    /// How many block reasons each source keeps, in 0..=[`MAX_KEEP_REASONS`].
    pub keep_reasons: usize,
    /// How many accepted payloads per source `Brain::ingested` lists, newest
    /// first, in 0..=[`MAX_RETAIN_PAYLOADS`]. Payloads live in the command log,
    /// not in state; this bounds what the console shows and exports. Left
    /// out of the JSON at its default so that older policies (and the state
    /// hashes over them) stay the same.
    #[serde(skip_serializing_if = "is_default_retain")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub retain_payloads: usize,
}

/// The default of `retain_payloads`.
pub const DEFAULT_RETAIN_PAYLOADS: usize = 50;

fn is_default_retain(n: &usize) -> bool {
    *n == DEFAULT_RETAIN_PAYLOADS
}

/// Largest `retain_payloads` (each one may be `max_payload_bytes` long).
pub const MAX_RETAIN_PAYLOADS: usize = 10_000;

/// Largest `max_payload_bytes`: 16 MiB (payloads travel in the command log).
pub const MAX_PAYLOAD_BYTES: usize = 16 * 1024 * 1024;

/// Largest `keep_reasons` (each source's reasons are kept in state).
pub const MAX_KEEP_REASONS: usize = 1000;

/// Longest `allowed_sources` list (each ingestion scans it).
pub const MAX_ALLOWED_SOURCES: usize = 1000;

impl Default for Policy {
    fn default() -> Self {
        Self {
            allowed_sources: ["zillow", "realtor", "redfin", "mls", "referral"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            max_payload_bytes: 64 * 1024,
            keep_reasons: 5,
            retain_payloads: DEFAULT_RETAIN_PAYLOADS,
        }
    }
}

impl Policy {
    /// The policy's JSON with every field, also those left out while
    /// default (what a merge and the policy page start from).
    pub(crate) fn to_full_value(&self) -> serde_json::Value {
        let mut value = serde_json::to_value(self).unwrap_or_default();
        if let Some(map) = value.as_object_mut() {
            map.insert("retain_payloads".into(), self.retain_payloads.into());
        }
        value
    }

    /// Checks the limits and the whitelist.
    pub fn validate(&self) -> Result<(), Error> {
        if !(1..=MAX_PAYLOAD_BYTES).contains(&self.max_payload_bytes) {
            return Err(Error::InvalidPolicy(format!(
                "max_payload_bytes ({}) must be in 1..={MAX_PAYLOAD_BYTES}",
                self.max_payload_bytes
            )));
        }
        if self.keep_reasons > MAX_KEEP_REASONS {
            return Err(Error::InvalidPolicy(format!(
                "keep_reasons ({}) must be at most {MAX_KEEP_REASONS}",
                self.keep_reasons
            )));
        }
        if self.retain_payloads > MAX_RETAIN_PAYLOADS {
            return Err(Error::InvalidPolicy(format!(
                "retain_payloads ({}) must be at most {MAX_RETAIN_PAYLOADS}",
                self.retain_payloads
            )));
        }
        if self.allowed_sources.len() > MAX_ALLOWED_SOURCES {
            return Err(Error::InvalidPolicy(format!(
                "allowed_sources holds {} names, at most {MAX_ALLOWED_SOURCES} are allowed",
                self.allowed_sources.len()
            )));
        }
        if self.allowed_sources.iter().any(|s| normalize(s).is_empty()) {
            return Err(Error::InvalidPolicy(
                "allowed_sources must not contain empty names".into(),
            ));
        }
        Ok(())
    }

    fn allows(&self, normalized: &str) -> bool {
        self.allowed_sources
            .iter()
            .any(|s| normalize(s) == normalized)
    }
}

tagged_enum! {
/// Commands of block 24.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "IngestCommand"))]
// On input, a missing `Option` field is `None`: such fields are optional.
#[cfg_attr(feature = "ts", ts(optional_fields = nullable))]
pub enum Command {
    /// Adds (or re-activates) a source.
    AddSource {
        /// Source name (normalised).
        #[serde(rename = "source_id", alias = "source")]
        source: String,
    },
    /// Takes a source off the whitelist.
    RemoveSource {
        /// Source name.
        #[serde(rename = "source_id", alias = "source")]
        source: String,
    },
    /// Suspends a source.
    SuspendSource {
        /// Source name.
        #[serde(rename = "source_id", alias = "source")]
        source: String,
    },
    /// Offers data from a source: accepted or blocked (both are recorded).
    IngestData {
        /// Source name.
        #[serde(rename = "source_id", alias = "source")]
        source: String,
        /// The data: state keeps only its size; the payload itself stays in
        /// the command log (see `Brain::ingested`).
        payload: String,
    },
}
}

tagged_enum! {
/// Events of block 24.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "IngestEvent"))]
pub enum Event {
    /// Source added or re-activated.
    SourceAdded {
        /// Normalised name.
        source: String,
    },
    /// Source removed.
    SourceRemoved {
        /// Normalised name.
        source: String,
    },
    /// Source suspended.
    SourceSuspended {
        /// Normalised name.
        source: String,
    },
    /// Data accepted.
    IngestAccepted {
        /// Normalised name.
        source: String,
        /// Payload size.
        bytes: u64,
    },
    /// Data blocked (a refused guarded action).
    IngestBlocked {
        /// Normalised name.
        source: String,
        /// Why.
        reason: String,
        /// Keep this many reasons (from the policy in force).
        keep: usize,
    },
}
}

/// Bad input for block 24.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum Error {
    /// Empty source name.
    #[error("source name must be non-empty, at most 200 characters and free of control characters after normalisation")]
    InvalidName,
    /// Already active.
    #[error("source {0} is already active")]
    AlreadyActive(String),
    /// Not on the list.
    #[error("unknown source {0}")]
    UnknownSource(String),
    /// Already suspended.
    #[error("source {0} is already suspended")]
    AlreadySuspended(String),
    /// Unusable policy.
    #[error("invalid ingestion policy: {0}")]
    InvalidPolicy(String),
}

impl Error {
    /// Stable code for JS and the console.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidName => "invalid_name",
            Error::AlreadyActive(_) => "duplicate_source",
            Error::UnknownSource(_) => "unknown_source",
            Error::AlreadySuspended(_) => "source_suspended",
            Error::InvalidPolicy(_) => "invalid_policy",
        }
    }
}

fn name(source: &str) -> Result<String, Error> {
    let n = normalize(source);
    if crate::clean_name(&n).is_none() {
        Err(Error::InvalidName)
    } else {
        Ok(n)
    }
}

impl State {
    /// Effective status: what commands set, else the policy's whitelist.
    pub fn effective(&self, normalized: &str, policy: &Policy) -> SourceStatus {
        match self.sources.get(normalized).map(|s| s.status) {
            Some(SourceStatus::Unlisted) | None if policy.allows(normalized) => {
                SourceStatus::Active
            }
            Some(status) => status,
            None => SourceStatus::Unlisted,
        }
    }
}

/// Holds every rule of block 24.
pub fn decide(state: &State, policy: &Policy, cmd: &Command) -> Result<Vec<Event>, Error> {
    match cmd {
        Command::AddSource { source } => {
            let n = name(source)?;
            if state.effective(&n, policy) == SourceStatus::Active {
                return Err(Error::AlreadyActive(n));
            }
            Ok(vec![Event::SourceAdded { source: n }])
        }
        Command::RemoveSource { source } => {
            let n = name(source)?;
            match state.effective(&n, policy) {
                SourceStatus::Removed | SourceStatus::Unlisted => Err(Error::UnknownSource(n)),
                _ => Ok(vec![Event::SourceRemoved { source: n }]),
            }
        }
        Command::SuspendSource { source } => {
            let n = name(source)?;
            match state.effective(&n, policy) {
                SourceStatus::Removed | SourceStatus::Unlisted => Err(Error::UnknownSource(n)),
                SourceStatus::Suspended => Err(Error::AlreadySuspended(n)),
                SourceStatus::Active => Ok(vec![Event::SourceSuspended { source: n }]),
            }
        }
        Command::IngestData { source, payload } => {
            let n = name(source)?;
            let reason = match state.effective(&n, policy) {
                SourceStatus::Active if payload.len() > policy.max_payload_bytes => Some(format!(
                    "payload of {} bytes exceeds the limit of {} bytes",
                    payload.len(),
                    policy.max_payload_bytes
                )),
                SourceStatus::Active => None,
                SourceStatus::Suspended => Some(format!("source {n} is suspended")),
                SourceStatus::Removed => Some(format!("source {n} was removed from the whitelist")),
                SourceStatus::Unlisted => Some(format!("source {n} is not on the whitelist")),
            };
            Ok(vec![match reason {
                None => Event::IngestAccepted {
                    source: n,
                    bytes: payload.len() as u64,
                },
                Some(reason) => Event::IngestBlocked {
                    source: n,
                    reason,
                    keep: policy.keep_reasons,
                },
            }])
        }
    }
}

impl State {
    /// Folds one event; never fails.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::SourceAdded { source } => self.set(source, SourceStatus::Active),
            Event::SourceRemoved { source } => self.set(source, SourceStatus::Removed),
            Event::SourceSuspended { source } => self.set(source, SourceStatus::Suspended),
            Event::IngestAccepted { source, bytes } => {
                let s = self
                    .sources
                    .entry(source.clone())
                    .or_insert_with(|| Source::new(SourceStatus::Unlisted));
                s.accepted = s.accepted.saturating_add(1);
                s.accepted_bytes = s.accepted_bytes.saturating_add(*bytes);
            }
            Event::IngestBlocked {
                source,
                reason,
                keep,
            } => {
                let s = self
                    .sources
                    .entry(source.clone())
                    .or_insert_with(|| Source::new(SourceStatus::Unlisted));
                s.blocked = s.blocked.saturating_add(1);
                s.last_reasons.push_back(reason.clone());
                while s.last_reasons.len() > *keep {
                    s.last_reasons.pop_front();
                }
            }
        }
    }

    fn set(&mut self, source: &str, status: SourceStatus) {
        self.sources
            .entry(source.to_string())
            .or_insert_with(|| Source::new(status))
            .status = status;
    }

    /// A report row per source, including the policy's whitelist.
    pub fn report(&self, policy: &Policy) -> Vec<SourceReport> {
        let mut names: Vec<String> = self.sources.keys().cloned().collect();
        names.extend(policy.allowed_sources.iter().map(|s| normalize(s)));
        names.sort();
        names.dedup();
        names
            .into_iter()
            .map(|n| {
                let s = self.sources.get(&n);
                SourceReport {
                    status: self.effective(&n, policy),
                    accepted: s.map(|s| s.accepted).unwrap_or(0),
                    blocked: s.map(|s| s.blocked).unwrap_or(0),
                    last_reasons: s
                        .map(|s| s.last_reasons.iter().cloned().collect())
                        .unwrap_or_default(),
                    source: n,
                }
            })
            .collect()
    }
}

/// One source in a report.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SourceReport {
    /// Normalised name.
    pub source: String,
    /// Effective status.
    pub status: SourceStatus,
    /// Accepted attempts.
    pub accepted: u64,
    /// Blocked attempts.
    pub blocked: u64,
    /// Last block reasons.
    pub last_reasons: Vec<String>,
}

/// One blocked attempt to ingest data, as [`blocked_attempts`] lists it.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct BlockedAttempt {
    /// Its place among every blocked attempt, oldest first (0-based): a
    /// stable key for a list.
    pub seq: usize,
    /// When (the time of its command).
    pub at: chrono::DateTime<chrono::Utc>,
    /// The normalised source.
    pub source: String,
    /// Why it was blocked.
    pub reason: String,
}

/// The last `limit` blocked attempts, newest first, from this block's
/// events with the time of the command that produced each. The state keeps
/// only per-source counters and a few reasons; this is every attempt with
/// its time.
pub fn blocked_attempts<'a>(
    events: impl IntoIterator<Item = (chrono::DateTime<chrono::Utc>, &'a Event)>,
    limit: usize,
) -> Vec<BlockedAttempt> {
    let mut out: Vec<BlockedAttempt> = events
        .into_iter()
        .filter_map(|(at, e)| match e {
            Event::IngestBlocked { source, reason, .. } => Some((at, source, reason)),
            _ => None,
        })
        .enumerate()
        .map(|(seq, (at, source, reason))| BlockedAttempt {
            seq,
            at,
            source: source.clone(),
            reason: reason.clone(),
        })
        .collect();
    out.reverse();
    out.truncate(limit);
    out
}

impl BlockCommand for Command {
    type Event = Event;

    fn subject(&self, _: &[Event]) -> String {
        match self {
            Command::AddSource { source }
            | Command::RemoveSource { source }
            | Command::SuspendSource { source }
            | Command::IngestData { source, .. } => format!("source/{}", normalize(source)),
        }
    }

    fn decision_kind(&self) -> Kind {
        match self {
            Command::IngestData { .. } => Kind::Ingestion,
            _ => Kind::Command,
        }
    }
}

impl BlockEvent for Event {
    fn refusal(&self) -> Option<String> {
        match self {
            Event::IngestBlocked { reason, .. } => Some(reason.clone()),
            _ => None,
        }
    }

    fn decision(&self) -> Option<Decision> {
        match self {
            Event::IngestAccepted { source, .. } => Some(Decision::new(
                Kind::Ingestion,
                format!("source/{source}"),
                Outcome::Accepted,
                "",
            )),
            Event::IngestBlocked { source, reason, .. } => Some(Decision::new(
                Kind::Ingestion,
                format!("source/{source}"),
                Outcome::Blocked,
                reason.clone(),
            )),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(state: &mut State, policy: &Policy, cmd: Command) -> Result<Vec<Event>, Error> {
        let events = decide(state, policy, &cmd)?;
        events.iter().for_each(|e| state.apply(e));
        Ok(events)
    }

    fn ingest(source: &str, payload: &str) -> Command {
        Command::IngestData {
            source: source.into(),
            payload: payload.into(),
        }
    }

    #[test]
    fn blocked_attempts_are_listed_newest_first_up_to_the_limit() {
        let mut s = State::default();
        let policy = Policy::default();
        let mut events = Vec::new();
        for cmd in [
            ingest("craigslist", "{}"),
            ingest("zillow", "{}"),
            Command::RemoveSource {
                source: "mls".into(),
            },
            ingest("mls", "{}"),
            Command::SuspendSource {
                source: "redfin".into(),
            },
            ingest("redfin", "{}"),
        ] {
            events.extend(run(&mut s, &policy, cmd).unwrap_or_default());
        }
        let at = chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default();
        let timed = || events.iter().map(|e| (at, e));
        let sources = |list: Vec<BlockedAttempt>| {
            list.into_iter()
                .map(|b| (b.seq, b.source))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            sources(blocked_attempts(timed(), 10)),
            vec![
                (2, "redfin".into()),
                (1, "mls".into()),
                (0, "craigslist".into())
            ]
        );
        assert_eq!(
            sources(blocked_attempts(timed(), 1)),
            vec![(2, "redfin".into())]
        );
        assert!(blocked_attempts(timed(), 10)
            .iter()
            .all(|b| !b.reason.is_empty()));
    }

    #[test]
    fn spellings_of_one_source_are_one_source() {
        assert_eq!(normalize("Zillow"), "zillow");
        assert_eq!(normalize(" zillow "), "zillow");
        assert_eq!(normalize("Ｚｉｌｌｏｗ"), "zillow");
        // The ideographic space and fullwidth punctuation fold too; the
        // fold's ends map to '!' and '~'.
        assert_eq!(normalize("\u{3000}Ｃｒｍ－Ｅｕ\u{3000}"), "crm-eu");
        assert_eq!(normalize("\u{FF01}\u{FF5E}"), "!~");
        // Outside the fold, characters are kept (lower-cased).
        assert_eq!(normalize("Société"), "société");
        assert_eq!(normalize("\u{FF5F}"), "\u{FF5F}");
        let p = Policy::default();
        let mut s = State::default();
        for name in ["Zillow", " zillow ", "Ｚｉｌｌｏｗ"] {
            let _ = run(&mut s, &p, ingest(name, "{}"));
        }
        assert_eq!(s.sources.len(), 1);
        assert_eq!(s.sources.get("zillow").map(|x| x.accepted), Some(3));
    }

    #[test]
    fn blocked_attempts_leave_only_a_counter_and_the_reason() {
        let p = Policy {
            max_payload_bytes: 4,
            keep_reasons: 2,
            ..Policy::default()
        };
        let mut s = State::default();
        let _ = run(&mut s, &p, ingest("craigslist", "secret"));
        let _ = run(&mut s, &p, ingest("zillow", "too long"));
        let _ = run(
            &mut s,
            &p,
            Command::SuspendSource {
                source: "Redfin".into(),
            },
        );
        let _ = run(&mut s, &p, ingest("redfin", "x"));
        let _ = run(&mut s, &p, ingest("redfin", "x"));
        let _ = run(&mut s, &p, ingest("redfin", "x"));
        let c = s.sources.get("craigslist").cloned();
        assert_eq!(c.as_ref().map(|c| (c.accepted, c.blocked)), Some((0, 1)));
        assert!(!serde_json::to_string(&s)
            .unwrap_or_default()
            .contains("secret"));
        assert_eq!(s.sources.get("zillow").map(|c| c.blocked), Some(1));
        assert_eq!(
            s.sources
                .get("redfin")
                .map(|c| (c.blocked, c.last_reasons.len())),
            Some((3, 2))
        );
        let _ = run(
            &mut s,
            &p,
            Command::AddSource {
                source: "REDFIN".into(),
            },
        );
        let _ = run(&mut s, &p, ingest("redfin", "x"));
        assert_eq!(s.sources.get("redfin").map(|c| c.accepted), Some(1));
        let _ = run(
            &mut s,
            &p,
            Command::RemoveSource {
                source: "redfin".into(),
            },
        );
        assert!(matches!(
            run(&mut s, &p, ingest("redfin", "x")).as_deref(),
            Ok([Event::IngestBlocked { .. }])
        ));
    }

    #[test]
    fn bad_inputs_give_typed_errors() {
        let p = Policy::default();
        let mut s = State::default();
        assert_eq!(run(&mut s, &p, ingest("  ", "x")), Err(Error::InvalidName));
        assert_eq!(
            run(
                &mut s,
                &p,
                Command::AddSource {
                    source: "Zillow".into()
                }
            ),
            Err(Error::AlreadyActive("zillow".into()))
        );
        assert_eq!(
            run(
                &mut s,
                &p,
                Command::RemoveSource {
                    source: "nope".into()
                }
            ),
            Err(Error::UnknownSource("nope".into()))
        );
        assert_eq!(
            run(
                &mut s,
                &p,
                Command::SuspendSource {
                    source: "nope".into()
                }
            ),
            Err(Error::UnknownSource("nope".into()))
        );
        let _ = run(
            &mut s,
            &p,
            Command::SuspendSource {
                source: "mls".into(),
            },
        );
        assert_eq!(
            run(
                &mut s,
                &p,
                Command::SuspendSource {
                    source: "mls".into()
                }
            ),
            Err(Error::AlreadySuspended("mls".into()))
        );
    }
}
