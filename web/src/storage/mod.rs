//! Browser storage: the only module that touches localStorage.
//!
//! The console stores the command log, not the state, so that saving one
//! action writes one small chunk and a small head instead of the whole engine
//! snapshot (9 MB at 10,000 audit entries, which took ~400 ms per action and
//! overflowed the quota). The engine is deterministic, so the state is rebuilt
//! on load by re-running the commands.
//!
//! Layout (format 2), one *generation* at a time:
//! - [`HEAD_KEY`]: a small record `{format, epoch, origin, revision, chunks, writer}`.
//!   It is written last, so a reader that sees it finds the data it describes;
//!   other tabs read only this key to learn whether anything changed.
//! - `brain.console.origin.<epoch>` (only when `origin` is true): the engine
//!   snapshot the commands start from, written once per generation (after a
//!   compaction, or an import whose commands do not rebuild it). Without it
//!   the commands start from an empty brain.
//! - `brain.console.log.<epoch>.<n>`: chunk `n`, a JSON array of the
//!   commands `n * CHUNK .. (n + 1) * CHUNK` after the origin. An action
//!   rewrites only the last chunk.
//! - Chunks `0..cold` (the head's `cold`, 0 until localStorage is full) are
//!   kept in IndexedDB under the same keys instead ([`crate::idb`]); only
//!   full chunks move, so an action still writes only here.
//!
//! A new generation (new epoch) replaces the whole log: reset, demo, import,
//! compaction, migration. Its keys are new, so a tab that still reads the
//! previous head never mixes the two; the previous generation's keys are
//! removed once the new head is written.
//!
//! Format 1 (one record `{format, revision, writer, snapshot}` under
//! [`LEGACY_KEY`]) is still read, to migrate existing users' data.

use std::ops::Range;

use brain_core::brain::Envelope;
use gloo_storage::{LocalStorage, Storage};
use serde::{de::DeserializeOwned, Serialize};

pub use format::*;

mod format;

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

/// Every key of the origin's localStorage.
fn all_keys() -> Vec<String> {
    let Ok(store) = raw_storage() else {
        return Vec::new();
    };
    let n = store.length().unwrap_or(0);
    (0..n).filter_map(|i| store.key(i).ok().flatten()).collect()
}

/// Every key of the console's stored state (the copies of corrupt data aside).
pub fn console_keys() -> Vec<String> {
    all_keys()
        .into_iter()
        .filter(|k| k.starts_with(PREFIX) && !k.starts_with(CORRUPT_KEY))
        .collect()
}

/// The stored head; `Ok(None)` when nothing is stored in format 2.
pub fn read_head() -> Result<Option<Head>, StorageError> {
    read_raw(HEAD_KEY)?.map(|raw| parse_head(&raw)).transpose()
}

/// The origin snapshot's JSON of `head`'s generation, if it has one.
pub fn read_origin(head: &Head) -> Result<Option<String>, StorageError> {
    if !head.origin {
        return Ok(None);
    }
    let key = origin_key(head.epoch);
    match read_raw(&key)? {
        Some(raw) => Ok(Some(raw)),
        None => Err(corrupt(&key, "the origin snapshot is missing")),
    }
}

/// Commands `want` of `head`'s generation (reads only the chunks that hold them).
pub fn read_commands(head: &Head, want: Range<usize>) -> Result<Vec<Envelope>, StorageError> {
    let range = chunks_for(want.clone());
    let mut chunks = Vec::with_capacity(range.len());
    for n in range.clone() {
        let key = chunk_key(head.epoch, n);
        let raw = if (n as u64) < head.cold {
            crate::idb::cached(&key).ok_or_else(|| StorageError::NotFetched { key: key.clone() })?
        } else {
            read_raw(&key)?.ok_or_else(|| corrupt(&key, "the chunk is missing"))?
        };
        chunks.push(parse_chunk(&key, &raw)?);
    }
    gather(head.epoch, range.start, chunks, want)
}

/// Append: write the chunks holding `log[from..]` (`log` is the whole log
/// after the origin), then the head. Only the last chunk or two change.
/// Chunks the head keeps in IndexedDB are not written here (the caller put
/// them there first).
pub fn append(head: &Head, log: &[Envelope], from: usize) -> Result<(), StorageError> {
    let from = from.max(head.cold as usize * CHUNK);
    for n in chunks_for(from..log.len()) {
        let end = ((n + 1) * CHUNK).min(log.len());
        write_raw(
            &chunk_key(head.epoch, n),
            &render_chunk(&log[n * CHUNK..end]),
        )?;
    }
    write_raw(HEAD_KEY, &render_head(head))
}

