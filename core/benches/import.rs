//! Criterion benchmarks of loading and verifying a 10,000-command brain (issue 19): the
//! strict loader `Brain::import` as a whole and its parts (reading the JSON, the audit
//! chain, the event replay, the state hash, executing the log again), and `verify()` on a
//! brain built by executing its log. The same history as `tests/bench/engine.mjs` (the
//! demo's commands, then A/B counts up to 10,000 commands), so the native figures sit
//! next to the JS ones. Figures in the report, not timed tests.

use brain_core::brain::{Brain, Command, Envelope};
use brain_core::{ab, audit};
use chrono::Duration;
use criterion::{black_box, criterion_group, criterion_main, Criterion};

mod common;
use common::t0;

/// The demo, then RecordCounts of three variants, a second apart, up to `n` commands.
fn history(n: usize) -> Brain {
    let mut brain = Brain::demo(t0());
    let mut at = brain.state().last_at.unwrap_or(t0()) + Duration::seconds(1);
    let variants = ["warm-open", "direct-ask", "story-led"];
    let mut k = 0;
    while brain.log().len() < n {
        at += Duration::seconds(1);
        let _ = brain.execute(Envelope::new(
            at,
            Command::Ab(ab::Command::RecordCounts {
                experiment: "opening-script".into(),
                variant: variants[k % 3].into(),
                trials: 10,
                conversions: 1,
            }),
        ));
        k += 1;
    }
    brain
}

fn import(c: &mut Criterion) {
    let brain = history(10_000);
    let json = brain.to_snapshot_json();
    let mut g = c.benchmark_group("import_10k");
    g.sample_size(10);
    g.bench_function("import", |b| b.iter(|| black_box(Brain::import(&json))));
    g.bench_function("parse_snapshot_json", |b| {
        b.iter(|| black_box(Brain::from_snapshot_json(&json)))
    });
    g.bench_function("parse_json_value", |b| {
        b.iter(|| black_box(serde_json::from_str::<serde_json::Value>(&json)))
    });
    g.bench_function("verify_chain", |b| {
        b.iter(|| black_box(audit::verify_chain(&brain.state().audit.entries)))
    });
    g.bench_function("replay_hash", |b| {
        b.iter(|| black_box(Brain::replay_hash(brain.origin(), brain.events())))
    });
    g.bench_function("state_hash", |b| b.iter(|| black_box(brain.state_hash())));
    g.bench_function("rerun_log", |b| {
        b.iter(|| {
            let loaded = Brain::from_snapshot_json(&json).unwrap_or_default();
            black_box(loaded.rerun_log())
        })
    });
    g.bench_function("verify_executed", |b| b.iter(|| black_box(brain.verify())));
    let loaded = Brain::import(&json).unwrap_or_default();
    g.bench_function("verify_imported", |b| b.iter(|| black_box(loaded.verify())));
    g.finish();
}

criterion_group!(benches, import);
criterion_main!(benches);
