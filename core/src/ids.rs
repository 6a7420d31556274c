//! Deterministic ids: uuid v5 of (log position, time, kind), so a replay of
//! the same commands gives the same ids.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// The namespace of every id brain derives (a fixed v5 of the project's name).
const NAMESPACE: Uuid = Uuid::from_bytes([
    0x6b, 0x1e, 0x0c, 0x55, 0x2a, 0x1f, 0x5d, 0x8e, 0x9a, 0x43, 0x0b, 0x7c, 0x11, 0xd4, 0x3e, 0x90,
]);

/// Derives the id of the `kind` thing created by the command at `position`
/// (0-based index of the accepted command) at time `at`.
pub fn derive(position: u64, at: DateTime<Utc>, kind: &str) -> Uuid {
    let mut name = Vec::with_capacity(32 + kind.len());
    name.extend_from_slice(&position.to_le_bytes());
    name.extend_from_slice(&at.timestamp().to_le_bytes());
    name.extend_from_slice(&at.timestamp_subsec_nanos().to_le_bytes());
    name.extend_from_slice(kind.as_bytes());
    Uuid::new_v5(&NAMESPACE, &name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn same_inputs_give_same_id_and_any_change_gives_another() {
        let at = Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or_default();
        let a = derive(3, at, "packet");
        assert_eq!(a, derive(3, at, "packet"));
        assert_ne!(a, derive(4, at, "packet"));
        assert_ne!(a, derive(3, at, "gate"));
        assert_ne!(
            a,
            derive(3, at + chrono::Duration::nanoseconds(1), "packet")
        );
        assert_eq!(a.get_version_num(), 5);
    }
}
