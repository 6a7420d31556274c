//! Block 30: the verification report on the demo workflow's live state.

use brain_core::Brain;
use chrono::{TimeZone, Utc};

fn main() {
    let t0 = Utc
        .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let brain = Brain::demo(t0);
    let report = brain.verify();
    println!(
        "Overall: {:?} at position {} (state {})\n",
        report.status, report.position, report.state_hash
    );
    for c in &report.checks {
        println!(
            "{:<36} {:<5} {}",
            c.name,
            format!("{:?}", c.status).to_uppercase(),
            c.details
        );
    }
}
