//! The stored log's format: keys, the head record, chunks and the legacy record, parsed and
//! rendered without touching the browser (so they are tested natively). The parent module
//! reads and writes them in localStorage.

use std::ops::Range;

use brain_core::brain::Envelope;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// Where the console keeps the head of its stored log.
pub const HEAD_KEY: &str = "brain.console.head";
/// Where format 1 kept the whole snapshot (read only, to migrate it).
pub const LEGACY_KEY: &str = "brain.console.state";
/// Where unreadable state is kept aside, for download, instead of being lost.
pub const CORRUPT_KEY: &str = "brain.console.corrupt";
/// Where this browser keeps the audit tree head it accepted last (the witness,
/// [`crate::witness`]). Outside [`PREFIX`]: a new generation removes the
/// previous generation's keys, and the witness must outlive them.
pub const WITNESS_KEY: &str = "brain.witness";
/// Every key of the console's stored state starts with this.
pub const PREFIX: &str = "brain.console.";
/// The storage format this console writes (the origin snapshot has its own schema version).
pub const FORMAT: u32 = 2;
/// The Web Lock (`navigator.locks`) every tab holds while it reads the head
/// and writes the stored log.
pub const LOCK_NAME: &str = "brain.console.log";
/// Commands per chunk: small enough that rewriting the last chunk is cheap
/// (~40 KB), large enough that loading 10,000 commands reads ~40 keys.
pub const CHUNK: usize = 256;

/// Why reading or writing browser storage failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StorageError {
    /// The browser refused the write: quota exceeded, or storage disabled.
    #[error("the browser refused to store {key:?} ({bytes} bytes): {reason}")]
    Write {
        key: String,
        bytes: usize,
        reason: String,
    },
    /// The stored value is not what this version of the console can read.
    #[error("the stored value under {key:?} is unreadable: {reason}")]
    Corrupt { key: String, reason: String },
    /// localStorage itself is not available (private mode, disabled).
    #[error("browser storage is not available: {0}")]
    Unavailable(String),
    /// The chunk is kept in IndexedDB and was not read yet: the caller
    /// awaits [`crate::idb::fetch`] and reads again.
    #[error("{key:?} is kept in IndexedDB and was not read yet")]
    NotFetched { key: String },
}

impl StorageError {
    /// Whether the write failed for lack of space (the caller can compact and retry).
    pub fn is_quota(&self) -> bool {
        matches!(self, StorageError::Write { reason, .. } if reason.contains("Quota") || reason.contains("quota"))
    }
}

pub(crate) fn corrupt(key: &str, reason: impl Into<String>) -> StorageError {
    StorageError::Corrupt {
        key: key.to_string(),
        reason: reason.into(),
    }
}

/// The head record under [`HEAD_KEY`]: which generation is stored and how
/// many commands it holds. Small on purpose: every action and every other
/// tab reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    /// Storage format ([`FORMAT`]).
    pub format: u32,
    /// The generation: grows whenever the log is replaced as a whole.
    pub epoch: u64,
    /// Whether the generation has an origin snapshot (else: an empty brain).
    pub origin: bool,
    /// Commands stored after the origin; grows by one with every action.
    pub revision: u64,
    /// Chunk keys holding them (`ceil(revision / CHUNK)`).
    pub chunks: u64,
    /// The tab that wrote last.
    pub writer: String,
    /// Chunks `0..cold` live in IndexedDB ([`crate::idb`]), the rest here:
    /// set once localStorage is full, so a long history moves instead of
    /// being compacted away. Only full chunks move (they never change), so
    /// every action still writes only here. Absent (0) in heads written
    /// before IndexedDB was used.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub cold: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Head {
    /// The head of an empty generation `epoch`.
    pub fn new(epoch: u64, origin: bool, writer: &str) -> Self {
        Head {
            format: FORMAT,
            epoch,
            origin,
            revision: 0,
            chunks: 0,
            writer: writer.to_string(),
            cold: 0,
        }
    }

    /// The same generation holding `revision` commands, written by `writer`.
    pub fn at(&self, revision: u64, writer: &str) -> Self {
        Head {
            revision,
            chunks: chunk_count(revision),
            writer: writer.to_string(),
            ..self.clone()
        }
    }

    /// The same head with every full chunk kept in IndexedDB.
    pub fn all_full_chunks_cold(&self) -> Self {
        Head {
            cold: self.revision / CHUNK as u64,
            ..self.clone()
        }
    }

    /// Whether `other` describes the same stored data (the writer aside).
    pub fn same_data(&self, other: &Head) -> bool {
        self.epoch == other.epoch && self.origin == other.origin && self.revision == other.revision
    }

    /// Whether this head is an earlier state of `other`'s generation: a
    /// storage event that arrives after this tab's own save already took its
    /// commands in (revisions only grow within a generation), not news.
    pub fn behind(&self, other: &Head) -> bool {
        self.epoch == other.epoch && self.revision < other.revision
    }
}

