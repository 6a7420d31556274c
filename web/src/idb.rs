//! IndexedDB, where the stored log's full chunks move when localStorage
//! (about 5 MiB per origin) cannot hold them.
//!
//! Why: compacting a long history into a snapshot loses the commands that
//! what-if replays and the audit export shows; IndexedDB holds hundreds of
//! megabytes. Why only the full chunks: a full chunk never changes, so the
//! every-action write (the last chunk and the head) stays synchronous in
//! localStorage, the head stays the one key other tabs listen to (the
//! `storage` event), and the chunks kept here can be cached by key for as
//! long as a tab needs them (see [`crate::storage`], `Head::cold`).
//!
//! IndexedDB is asynchronous: [`fetch`] reads a generation's chunks into a
//! cache that the synchronous readers of [`crate::storage`] consult; the
//! callers (`replay`, `sync`) await it before reading. web-sys is used
//! directly (a promise per request or transaction, ~150 lines) rather than a
//! wrapper crate: the console needs three operations, and web-sys is
//! already a dependency.

use std::cell::RefCell;
use std::collections::HashMap;

use js_sys::Promise;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbRequest, IdbTransaction, IdbTransactionMode};

use crate::storage::{chunk_key, Head, StorageError};

/// The console's database.
pub const DB_NAME: &str = "brain.console";
/// Its one object store: chunk key -> the chunk's JSON, as localStorage holds it
/// (and the save fence, [`crate::fence`]).
pub const STORE: &str = "chunks";

thread_local! {
    /// Chunks read from IndexedDB, by key (a full chunk never changes, so a
    /// cached one is never stale).
    static CACHE: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
}

/// The chunk under `key` if [`fetch`] read it.
pub fn cached(key: &str) -> Option<String> {
    CACHE.with(|c| c.borrow().get(key).cloned())
}

/// Drop the cache (after a replay: the chunks now live in the engine).
pub fn forget() {
    CACHE.with(|c| c.borrow_mut().clear());
}

/// Whether every chunk `head` keeps in IndexedDB is cached.
pub fn fetched(head: &Head) -> bool {
    CACHE.with(|c| {
        let c = c.borrow();
        (0..head.cold as usize).all(|n| c.contains_key(&chunk_key(head.epoch, n)))
    })
}

fn failed(key: &str, bytes: usize, e: impl Into<String>) -> StorageError {
    StorageError::Write {
        key: key.to_string(),
        bytes,
        reason: e.into(),
    }
}

fn reason(e: JsValue) -> String {
    match e.dyn_ref::<web_sys::DomException>() {
        Some(d) => format!("{}: {}", d.name(), d.message()),
        None => e
            .dyn_ref::<web_sys::Event>()
            .and_then(|ev| ev.target())
            .and_then(|t| t.dyn_into::<IdbRequest>().ok())
            .and_then(|r| r.error().ok().flatten())
            .map_or_else(
                || format!("{e:?}"),
                |d| format!("{}: {}", d.name(), d.message()),
            ),
    }
}

/// A request's result, once it succeeded.
async fn request(req: &IdbRequest) -> Result<JsValue, String> {
    let promise = Promise::new(&mut |resolve, reject| {
        req.set_onsuccess(Some(&resolve));
        req.set_onerror(Some(&reject));
    });
    let done = JsFuture::from(promise).await;
    req.set_onsuccess(None);
    req.set_onerror(None);
    done.map_err(reason)?;
    req.result().map_err(reason)
}

/// Resolves when `tx` commits; its error (a full disk: `QuotaExceededError`) otherwise.
async fn committed(tx: &IdbTransaction) -> Result<(), String> {
    let promise = Promise::new(&mut |resolve, reject| {
        tx.set_oncomplete(Some(&resolve));
        tx.set_onerror(Some(&reject));
        tx.set_onabort(Some(&reject));
    });
    let done = JsFuture::from(promise).await;
    if done.is_err() {
        return Err(tx.error().map_or_else(
            || "the transaction was aborted".into(),
            |d| format!("{}: {}", d.name(), d.message()),
        ));
    }
    Ok(())
}

/// Open (creating on first use) the console's database.
async fn open() -> Result<IdbDatabase, String> {
    let factory = web_sys::window()
        .ok_or("no window")?
        .indexed_db()
        .map_err(reason)?
        .ok_or("IndexedDB is not available")?;
    let req = factory.open_with_u32(DB_NAME, 1).map_err(reason)?;
    let upgrade = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(
        move |ev: web_sys::Event| {
            let db = ev
                .target()
                .and_then(|t| t.dyn_into::<IdbRequest>().ok())
                .and_then(|r| r.result().ok())
                .and_then(|r| r.dyn_into::<IdbDatabase>().ok());
            if let Some(db) = db {
                if !db.object_store_names().contains(STORE) {
                    let _ = db.create_object_store(STORE);
                }
            }
        },
    );
    req.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let db = request(&req).await;
    req.set_onupgradeneeded(None);
    db?.dyn_into::<IdbDatabase>()
        .map_err(|_| "IndexedDB did not open a database".into())
}

