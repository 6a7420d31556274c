//! Criterion benchmarks of the original system's batches and of the
//! engine's hot paths (figures in the report, not timed tests).

use brain_core::brain::{Brain, Command, Envelope, Event};
use brain_core::{ab, audit, packets, promotion, readiness};
use chrono::Duration;
use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};
use std::collections::BTreeMap;
use std::time::Instant;

mod common;
use common::t0;

fn env(i: i64, command: Command) -> Envelope {
    Envelope {
        at: t0() + Duration::seconds(i),
        actor: Some("bench".into()),
        command,
    }
}

fn with_variants(n: usize) -> Brain {
    let mut brain = Brain::new();
    for i in 0..n {
        let _ = brain.execute(env(
            i as i64,
            Command::Ab(ab::Command::RegisterVariant {
                experiment: format!("e{}", i / 4),
                variant: format!("v{i}"),
                kind: ab::VariantKind::Script,
                weight: 1.0,
            }),
        ));
    }
    brain
}

fn batches(c: &mut Criterion) {
    let mut g = c.benchmark_group("batch_of_100");
    let register: Vec<Envelope> = (0..100)
        .map(|i| {
            env(
                i,
                Command::Ab(ab::Command::RegisterVariant {
                    experiment: format!("e{}", i / 4),
                    variant: format!("v{i}"),
                    kind: ab::VariantKind::Script,
                    weight: 1.0,
                }),
            )
        })
        .collect();
    g.bench_function("register_100_variants", |b| {
        b.iter_batched(
            || (Brain::new(), register.clone()),
            |(mut brain, cmds)| {
                for e in cmds {
                    let _ = brain.execute(e);
                }
                brain
            },
            BatchSize::SmallInput,
        )
    });
    let base = with_variants(100);
    let track: Vec<Envelope> = (0..100)
        .map(|i| {
            env(
                1000 + i,
                Command::Ab(ab::Command::RecordCounts {
                    experiment: format!("e{}", i / 4),
                    variant: format!("v{i}"),
                    trials: 500,
                    conversions: 40,
                }),
            )
        })
        .collect();
    g.bench_function("track_100_performances", |b| {
        b.iter_batched(
            || (base.clone(), track.clone()),
            |(mut brain, cmds)| {
                for e in cmds {
                    let _ = brain.execute(e);
                }
                brain
            },
            BatchSize::SmallInput,
        )
    });
    let demo = Brain::demo(t0());
    let start = (demo.state().last_at.unwrap_or(t0()) - t0()).num_seconds() + 1;
    let build: Vec<Envelope> = (0..100)
        .map(|i| {
            let mut fields = BTreeMap::new();
            fields.insert("city".to_string(), "Austin".to_string());
            env(
                start + i,
                Command::Packets(packets::Command::BuildPacket {
                    lead: packets::Lead {
                        name: format!("Lead {i}"),
                        value: 250_000.0,
                        terms: "cash".into(),
                        source: "zillow".into(),
                        fields,
                    },
                    scripts: None,
                    channels: None,
                }),
            )
        })
        .collect();
    g.bench_function("build_100_packets", |b| {
        b.iter_batched(
            || (demo.clone(), build.clone()),
            |(mut brain, cmds)| {
                for e in cmds {
                    let _ = brain.execute(e);
                }
                brain
            },
            BatchSize::SmallInput,
        )
    });
    let mut scripts = Brain::new();
    for i in 0..10 {
        let _ = scripts.execute(env(
            i,
            Command::Promotion(promotion::Command::RegisterScript {
                script: format!("s{i}"),
                body: "Hi {{name}}".into(),
            }),
        ));
    }
    let evals: Vec<Envelope> = (0..100)
        .map(|i| {
            env(
                100 + i,
                Command::Promotion(promotion::Command::EvaluateScript {
                    script: format!("s{}", i % 10),
                    trials: Some(200),
                    conversions: Some(25),
                    score: None,
                }),
            )
        })
        .collect();
    g.bench_function("run_100_evaluations", |b| {
        b.iter_batched(
            || (scripts.clone(), evals.clone()),
            |(mut brain, cmds)| {
                for e in cmds {
                    let _ = brain.execute(e);
                }
                brain
            },
            BatchSize::SmallInput,
        )
    });
    let clones: Vec<Envelope> = (0..100)
        .map(|i| {
            env(
                i,
                Command::Readiness(readiness::Command::AssessClone {
                    clone_id: format!("clone-{i}"),
                    factors: readiness::Factors {
                        accuracy: 0.9,
                        confidence: 0.8,
                        consistency: 0.7,
                        robustness: 0.6 + (i as f64) * 0.001,
                    },
                    model_id: None,
                    experiment_id: None,
                }),
            )
        })
        .collect();
    g.bench_function("score_100_clones", |b| {
        b.iter_batched(
            || (Brain::new(), clones.clone()),
            |(mut brain, cmds)| {
                for e in cmds {
                    let _ = brain.execute(e);
                }
                brain
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

fn hot_paths(c: &mut Criterion) {
    // One aggregated A/B count, block level (decide + apply).
    let mut state = ab::State::default();
    let policy = ab::Policy::default();
    for e in ab::decide(
        &state,
        &policy,
        &ab::Command::RegisterVariant {
            experiment: "e".into(),
            variant: "a".into(),
            kind: ab::VariantKind::Script,
            weight: 1.0,
        },
        t0(),
    )
    .unwrap_or_default()
    {
        state.apply(&e);
    }
    let cmd = ab::Command::RecordCounts {
        experiment: "e".into(),
        variant: "a".into(),
        trials: 100,
        conversions: 7,
    };
    // The command's time is built once, as a caller's would be.
    let at = t0();
    c.bench_function("record_one_ab_count_block", |b| {
        b.iter(|| {
            if let Ok(events) = ab::decide(&state, &policy, black_box(&cmd), at) {
                for e in &events {
                    state.apply(e);
                }
            }
        })
    });
    // The same through the reducer (with its audit entry).
    let mut brain = with_variants(4);
    let mut i = 10;
    c.bench_function("record_one_ab_count_brain_execute", |b| {
        b.iter(|| {
            i += 1;
            let _ = brain.execute(env(
                i,
                Command::Ab(ab::Command::RecordCounts {
                    experiment: "e0".into(),
                    variant: "v0".into(),
                    trials: 100,
                    conversions: 7,
                }),
            ));
        })
    });
    // One audit append (leaf hash, tree head, fold) onto a log of 10,000 to 20,000
    // entries: a log that grew without bound through millions of iterations
    // would measure page faults of gigabytes of heap, not the append. The
    // reset to 10,000 entries is outside the timed spans.
    let draft = || audit::Draft {
        at,
        actor: Some("ops".into()),
        subject: "experiment/e0/v0".into(),
        action: "RecordCounts".into(),
        outcome: audit::Outcome::Accepted,
        detail: String::new(),
        command_hash: audit::EMPTY_ROOT.into(),
        events_hash: audit::EMPTY_ROOT.into(),
    };
    let mut base = audit::State::default();
    for _ in 0..10_000 {
        let ev = base.seal(draft());
        base.apply(&ev);
    }
    c.bench_function("audit_append", |b| {
        b.iter_custom(|iters| {
            let mut log = base.clone();
            let mut total = std::time::Duration::ZERO;
            let mut start = Instant::now();
            for _ in 0..iters {
                let ev = log.seal(black_box(draft()));
                log.apply(&ev);
                if log.entries.len() >= 20_000 {
                    total += start.elapsed();
                    log = base.clone();
                    start = Instant::now();
                }
            }
            total + start.elapsed()
        })
    });
}

fn heavy(c: &mut Criterion) {
    let mut g = c.benchmark_group("heavy");
    g.sample_size(10);
    // Verification of a state with 10,000 audit entries.
    let mut brain = Brain::demo(t0());
    let start = (brain.state().last_at.unwrap_or(t0()) - t0()).num_seconds() + 1;
    let mut k = 0;
    while brain.state().audit.entries.len() < 10_000 {
        let e = ["warm-open", "direct-ask", "story-led"][k % 3];
        let _ = brain.execute(env(
            start + k as i64,
            Command::Ab(ab::Command::RecordCounts {
                experiment: "opening-script".into(),
                variant: e.into(),
                trials: 10,
                conversions: 1,
            }),
        ));
        k += 1;
    }
    g.bench_function("verify_10k_audit_entries", |b| {
        b.iter(|| black_box(brain.verify()))
    });
    // Replay of 1,000,000 events (500,000 commands with their audit entries).
    let mut big = with_variants(4);
    let mut n = 0i64;
    while big.events().len() < 1_000_000 {
        n += 1;
        let _ = big.execute(env(
            100 + n,
            Command::Ab(ab::Command::RecordCounts {
                experiment: "e0".into(),
                variant: format!("v{}", n % 4),
                trials: 10,
                conversions: 1,
            }),
        ));
    }
    let events: Vec<Event> = big.events().to_vec();
    drop(big);
    g.bench_function("replay_1m_events", |b| {
        b.iter(|| black_box(Brain::replay(&events).state_hash()))
    });
    g.finish();
}

criterion_group!(benches, batches, hot_paths, heavy);
criterion_main!(benches);
