//! Block 26: model updates guarded by accuracy; a refused update, a
//! promotion backed by evidence, a rollback to the previous champion, and the history.

use brain_core::models::{ArmCounts, Command as M, Strategy};
use brain_core::{Brain, Command, Envelope};
use chrono::{Duration, TimeZone, Utc};
use semver::Version;

fn main() {
    let t0 = Utc
        .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let mut brain = Brain::new();
    let id = || "lead-scorer".to_string();
    let cmds = [
        M::RegisterModel {
            model_id: id(),
            name: "Lead scorer".into(),
        },
        M::ProposeUpdate {
            model_id: id(),
            version: Some(Version::new(1, 0, 0)),
            bump: None,
            parent: None,
            strategy: Strategy::FullRetrain,
            accuracy: 0.88,
            created_by: None,
        },
        M::ProposeUpdate {
            model_id: id(),
            version: Some(Version::new(1, 1, 0)),
            bump: None,
            parent: None,
            strategy: Strategy::Incremental,
            accuracy: 0.90,
            created_by: None,
        },
        // Live outcomes of both arms over the same traffic: 88% against 91% on 2,000 leads
        // each, enough for the evidence rule (>= 1,000 per arm, p < 0.05, lift >= 2%).
        M::RecordArmEvidence {
            model_id: id(),
            version: Version::new(1, 1, 0),
            champion: ArmCounts {
                correct: 1_760,
                total: 2_000,
            },
            challenger: ArmCounts {
                correct: 1_820,
                total: 2_000,
            },
        },
        M::PromoteVersion {
            model_id: id(),
            version: Version::new(1, 1, 0),
        },
        M::ProposeUpdate {
            model_id: id(),
            version: Some(Version::new(1, 2, 0)),
            bump: None,
            parent: None,
            strategy: Strategy::Incremental,
            accuracy: 0.84,
            created_by: None,
        },
        M::ProposeUpdate {
            model_id: id(),
            version: Some(Version::new(2, 0, 0)),
            bump: None,
            parent: None,
            strategy: Strategy::Shadow,
            accuracy: 0.93,
            created_by: None,
        },
        M::RollBack {
            model_id: id(),
            reason: "1.1.0 mis-scores investor leads".into(),
        },
        M::RollBack {
            model_id: id(),
            reason: "again".into(),
        },
    ];
    for (i, cmd) in cmds.into_iter().enumerate() {
        let label = format!("{cmd:?}").chars().take(70).collect::<String>();
        match brain.execute(Envelope::new(
            t0 + Duration::minutes(i as i64),
            Command::Models(cmd),
        )) {
            Ok(events) => match events.iter().find_map(|e| e.refusal()) {
                Some(r) => println!("{label:<72} REFUSED: {r}"),
                None => println!("{label:<72} ok"),
            },
            Err(e) => println!("{label:<72} error [{}]: {e}", e.code()),
        }
    }
    for m in brain.models() {
        println!(
            "\nModel {}: champion {:?}, challenger {:?}, rollback target {:?}",
            m.model_id, m.champion, m.challenger, m.rollback_target
        );
        for v in &m.versions {
            println!(
                "  {:<7} {:?} accuracy {:.2} {:?}",
                v.version.to_string(),
                v.strategy,
                v.accuracy,
                v.status
            );
        }
    }
    println!("\nHistory:");
    for h in brain.state().models.history("lead-scorer") {
        println!("  {:?} {} {}", h.kind, h.version, h.reason);
    }
}
