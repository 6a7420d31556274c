//! The operator's browser as witness of the audit log (issue 13, item 2).
//!
//! The audit log is a Merkle tree; its head (size, root) is its identity. The
//! console keeps the last head it accepted under its own key
//! ([`storage::WITNESS_KEY`]) and, whenever it takes a stored history it did
//! not write itself (loading at start-up, another tab's new generation or
//! save), checks that this history extends that head: not truncated, not
//! rewritten. A history that fails is set aside for download, not loaded and
//! never saved over (see the callers in `replay` and `sync`).
//!
//! Why a key of its own, and written before the head: a tab that sees
//! another tab's new head (a storage event) must already find the witness that
//! tab accepted, or a reset in one tab would look like a rewrite in the other.
//! The witness protects against edits of the stored log (by hand, by another
//! program, by a bug), not against someone who also rewrites this key; for
//! that the audit page shows the root to copy and publish elsewhere.

use brain_core::audit::TreeHead;
use brain_core::brain::Brain;

use crate::storage;

/// The tree head this browser accepted last; `None` when it never accepted
/// one (first use, cleared storage) or the stored value is unreadable (an
/// unreadable witness is replaced at the next save: it witnesses nothing).
pub fn accepted() -> Option<TreeHead> {
    let raw = storage::read_raw(storage::WITNESS_KEY).ok().flatten()?;
    serde_json::from_str(&raw).ok()
}

/// Checks that `brain`'s audit log extends `witness`; `Err` says what differs,
/// in words for the notice the user sees.
pub fn check_against(brain: &Brain, witness: Option<&TreeHead>) -> Result<(), String> {
    let Some(head) = witness else {
        return Ok(());
    };
    brain.check_audit_root(head).map_err(|e| {
        let live = brain.audit_root();
        format!(
            "the stored history does not extend the audit log this browser accepted last \
             ({} entries, root {}); it holds {} entries with root {}: {e}. It was not loaded \
             and is kept aside, unchanged, for download",
            head.size,
            short(&head.root),
            live.size,
            short(&live.root)
        )
    })
}

/// [`check_against`] the stored witness.
pub fn check(brain: &Brain) -> Result<(), String> {
    check_against(brain, accepted().as_ref())
}

/// Accept `brain`'s tree head as the witness; returns the previous raw value,
/// to [`restore`] when the write it precedes fails.
pub fn accept(brain: &Brain) -> Option<String> {
    let previous = storage::read_raw(storage::WITNESS_KEY).ok().flatten();
    let head = brain.audit_root();
    if let Ok(raw) = serde_json::to_string(&head) {
        // A witness that does not fit is no reason to refuse the user's action:
        // the next accepted head tries again.
        let _ = storage::write_raw(storage::WITNESS_KEY, &raw);
    }
    previous
}

/// Put back the witness [`accept`] replaced (the write it preceded failed).
/// When even that write fails (a full quota refuses every write), the witness
/// is removed: removals always work, and no witness accepts the stored copy,
/// where the newer one would refuse it and set the user's data aside.
pub fn restore(previous: Option<String>) {
    let restored =
        previous.is_some_and(|raw| storage::write_raw(storage::WITNESS_KEY, &raw).is_ok());
    if !restored {
        storage::remove(storage::WITNESS_KEY);
    }
}

/// The first 16 hex digits of a root: enough to tell two apart in a sentence.
fn short(root: &str) -> &str {
    root.get(..16).unwrap_or(root)
}

#[cfg(test)]
mod tests {
    use super::*;
    use brain_core::brain::{Command, Envelope};
    use chrono::{TimeZone, Utc};
    use wasm_bindgen_test::wasm_bindgen_test;

    fn brain(n: u32) -> Brain {
        let mut b = Brain::new();
        for i in 0..n {
            let at = Utc
                .with_ymd_and_hms(2026, 1, 1, 9, i, 0)
                .single()
                .unwrap_or_default();
            let cmd = Command::Audit(brain_core::audit::Command::TakeSnapshot);
            assert!(b.execute(Envelope::new(at, cmd).by("ops")).is_ok());
        }
        b
    }

    #[wasm_bindgen_test]
    fn a_history_that_grew_from_the_witness_is_accepted() {
        let head = brain(3).audit_root();
        assert_eq!(check_against(&brain(5), Some(&head)), Ok(()));
        assert_eq!(check_against(&brain(3), Some(&head)), Ok(()));
        assert_eq!(check_against(&brain(0), None), Ok(()));
    }

    #[wasm_bindgen_test]
    fn a_truncated_or_rewritten_history_is_refused_with_both_heads() {
        let head = brain(5).audit_root();
        let truncated = check_against(&brain(3), Some(&head)).unwrap_err();
        assert!(
            truncated.contains("accepted last (5 entries"),
            "{truncated}"
        );
        assert!(truncated.contains("it holds 3 entries"), "{truncated}");
        let mut other = Brain::new();
        for i in 0..6 {
            let at = Utc
                .with_ymd_and_hms(2026, 2, 1, 9, i, 0)
                .single()
                .unwrap_or_default();
            let cmd = Command::Audit(brain_core::audit::Command::TakeSnapshot);
            assert!(other.execute(Envelope::new(at, cmd).by("ops")).is_ok());
        }
        let rewritten = check_against(&other, Some(&head)).unwrap_err();
        assert!(rewritten.contains("it holds 6 entries"), "{rewritten}");
    }

    #[wasm_bindgen_test]
    fn accepting_then_restoring_leaves_the_earlier_witness() {
        storage::remove(storage::WITNESS_KEY);
        let none = accept(&brain(2));
        assert_eq!(accepted(), Some(brain(2).audit_root()));
        let two = accept(&brain(4));
        assert_eq!(accepted(), Some(brain(4).audit_root()));
        restore(two);
        assert_eq!(accepted(), Some(brain(2).audit_root()));
        restore(none);
        assert_eq!(accepted(), None);
    }
}
