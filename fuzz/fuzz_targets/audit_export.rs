//! Audit export verification, two ways. Text starting with `{` is read as an export: it is
//! accepted only in its canonical form with an intact chain (re-exporting the entries gives
//! the same text). Anything else is a list of byte substitutions (two bytes of position, one
//! of value) applied to the demo's real export: the result is refused unless it is the
//! original text.
#![no_main]

use brain_core::audit;
use brain_fuzz::demo;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn demo_export() -> &'static str {
    static EXPORT: OnceLock<String> = OnceLock::new();
    EXPORT.get_or_init(|| demo().audit_export())
}

fuzz_target!(|data: &[u8]| {
    if data.first() == Some(&b'{') {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        match audit::import(text) {
            Ok(entries) => {
                assert_eq!(audit::export_entries(&entries), text, "not canonical");
                assert_eq!(audit::verify_chain(&entries), Ok(()));
            }
            Err(e) => assert!(!e.code().is_empty() && !e.to_string().is_empty()),
        }
        return;
    }
    let original = demo_export();
    let mut bytes = original.as_bytes().to_vec();
    for edit in data.chunks_exact(3) {
        let position = usize::from(u16::from_le_bytes([edit[0], edit[1]])) % bytes.len();
        bytes[position] = edit[2];
    }
    let Ok(edited) = std::str::from_utf8(&bytes) else {
        return;
    };
    if edited != original {
        assert!(
            audit::import(edited).is_err(),
            "an edited export was accepted: {edited}"
        );
    }
});