/// The chunks `from_cold..head.cold` of `log` (the whole log after the
/// origin), as (key, JSON): what moves to IndexedDB.
pub fn cold_chunks(head: &Head, log: &[Envelope], from_cold: u64) -> Vec<(String, String)> {
    (from_cold as usize..head.cold as usize)
        .filter_map(|n| {
            let chunk = log.get(n * CHUNK..(n + 1) * CHUNK)?;
            Some((chunk_key(head.epoch, n), render_chunk(chunk)))
        })
        .collect()
}

/// Replace the stored state by a new generation: its origin (if any), its
/// commands, then its head; the previous keys are removed afterwards. When
/// the new data does not fit beside the old, the new keys are removed and
/// the old generation stays, whole: stored data is never lost to a failed
/// write (the caller tells the user the change is not stored).
pub fn write_generation(
    head: &Head,
    origin: Option<&str>,
    log: &[Envelope],
) -> Result<(), StorageError> {
    let new_keys: Vec<String> = origin
        .map(|_| origin_key(head.epoch))
        .into_iter()
        .chain(
            chunks_for(0..log.len())
                .filter(|n| *n as u64 >= head.cold)
                .map(|n| chunk_key(head.epoch, n)),
        )
        .collect();
    let old_keys: Vec<String> = console_keys()
        .into_iter()
        .filter(|k| k != HEAD_KEY && !new_keys.contains(k))
        .collect();
    let write_all = || -> Result<(), StorageError> {
        if let Some(origin) = origin {
            write_raw(&origin_key(head.epoch), origin)?;
        }
        append(head, log, 0)
    };
    match write_all() {
        Ok(()) => {
            old_keys.iter().for_each(|k| remove(k));
            Ok(())
        }
        Err(e) => {
            // The old generation stays as it was: it is removed only once the
            // new one and its head are stored, never to make room (a quota
            // that removals do not free, or a second failure, would lose it).
            new_keys.iter().for_each(|k| remove(k));
            Err(e)
        }
    }
}

/// The key of the `n`th copy of unreadable data kept aside (1: [`CORRUPT_KEY`]
/// itself, as earlier consoles named it; then `brain.console.corrupt.<n>`).
pub fn corrupt_key(n: usize) -> String {
    if n <= 1 {
        CORRUPT_KEY.to_string()
    } else {
        format!("{CORRUPT_KEY}.{n}")
    }
}

/// Every copy of unreadable data kept aside, oldest first, as `(key, value)`.
pub fn corrupt_copies() -> Vec<(String, String)> {
    let mut copies: Vec<(usize, String, String)> = all_keys()
        .into_iter()
        .filter_map(|k| {
            let n = if k == CORRUPT_KEY {
                1
            } else {
                k.strip_prefix(CORRUPT_KEY)?
                    .strip_prefix('.')?
                    .parse()
                    .ok()?
            };
            let v = read_raw(&k).ok().flatten()?;
            Some((n, k, v))
        })
        .collect();
    copies.sort_by_key(|(n, _, _)| *n);
    copies.into_iter().map(|(_, k, v)| (k, v)).collect()
}

