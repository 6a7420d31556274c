//! Browser storage: the only module that touches localStorage.
//!
//! The console keeps one record under [`STATE_KEY`]: the engine's versioned
//! snapshot wrapped with a storage format number, a revision that grows with
//! every save, and the id of the tab that wrote it. The revision lets two tabs
//! notice each other's writes; the format lets a later console migrate it.

use gloo_storage::{LocalStorage, Storage};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use serde_json::value::RawValue;

/// Where the console keeps its state.
pub const STATE_KEY: &str = "brain.console.state";
/// Where unreadable state is kept aside, for download, instead of being lost.
pub const CORRUPT_KEY: &str = "brain.console.corrupt";
/// The storage record's format (the snapshot inside has its own schema version).
pub const FORMAT: u32 = 1;

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
}

impl StorageError {
    /// Whether the write failed for lack of space (the caller can compact and retry).
    pub fn is_quota(&self) -> bool {
        matches!(self, StorageError::Write { reason, .. } if reason.contains("Quota") || reason.contains("quota"))
    }
}

/// The record under [`STATE_KEY`], as read back.
#[derive(Deserialize)]
struct RecordIn<'a> {
    format: u32,
    revision: u64,
    writer: String,
    #[serde(borrow)]
    snapshot: &'a RawValue,
}

/// The head of a stored record: enough to know whether another tab wrote.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Head {
    /// Grows by one with every save.
    pub revision: u64,
    /// The tab that wrote it.
    pub writer: String,
}

/// A stored record: its head and the engine snapshot's JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Revision and writer.
    pub head: Head,
    /// The engine's snapshot, as JSON (migrated by the engine on load).
    pub snapshot: String,
}

/// Parse a stored record; any problem is a [`StorageError::Corrupt`].
pub fn parse_record(raw: &str) -> Result<Record, StorageError> {
    let corrupt = |reason: String| StorageError::Corrupt {
        key: STATE_KEY.to_string(),
        reason,
    };
    let rec: RecordIn = serde_json::from_str(raw).map_err(|e| corrupt(e.to_string()))?;
    if rec.format > FORMAT {
        return Err(corrupt(format!(
            "it was written by a newer console (storage format {}, this console reads up to {FORMAT})",
            rec.format
        )));
    }
    Ok(Record {
        head: Head {
            revision: rec.revision,
            writer: rec.writer,
        },
        snapshot: rec.snapshot.get().to_string(),
    })
}

/// Serialise a record; `snapshot` must be the engine's snapshot JSON.
pub fn render_record(head: &Head, snapshot: &str) -> String {
    let writer = serde_json::to_string(&head.writer).unwrap_or_else(|_| "\"\"".into());
    format!(
        r#"{{"format":{FORMAT},"revision":{},"writer":{writer},"snapshot":{snapshot}}}"#,
        head.revision
    )
}

fn raw_storage() -> Result<web_sys::Storage, StorageError> {
    web_sys::window()
        .ok_or_else(|| StorageError::Unavailable("no window".into()))?
        .local_storage()
        .map_err(|e| StorageError::Unavailable(format!("{e:?}")))?
        .ok_or_else(|| StorageError::Unavailable("localStorage is disabled".into()))
}

fn js_reason(e: wasm_bindgen::JsValue) -> String {
    use wasm_bindgen::JsCast;
    match e.dyn_ref::<web_sys::DomException>() {
        Some(d) => format!("{}: {}", d.name(), d.message()),
        None => format!("{e:?}"),
    }
}

/// The raw string under `key`, if any.
pub fn read_raw(key: &str) -> Result<Option<String>, StorageError> {
    raw_storage()?
        .get_item(key)
        .map_err(|e| StorageError::Unavailable(js_reason(e)))
}

/// Write a raw string under `key`.
pub fn write_raw(key: &str, value: &str) -> Result<(), StorageError> {
    raw_storage()?
        .set_item(key, value)
        .map_err(|e| StorageError::Write {
            key: key.to_string(),
            bytes: value.len(),
            reason: js_reason(e),
        })
}

/// Read the stored record; `Ok(None)` when nothing is stored.
pub fn read_record() -> Result<Option<Record>, StorageError> {
    read_raw(STATE_KEY)?
        .map(|raw| parse_record(&raw))
        .transpose()
}

/// The head of the stored record, without parsing the snapshot's content.
pub fn read_head() -> Option<Head> {
    read_record().ok().flatten().map(|r| r.head)
}

/// Write the record.
pub fn write_record(head: &Head, snapshot: &str) -> Result<(), StorageError> {
    write_raw(STATE_KEY, &render_record(head, snapshot))
}

