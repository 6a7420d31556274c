//! Policy tuning (issue 17's budget: 100 candidates over a 10,000-command
//! history in at most 5 s in Chromium): a seeded random search of 100
//! promotion and outcome policies over the demo grown to 10,000 commands
//! (A/B counts, script evaluations, outcomes), and one candidate's replay.
//! `tests/bench/tune.mjs` measures the same search through the JS package.

use brain_core::tuning::Spec;
use brain_core::{ab, outcomes, promotion, Brain, Command, Envelope};
use chrono::Duration;
use criterion::{black_box, criterion_group, criterion_main, Criterion};

mod common;
use common::t0;

/// The demo grown to `n` commands: per round of ten, seven A/B counts, two
/// script evaluations and one outcome.
fn history(n: usize) -> Brain {
    let mut brain = Brain::demo(t0());
    let mut at = brain.state().last_at.unwrap_or(t0());
    let scripts = ["warm-open", "direct-ask", "story-led"];
    let mut k = 0usize;
    while brain.log().len() < n {
        at += Duration::minutes(10);
        let command = match k % 10 {
            0..=6 => Command::Ab(ab::Command::RecordCounts {
                experiment: "opening-script".into(),
                variant: scripts[k % 3].into(),
                trials: 20,
                conversions: (k % 5) as i64,
            }),
            7 | 8 => Command::Promotion(promotion::Command::EvaluateScript {
                script: scripts[k % 3].into(),
                trials: None,
                conversions: None,
                score: None,
            }),
            _ => Command::Outcomes(outcomes::Command::RecordOutcome {
                series_id: "close_rate/story-led".into(),
                outcome_id: format!("bench-{k}"),
                value: 0.08 + 0.01 * ((k / 10) % 5) as f64,
                label: None,
            }),
        };
        let _ = brain.execute(Envelope::new(at, command));
        k += 1;
    }
    brain
}

fn spec(candidates: usize) -> Spec {
    serde_json::from_value(serde_json::json!({
        "parameters": [
            {"path": "promotion.primary_rate", "range": {"min": 0.06, "max": 0.3, "step": 0.01}},
            {"path": "promotion.consecutive", "range": {"min": 1, "max": 6, "step": 1}},
            {"path": "outcomes.regression_tolerance", "range": {"min": 0.05, "max": 0.5, "step": 0.05}}
        ],
        "search": {"kind": "random", "candidates": candidates, "seed": 17},
        "objective": "reversed_promotions",
        "constraints": [{"objective": "alerts_per_week"}],
        "holdout": 0.3
    }))
    .unwrap_or_else(|e| panic!("bench spec: {e}"))
}

fn bench(c: &mut Criterion) {
    let brain = history(10_000);
    let mut g = c.benchmark_group("tuning_10k_commands");
    g.sample_size(10);
    g.bench_function("one_candidate", |b| {
        b.iter(|| black_box(brain.tune(spec(1))))
    });
    g.bench_function("100_candidates", |b| {
        b.iter(|| black_box(brain.tune(spec(100))))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
