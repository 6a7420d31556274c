//! The original system's integrated workflow as a command log: experiments
//! with script and channel variants, promotions, packets, sources with
//! accepted and blocked attempts, model updates (one refused, one rollback),
//! clone readiness, gate decisions and a snapshot. Used by the console's
//! "Load demo data", the examples and the benchmarks.

use crate::ab::{self, VariantKind};
use crate::brain::{Brain, Command, Envelope};
use crate::{audit, gates, ingest, models, outcomes, packets, promotion, readiness};
use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeMap;

fn v(major: u64, minor: u64, patch: u64) -> semver::Version {
    semver::Version::new(major, minor, patch)
}

/// The demo's commands, one minute apart from `at`.
pub fn commands(at: DateTime<Utc>) -> Vec<Envelope> {
    let mut cmds: Vec<Command> = Vec::new();
    // Block 24: sources.
    cmds.push(Command::Ingest(ingest::Command::AddSource {
        source: "Facebook Leads".into(),
    }));
    for (source, payload) in [
        ("Zillow", r#"{"lead":"Ann Lee","value":320000}"#),
        (" zillow ", r#"{"lead":"Bo Chen","value":275000}"#),
        ("Ｚｉｌｌｏｗ", r#"{"lead":"Cy Diaz","value":410000}"#),
        ("Realtor", r#"{"lead":"Di Evans","value":199000}"#),
        ("facebook leads", r#"{"lead":"Ed Fox","value":150000}"#),
        ("craigslist", r#"{"lead":"spam"}"#),
    ] {
        cmds.push(Command::Ingest(ingest::Command::IngestData {
            source: source.into(),
            payload: payload.into(),
        }));
    }
    cmds.push(Command::Ingest(ingest::Command::SuspendSource {
        source: "Redfin".into(),
    }));
    cmds.push(Command::Ingest(ingest::Command::IngestData {
        source: "redfin".into(),
        payload: "{}".into(),
    }));
    cmds.push(Command::Ingest(ingest::Command::IngestData {
        source: "mls".into(),
        payload: "x".repeat(70_000),
    }));

    // Block 21: a script experiment and a channel experiment.
    for name in ["warm-open", "direct-ask", "story-led"] {
        cmds.push(Command::Ab(ab::Command::RegisterVariant {
            experiment: "opening-script".into(),
            variant: name.into(),
            kind: VariantKind::Script,
            weight: 1.0,
        }));
    }
    for name in ["sms", "email", "phone"] {
        cmds.push(Command::Ab(ab::Command::RegisterVariant {
            experiment: "contact-channel".into(),
            variant: name.into(),
            kind: VariantKind::Channel,
            weight: 1.0,
        }));
    }
    // Block 22: scripts, registered before the counts come in.
    for (name, body) in [
        (
            "warm-open",
            "Hi {{name}}, I saw your home near {{city}} and have a buyer in mind.",
        ),
        ("direct-ask", "{{name}}, would you sell for {{value}}?"),
        (
            "story-led",
            "{{name}}, a family I work with has been searching {{city}} for months.",
        ),
    ] {
        cmds.push(Command::Promotion(promotion::Command::RegisterScript {
            script: name.into(),
            body: body.into(),
        }));
    }
    // Seven rounds: a batch of counts, then each script evaluated on its
    // totals (only an evaluation with new trials counts toward promotion).
    // After the first round warm-open gets a new version, whose evidence
    // starts there.
    for round in 0..7 {
        for (exp, var, t, c) in [
            ("opening-script", "warm-open", 200, 28),
            ("opening-script", "direct-ask", 200, 12),
            ("opening-script", "story-led", 200, 18),
            ("contact-channel", "sms", 250, 45),
            ("contact-channel", "email", 250, 20),
            ("contact-channel", "phone", 250, 30),
        ] {
            cmds.push(Command::Ab(ab::Command::RecordCounts {
                experiment: exp.into(),
                variant: var.into(),
                trials: t,
                conversions: c,
            }));
        }
        if round == 0 {
            cmds.push(Command::Promotion(promotion::Command::AddScriptVersion {
                script: "warm-open".into(),
                body:
                    "Hi {{name}}, I noticed your home in {{city}}; a buyer of mine is looking there."
                        .into(),
            }));
        }
        for name in ["warm-open", "direct-ask", "story-led"] {
            cmds.push(Command::Promotion(promotion::Command::EvaluateScript {
                script: name.into(),
                trials: None,
                conversions: None,
                score: None,
            }));
        }
    }

    // Block 23: a template and packets.
    cmds.push(Command::Packets(packets::Command::AddTemplate {
        name: "intro".into(),
        body: "Packet for {{name}} ({{source}}): value {{value}}, terms {{terms}}. Scripts: {{scripts}}. Channels: {{channels}}.".into(),
    }));
    for (name, value, city) in [
        ("Ann Lee", 320_000.0, "Austin"),
        ("Bo Chen", 275_000.0, "Dallas"),
    ] {
        let mut fields = BTreeMap::new();
        fields.insert("city".to_string(), city.to_string());
        cmds.push(Command::Packets(packets::Command::BuildPacket {
            lead: packets::Lead {
                name: name.into(),
                value,
                terms: "cash, 30 days".into(),
                source: "zillow".into(),
                fields,
            },
            scripts: None,
            channels: None,
        }));
    }

    // Block 26: a model with updates, a refused one and a rollback.
    let m = || "lead-scorer".to_string();
    cmds.push(Command::Models(models::Command::RegisterModel {
        model_id: m(),
        name: "Lead scorer".into(),
    }));
    cmds.push(Command::Models(models::Command::ProposeUpdate {
        model_id: m(),
        version: v(1, 0, 0),
        parent: None,
        strategy: models::Strategy::FullRetrain,
        accuracy: 0.88,
    }));
    cmds.push(Command::Models(models::Command::ProposeUpdate {
        model_id: m(),
        version: v(1, 1, 0),
        parent: None,
        strategy: models::Strategy::Incremental,
        accuracy: 0.87,
    }));
    cmds.push(Command::Models(models::Command::PromoteVersion {
        model_id: m(),
        version: v(1, 1, 0),
    }));
    cmds.push(Command::Models(models::Command::RollBack {
        model_id: m(),
        reason: "1.1.0 mis-scored investor leads in production".into(),
    }));
    cmds.push(Command::Models(models::Command::ProposeUpdate {
        model_id: m(),
        version: v(1, 2, 0),
        parent: None,
        strategy: models::Strategy::Incremental,
        accuracy: 0.80,
    }));
    cmds.push(Command::Models(models::Command::ProposeUpdate {
        model_id: m(),
        version: v(2, 0, 0),
        parent: None,
        strategy: models::Strategy::Shadow,
        accuracy: 0.91,
    }));
    cmds.push(Command::Models(models::Command::ProposeUpdate {
        model_id: m(),
        version: v(1, 3, 0),
        parent: None,
        strategy: models::Strategy::FullRetrain,
        accuracy: 0.90,
    }));

    // Block 25: outcomes, with a regression on one script's weekly close rate.
    cmds.push(Command::Outcomes(outcomes::Command::DefineSeries {
        series_id: "accuracy/lead-scorer".into(),
        metric: "accuracy".into(),
        subject: Some(m()),
        direction: outcomes::Direction::default(),
        baseline: Some(0.85),
    }));
    for (i, value) in [0.88, 0.89, 0.87, 0.90, 0.88, 0.89, 0.90, 0.91]
        .iter()
        .enumerate()
    {
        cmds.push(Command::Outcomes(outcomes::Command::RecordOutcome {
            series_id: "accuracy/lead-scorer".into(),
            outcome_id: format!("week-{}", i + 1),
            value: *value,
            label: None,
        }));
    }
    cmds.push(Command::Outcomes(outcomes::Command::DefineSeries {
        series_id: "close_rate/story-led".into(),
        metric: "close_rate".into(),
        subject: Some("story-led".into()),
        direction: outcomes::Direction::default(),
        baseline: None,
    }));
    for (i, value) in [
        0.12, 0.13, 0.12, 0.12, 0.13, 0.12, 0.12, 0.08, 0.08, 0.07, 0.08, 0.08, 0.07, 0.08,
    ]
    .iter()
    .enumerate()
    {
        cmds.push(Command::Outcomes(outcomes::Command::RecordOutcome {
            series_id: "close_rate/story-led".into(),
            outcome_id: format!("day-{}", i + 1),
            value: *value,
            label: None,
        }));
    }
    cmds.push(Command::Outcomes(outcomes::Command::AssessDrift {
        series_id: "accuracy/lead-scorer".into(),
        reference: (0..50).map(|i| 0.80 + f64::from(i % 10) * 0.01).collect(),
        current: (0..50).map(|i| 0.81 + f64::from(i % 10) * 0.01).collect(),
    }));

    // Block 27: clone readiness.
    for (clone, f) in [
        (
            "clone-alpha",
            readiness::Factors {
                accuracy: 0.92,
                confidence: 0.85,
                consistency: 0.80,
                robustness: 0.75,
            },
        ),
        (
            "clone-beta",
            readiness::Factors {
                accuracy: 0.70,
                confidence: 0.65,
                consistency: 0.90,
                robustness: 0.60,
            },
        ),
    ] {
        cmds.push(Command::Readiness(readiness::Command::AssessClone {
            clone_id: clone.into(),
            factors: f,
            model_id: Some(m()),
            experiment_id: Some("opening-script".into()),
        }));
    }

    // Block 28: gates.
    for clone in ["clone-alpha", "clone-beta"] {
        cmds.push(Command::Gates(gates::Command::EvaluateGates {
            clone_id: clone.into(),
            model_id: None,
            experiment_id: None,
        }));
    }
    // Block 29: a snapshot mark, and a deployment done outside the engine.
    cmds.push(Command::Audit(audit::Command::TakeSnapshot));
    cmds.push(Command::Audit(audit::Command::LogAction {
        subject: "clone/clone-alpha".into(),
        action: "deploy".into(),
        status: "success".into(),
        details: "released to the pilot region after the PROMOTE decision".into(),
    }));

    cmds.into_iter()
        .enumerate()
        .map(|(i, c)| Envelope {
            at: at + Duration::minutes(i as i64),
            actor: Some("demo".into()),
            command: c,
        })
        .collect()
}

impl Brain {
    /// A brain holding the demo workflow, starting at `at`.
    pub fn demo(at: DateTime<Utc>) -> Brain {
        let mut brain = Brain::new();
        for env in commands(at) {
            // Every demo command is valid (tested); a failure would only skip it.
            let _ = brain.execute(env);
        }
        brain
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::Status;
    use chrono::TimeZone;

    #[test]
    fn every_demo_command_is_accepted_and_the_state_verifies() {
        let at = Utc
            .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .unwrap_or_default();
        let mut brain = Brain::new();
        for env in commands(at) {
            let action = env.command.action();
            assert_eq!(brain.execute(env).err(), None, "{action}");
        }
        let report = brain.verify();
        let bad: Vec<_> = report
            .checks
            .iter()
            .filter(|c| c.status == Status::Fail)
            .collect();
        assert!(bad.is_empty(), "{bad:?}");
        assert_eq!(
            brain.state().promotion.primaries(),
            vec!["warm-open".to_string()]
        );
        assert_eq!(
            brain.experiment("contact-channel").and_then(|r| r.winner),
            Some("sms".to_string())
        );
        let verdicts: Vec<_> = brain
            .gate_decisions()
            .iter()
            .map(|d| (d.clone.clone(), d.verdict))
            .collect();
        assert_eq!(
            verdicts,
            vec![
                ("clone-alpha".into(), gates::Verdict::Promote),
                ("clone-beta".into(), gates::Verdict::Block)
            ]
        );
        let zillow = brain.sources().into_iter().find(|s| s.source == "zillow");
        assert_eq!(zillow.map(|s| s.accepted), Some(3));
        let packet = brain.packets().first().cloned();
        assert_eq!(
            packet.map(|p| (p.scripts, p.channels)),
            Some((vec!["warm-open".to_string()], vec!["sms".to_string()]))
        );
        let alerts = brain.state().outcomes.open_regression_alerts();
        assert_eq!(
            alerts
                .iter()
                .map(|a| a.series_id.as_str())
                .collect::<Vec<_>>(),
            vec!["close_rate/story-led"]
        );
        let refused = brain.audit_query(&audit::Query {
            subject: Some("model".into()),
            ..audit::Query::default()
        });
        assert!(refused.iter().any(|e| e.outcome == audit::Outcome::Refused));
    }
}
