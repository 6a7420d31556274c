//! Wrote `core/tests/fixtures/snapshots/v3-console-export.json`: what the console's
//! "Load demo" then "Export" gave under schema 3 (`Brain::demo` then `to_snapshot_json`).
use brain_core::brain::Brain;
use chrono::{TimeZone, Utc};

fn main() {
    let at = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    println!("{}", Brain::demo(at).to_snapshot_json());
}
