//! Pins the demo: its state hash, its audit head, and digests of every
//! event and of the decisions what-if reads, so that a refactor of the
//! reducer or of a block's words (action, subject, detail, refusal,
//! decision) that changes what a user sees is caught here, natively.
//! The values were recorded from the code before the block contract; the
//! state hash and the events changed with schema 2's wire names (said below),
//! the audit head and every decision did not.

use brain_core::whatif::Kind;
use brain_core::{ab, canon, promotion, Brain, Command, Envelope, Policy};
use chrono::{Duration, TimeZone, Utc};

fn demo() -> Brain {
    Brain::demo(
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .unwrap_or_default(),
    )
}

/// A policy under which the demo's decisions differ in every kind what-if
/// reports (promotion, demotion, gate, ingestion, model update).
fn strict() -> Policy {
    let mut strict = Policy::default();
    strict.promotion.primary_rate = 0.5;
    strict.promotion.testing_rate = 0.15;
    strict.promotion.demote_rate = 0.12;
    strict.ingest.allowed_sources.push("craigslist".into());
    strict.gates.min_accuracy = 0.95;
    strict.models.max_accuracy_drop = 0.2;
    strict.readiness.ready_threshold = 0.95;
    strict
}

/// The demo, then its Primary script's rate falls (a large batch with no
/// conversion) and it is evaluated until demoted; what-if under a policy
/// that never demotes.
fn demoted_primary() -> brain_core::whatif::Report {
    let mut brain = demo();
    let primary = brain
        .scripts()
        .into_iter()
        .find(|s| s.status == promotion::Status::Primary)
        .map(|s| s.id);
    let Some(script) = primary else {
        panic!("the demo has a Primary script");
    };
    let mut at = brain.state().last_at.unwrap_or_default();
    // Each evaluation brings new (failing) trials, so each one counts.
    let mut commands = Vec::new();
    for _ in 0..brain.policy().promotion.consecutive {
        commands.push(Command::Ab(ab::Command::RecordCounts {
            experiment: "opening-script".into(),
            variant: script.clone(),
            trials: 100_000,
            conversions: 0,
        }));
        commands.push(Command::Promotion(promotion::Command::EvaluateScript {
            script: script.clone(),
            trials: None,
            conversions: None,
            score: None,
        }));
    }
    for command in commands {
        at += Duration::minutes(1);
        if let Err(e) = brain.execute(Envelope::new(at, command)) {
            panic!("{e}");
        }
    }
    let mut never = Policy::default();
    never.promotion.demote_rate = 0.0;
    match brain.what_if(&never) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn the_demo_state_hash_audit_head_events_and_decisions_are_pinned() {
    let brain = demo();
    let report = brain.what_if(&strict()).map_err(|e| e.to_string());
    let report = match report {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };
    let demotion = demoted_primary();
    let kinds: Vec<Kind> = report
        .differences
        .iter()
        .chain(&demotion.differences)
        .map(|d| d.kind)
        .collect();
    for kind in [
        Kind::Ingestion,
        Kind::Promotion,
        Kind::Demotion,
        Kind::ModelUpdate,
        Kind::Gate,
    ] {
        assert!(kinds.contains(&kind), "{kind:?} not in {kinds:?}");
    }
    let got = [
        brain.state_hash(),
        brain.state().audit.head().to_string(),
        canon::sha256_json(brain.events()),
        canon::sha256_json(&report),
        canon::sha256_json(&demotion),
    ];
    // Every value changed when the demo grew: a continuous metric and an
    // experiment's lifecycle (block 21), rounds of counts with evaluations
    // between them and a script's second version (22), model evidence,
    // metrics and environments (26), staged rollouts, a run of the scheduled
    // monitoring checks and a logged external action (29); what-if also
    // compares more kinds of decision. The commands the demo had before, and
    // their decisions, are as they were unless those rules changed them.
    // All five changed again when the demo's end grew by six commands (a
    // CUPED covariate on the channel experiment's deal values, the churn
    // predictor's patch numbered by bump and held on its latency metric):
    // they were 98799ecd..., 7f1503db..., 53cf730a..., ffeec643... and
    // ef662324... before.
    assert_eq!(
        got,
        [
            // State hash (schema 3: the schema version and the audit log's
            // Merkle root are hashed; was 6b297c3e... at schema 2, 555f0611...
            // at schema 1; b217a5d9... before the models' evidence rule, when the
            // demo had no evidence, metrics or environments; e6557e6d... before an
            // A/B winner's reason named its variants, "sms (control) beats every
            // variant" where it said "control beats every variant").
            "f4be65a30a64f0574d1ca10e8d8d7a9497be1a704fd0469a8d9a54b100f63c60",
            // Audit head: the RFC 6962 root over every entry's leaf (its
            // summary, command hash and events hash); was the hash chain's
            // head 8a29b176... at schema 2; fb03aae5... before the named reason).
            "cd1636c1fa15dfd0102f20f61f8007324dd4e5614cc5ee736927f481aad7a8c1",
            // Every event (schema 3: audit entries carry commandHash,
            // eventsHash, leaf hash and root, no prevHash; was da92c8bd... at
            // schema 2, d5560714... at schema 1; 07d5a9f1... before the named
            // reason).
            "4ba0e13f07fca0ee1730bc3649ab866711648ee21743d6325a4d79e05f50e04c",
            // What-if of the demo under `strict()`.
            "bff80f8313736af9e75b3f5b3ac27a5a15c86112661228778a045dcb646d2049",
            // What-if of `demoted_primary()`.
            "12b985c5e920dc5a6816137ce857c78e3a3d34f502e41af4796c5924b15a96ee",
        ]
    );
}
