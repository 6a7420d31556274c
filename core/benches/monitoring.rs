//! Benchmark of `RunDueChecks` on a brain with 10,000 audit entries (the demo, whose
//! series, alerts, models and experiments the checks read, plus A/B counts): every check
//! due (a week after the last command), through `Brain::execute` with its audit entry and
//! the automatic responses. The brain is cloned outside the measurement.

use brain_core::ab;
use brain_core::brain::{Brain, Command, Envelope};
use brain_core::monitoring;
use chrono::Duration;
use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};

mod common;
use common::t0;

fn run_due_checks(c: &mut Criterion) {
    let mut brain = Brain::demo(t0());
    let mut at = brain.state().last_at.unwrap_or(t0());
    let mut k = 0;
    while brain.state().audit.entries.len() < 10_000 {
        at += Duration::seconds(1);
        let variant = ["warm-open", "direct-ask", "story-led"][k % 3];
        let _ = brain.execute(Envelope {
            at,
            actor: Some("bench".into()),
            command: Command::Ab(ab::Command::RecordCounts {
                experiment: "opening-script".into(),
                variant: variant.into(),
                trials: 10,
                conversions: 1,
            }),
        });
        k += 1;
    }
    let when = at + Duration::days(7);
    let mut g = c.benchmark_group("monitoring");
    g.sample_size(20);
    g.bench_function("run_due_checks_10k_audit_entries", |b| {
        b.iter_batched(
            || brain.clone(),
            |mut brain| {
                let events = brain.execute(Envelope {
                    at: when,
                    actor: Some("timer".into()),
                    command: Command::Monitoring(monitoring::Command::RunDueChecks {}),
                });
                black_box(events)
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, run_due_checks);
criterion_main!(benches);
