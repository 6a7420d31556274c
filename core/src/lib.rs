//! brain-core: the pure, deterministic engine behind brain.
//!
//! No IO, no clock, no ambient randomness: time and ids come in with each
//! command, randomness from a seed kept in state, so the same command log
//! always gives the same state, byte for byte.
//!
//! The entry point is [`brain::Brain`]: `execute` a [`brain::Envelope`]
//! (a command with its time and actor), get the events or a typed
//! [`error::BrainError`] with the state unchanged. See `ARCHITECTURE-core.md`.
//!
//! # The ten blocks
//! Each block owns its commands, events, rules (`decide`) and state:
//!
//! | Block | Module | What it decides |
//! |---|---|---|
//! | 21 | [`ab`] | A/B tracking: variants, trials, conversions, the winner |
//! | 22 | [`promotion`] | script promotion: Experimental -> Candidate -> Production |
//! | 23 | [`packets`] | deal packets: built from lead data, validated |
//! | 24 | [`ingest`] | learning ingestion: whitelisted, normalised sources |
//! | 25 | [`outcomes`] | outcome evaluation: series, trend, drift, alerts |
//! | 26 | [`models`] | safe model updates: lineage, champion, challenger, rollback |
//! | 27 | [`readiness`] | clone readiness: is a clone good enough to promote |
//! | 28 | [`gates`] | gate enforcement: promote only past every gate |
//! | 29 | [`audit`] | audit trail: every accepted command and every refusal |
//! | 30 | [`verify`] | verification: checks of the live state |
//!
//! Around them: [`brain`] (the reducer that routes commands to the blocks), [`policy`] (every
//! block's thresholds), [`whatif`] (replay under another policy), [`tuning`] (a search over policies scored on the replayed history), [`stats`] and [`assign`]
//! (the statistics and the deterministic assignment the blocks use), and `js` (the
//! WebAssembly boundary, feature `js`).

#![warn(missing_docs)]

// First: its `tagged_enum!` macro is used by the block modules.
#[cfg(feature = "engine")]
#[macro_use]
pub(crate) mod wire;

#[cfg(feature = "engine")]
pub mod ab;
pub mod assign;
#[cfg(feature = "engine")]
pub mod audit;
#[cfg(feature = "engine")]
pub mod audit_filtered;
#[cfg(feature = "engine")]
mod audit_queries;
#[cfg(feature = "engine")]
pub mod brain;
#[cfg(feature = "engine")]
pub mod canon;
#[cfg(feature = "engine")]
pub(crate) mod contract;
#[cfg(feature = "engine")]
pub mod csv_io;
#[cfg(feature = "engine")]
pub mod demo;
#[cfg(feature = "engine")]
pub mod error;
#[cfg(feature = "engine")]
pub mod gates;
#[cfg(feature = "engine")]
pub(crate) mod ids;
#[cfg(feature = "engine")]
pub mod import;
#[cfg(feature = "engine")]
pub mod ingest;
#[cfg(feature = "engine")]
pub mod merkle;
#[cfg(feature = "engine")]
pub mod models;
#[cfg(feature = "engine")]
pub mod monitoring;
#[cfg(feature = "engine")]
pub mod outcomes;
#[cfg(feature = "engine")]
pub mod packet_export;
#[cfg(feature = "engine")]
pub mod packets;
#[cfg(feature = "engine")]
pub mod peeking;
#[cfg(feature = "engine")]
pub mod policy;
#[cfg(feature = "engine")]
pub mod policy_fields;
#[cfg(feature = "engine")]
pub mod policy_history;
#[cfg(feature = "engine")]
pub mod prereg;
#[cfg(feature = "engine")]
pub mod promotion;
#[cfg(feature = "engine")]
pub mod read_models;
#[cfg(feature = "engine")]
pub mod readiness;
#[cfg(feature = "engine")]
pub mod rollouts;
pub mod stats;
#[cfg(feature = "engine")]
pub(crate) mod time_text;
#[cfg(feature = "engine")]
pub mod tuning;
#[cfg(feature = "engine")]
pub mod verify;
#[cfg(feature = "engine")]
pub mod verify_health;
#[cfg(feature = "engine")]
pub mod verify_history;
#[cfg(feature = "engine")]
pub mod verify_policy;
#[cfg(feature = "engine")]
pub mod whatif;

#[cfg(feature = "js")]
pub mod js;

#[cfg(feature = "ts")]
pub mod typescript;

// The snapshot migrations live in `brain` (the snapshot is the brain's); the
// console renames stored schema-1 commands with `migrate_v2::rename_command`.
#[cfg(feature = "engine")]
pub use brain::{migrate_v2, migrate_v3};
#[cfg(feature = "engine")]
pub use brain::{Brain, BrainState, Command, Envelope, Event, Snapshot};
#[cfg(feature = "engine")]
pub use error::{BrainError, ImportError};
#[cfg(feature = "engine")]
pub use policy::Policy;

/// The crate's version, shown by the console's footer.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Names longer than this are refused: they end up in ids, audit entries and
/// the console's tables.
#[cfg(feature = "engine")]
pub const MAX_NAME_LEN: usize = 200;

/// Checks a user-supplied name or id: trimmed, non-empty, not too long, and
/// free of control characters (a NUL or an escape does not show in a table,
/// cannot be typed into a form, and breaks line-based exports).
/// Returns the trimmed name, or `None` with the reason left to the caller.
#[cfg(feature = "engine")]
pub(crate) fn clean_name(name: &str) -> Option<&str> {
    let trimmed = name.trim();
    if trimmed.is_empty()
        || trimmed.chars().count() > MAX_NAME_LEN
        || trimmed.chars().any(char::is_control)
    {
        None
    } else {
        Some(trimmed)
    }
}

/// Converts a count given as a signed integer (JSON may carry negatives) into
/// an unsigned one, or `None` when negative.
#[cfg(feature = "engine")]
pub(crate) fn count(value: i64) -> Option<u64> {
    u64::try_from(value).ok()
}

#[cfg(all(test, feature = "engine"))]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_bounded_and_free_of_control_characters() {
        assert_eq!(clean_name("  warm-open "), Some("warm-open"));
        assert_eq!(
            clean_name("Zoë · 東京 / close_rate"),
            Some("Zoë · 東京 / close_rate")
        );
        let longest = "é".repeat(MAX_NAME_LEN);
        assert_eq!(clean_name(&longest), Some(longest.as_str()));
        assert_eq!(clean_name(&"é".repeat(MAX_NAME_LEN + 1)), None);
        assert_eq!(clean_name(" \t\n"), None);
        for bad in [
            "a\u{0}b",
            "\u{0}",
            "a\u{1b}[31mred",
            "a\nb",
            "a\u{7f}",
            "a\u{85}b",
        ] {
            assert_eq!(clean_name(bad), None, "{bad:?}");
        }
    }
}
