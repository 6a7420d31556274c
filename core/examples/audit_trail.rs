//! Block 29: the hash-chained audit trail: queries, snapshot marks, export,
//! and `verify_chain` naming a tampered entry.

use brain_core::audit::{self, Query};
use brain_core::Brain;
use chrono::{Duration, TimeZone, Utc};

fn main() {
    let t0 = Utc
        .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let brain = Brain::demo(t0);
    let entries = &brain.state().audit.entries;
    println!(
        "{} entries; head {}",
        entries.len(),
        brain.state().audit.head()
    );
    println!("\nRefused guarded actions:");
    for e in entries
        .iter()
        .filter(|e| e.outcome == audit::Outcome::Refused)
    {
        println!(
            "  #{:<3} {} {:<14} {:<24} {}",
            e.seq,
            e.at.format("%H:%M"),
            e.action,
            e.subject,
            e.detail
        );
    }
    let q = Query {
        subject: Some("script/warm-open".into()),
        from: Some(t0),
        to: Some(t0 + Duration::hours(2)),
        ..Query::default()
    };
    println!(
        "\nQuery subject=script/warm-open in the first two hours: {} entries",
        brain.audit_query(&q).len()
    );
    for m in &brain.state().audit.snapshots {
        println!(
            "Snapshot at position {}: state {}",
            m.position, m.state_hash
        );
    }
    let json = brain.audit_export();
    println!(
        "\nExport: {} bytes, import check: {:?}",
        json.len(),
        audit::import(&json).map(|e| e.len())
    );
    let mut tampered = entries.clone();
    if let Some(e) = tampered.get_mut(5) {
        e.actor = Some("mallory".into());
    }
    println!(
        "Edited entry 5: {:?}",
        audit::verify_chain(&tampered).map_err(|e| e.to_string())
    );
    let mut removed = entries.clone();
    removed.remove(3);
    println!(
        "Removed entry 3: {:?}",
        audit::verify_chain(&removed).map_err(|e| e.to_string())
    );
}
