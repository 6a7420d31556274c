//! What the benchmarks share (each bench is its own crate; `mod common;`).

use chrono::{DateTime, TimeZone, Utc};

/// The demo's start, the time every benchmark's history begins at.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or_default()
}
