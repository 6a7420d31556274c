//! Criterion benchmarks of the audit log's Merkle tree at 10,000 entries:
//! the tree head, building the whole tree from the leaf hashes, an inclusion
//! proof, a consistency proof, their verification, and the verification of
//! a whole export (every entry re-hashed, the tree rebuilt).

use brain_core::audit::{self, State};
use chrono::{TimeZone, Utc};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

const N: u64 = 10_000;

fn log() -> State {
    let at = Utc
        .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let mut s = State::default();
    for i in 0..N {
        let ev = s.seal(audit::Draft {
            at,
            actor: Some("ops".into()),
            subject: format!("experiment/e{}/v0", i % 7),
            action: "RecordCounts".into(),
            outcome: audit::Outcome::Accepted,
            detail: String::new(),
            command_hash: audit::EMPTY_ROOT.into(),
            events_hash: audit::EMPTY_ROOT.into(),
        });
        s.apply(&ev);
    }
    s
}

fn merkle(c: &mut Criterion) {
    let s = log();
    let head = s.tree_head();
    c.bench_function("audit_root_10k", |b| b.iter(|| black_box(&s).tree_head()));
    c.bench_function("audit_tree_build_10k", |b| {
        b.iter(|| black_box(&s).tree().root(N))
    });
    c.bench_function("audit_prove_entry_10k", |b| {
        b.iter(|| black_box(&s).prove_entry(black_box(4_321)))
    });
    c.bench_function("audit_consistency_proof_10k", |b| {
        b.iter(|| black_box(&s).consistency_proof(black_box(6_000)))
    });
    let tree = s.tree();
    c.bench_function("merkle_inclusion_proof_prebuilt_tree_10k", |b| {
        b.iter(|| tree.inclusion_proof(black_box(4_321), N))
    });
    let inclusion = s.prove_entry(4_321).unwrap_or_else(|e| panic!("{e}"));
    c.bench_function("audit_verify_inclusion_10k", |b| {
        b.iter(|| {
            audit::verify_inclusion(
                &inclusion.leaf_hash,
                4_321,
                &inclusion.path,
                black_box(&head),
            )
        })
    });
    let consistency = s.consistency_proof(6_000).unwrap_or_else(|e| panic!("{e}"));
    c.bench_function("audit_verify_consistency_10k", |b| {
        b.iter(|| audit::verify_consistency(&consistency.old, black_box(&head), &consistency.path))
    });
    let export = s.export();
    let mut g = c.benchmark_group("heavy");
    g.sample_size(10);
    g.bench_function("audit_verify_export_10k", |b| {
        b.iter(|| audit::verify_export(black_box(&export), Some(&head)))
    });
    g.finish();
}

criterion_group!(benches, merkle);
criterion_main!(benches);
