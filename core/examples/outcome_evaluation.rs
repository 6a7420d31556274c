//! Block 25: outcome series with trends, baseline and regression alerts and
//! drift (PSI / KS), as recorded by the demo workflow.

use brain_core::Brain;
use chrono::{TimeZone, Utc};

fn main() {
    let t0 = Utc
        .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let brain = Brain::demo(t0);
    let state = &brain.state().outcomes;
    for trend in state.trends(&brain.policy().outcomes) {
        println!(
            "{}",
            serde_json::to_string_pretty(&trend).unwrap_or_default()
        );
    }
    println!("\nOpen alerts:");
    for a in state.open_alerts() {
        println!(
            "  {} {:?} on {}: {}",
            a.alert_id, a.kind, a.series_id, a.message
        );
    }
}
