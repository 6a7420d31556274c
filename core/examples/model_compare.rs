//! Block 26 as a registry: versions with metrics and metadata, the next version by a bump,
//! semver range queries, evidence for a challenger (refused with every reason, then
//! promoted), environments with their history, and `compare_versions` with its
//! recommendation.

use brain_core::models::{ArmCounts, Bump, Command as M, SemVer, Strategy};
use brain_core::{Brain, Command, Envelope};
use chrono::{Duration, TimeZone, Utc};
use std::collections::BTreeMap;

fn main() {
    let t0 = Utc
        .with_ymd_and_hms(2026, 5, 4, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let mut brain = Brain::new();
    let mut minute = 0;
    let mut run = |brain: &mut Brain, cmd: M| {
        minute += 1;
        let label = format!("{cmd:?}").chars().take(60).collect::<String>();
        let env = Envelope::new(t0 + Duration::minutes(minute), Command::Models(cmd)).by("ml-ops");
        match brain.execute(env) {
            Ok(events) => match events.iter().find_map(|e| e.refusal()) {
                Some(r) => println!("{label:<62} REFUSED: {r}"),
                None => println!("{label:<62} ok"),
            },
            Err(e) => println!("{label:<62} error [{}]: {e}", e.code()),
        }
    };
    let id = || "churn".to_string();
    let v = |s: &str| SemVer::parse(s).unwrap_or_else(|_| SemVer::new(0, 0, 0));
    let metrics = |pairs: &[(&str, f64)]| -> BTreeMap<String, f64> {
        pairs.iter().map(|(k, x)| (k.to_string(), *x)).collect()
    };
    run(
        &mut brain,
        M::RegisterModel {
            model_id: id(),
            name: "Churn predictor".into(),
        },
    );
    run(
        &mut brain,
        M::ProposeUpdate {
            model_id: id(),
            version: Some(v("1.0.0")),
            bump: None,
            parent: None,
            strategy: Strategy::FullRetrain,
            accuracy: 0.81,
            created_by: None,
        },
    );
    let next = brain
        .next_version("churn", Bump::Minor, None)
        .unwrap_or_else(|_| v("1.1.0"));
    println!("next minor version from the champion: {next}");
    run(
        &mut brain,
        M::ProposeUpdate {
            model_id: id(),
            version: Some(next.clone()),
            bump: None,
            parent: None,
            strategy: Strategy::Incremental,
            accuracy: 0.83,
            created_by: None,
        },
    );
    for (version, values, data) in [
        (
            "1.0.0",
            [("f1", 0.74), ("latency_p95", 31.0)],
            "events-2026-03",
        ),
        (
            "1.1.0",
            [("f1", 0.78), ("latency_p95", 35.0)],
            "events-2026-04",
        ),
    ] {
        run(
            &mut brain,
            M::RecordVersionMetrics {
                model_id: id(),
                version: v(version),
                metrics: metrics(&values),
                metadata: BTreeMap::from([("training_data".to_string(), data.to_string())]),
            },
        );
    }
    // A first window: too few samples, and the difference is not significant yet.
    let window = |champion: u64, challenger: u64, total: u64| M::RecordArmEvidence {
        model_id: id(),
        version: next.clone(),
        champion: ArmCounts {
            correct: champion,
            total,
        },
        challenger: ArmCounts {
            correct: challenger,
            total,
        },
    };
    run(&mut brain, window(243, 251, 300));
    run(
        &mut brain,
        M::PromoteVersion {
            model_id: id(),
            version: next.clone(),
        },
    );
    // Two more windows: 2,100 outcomes per arm, 81.0% against 84.3%.
    run(&mut brain, window(729, 759, 900));
    run(&mut brain, window(729, 760, 900));
    match brain.compare_versions("churn", &v("1.0.0"), &next) {
        Ok(c) => {
            println!("\ncompare 1.0.0 -> {next}: {:?}", c.recommendation);
            for m in &c.metrics {
                println!(
                    "  {:<12} a {:?} b {:?} delta {:?} better {:?}",
                    m.metric, m.a, m.b, m.delta, m.better
                );
            }
            if let Some(e) = &c.evidence {
                println!(
                    "  evidence: {} / {} samples (min {}), lift {:.2}% [{:.2}%, {:.2}%], p {:.4}, {:?}",
                    e.champion_samples,
                    e.challenger_samples,
                    e.min_samples_per_arm,
                    e.lift.unwrap_or(f64::NAN) * 100.0,
                    e.lift_ci_low.unwrap_or(f64::NAN) * 100.0,
                    e.lift_ci_high.unwrap_or(f64::NAN) * 100.0,
                    e.p_value.unwrap_or(f64::NAN),
                    e.verdict
                );
            }
            for r in &c.reasons {
                println!("  - {r}");
            }
        }
        Err(e) => println!("compare: {e}"),
    }
    run(
        &mut brain,
        M::PromoteVersion {
            model_id: id(),
            version: next.clone(),
        },
    );
    for (environment, version) in [
        ("staging", "1.0.0"),
        ("production", "1.0.0"),
        ("staging", "1.1.0"),
        ("production", "1.1.0"),
    ] {
        run(
            &mut brain,
            M::PromoteToEnvironment {
                model_id: id(),
                version: v(version),
                environment: environment.into(),
                reason: format!("release {version}"),
            },
        );
    }
    if let Ok(h) = brain.model_history("churn") {
        println!("\nproduction, version by time:");
        for d in h
            .deployments
            .iter()
            .filter(|d| d.environment == "production")
        {
            println!(
                "  {} from {} until {:?} by {:?}",
                d.version,
                d.from,
                d.until.map(|u| u.to_string()),
                d.actor
            );
        }
    }
    if let Ok(found) = brain.versions_matching("churn", ">=1.0 <2") {
        let names: Vec<String> = found.iter().map(|x| x.version.to_string()).collect();
        println!("versions matching >=1.0 <2: {}", names.join(", "));
    }
}
