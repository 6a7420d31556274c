//! Browser storage: the only module that touches localStorage.

use gloo_storage::{LocalStorage, Storage};
use serde::{de::DeserializeOwned, Serialize};

/// Why reading or writing browser storage failed.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The browser refused the write (quota exceeded, storage disabled).
    #[error("the browser refused to store {key:?}: {reason}")]
    Write { key: String, reason: String },
    /// The stored value is not what this version of the console expects.
    #[error("the stored value under {key:?} is unreadable: {reason}")]
    Corrupt { key: String, reason: String },
}

/// Store `value` as JSON under `key`.
pub fn save<T: Serialize>(key: &str, value: &T) -> Result<(), StorageError> {
    LocalStorage::set(key, value).map_err(|e| StorageError::Write {
        key: key.to_string(),
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
        web_sys_set_raw(key, "{not json");
        assert!(matches!(
            load::<Sample>(key),
            Err(StorageError::Corrupt { .. })
        ));
        remove(key);
    }

    fn web_sys_set_raw(key: &str, raw: &str) {
        LocalStorage::raw().set_item(key, raw).unwrap();
    }
}
