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
    assert_eq!(
        got,
        [
            // State hash (schema 3: the schema version and the audit log's
            // Merkle root are hashed; was 6b297c3e... at schema 2, 555f0611...
            // at schema 1).
            // (was b217a5d9... before the demo evaluated scripts between batches of counts (issue 14))
            "b64244bff3ed5a51f7c3434c7acbd6eb22e40355380598dd2e2345b80b9a4204",
            // Audit head: the RFC 6962 root over every entry's leaf (its
            // summary, command hash and events hash); was the hash chain's
            // head 8a29b176... at schema 2.
            // (was a28f4523... before the demo's rounds of counts and evaluations)
            "8ba92e3d1fbee7bf189f55d7172ff0764630ac551dc9f8a94dd890e38ddb055c",
            // Every event (schema 3: audit entries carry commandHash,
            // eventsHash, leaf hash and root, no prevHash; was da92c8bd... at
            // schema 2, d5560714... at schema 1).
            // (was d76a1015... before the demo's rounds)
            "49623c6cfeb182a082aa65a18158c04ad13ebef28ae023492f072d55411dac01",
            // What-if of the demo under `strict()`.
            // (was b198708f... before the demo's rounds)
            "8d1174be0a228af09108d04ae055d044141d207a63876e9438cb7a5a4d774588",
            // What-if of `demoted_primary()`.
            // (was 0047d99f... before the demo's rounds)
            "529f8221724161f236b6f42822a4b8b65e61f9f6d4d3b94b52e2edbb62b9ac36",
        ]
    );
}
