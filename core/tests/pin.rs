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
    assert_eq!(
        got,
        [
            // State hash (schema 3: the schema version and the audit log's
            // Merkle root are hashed; was 6b297c3e... at schema 2, 555f0611...
            // at schema 1; b217a5d9... before the models' evidence rule, when the
            // demo had no evidence, metrics or environments; e6557e6d... before an
            // A/B winner's reason named its variants, "sms (control) beats every
            // variant" where it said "control beats every variant").
            "98799ecd513d47de45c1adf853627de8ef54aed0b1cc820fe01cb9da6aa01704",
            // Audit head: the RFC 6962 root over every entry's leaf (its
            // summary, command hash and events hash); was the hash chain's
            // head 8a29b176... at schema 2; fb03aae5... before the named reason).
            "7f1503dbdfb0c57db59b7382915204bad5f25176ae7ce17b686d160d699d86ee",
            // Every event (schema 3: audit entries carry commandHash,
            // eventsHash, leaf hash and root, no prevHash; was da92c8bd... at
            // schema 2, d5560714... at schema 1; 07d5a9f1... before the named
            // reason).
            "53cf730af45349b51722511832c090d326321e7c30dad3fbfcc957c98a11cbd8",
            // What-if of the demo under `strict()`.
            "ffeec6433e8016fcfcfb15f7af7aa965125e4d76886a68f7578362a703e6ef56",
            // What-if of `demoted_primary()`.
            "ef662324deccedf71593c80df7ffc7eb43549b615478626a98044a62a9e8ad15",
        ]
    );
}