/// Move the unreadable value aside (kept for download) and clear the state key.
pub fn set_aside_corrupt() -> Option<String> {
    let raw = read_raw(STATE_KEY).ok().flatten()?;
    // If even the copy does not fit, keep the original where it is: never lose it.
    if write_raw(CORRUPT_KEY, &raw).is_ok() {
        remove(STATE_KEY);
    }
    Some(raw)
}

/// Store `value` as JSON under `key`.
pub fn save<T: Serialize>(key: &str, value: &T) -> Result<(), StorageError> {
    LocalStorage::set(key, value).map_err(|e| StorageError::Write {
        key: key.to_string(),
        bytes: 0,
        reason: e.to_string(),
    })
}

/// Load the JSON value under `key`; `Ok(None)` when nothing is stored.
pub fn load<T: DeserializeOwned>(key: &str) -> Result<Option<T>, StorageError> {
    match LocalStorage::get(key) {
        Ok(v) => Ok(Some(v)),
        Err(gloo_storage::errors::StorageError::KeyNotFound(_)) => Ok(None),
        Err(e) => Err(StorageError::Corrupt {
            key: key.to_string(),
            reason: e.to_string(),
        }),
    }
}

/// Remove the value under `key`.
pub fn remove(key: &str) {
    LocalStorage::delete(key);
}

#[cfg(test)]
mod native_tests {
    use super::*;

    #[test]
    fn a_record_round_trips_with_its_head() {
        let head = Head {
            revision: 7,
            writer: "tab \"a\"".into(),
        };
        let raw = render_record(&head, r#"{"schema_version":1,"x":[1,2]}"#);
        let rec = parse_record(&raw).unwrap();
        assert_eq!(rec.head, head);
        assert_eq!(rec.snapshot, r#"{"schema_version":1,"x":[1,2]}"#);
    }

    #[test]
    fn malformed_or_newer_records_are_corrupt() {
        for raw in [
            "{not json",
            "[]",
            r#"{"format":1,"revision":-1,"writer":"a","snapshot":{}}"#,
        ] {
            assert!(
                matches!(parse_record(raw), Err(StorageError::Corrupt { .. })),
                "{raw}"
            );
        }
        let newer = r#"{"format":99,"revision":1,"writer":"a","snapshot":{}}"#;
        let err = parse_record(newer).unwrap_err();
        assert!(err.to_string().contains("newer console"), "{err}");
    }

    #[test]
    fn only_quota_failures_invite_compaction() {
        let quota = StorageError::Write {
            key: "k".into(),
            bytes: 9,
            reason: "QuotaExceededError: full".into(),
        };
        let other = StorageError::Write {
            key: "k".into(),
            bytes: 9,
            reason: "SecurityError".into(),
        };
        assert!(quota.is_quota());
        assert!(!other.is_quota());
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct Sample {
        name: String,
        count: u32,
    }

    #[wasm_bindgen_test]
    fn round_trip_keeps_the_value() {
        let key = "brain-test-round-trip";
        let value = Sample {
            name: "Zillow".into(),
            count: 3,
        };
        save(key, &value).unwrap();
        assert_eq!(load::<Sample>(key).unwrap(), Some(value));
        remove(key);
        assert_eq!(load::<Sample>(key).unwrap(), None);
    }

    #[wasm_bindgen_test]
    fn corrupt_value_is_a_typed_error() {
        let key = "brain-test-corrupt";
        write_raw(key, "{not json").unwrap();
        assert!(matches!(
            load::<Sample>(key),
            Err(StorageError::Corrupt { .. })
        ));
        remove(key);
    }

    #[wasm_bindgen_test]
    fn the_state_record_round_trips_through_local_storage() {
        let head = Head {
            revision: 3,
            writer: "tab-1".into(),
        };
        write_record(&head, r#"{"schema_version":1}"#).unwrap();
        let rec = read_record().unwrap().unwrap();
        assert_eq!(rec.head, head);
        assert_eq!(read_head(), Some(head));
        remove(STATE_KEY);
        assert_eq!(read_record().unwrap(), None);
    }

    #[wasm_bindgen_test]
    fn corrupt_state_is_set_aside_not_lost() {
        write_raw(STATE_KEY, "{garbage").unwrap();
        assert!(matches!(read_record(), Err(StorageError::Corrupt { .. })));
        assert_eq!(set_aside_corrupt().as_deref(), Some("{garbage"));
        assert_eq!(read_raw(STATE_KEY).unwrap(), None);
        assert_eq!(read_raw(CORRUPT_KEY).unwrap().as_deref(), Some("{garbage"));
        remove(CORRUPT_KEY);
    }

    #[wasm_bindgen_test]
    fn a_write_beyond_the_quota_is_a_quota_error() {
        // Chromium allows about 5 million characters per origin.
        let big = "x".repeat(12 * 1024 * 1024);
        let err = write_raw("brain-test-big", &big).unwrap_err();
        assert!(err.is_quota(), "{err}");
        remove("brain-test-big");
    }
}
