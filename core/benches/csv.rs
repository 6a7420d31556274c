//! Criterion benchmark of a 100,000-row CSV import: reading the counts file
//! and planning it (each row's command run against a copy of the brain, as
//! the console does before it shows the preview), and applying the plan as
//! one batch, at once and in slices as the console applies it. Measured,
//! never asserted (the issue asks for the figure).

use brain_core::brain::{Brain, Envelope};
use brain_core::csv_io::{self, Kind, Options};
use chrono::{TimeZone, Utc};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

const ROWS: usize = 100_000;

fn brain() -> Brain {
    let at = Utc
        .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let mut b = Brain::new();
    for v in ["email", "sms", "call"] {
        let json = format!(
            r#"{{"at":"{}","block":"ab","type":"RegisterVariant","experiment":"channel","variant":"{v}","kind":"channel"}}"#,
            at.to_rfc3339()
        );
        let env: Envelope = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
        b.execute(env).unwrap_or_else(|e| panic!("{e}"));
    }
    b
}

fn file() -> String {
    let mut text = String::from("date,experiment,variant,trials,conversions\r\n");
    for i in 0..ROWS {
        let variant = ["email", "sms", "call"][i % 3];
        text.push_str(&format!(
            "2026-03-03,channel,{variant},{},{}\r\n",
            100 + i % 50,
            i % 30
        ));
    }
    text
}

fn import(c: &mut Criterion) {
    let b = brain();
    let text = file();
    let options = Options::default();
    let mut group = c.benchmark_group("csv");
    group.sample_size(10);
    group.bench_function("plan_counts_100k", |bench| {
        bench.iter(|| csv_io::plan(black_box(&b), Kind::Counts, black_box(&text), &options))
    });
    let plan = csv_io::plan(&b, Kind::Counts, &text, &options).unwrap_or_else(|e| panic!("{e}"));
    assert!(plan.row_errors.is_empty());
    group.bench_function("apply_counts_100k", |bench| {
        bench.iter(|| {
            let mut copy = b.clone();
            copy.execute_all(black_box(plan.commands.clone()))
        })
    });
    group.bench_function("apply_counts_100k_in_slices", |bench| {
        bench.iter(|| {
            // As the console does: 2,000 commands between two paints on a
            // copy, then one commit.
            let mut copy = b.clone();
            let mut run = copy.start_batch(black_box(plan.commands.clone()));
            while !run.step(2_000) {}
            run.commit(&mut copy)
        })
    });
    group.bench_function("export_audit_after_100k", |bench| {
        let mut applied = b.clone();
        let _ = applied.execute_all(plan.commands.clone());
        bench.iter(|| csv_io::export(black_box(&applied), csv_io::Table::Audit))
    });
    group.finish();
}

criterion_group!(benches, import);
criterion_main!(benches);
