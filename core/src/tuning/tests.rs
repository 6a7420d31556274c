//! Tuning over a small history whose decisions depend on the promotion
//! policy: one script that shines twice and then fails (promoting it early
//! is later reversed), one that stays good.

use super::*;
use crate::promotion;
use chrono::{Duration, TimeZone, Utc};
use serde_json::json;

fn log() -> Vec<Envelope> {
    let t0 = Utc
        .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let mut cmds = Vec::new();
    for script in ["lucky", "steady"] {
        cmds.push(Command::Promotion(promotion::Command::RegisterScript {
            script: script.into(),
            body: "Hello".into(),
        }));
    }
    let lucky = [0.3, 0.3, 0.01, 0.01, 0.01, 0.01];
    for round in 0..12 {
        for (script, score) in [
            ("lucky", lucky.get(round % 6).copied().unwrap_or(0.01)),
            ("steady", 0.3),
        ] {
            cmds.push(Command::Promotion(promotion::Command::EvaluateScript {
                script: script.into(),
                trials: None,
                conversions: None,
                score: Some(score),
            }));
        }
    }
    cmds.into_iter()
        .enumerate()
        .map(|(i, c)| Envelope::new(t0 + Duration::hours(i as i64), c))
        .collect()
}

fn spec(search: serde_json::Value, holdout: f64) -> Spec {
    serde_json::from_value(json!({
        "parameters": [{"path": "promotion.consecutive", "range": {"min": 1, "max": 4, "step": 1}}],
        "search": search,
        "objective": "reversed_promotions",
        "constraints": [{"objective": "time_to_correct_decision", "max": 1000}],
        "holdout": holdout,
    }))
    .expect("spec")
}

fn run(spec: Spec) -> Ranking {
    tune(spec, None, log(), &Policy::default()).expect("ranking")
}

fn consecutive(r: &Ranked) -> i64 {
    r.settings[0].value.as_i64().unwrap_or(-1)
}

#[test]
fn promoting_after_one_good_evaluation_is_reversed_and_ranks_last() {
    let ranking = run(spec(json!({"kind": "grid"}), 0.0));
    let by: Vec<(i64, f64)> = ranking
        .candidates
        .iter()
        .map(|r| {
            (
                consecutive(r),
                r.choose.map_or(-1.0, |s| s.reversed_promotions),
            )
        })
        .collect();
    let one = by.iter().find(|(c, _)| *c == 1).map(|(_, s)| *s);
    assert!(one.is_some_and(|s| s >= 1.0), "{by:?}");
    assert!(by[0].1 < one.unwrap_or(0.0), "{by:?}");
    assert_eq!(by.last().map(|(c, _)| *c), Some(1), "{by:?}");
    assert!(by.windows(2).all(|w| w[0].1 <= w[1].1), "{by:?}");
    // No hold-out: no validation scores.
    assert_eq!(ranking.split, ranking.commands);
    assert!(ranking.candidates.iter().all(|r| r.validate.is_none()));
}

#[test]
fn the_same_spec_and_seed_give_the_same_ranking() {
    let random = json!({"kind": "random", "candidates": 6, "seed": 42});
    let a = run(spec(random.clone(), 0.3));
    let b = run(spec(random, 0.3));
    assert_eq!(a, b);
    let c = run(spec(
        json!({"kind": "random", "candidates": 6, "seed": 43}),
        0.3,
    ));
    let order = |r: &Ranking| r.candidates.iter().map(|c| c.index).collect::<Vec<_>>();
    let values = |r: &Ranking| {
        let mut v: Vec<i64> = r.candidates.iter().map(consecutive).collect();
        v.sort();
        v
    };
    assert!(order(&a) != order(&c) || values(&a) != values(&c));
}

#[test]
fn a_search_in_slices_ranks_as_one_pass_and_reports_progress() {
    let whole = run(spec(json!({"kind": "grid"}), 0.3));
    let mut tuner = Tuner::new(
        spec(json!({"kind": "grid"}), 0.3),
        None,
        log(),
        &Policy::default(),
    )
    .expect("tuner");
    let total = tuner.progress().commands_total;
    assert_eq!(total, 5 * log().len());
    let mut seen = Vec::new();
    loop {
        assert!(tuner.ranking().is_none());
        let p = tuner.step(7);
        seen.push(p);
        if p.done {
            break;
        }
    }
    assert!(seen
        .windows(2)
        .all(|w| w[0].commands_done < w[1].commands_done));
    let last = seen.last().copied().expect("a step");
    assert_eq!((last.commands_done, last.candidates_done), (total, 4));
    assert_eq!(tuner.ranking(), Some(whole));
}

#[test]
fn the_hold_out_is_scored_apart_and_constraints_against_the_current_policy_hold() {
    let mut s = spec(json!({"kind": "grid"}), 0.5);
    s.constraints = vec![Constraint {
        objective: Objective::ReversedPromotions,
        max: None,
    }];
    s.objective = Objective::TimeToCorrectDecision;
    let ranking = run(s);
    assert_eq!(ranking.split, log().len() / 2);
    assert!(ranking.baseline_validate.is_some());
    assert!(ranking.candidates.iter().all(|r| r.validate.is_some()));
    let limit = ranking.baseline_choose.reversed_promotions;
    for r in &ranking.candidates {
        let got = r.choose.map_or(0.0, |s| s.reversed_promotions);
        assert_eq!(r.feasible, got <= limit, "{r:?}");
        assert_eq!(r.violations.is_empty(), r.feasible, "{r:?}");
    }
    // Feasible ones first.
    let feasible: Vec<bool> = ranking.candidates.iter().map(|r| r.feasible).collect();
    assert!(feasible.windows(2).all(|w| w[0] >= w[1]), "{feasible:?}");
}

#[test]
fn an_invalid_candidate_is_ranked_last_with_its_reason_and_does_not_run() {
    let s: Spec = serde_json::from_value(json!({
        "parameters": [{"path": "promotion.demote_rate", "choices": [0.99, 0.01]}],
        "search": {"kind": "grid"},
        "objective": "alerts_per_week",
    }))
    .expect("spec");
    let mut tuner = Tuner::new(s, None, log(), &Policy::default()).expect("tuner");
    assert_eq!(tuner.progress().commands_total, 2 * log().len());
    tuner.step(usize::MAX);
    let ranking = tuner.ranking().expect("done");
    let last = ranking.candidates.last().expect("two");
    assert_eq!(last.index, 0);
    assert!(last.invalid.is_some() && last.choose.is_none() && !last.feasible);
}

#[test]
fn a_bad_spec_is_refused_before_anything_runs() {
    let mut s = spec(json!({"kind": "grid"}), 0.3);
    s.holdout = 0.95;
    assert_eq!(
        Tuner::new(s, None, log(), &Policy::default())
            .map_err(|e| e.code())
            .err(),
        Some("invalid_holdout")
    );
}
