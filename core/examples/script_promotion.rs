//! Block 22: scripts move Experimental -> Testing -> Primary only after
//! consecutive qualifying evaluations, and are demoted when they fall.

use brain_core::promotion::Command as P;
use brain_core::{Brain, Command, Envelope};
use chrono::{Duration, TimeZone, Utc};

fn main() {
    let t0 = Utc
        .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or_default();
    // Each evaluation below gives a fresh window of counts (not running
    // totals), so every one is new evidence: the policy does not ask for
    // new trials since the last evaluation.
    let mut policy = brain_core::Policy::default();
    policy.promotion.min_new_trials = 0;
    let Ok(mut brain) = Brain::with_policy(policy) else {
        return;
    };
    let mut minute = 0;
    let mut run = |brain: &mut Brain, cmd: P| {
        minute += 1;
        if let Err(e) = brain.execute(Envelope::new(
            t0 + Duration::minutes(minute),
            Command::Promotion(cmd),
        )) {
            println!("refused [{}]: {e}", e.code());
        }
    };
    let p = brain.policy().promotion.clone();
    println!(
        "Policy: minimum {} trials; Testing at >= {:.0}%, Primary at >= {:.0}%, demoted below {:.0}%; {} consecutive evaluations",
        p.min_sample,
        100.0 * p.testing_rate,
        100.0 * p.primary_rate,
        100.0 * p.demote_rate,
        p.consecutive
    );
    run(
        &mut brain,
        P::RegisterScript {
            script: "warm-open".into(),
            body: "Hi {{name}}, ...".into(),
        },
    );
    run(
        &mut brain,
        P::RegisterScript {
            script: "direct-ask".into(),
            body: "{{name}}, would you sell?".into(),
        },
    );
    let evals: [(&str, i64, i64); 14] = [
        ("warm-open", 200, 14),
        ("warm-open", 200, 15),
        ("warm-open", 200, 4),
        ("warm-open", 200, 16),
        ("warm-open", 200, 15),
        ("warm-open", 200, 14),
        ("warm-open", 300, 36),
        ("warm-open", 300, 33),
        ("warm-open", 300, 35),
        ("direct-ask", 50, 10),
        ("direct-ask", 200, 12),
        ("direct-ask", 200, 12),
        ("direct-ask", 200, 11),
        ("direct-ask", 200, 12),
    ];
    for (script, t, c) in evals {
        run(
            &mut brain,
            P::EvaluateScript {
                script: script.into(),
                trials: Some(t),
                conversions: Some(c),
                score: None,
            },
        );
    }
    for _ in 0..3 {
        run(
            &mut brain,
            P::EvaluateScript {
                script: "direct-ask".into(),
                trials: Some(400),
                conversions: Some(8),
                score: None,
            },
        );
    }
    run(
        &mut brain,
        P::EvaluateScript {
            script: "ghost".into(),
            trials: Some(1),
            conversions: Some(0),
            score: None,
        },
    );
    for s in brain.scripts() {
        println!(
            "\nScript {} is {:?} after {} evaluations",
            s.id, s.status, s.evaluations
        );
        for h in &s.history {
            println!(
                "  {} {:?} -> {:?}: {}",
                h.at.format("%H:%M"),
                h.from,
                h.to,
                h.reason
            );
        }
    }
}