/// Move every stored key aside under a new copy key (see [`corrupt_key`]:
/// earlier copies are kept, never overwritten) for download, and return what
/// was kept. If even the copy does not fit, the originals stay where they
/// are: never lose them.
pub fn set_aside_corrupt() -> Option<String> {
    let keys = console_keys();
    let values: Vec<(String, String)> = keys
        .iter()
        .filter_map(|k| read_raw(k).ok().flatten().map(|v| (k.clone(), v)))
        .collect();
    if values.is_empty() {
        return None;
    }
    let bundle = corrupt_bundle(&values);
    let taken: Vec<String> = corrupt_copies().into_iter().map(|(k, _)| k).collect();
    let key = (1..)
        .map(corrupt_key)
        .find(|k| !taken.contains(k))
        .unwrap_or_else(|| corrupt_key(taken.len() + 1));
    if write_raw(&key, &bundle).is_ok() {
        keys.iter().for_each(|k| remove(k));
    }
    Some(bundle)
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
    use chrono::DateTime;

    fn commands(n: usize) -> Vec<Envelope> {
        let at = DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default();
        let log = brain_core::Brain::demo(at).log().to_vec();
        log.iter().cycle().take(n).cloned().collect()
    }

    fn chunked(log: &[Envelope]) -> Vec<Vec<Envelope>> {
        log.chunks(CHUNK).map(<[Envelope]>::to_vec).collect()
    }

    #[test]
    fn a_head_round_trips() {
        let head = Head::new(4, true, "tab \"a\"").at(CHUNK as u64 + 1, "tab-b");
        assert_eq!(head.chunks, 2);
        assert_eq!(parse_head(&render_head(&head)).unwrap(), head);
        assert!(head.same_data(&head.at(head.revision, "another tab")));
        assert!(!head.same_data(&head.at(head.revision + 1, "tab-b")));
    }

    #[test]
    fn a_late_head_of_the_same_generation_is_behind_and_another_generation_never_is() {
        let head = Head::new(4, true, "tab-a").at(7, "tab-a");
        assert!(head.at(6, "tab-b").behind(&head));
        assert!(!head.at(7, "tab-b").behind(&head));
        assert!(!head.at(8, "tab-b").behind(&head));
        assert!(
            !Head::new(5, true, "tab-b").behind(&head),
            "a new generation is news"
        );
    }

    #[test]
    fn malformed_newer_or_inconsistent_heads_are_corrupt() {
        for raw in [
            "{not json",
            "[]",
            r#"{"format":2,"epoch":1,"origin":false,"revision":-1,"chunks":0,"writer":"a"}"#,
            r#"{"format":2,"epoch":1,"origin":false,"revision":300,"chunks":1,"writer":"a"}"#,
            r#"{"format":1,"revision":1,"writer":"a","snapshot":{}}"#,
        ] {
            assert!(
                matches!(parse_head(raw), Err(StorageError::Corrupt { .. })),
                "{raw}"
            );
        }
        let newer = r#"{"format":3,"epoch":1,"origin":false,"revision":1,"chunks":1,"writer":"a"}"#;
        let err = parse_head(newer).unwrap_err();
        assert!(err.to_string().contains("newer console"), "{err}");
    }

    #[test]
    fn a_head_keeps_only_full_chunks_in_indexeddb_and_older_heads_still_read() {
        let head = Head::new(3, false, "a").at(2 * CHUNK as u64 + 5, "a");
        // Written as before while nothing is in IndexedDB.
        assert!(!render_head(&head).contains("cold"));
        let old = r#"{"format":2,"epoch":3,"origin":false,"revision":517,"chunks":3,"writer":"a"}"#;
        assert_eq!(parse_head(old).unwrap(), head);
        let moved = head.all_full_chunks_cold();
        assert_eq!(moved.cold, 2, "the last, partial chunk stays");
        assert_eq!(parse_head(&render_head(&moved)).unwrap(), moved);
        assert!(moved.same_data(&head), "moving chunks changes no data");
        assert_eq!(moved.at(moved.revision + 1, "b").cold, 2);
        let beyond = r#"{"format":2,"epoch":3,"origin":false,"revision":517,"chunks":3,"writer":"a","cold":3}"#;
        let err = parse_head(beyond).unwrap_err();
        assert!(err.to_string().contains("keeps 3 in IndexedDB"), "{err}");
    }

    #[test]
    fn the_chunks_that_move_are_the_full_ones_from_where_the_last_move_stopped() {
        let log = commands(3 * CHUNK + 7);
        let head = Head::new(4, false, "a")
            .at(log.len() as u64, "a")
            .all_full_chunks_cold();
        let moved = cold_chunks(&head, &log, 1);
        let keys: Vec<&str> = moved.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, vec![chunk_key(4, 1), chunk_key(4, 2)]);
        assert_eq!(
            parse_chunk(&moved[1].0, &moved[1].1).unwrap(),
            log[2 * CHUNK..3 * CHUNK].to_vec()
        );
    }

    #[test]
    fn a_chunk_kept_in_indexeddb_and_not_read_yet_says_so() {
        let head = Head::new(9, false, "a")
            .at(CHUNK as u64 + 1, "a")
            .all_full_chunks_cold();
        let err = read_commands(&head, 0..1).unwrap_err();
        assert_eq!(
            err,
            StorageError::NotFetched {
                key: chunk_key(9, 0)
            }
        );
    }

    #[test]
    fn two_tabs_starting_a_generation_from_one_head_get_different_later_epochs() {
        for seen in [0, 7, next_epoch(0, u32::MAX), next_epoch(5 << 32, 1)] {
            let (a, b) = (next_epoch(seen, 0x1234), next_epoch(seen, 0xbeef));
            assert_ne!(a, b, "after {seen}");
            assert!(a > seen && b > seen, "after {seen}: {a}, {b}");
            assert!(
                next_epoch(a, 0) > a.max(b),
                "the next generation after either is later"
            );
        }
    }

    #[test]
    fn chunks_cover_exactly_the_commands_asked_for() {
        assert_eq!(chunk_count(0), 0);
        assert_eq!(chunk_count(1), 1);
        assert_eq!(chunk_count(CHUNK as u64), 1);
        assert_eq!(chunk_count(CHUNK as u64 + 1), 2);
        assert_eq!(chunks_for(5..5), 0..0);
        assert_eq!(chunks_for(0..1), 0..1);
        // Appending command CHUNK rewrites only the new chunk.
        assert_eq!(chunks_for(CHUNK..CHUNK + 1), 1..2);
        assert_eq!(chunks_for(CHUNK - 1..CHUNK + 1), 0..2);
        assert_eq!(chunk_key(3, 7), "brain.console.log.3.7");
        assert_eq!(origin_key(3), "brain.console.origin.3");
    }

    #[test]
    fn gathering_returns_the_commands_in_order_from_any_position() {
        let log = commands(2 * CHUNK + 10);
        let chunks = chunked(&log);
        assert_eq!(gather(1, 0, chunks.clone(), 0..log.len()).unwrap(), log);
        // Only the new commands, from the chunks that hold them.
        let want = CHUNK + 3..2 * CHUNK + 10;
        let some = chunks[chunks_for(want.clone())].to_vec();
        assert_eq!(
            gather(1, 1, some, want.clone()).unwrap(),
            log[want].to_vec()
        );
        // A chunk may hold more than the head promises (a newer write): the extra is ignored.
        assert_eq!(gather(1, 0, chunks, 0..5).unwrap(), log[..5].to_vec());
    }

    #[test]
    fn missing_or_short_chunks_are_corrupt() {
        let log = commands(2 * CHUNK);
        let mut chunks = chunked(&log);
        let err = gather(1, 0, chunks.clone(), 0..2 * CHUNK + 1).unwrap_err();
        assert!(err.to_string().contains("promises commands up to"), "{err}");
        chunks[0].pop();
        let err = gather(1, 0, chunks, 0..2 * CHUNK - 1).unwrap_err();
        assert!(
            matches!(&err, StorageError::Corrupt { key, .. } if key == "brain.console.log.1.0"),
            "{err}"
        );
    }

    #[test]
    fn a_chunk_round_trips_and_garbage_is_corrupt() {
        let log = commands(7);
        let raw = render_chunk(&log);
        assert_eq!(parse_chunk("k", &raw).unwrap(), log);
        assert!(matches!(
            parse_chunk("k", "[{\"block\":\"nope\"}]"),
            Err(StorageError::Corrupt { .. })
        ));
    }

    #[test]
    fn a_format_1_record_round_trips_for_migration() {
        let raw = render_legacy_record(7, "tab \"a\"", r#"{"schema_version":1,"x":[1,2]}"#);
        let rec = parse_legacy_record(&raw).unwrap();
        assert_eq!(rec.revision, 7);
        assert_eq!(rec.writer, "tab \"a\"");
        assert_eq!(rec.snapshot, r#"{"schema_version":1,"x":[1,2]}"#);
        for raw in [
            "{not json",
            r#"{"format":1,"revision":-1,"writer":"a","snapshot":{}}"#,
            r#"{"format":2,"revision":1,"writer":"a","snapshot":{}}"#,
        ] {
            assert!(
                matches!(parse_legacy_record(raw), Err(StorageError::Corrupt { .. })),
                "{raw}"
            );
        }
    }

    #[test]
    fn corrupt_data_is_kept_as_it_was() {
        let one = vec![("brain.console.state".to_string(), "{garbage".to_string())];
        assert_eq!(corrupt_bundle(&one), "{garbage");
        let two = vec![
            (
                "brain.console.head".to_string(),
                "{\"format\":2".to_string(),
            ),
            ("brain.console.log.1.0".to_string(), "[oops".to_string()),
        ];
        let bundle: serde_json::Value = serde_json::from_str(&corrupt_bundle(&two)).unwrap();
        assert_eq!(bundle["brain.console.log.1.0"], "[oops");
        assert_eq!(bundle["brain.console.head"], "{\"format\":2");
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
    use chrono::DateTime;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct Sample {
        name: String,
        count: u32,
    }

    fn clear() {
        console_keys().iter().for_each(|k| remove(k));
        corrupt_copies().iter().for_each(|(k, _)| remove(k));
    }

    fn commands(n: usize) -> Vec<Envelope> {
        let at = DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default();
        let log = brain_core::Brain::demo(at).log().to_vec();
        log.iter().cycle().take(n).cloned().collect()
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
    fn appended_commands_read_back_and_an_append_rewrites_only_the_last_chunk() {
        clear();
        let log = commands(CHUNK + 5);
        let head = Head::new(1, false, "tab-1");
        write_generation(&head.at(CHUNK as u64, "tab-1"), None, &log[..CHUNK]).unwrap();
        // Mark the full first chunk: an append must not rewrite it.
        let first = read_raw(&chunk_key(1, 0)).unwrap().unwrap();
        write_raw(&chunk_key(1, 0), &format!(" {first}")).unwrap();
        for n in CHUNK..log.len() {
            append(&head.at(n as u64 + 1, "tab-1"), &log[..=n], n).unwrap();
        }
        let stored = read_head().unwrap().unwrap();
        assert_eq!(stored, head.at(log.len() as u64, "tab-1"));
        assert!(read_raw(&chunk_key(1, 0))
            .unwrap()
            .unwrap()
            .starts_with(' '));
        assert_eq!(read_commands(&stored, 0..log.len()).unwrap(), log);
        assert_eq!(
            read_commands(&stored, CHUNK + 2..log.len()).unwrap(),
            log[CHUNK + 2..].to_vec(),
            "another tab reads only the commands it has not seen"
        );
        clear();
    }

    #[wasm_bindgen_test]
    fn a_new_generation_replaces_every_previous_key() {
        clear();
        write_raw(LEGACY_KEY, "{\"format\":1}").unwrap();
        let log = commands(300);
        write_generation(&Head::new(1, false, "a").at(300, "a"), None, &log).unwrap();
        let head = Head::new(2, true, "a").at(3, "a");
        write_generation(&head, Some("{\"origin\":1}"), &log[..3]).unwrap();
        let mut keys = console_keys();
        keys.sort();
        assert_eq!(
            keys,
            vec![HEAD_KEY.to_string(), chunk_key(2, 0), origin_key(2)],
            "the previous generation and the format-1 record are gone"
        );
        assert_eq!(
            read_origin(&head).unwrap().as_deref(),
            Some("{\"origin\":1}")
        );
        assert_eq!(read_commands(&head, 0..3).unwrap(), log[..3].to_vec());
        clear();
    }

    #[wasm_bindgen_test]
    fn a_generation_too_big_to_store_leaves_the_stored_one_intact() {
        clear();
        let log = commands(10);
        let head = Head::new(1, false, "a").at(10, "a");
        write_generation(&head, None, &log).unwrap();
        let big = "x".repeat(12 * 1024 * 1024);
        let err = write_generation(&Head::new(2, true, "a"), Some(&big), &[]).unwrap_err();
        assert!(err.is_quota(), "{err}");
        assert_eq!(read_head().unwrap(), Some(head.clone()));
        assert_eq!(read_commands(&head, 0..10).unwrap(), log);
        assert_eq!(read_raw(&origin_key(2)).unwrap(), None);
        clear();
    }

    #[wasm_bindgen_test]
    fn a_missing_chunk_or_origin_is_a_typed_error() {
        clear();
        let head = Head::new(5, true, "a").at(3, "a");
        assert!(matches!(
            read_origin(&head),
            Err(StorageError::Corrupt { .. })
        ));
        assert!(matches!(
            read_commands(&head, 0..3),
            Err(StorageError::Corrupt { key, .. }) if key == chunk_key(5, 0)
        ));
    }

    #[wasm_bindgen_test]
    fn corrupt_state_is_set_aside_not_lost() {
        clear();
        write_raw(LEGACY_KEY, "{garbage").unwrap();
        assert_eq!(set_aside_corrupt().as_deref(), Some("{garbage"));
        assert_eq!(read_raw(LEGACY_KEY).unwrap(), None);
        assert_eq!(read_raw(CORRUPT_KEY).unwrap().as_deref(), Some("{garbage"));
        // Several keys are kept together, each as it was.
        write_raw(HEAD_KEY, "{\"format\":2").unwrap();
        write_raw(&chunk_key(1, 0), "[oops").unwrap();
        let kept = set_aside_corrupt().unwrap();
        let kept: serde_json::Value = serde_json::from_str(&kept).unwrap();
        assert_eq!(kept[HEAD_KEY], "{\"format\":2");
        assert_eq!(kept[chunk_key(1, 0)], "[oops");
        assert_eq!(console_keys(), Vec::<String>::new());
        // The second corruption did not overwrite the first copy.
        let copies = corrupt_copies();
        assert_eq!(copies.len(), 2);
        assert_eq!(copies[0], (CORRUPT_KEY.to_string(), "{garbage".to_string()));
        assert_eq!(copies[1].0, corrupt_key(2));
        clear();
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
