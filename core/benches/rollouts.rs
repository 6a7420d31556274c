//! Staged rollouts at 10,000 audit entries: `EvaluateRollout` through the reducer (decide,
//! audit entry and apply; a hold, and an advance) and `route` (one unit, and the plan's
//! hash alone), on the demo grown with metric recordings until the audit log holds 10,000
//! entries.

use brain_core::rollouts::{self, Command as R};
use brain_core::{Brain, Command, Envelope};
use chrono::Duration;
use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};
use std::collections::BTreeMap;

mod common;
use common::t0;

fn record(samples: i64) -> Command {
    Command::Rollouts(R::RecordRolloutMetrics {
        rollout_id: "churn-1.1.0".into(),
        samples,
        errors: 0,
        metrics: BTreeMap::from([
            ("accuracy".to_string(), 0.9),
            (rollouts::LATENCY_P95.to_string(), 150.0),
        ]),
    })
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("rollouts_10k");
    let mut brain = Brain::demo(t0());
    let mut at = brain.state().last_at.unwrap_or(t0());
    while brain.state().audit.entries.len() < 10_000 {
        at += Duration::seconds(1);
        let _ = brain.execute(Envelope::new(at, record(0)));
    }
    let evaluate = || {
        Command::Rollouts(R::EvaluateRollout {
            rollout_id: "churn-1.1.0".into(),
        })
    };
    // Production needs 5,000 samples: an evaluation now holds.
    at += Duration::seconds(1);
    g.bench_function("evaluate_rollout_hold", |b| {
        b.iter_batched(
            || brain.clone(),
            |mut b| black_box(b.execute(Envelope::new(at, evaluate()))),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("evaluate_rollout_decide_only", |b| {
        let env = Envelope::new(at, evaluate());
        b.iter(|| black_box(brain.decide(&env)))
    });
    let _ = brain.execute(Envelope::new(at, record(5_000)));
    at += Duration::seconds(1);
    g.bench_function("evaluate_rollout_complete_decide_only", |b| {
        let env = Envelope::new(at, evaluate());
        b.iter(|| black_box(brain.decide(&env)))
    });
    // Route: the lead scorer (rolled back: the champion) and a fresh rollout in Pilot.
    let mut pilot = Brain::demo(t0());
    let mut at = pilot.state().last_at.unwrap_or(t0());
    while pilot.state().audit.entries.len() < 10_000 {
        at += Duration::seconds(1);
        let _ = pilot.execute(Envelope::new(at, record(0)));
    }
    let _ = pilot.execute(Envelope::new(
        at + Duration::seconds(1),
        Command::Models(brain_core::models::Command::ProposeUpdate {
            model_id: "lead-scorer".into(),
            version: Some(semver::Version::new(1, 4, 0)),
            bump: None,
            parent: None,
            strategy: brain_core::models::Strategy::Incremental,
            accuracy: 0.9,
            created_by: None,
        }),
    ));
    let _ = pilot.execute(Envelope::new(
        at + Duration::seconds(2),
        Command::Rollouts(R::StartRollout {
            rollout_id: Some("pilot".into()),
            model_id: "lead-scorer".into(),
            version: semver::Version::new(1, 4, 0),
            stages: None,
        }),
    ));
    let ids: Vec<String> = (0..1_000).map(|i| format!("unit-{i}")).collect();
    g.bench_function("route_1000_units", |b| {
        b.iter(|| {
            for id in &ids {
                black_box(pilot.route("lead-scorer", id));
            }
        })
    });
    let plan = pilot.route_plan("lead-scorer");
    g.bench_function("route_plan_1000_units", |b| {
        b.iter(|| {
            for id in &ids {
                black_box(plan.as_ref().and_then(|p| p.route(id)));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
