//! The committed TypeScript declarations (`js/types.d.ts`) are what the Rust
//! types generate: a stale file fails here. The file IO lives in this test,
//! not in the core, which does no IO.
//!
//! Regenerate after changing a type that crosses the JS boundary:
//! `BRAIN_UPDATE_TYPES=1 cargo test -p brain-core --features ts --test typescript`.

use brain_core::typescript::{declarations, PATH};

#[test]
fn committed_declarations_are_up_to_date() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(PATH);
    let text = declarations();
    if std::env::var_os("BRAIN_UPDATE_TYPES").is_some_and(|v| !v.is_empty()) {
        std::fs::write(&path, &text).expect("write js/types.d.ts");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "{PATH} is stale (the Rust types changed): regenerate it with \
         `BRAIN_UPDATE_TYPES=1 cargo test -p brain-core --features ts --test typescript` and commit it"
    );
}
