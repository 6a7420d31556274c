//! Block 28: PROMOTE or BLOCK with every failing gate's reason, on the demo
//! workflow's clones, and again under a stricter policy (what-if).

use brain_core::{Brain, Policy};
use chrono::{TimeZone, Utc};

fn main() {
    let t0 = Utc
        .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let brain = Brain::demo(t0);
    for d in brain.gate_decisions() {
        println!("{} {:?} ({})", d.clone, d.verdict, d.id);
        for g in &d.gates {
            println!(
                "  [{}] {:?}: {}",
                if g.passed { "pass" } else { "FAIL" },
                g.gate,
                g.reason
            );
        }
    }
    let mut strict = Policy::default();
    strict.gates.min_accuracy = 0.95;
    println!("\nWhat if the minimum accuracy were 0.95?");
    if let Ok(report) = brain.what_if(&strict) {
        for d in report.differences {
            println!(
                "  #{} {} {:?}: {} -> {} ({})",
                d.position,
                d.action,
                d.kind,
                d.original.outcome,
                d.alternative.outcome,
                d.alternative.reason
            );
        }
    }
}
