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
            // (was b217a5d9... before the demo evaluated scripts between batches of counts and logged a deployment (issue 14))
            "74544cd512668e5fa9177cdfc88f727d746fc4820f17751ef0eb0a19fd05b357",
            // Audit head: the RFC 6962 root over every entry's leaf (its
            // summary, command hash and events hash); was the hash chain's
            // head 8a29b176... at schema 2.
            // (was a28f4523... before the demo's rounds of counts and evaluations)
            "c8c87c7f7017021cf72a4b0649b8bc19fa709e66caa51a82eb603f8f63d33066",
            // Every event (schema 3: audit entries carry commandHash,
            // eventsHash, leaf hash and root, no prevHash; was da92c8bd... at
            // schema 2, d5560714... at schema 1).
            // (was d76a1015... before the demo's rounds)
            "82683a3edca2d1e45da6363c9e29447ed4e01f90a43fc274e38d0ba66d0944b6",
            // What-if of the demo under `strict()`.
            // (was b198708f... before the demo's rounds)
            "b7dbb23bad306c5ac11e9eb27d8f2e0786814034aa2b89ec22f752450b3ab480",
            // What-if of `demoted_primary()`.
            // (was 0047d99f... before the demo's rounds)
            "2208bf27a680cf3accb4fd9d411b1913361fc0bfa7eb40c95ac908f09a25568c",
        ]
    );
}