/// The epoch of a new generation after `seen` (the newest epoch known):
/// the next count in the high bits, this tab's `nonce` in the low 32, so two
/// tabs that start a generation from the same head get different epochs
/// (different keys, and heads that never look alike). Older epochs (small
/// counts, no nonce) are below every new one. JavaScript reads the epoch as
/// a number, exact for the first 2^21 generations.
pub fn next_epoch(seen: u64, nonce: u32) -> u64 {
    (((seen >> 32) + 1) << 32) | u64::from(nonce)
}

/// Chunks needed for `revision` commands.
pub fn chunk_count(revision: u64) -> u64 {
    revision.div_ceil(CHUNK as u64)
}

/// The chunks that hold commands `commands` (empty range: none).
pub fn chunks_for(commands: Range<usize>) -> Range<usize> {
    if commands.is_empty() {
        return 0..0;
    }
    commands.start / CHUNK..commands.end.div_ceil(CHUNK)
}

/// The key of chunk `n` of generation `epoch`.
pub fn chunk_key(epoch: u64, n: usize) -> String {
    format!("{PREFIX}log.{epoch}.{n}")
}

/// The key of generation `epoch`'s origin snapshot.
pub fn origin_key(epoch: u64) -> String {
    format!("{PREFIX}origin.{epoch}")
}

/// Parse a head record; anything else (including a newer format) is corrupt.
pub fn parse_head(raw: &str) -> Result<Head, StorageError> {
    #[derive(Deserialize)]
    struct Format {
        format: u32,
    }
    let format = serde_json::from_str::<Format>(raw)
        .map_err(|e| corrupt(HEAD_KEY, e.to_string()))?
        .format;
    if format != FORMAT {
        return Err(corrupt(
            HEAD_KEY,
            if format > FORMAT {
                format!("it was written by a newer console (storage format {format}, this console reads up to {FORMAT})")
            } else {
                format!("storage format {format} does not belong under this key")
            },
        ));
    }
    let head: Head = serde_json::from_str(raw).map_err(|e| corrupt(HEAD_KEY, e.to_string()))?;
    if head.chunks != chunk_count(head.revision) {
        return Err(corrupt(
            HEAD_KEY,
            format!(
                "{} commands need {} chunks, the head says {}",
                head.revision,
                chunk_count(head.revision),
                head.chunks
            ),
        ));
    }
    if head.cold * CHUNK as u64 > head.revision {
        return Err(corrupt(
            HEAD_KEY,
            format!(
                "{} commands fill {} chunks, the head keeps {} in IndexedDB",
                head.revision,
                head.revision / CHUNK as u64,
                head.cold
            ),
        ));
    }
    Ok(head)
}

/// Serialise a head record.
pub fn render_head(head: &Head) -> String {
    serde_json::to_string(head).unwrap_or_default()
}

/// Serialise one chunk of commands.
pub fn render_chunk(commands: &[Envelope]) -> String {
    serde_json::to_string(commands).unwrap_or_else(|_| "[]".into())
}

