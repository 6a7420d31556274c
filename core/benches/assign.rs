//! Criterion benchmark of assignment throughput (ids per second).

use std::hint::black_box;

use brain_core::assign::{hash, Experiment};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn ids() -> Vec<String> {
    (0..100_000u32).map(|i| format!("user-{i:08}")).collect()
}

fn throughput(c: &mut Criterion) {
    let ids = ids();
    let experiment = Experiment {
        key: "checkout-button".into(),
        seed: None,
        hash_version: 2,
        variations: 3,
        weights: Some(vec![0.2, 0.3, 0.5]),
        coverage: Some(0.9),
        namespace: None,
    };
    let prepared = experiment.prepare();
    let mut group = c.benchmark_group("assign");
    group.throughput(Throughput::Elements(ids.len() as u64));
    group.bench_function("prepared_v2_100k_ids", |b| {
        b.iter(|| {
            ids.iter()
                .filter(|id| prepared.assign(black_box(id)).in_experiment)
                .count()
        })
    });
    group.bench_function("prepared_v2_assign_many_100k_ids", |b| {
        b.iter(|| {
            prepared
                .assign_many(black_box(&ids).iter().map(String::as_str))
                .iter()
                .filter(|a| a.in_experiment)
                .count()
        })
    });
    let v1 = Experiment {
        hash_version: 1,
        ..experiment.clone()
    }
    .prepare();
    group.bench_function("prepared_v1_100k_ids", |b| {
        b.iter(|| {
            ids.iter()
                .filter(|id| v1.assign(black_box(id)).in_experiment)
                .count()
        })
    });
    let emoji: Vec<String> = ids.iter().map(|id| format!("{id}-é🚀")).collect();
    group.bench_function("prepared_v2_100k_non_ascii_ids", |b| {
        b.iter(|| {
            emoji
                .iter()
                .filter(|id| prepared.assign(black_box(id)).in_experiment)
                .count()
        })
    });
    group.bench_function("hash_v2_100k_ids", |b| {
        b.iter(|| {
            ids.iter()
                .filter_map(|id| hash("seed", black_box(id), 2))
                .sum::<f64>()
        })
    });
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
