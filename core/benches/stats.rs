//! Criterion benchmarks of the statistics engine, on the same inputs as
//! `scripts/fixtures/bench_gbstats.py` times gbstats with.

use std::hint::black_box;

use brain_core::stats::{
    adjust_p_values, chance_to_beat, decide_winner, detectable_effect, ks_test, lift_t_test,
    proportion_z_test, psi, rate_interval, sample_size_per_arm, sequential_lift_test, srm_p_value,
    thompson_allocation, Adjustment, Counts, WinnerRule,
};
use criterion::{criterion_group, criterion_main, Criterion};

// Shared with bench_gbstats.py: control 10,000 / 1,000, treatment 10,000 / 1,100.
const A: Counts = Counts {
    n: 10_000,
    conversions: 1_000,
};
const B: Counts = Counts {
    n: 10_000,
    conversions: 1_100,
};
const SRM_USERS: [u64; 3] = [10_000, 10_000, 9_700];
const SRM_WEIGHTS: [f64; 3] = [1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0];

/// A deterministic pseudo-random sample (xorshift), so benches need no rng.
fn sample(n: usize, seed: u64, shift: f64) -> Vec<f64> {
    let mut s = seed;
    (0..n)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 11) as f64 / (1u64 << 53) as f64 + shift
        })
        .collect()
}

fn tests(c: &mut Criterion) {
    c.bench_function("lift_t_test", |b| {
        b.iter(|| lift_t_test(black_box(A), black_box(B), 0.05))
    });
    // ~1e6 degrees of freedom and t ~ 1.7: the slowest case of the incomplete
    // beta's continued fraction (the expansion takes over above 1e6).
    let (wide_a, wide_b) = (Counts::new(500_000, 100_000), Counts::new(500_000, 100_680));
    if let (Ok(wide_a), Ok(wide_b)) = (wide_a, wide_b) {
        c.bench_function("lift_t_test_dof_1e6", |b| {
            b.iter(|| lift_t_test(black_box(wide_a), black_box(wide_b), 0.05))
        });
    }
    c.bench_function("sequential_lift_test", |b| {
        b.iter(|| sequential_lift_test(black_box(A), black_box(B), 0.05, 5000.0))
    });
    c.bench_function("srm_p_value", |b| {
        b.iter(|| srm_p_value(black_box(&SRM_USERS), black_box(&SRM_WEIGHTS)))
    });
    c.bench_function("proportion_z_test", |b| {
        b.iter(|| proportion_z_test(black_box(A), black_box(B), 0.05))
    });
    c.bench_function("rate_interval", |b| {
        b.iter(|| rate_interval(black_box(A), 0.05))
    });
    c.bench_function("chance_to_beat", |b| {
        b.iter(|| chance_to_beat(black_box(A), black_box(B)))
    });
    // An answer of ~2e-33: the cheapest form is tried, then the direct sum.
    let (low_a, low_b) = (Counts::new(1000, 30), Counts::new(100_000, 100));
    if let (Ok(low_a), Ok(low_b)) = (low_a, low_b) {
        c.bench_function("chance_to_beat_tiny", |b| {
            b.iter(|| chance_to_beat(black_box(low_a), black_box(low_b)))
        });
    }
    let p = [0.01, 0.04, 0.03, 0.2, 0.5];
    c.bench_function("adjust_p_values_holm_5", |b| {
        b.iter(|| adjust_p_values(black_box(&p), Adjustment::Holm))
    });
    c.bench_function("sample_size_per_arm", |b| {
        b.iter(|| sample_size_per_arm(black_box(0.1), 0.01, 0.05, 0.8))
    });
    c.bench_function("detectable_effect", |b| {
        b.iter(|| detectable_effect(black_box(0.1), 10_000, 0.05, 0.8))
    });
    let (x, y) = (sample(1000, 1, 0.0), sample(1000, 2, 0.05));
    c.bench_function("ks_test_1000x1000", |b| {
        b.iter(|| ks_test(black_box(&x), black_box(&y)))
    });
    c.bench_function("psi_1000x1000_10_bins", |b| {
        b.iter(|| psi(black_box(&x), black_box(&y), 10))
    });
    let arms = [
        A,
        B,
        Counts {
            n: 10_000,
            conversions: 1_050,
        },
    ];
    c.bench_function("thompson_3_arms_1000_draws", |b| {
        b.iter(|| thompson_allocation(black_box(&arms), 0.05, 1000, 7))
    });
    let rule = WinnerRule::default();
    c.bench_function("decide_winner_3_variants", |b| {
        b.iter(|| decide_winner(black_box(&arms), None, &rule))
    });
}

criterion_group!(benches, tests);
criterion_main!(benches);