/// Parse the chunk stored under `key`. Commands stored before the engine's
/// schema 2 may use its old field names (`EvaluateGates { clone }`): they
/// are renamed (`brain_core::migrate_v2::rename_command`) before reading.
pub fn parse_chunk(key: &str, raw: &str) -> Result<Vec<Envelope>, StorageError> {
    let values: Vec<serde_json::Value> =
        serde_json::from_str(raw).map_err(|e| corrupt(key, e.to_string()))?;
    values
        .into_iter()
        .map(|mut v| {
            brain_core::migrate_v2::rename_command(&mut v);
            serde_json::from_value(v).map_err(|e| corrupt(key, e.to_string()))
        })
        .collect()
}

/// Commands `want` out of the chunks `first..` (as read, in order): checks
/// that every chunk but the last is full and that the commands are there.
pub fn gather(
    epoch: u64,
    first: usize,
    chunks: Vec<Vec<Envelope>>,
    want: Range<usize>,
) -> Result<Vec<Envelope>, StorageError> {
    let last = first + chunks.len().saturating_sub(1);
    let mut all = Vec::with_capacity(chunks.len() * CHUNK);
    for (i, chunk) in chunks.into_iter().enumerate() {
        let n = first + i;
        if n < last && chunk.len() != CHUNK {
            return Err(corrupt(
                &chunk_key(epoch, n),
                format!("chunk {n} holds {} commands, not {CHUNK}", chunk.len()),
            ));
        }
        all.extend(chunk);
    }
    let offset = first * CHUNK;
    let (from, to) = (
        want.start.saturating_sub(offset),
        want.end.saturating_sub(offset),
    );
    if want.start < offset || to > all.len() {
        return Err(corrupt(
            &chunk_key(epoch, last),
            format!(
                "the head promises commands up to {}, the chunks hold {}",
                want.end,
                offset + all.len()
            ),
        ));
    }
    all.truncate(to);
    all.drain(..from);
    Ok(all)
}

/// The record under [`LEGACY_KEY`] (format 1), as read back.
#[derive(Deserialize)]
struct RecordIn<'a> {
    format: u32,
    revision: u64,
    writer: String,
    #[serde(borrow)]
    snapshot: &'a RawValue,
}

/// A format-1 record: the whole engine snapshot (what the console stored
/// before the log was stored in chunks).
#[derive(Debug, Clone, PartialEq)]
pub struct LegacyRecord {
    /// Grew by one with every save.
    pub revision: u64,
    /// The tab that wrote it.
    pub writer: String,
    /// The engine's snapshot, as JSON (migrated by the engine on load).
    pub snapshot: String,
}

/// Parse a format-1 record; any problem is a [`StorageError::Corrupt`].
pub fn parse_legacy_record(raw: &str) -> Result<LegacyRecord, StorageError> {
    let rec: RecordIn =
        serde_json::from_str(raw).map_err(|e| corrupt(LEGACY_KEY, e.to_string()))?;
    if rec.format != 1 {
        return Err(corrupt(
            LEGACY_KEY,
            format!(
                "storage format {} is not the format 1 this key held",
                rec.format
            ),
        ));
    }
    Ok(LegacyRecord {
        revision: rec.revision,
        writer: rec.writer,
        snapshot: rec.snapshot.get().to_string(),
    })
}

/// Serialise a format-1 record (the tests write one to check the migration).
#[cfg(test)]
pub fn render_legacy_record(revision: u64, writer: &str, snapshot: &str) -> String {
    let writer = serde_json::to_string(writer).unwrap_or_else(|_| "\"\"".into());
    format!(r#"{{"format":1,"revision":{revision},"writer":{writer},"snapshot":{snapshot}}}"#)
}

/// What corrupt data is kept as: one key's value as it was, or, for several
/// keys, a JSON object from key to value.
pub fn corrupt_bundle(values: &[(String, String)]) -> String {
    match values {
        [(_, raw)] => raw.clone(),
        _ => {
            let map: serde_json::Map<String, serde_json::Value> = values
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect();
            serde_json::Value::Object(map).to_string()
        }
    }
}
