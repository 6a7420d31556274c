//! Staged rollouts: a challenger goes through Pilot (5%), Limited (25%) and Production
//! (100%), each stage holding until its minimum time and samples and advancing when its
//! criteria hold; a second rollout breaches its error-rate criterion and is rolled back, the
//! model returning to its previous champion. Routing shows which version serves which unit.

use brain_core::Brain;
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{json, Value};

struct Clock(DateTime<Utc>);

impl Clock {
    fn run(&mut self, brain: &mut Brain, minutes: i64, mut cmd: Value) {
        self.0 += Duration::minutes(minutes);
        cmd["at"] = json!(self.0.to_rfc3339());
        cmd["actor"] = json!("ops");
        if let Err(e) = brain.execute_json(&cmd.to_string()) {
            println!("refused: {e}");
        }
    }
}

fn show(brain: &Brain, id: &str) {
    if let Some(r) = brain.rollout(id) {
        println!(
            "{id}: {:?} at {} ({}% traffic), progress {:.2}; next: {}",
            r.status,
            r.stage,
            r.traffic * 100.0,
            r.progress,
            r.next_decision
        );
    }
}

fn main() {
    let mut brain = Brain::new();
    let mut clock = Clock(
        Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0)
            .single()
            .unwrap_or_default(),
    );
    for cmd in [
        json!({"block":"models","type":"RegisterModel","model_id":"lead-scorer","name":"Lead scorer"}),
        json!({"block":"models","type":"ProposeUpdate","model_id":"lead-scorer","version":"1.0.0","strategy":"full_retrain","accuracy":0.88}),
        json!({"block":"models","type":"ProposeUpdate","model_id":"lead-scorer","version":"1.1.0","strategy":"incremental","accuracy":0.90}),
        json!({"block":"rollouts","type":"StartRollout","rollout_id":"r1","model_id":"lead-scorer","version":"1.1.0"}),
    ] {
        clock.run(&mut brain, 1, cmd);
    }
    let units = ["lead-17", "lead-42", "lead-99", "lead-512"];
    let route = |brain: &Brain| {
        units
            .iter()
            .map(|u| {
                format!(
                    "{u} -> {}",
                    brain
                        .route("lead-scorer", u)
                        .map(|v| v.to_string())
                        .unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    show(&brain, "r1");
    println!("  routes: {}", route(&brain));

    // Each stage: measurements over its minimum time, then an evaluation.
    for (minutes, samples) in [(60, 400), (240, 2_000), (1_440, 6_000)] {
        clock.run(
            &mut brain,
            1,
            json!({"block":"rollouts","type":"EvaluateRollout","rollout_id":"r1"}),
        );
        show(&brain, "r1");
        clock.run(&mut brain, minutes, json!({"block":"rollouts","type":"RecordRolloutMetrics","rollout_id":"r1","samples":samples,"errors":samples / 100,"metrics":{"accuracy":0.90,"latency_p95":180.0}}));
        clock.run(
            &mut brain,
            1,
            json!({"block":"rollouts","type":"EvaluateRollout","rollout_id":"r1"}),
        );
        show(&brain, "r1");
        println!("  routes: {}", route(&brain));
    }

    // A second version breaches its error rate in Pilot: rolled back.
    clock.run(&mut brain, 1, json!({"block":"models","type":"ProposeUpdate","model_id":"lead-scorer","version":"1.2.0","strategy":"incremental","accuracy":0.90}));
    clock.run(&mut brain, 1, json!({"block":"rollouts","type":"StartRollout","rollout_id":"r2","model_id":"lead-scorer","version":"1.2.0"}));
    clock.run(&mut brain, 30, json!({"block":"rollouts","type":"RecordRolloutMetrics","rollout_id":"r2","samples":120,"errors":11,"metrics":{"accuracy":0.89,"latency_p95":210.0}}));
    clock.run(
        &mut brain,
        1,
        json!({"block":"rollouts","type":"EvaluateRollout","rollout_id":"r2"}),
    );
    show(&brain, "r2");
    if let Some(r) = brain.rollout("r2") {
        println!("  {}", r.reason);
    }
    println!(
        "champion: {}",
        brain
            .state()
            .models
            .champion("lead-scorer")
            .map(|v| v.version.to_string())
            .unwrap_or_default()
    );
    println!("verification: {:?}", brain.verify().status);
}