fn store(
    db: &IdbDatabase,
    mode: IdbTransactionMode,
) -> Result<(IdbTransaction, IdbObjectStore), String> {
    let tx = db
        .transaction_with_str_and_mode(STORE, mode)
        .map_err(reason)?;
    let store = tx.object_store(STORE).map_err(reason)?;
    Ok((tx, store))
}

/// Whether this browser offers IndexedDB at all (else a full localStorage
/// compacts, as before).
pub fn available() -> bool {
    web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .is_some()
}

/// Store `chunks` (key, JSON) in one transaction: all or none.
pub async fn put(chunks: &[(String, String)]) -> Result<(), StorageError> {
    let bytes = chunks.iter().map(|(_, v)| v.len()).sum();
    let first = chunks.first().map_or(STORE, |(k, _)| k.as_str());
    let db = open().await.map_err(|e| failed(first, bytes, e))?;
    let (tx, store) =
        store(&db, IdbTransactionMode::Readwrite).map_err(|e| failed(first, bytes, e))?;
    for (key, value) in chunks {
        store
            .put_with_key(&JsValue::from_str(value), &JsValue::from_str(key))
            .map_err(|e| failed(key, value.len(), reason(e)))?;
    }
    let result = committed(&tx).await.map_err(|e| failed(first, bytes, e));
    db.close();
    result
}

/// The value stored under `key` (the save fence, [`crate::fence`]), if any.
pub async fn get(key: &str) -> Result<Option<String>, String> {
    let db = open().await?;
    let value = match store(&db, IdbTransactionMode::Readonly) {
        Ok((_tx, store)) => match store.get(&JsValue::from_str(key)) {
            Ok(req) => request(&req).await,
            Err(e) => Err(reason(e)),
        },
        Err(e) => Err(e),
    };
    db.close();
    Ok(value?.as_string())
}

/// Read every chunk `head` keeps in IndexedDB into the cache (those not
/// cached yet); a missing chunk is corrupt data, named by its key.
pub async fn fetch(head: &Head) -> Result<(), StorageError> {
    let keys: Vec<String> = (0..head.cold as usize)
        .map(|n| chunk_key(head.epoch, n))
        .filter(|k| cached(k).is_none())
        .collect();
    if keys.is_empty() {
        return Ok(());
    }
    let unavailable = |e: String| StorageError::Unavailable(format!("IndexedDB: {e}"));
    let db = open().await.map_err(unavailable)?;
    let (_tx, store) = store(&db, IdbTransactionMode::Readonly).map_err(unavailable)?;
    let requests = keys
        .iter()
        .map(|k| store.get(&JsValue::from_str(k)).map_err(reason))
        .collect::<Result<Vec<_>, _>>()
        .map_err(unavailable)?;
    let mut read = Vec::with_capacity(keys.len());
    for (key, req) in keys.into_iter().zip(&requests) {
        let value = request(req).await.map_err(unavailable)?;
        let Some(raw) = value.as_string() else {
            db.close();
            return Err(StorageError::Corrupt {
                key,
                reason: "the chunk is missing from IndexedDB".into(),
            });
        };
        read.push((key, raw));
    }
    db.close();
    CACHE.with(|c| c.borrow_mut().extend(read));
    Ok(())
}

/// Remove generation `epoch`'s chunks (it was replaced). Best effort: a
/// leftover costs space, never correctness (keys carry their epoch).
pub async fn remove_generation(epoch: u64) {
    let Ok(db) = open().await else {
        return;
    };
    if let Ok((tx, store)) = store(&db, IdbTransactionMode::Readwrite) {
        let prefix = generation_prefix(epoch);
        let range = web_sys::IdbKeyRange::bound(
            &JsValue::from_str(&prefix),
            &JsValue::from_str(&format!("{prefix}\u{ffff}")),
        );
        if let Ok(range) = range {
            let _ = store.delete(&range);
            let _ = committed(&tx).await;
        }
    }
    db.close();
    let prefix = generation_prefix(epoch);
    CACHE.with(|c| c.borrow_mut().retain(|k, _| !k.starts_with(&prefix)));
}

/// What every chunk key of generation `epoch` starts with.
fn generation_prefix(epoch: u64) -> String {
    let key = chunk_key(epoch, 0);
    key.strip_suffix('0').unwrap_or(&key).to_string()
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    async fn chunks_put_are_read_back_and_removed_with_their_generation() {
        let head = Head::new(77, false, "a")
            .at(2 * crate::storage::CHUNK as u64 + 1, "a")
            .all_full_chunks_cold();
        let chunks = [
            (chunk_key(77, 0), "[0]".to_string()),
            (chunk_key(77, 1), "[1]".to_string()),
        ];
        put(&chunks).await.unwrap();
        forget();
        assert!(!fetched(&head));
        fetch(&head).await.unwrap();
        assert!(fetched(&head));
        assert_eq!(cached(&chunk_key(77, 1)).as_deref(), Some("[1]"));
        remove_generation(77).await;
        assert!(!fetched(&head), "the cache forgets it too");
        let err = fetch(&head).await.unwrap_err();
        assert!(
            matches!(&err, StorageError::Corrupt { key, .. } if *key == chunk_key(77, 0)),
            "{err}"
        );
    }
}
