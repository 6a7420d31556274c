//! The whole workflow: the demo's commands through one `Brain`, then the
//! state of every block, a replay check, a snapshot and a what-if.

use brain_core::{demo, Brain, Policy};
use chrono::{TimeZone, Utc};

fn main() {
    let t0 = Utc
        .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let mut brain = Brain::new();
    let mut refused = 0;
    for env in demo::commands(t0) {
        match brain.execute(env) {
            Ok(events) if events.iter().any(|e| e.refusal().is_some()) => refused += 1,
            Ok(_) => {}
            Err(e) => println!("error [{}]: {e}", e.code()),
        }
    }
    println!(
        "{} commands accepted ({} refused guarded actions), {} events",
        brain.log().len(),
        refused,
        brain.events().len()
    );
    for r in brain.experiments() {
        println!(
            "experiment {:<16} winner {:<10} {}",
            r.experiment,
            r.winner.as_deref().unwrap_or("-"),
            r.reason
        );
    }
    for s in brain.scripts() {
        println!("script {:<11} {:?}", s.id, s.status);
    }
    println!("packets: {}", brain.packets().len());
    for s in brain.sources() {
        println!(
            "source {:<15} accepted {} blocked {}",
            s.source, s.accepted, s.blocked
        );
    }
    for m in brain.models() {
        println!(
            "model {} champion {:?}",
            m.model_id,
            m.champion.map(|v| v.to_string())
        );
    }
    for c in brain.clones() {
        println!(
            "clone {} readiness {:.3} ready {}",
            c.clone_id, c.composite, c.ready
        );
    }
    for d in brain.gate_decisions() {
        println!("gate {} {:?} {:?}", d.clone, d.verdict, d.failures());
    }
    let replayed = Brain::replay(brain.events());
    println!(
        "\nstate {}\nreplay {}",
        brain.state_hash(),
        replayed.state_hash()
    );
    let snapshot = brain.to_snapshot_json();
    println!(
        "snapshot: {} bytes, reloads to the same state: {}",
        snapshot.len(),
        Brain::from_snapshot_json(&snapshot)
            .map(|b| b.state_hash() == brain.state_hash())
            .unwrap_or(false)
    );
    println!("verification: {:?}", brain.verify().status);
    let mut lenient = Policy::default();
    lenient.promotion.consecutive = 1;
    lenient.readiness.ready_threshold = 0.7;
    if let Ok(report) = brain.what_if(&lenient) {
        println!(
            "\nWhat if promotions needed 1 evaluation and readiness 0.70? {} differences",
            report.differences.len()
        );
        for d in report.differences.iter().take(10) {
            println!(
                "  #{} {} {:?}: {} -> {}",
                d.position, d.action, d.kind, d.original.outcome, d.alternative.outcome
            );
        }
    }
}
