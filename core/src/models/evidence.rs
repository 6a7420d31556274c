//! Champion and challenger decided by evidence: the outcome counts of each arm over the same
//! windows, accumulated per challenger, and the assessment that says whether the challenger
//! may become champion under the policy, with every reason it may not.
//!
//! The test is the two-proportion z-test of `stats::proportion_z_test` (checked against
//! statsmodels in `core/tests/stats_reference.rs`), with the champion as control: no new
//! statistics here, only the rule that reads them.

use super::{
    accuracy_loss, assess_metric, loss_reason, require, Error, Event, EvidencePolicy,
    MetricAssessment, Model, Policy, SemVer, Status, Version, DROP_EPSILON,
};
use crate::stats::{proportion_z_test, Counts};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What `decide` needs from outside the block: the envelope's actor and the open critical
/// alerts on the version a command names (from the outcomes block).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Context {
    /// Who sends the command, if given.
    pub actor: Option<String>,
    /// Ids of the open critical alerts on the version the command names (alerts whose
    /// subject is `<model_id>@<version>`).
    pub critical_alerts: Vec<String>,
    /// The rollout the version a promotion names failed (rolled back or aborted), if any
    /// (from the rollouts block): such a version never becomes champion.
    pub failed_rollout: Option<String>,
}

/// The subject an alert must have to be on a version: `<model_id>@<version>`.
pub fn version_subject(model_id: &str, version: &SemVer) -> String {
    format!("{model_id}@{version}")
}

/// Every model by id.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ModelsState"))]
pub struct State {
    /// Models by id.
    pub models: BTreeMap<String, Model>,
}

/// Outcomes of one arm over a window: how many of its predictions were correct.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ArmCounts {
    /// Correct outcomes (at most `total`).
    pub correct: u64,
    /// Outcomes measured.
    pub total: u64,
}

impl ArmCounts {
    /// Checks `1 <= total` and `correct <= total`; `arm` names the arm in the message.
    pub(super) fn validate(&self, arm: &'static str) -> Result<(), Error> {
        if self.total == 0 {
            return Err(Error::EmptyArm { arm });
        }
        if self.correct > self.total {
            return Err(Error::CorrectExceedsTotal {
                arm,
                correct: self.correct,
                total: self.total,
            });
        }
        Ok(())
    }

    /// The two arms' windows added up (saturating: counts near `u64::MAX` stay there).
    fn plus(self, other: ArmCounts) -> ArmCounts {
        ArmCounts {
            correct: self.correct.saturating_add(other.correct),
            total: self.total.saturating_add(other.total),
        }
    }

    /// The share correct (0 for an empty arm).
    pub fn rate(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.correct as f64 / self.total as f64
        }
    }
}

/// A challenger's evidence against one champion: both arms' outcomes over the same windows,
/// summed. Evidence against an earlier champion does not count against a new one.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ModelEvidence"))]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    /// The champion the challenger was measured against.
    pub champion: SemVer,
    /// The champion arm's outcomes.
    pub champion_arm: ArmCounts,
    /// The challenger arm's outcomes.
    pub challenger_arm: ArmCounts,
    /// How many windows were recorded.
    pub windows: u64,
    /// When the last window was recorded.
    pub updated_at: DateTime<Utc>,
}

impl Evidence {
    /// The evidence after one more window against `champion` (a new champion starts over).
    pub(super) fn add(
        previous: Option<&Evidence>,
        champion: &SemVer,
        champion_arm: ArmCounts,
        challenger_arm: ArmCounts,
        at: DateTime<Utc>,
    ) -> Evidence {
        match previous.filter(|e| &e.champion == champion) {
            Some(e) => Evidence {
                champion: champion.clone(),
                champion_arm: e.champion_arm.plus(champion_arm),
                challenger_arm: e.challenger_arm.plus(challenger_arm),
                windows: e.windows.saturating_add(1),
                updated_at: at,
            },
            None => Evidence {
                champion: champion.clone(),
                champion_arm,
                challenger_arm,
                windows: 1,
                updated_at: at,
            },
        }
    }
}

/// Whether the evidence lets the challenger become champion.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "EvidenceVerdict"))]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every rule holds: it may be promoted.
    Promote,
    /// Some rule fails: the reasons say which.
    Hold,
}

/// What the evidence says about a challenger against the current champion, as the console
/// shows it and `PromoteVersion` applies it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "EvidenceAssessment"))]
#[serde(rename_all = "camelCase")]
pub struct Assessment {
    /// The challenger.
    pub version: SemVer,
    /// The current champion.
    pub champion: SemVer,
    /// Samples of the champion arm against this champion (0 without evidence).
    pub champion_samples: u64,
    /// Samples of the challenger arm.
    pub challenger_samples: u64,
    /// The policy's minimum per arm.
    pub min_samples_per_arm: u64,
    /// Share correct in the champion arm.
    pub champion_rate: Option<f64>,
    /// Share correct in the challenger arm.
    pub challenger_rate: Option<f64>,
    /// Relative improvement `(challenger - champion) / champion`.
    pub lift: Option<f64>,
    /// Lower bound of the interval of the relative improvement (the z-test's Wald interval
    /// of the difference, divided by the champion's rate), at `1 - max_p_value`.
    pub lift_ci_low: Option<f64>,
    /// Upper bound of that interval.
    pub lift_ci_high: Option<f64>,
    /// Two-sided p-value of the two-proportion z-test.
    pub p_value: Option<f64>,
    /// The policy's bound on the p-value.
    pub max_p_value: f64,
    /// The policy's minimum relative improvement.
    pub min_relative_improvement: f64,
    /// Open critical alerts on the challenger (alert ids).
    pub critical_alerts: Vec<String>,
    /// Promote or hold.
    pub verdict: Verdict,
    /// Every rule that fails, in the policy's order (empty when the verdict is promote).
    pub reasons: Vec<String>,
    /// The continuous metric tested (Welch's t-test on means), when the evidence is a metric
    /// rather than outcome counts; absent otherwise, so earlier events read as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub metric: Option<MetricAssessment>,
}

/// Tests `challenger`'s evidence against `champion` under `rule`, listing every failing
/// reason: too few samples in either arm, a p-value not below the bound, too small an
/// improvement, open critical alerts on the challenger. Continuous-metric evidence against
/// this champion, when recorded, is what is tested (see [`assess_metric`]); otherwise the
/// outcome counts.
pub fn assess(
    challenger: &Version,
    champion: &Version,
    rule: &EvidencePolicy,
    critical_alerts: &[String],
) -> Assessment {
    if let Some(m) = challenger
        .metric_evidence
        .as_ref()
        .filter(|m| m.champion == champion.version)
    {
        return assess_metric(challenger, champion, m, rule, critical_alerts);
    }
    let evidence = challenger
        .evidence
        .as_ref()
        .filter(|e| e.champion == champion.version);
    let mut reasons = Vec::new();
    let (champion_arm, challenger_arm) = match (evidence, &challenger.evidence) {
        (Some(e), _) => (e.champion_arm, e.challenger_arm),
        (None, Some(stale)) => {
            reasons.push(format!(
                "evidence was recorded against champion {}, not the current champion {}",
                stale.champion, champion.version
            ));
            (ArmCounts::default(), ArmCounts::default())
        }
        (None, None) => {
            reasons.push(format!(
                "no evidence recorded against champion {}",
                champion.version
            ));
            (ArmCounts::default(), ArmCounts::default())
        }
    };
    let min = rule.min_samples_per_arm;
    for (arm, counts) in [("champion", champion_arm), ("challenger", challenger_arm)] {
        if counts.total < min {
            reasons.push(format!(
                "{arm} arm has {} samples, fewer than the {min} required",
                counts.total
            ));
        }
    }
    let measured = evidence.is_some();
    let champion_rate = measured.then(|| champion_arm.rate());
    let challenger_rate = measured.then(|| challenger_arm.rate());
    let lift = match (champion_rate, challenger_rate) {
        (Some(a), Some(b)) if a > 0.0 => Some((b - a) / a),
        _ => None,
    };
    let test = evidence.map(|_| {
        proportion_z_test(
            Counts {
                n: champion_arm.total,
                conversions: champion_arm.correct,
            },
            Counts {
                n: challenger_arm.total,
                conversions: challenger_arm.correct,
            },
            rule.max_p_value,
        )
    });
    let (p_value, lift_ci_low, lift_ci_high) = match (&test, champion_rate) {
        (Some(Ok(z)), Some(a)) if a > 0.0 => {
            (Some(z.p_value), Some(z.ci_low / a), Some(z.ci_high / a))
        }
        (Some(Ok(z)), _) => (Some(z.p_value), None, None),
        _ => (None, None, None),
    };
    match (&test, p_value) {
        (Some(Err(e)), _) => reasons.push(format!("the arms cannot be tested: {e}")),
        (_, Some(p)) if p >= rule.max_p_value => {
            reasons.push(format!("p-value {p:.4} is not below {}", rule.max_p_value))
        }
        _ => {}
    }
    if measured {
        match lift {
            Some(l) if l + DROP_EPSILON >= rule.min_relative_improvement => {}
            Some(l) => reasons.push(format!(
                "relative improvement {:.2}% is below the required {}%",
                l * 100.0,
                rule.min_relative_improvement * 100.0
            )),
            None => reasons.push(
                "relative improvement is undefined: the champion arm has no correct outcomes"
                    .to_string(),
            ),
        }
    }
    for alert in critical_alerts {
        reasons.push(format!(
            "critical alert {alert} is open on {}",
            challenger.version
        ));
    }
    Assessment {
        version: challenger.version.clone(),
        champion: champion.version.clone(),
        champion_samples: champion_arm.total,
        challenger_samples: challenger_arm.total,
        min_samples_per_arm: min,
        champion_rate,
        challenger_rate,
        lift,
        lift_ci_low,
        lift_ci_high,
        p_value,
        max_p_value: rule.max_p_value,
        min_relative_improvement: rule.min_relative_improvement,
        critical_alerts: critical_alerts.to_vec(),
        verdict: if reasons.is_empty() {
            Verdict::Promote
        } else {
            Verdict::Hold
        },
        reasons,
        metric: None,
    }
}

/// The version a promotion or override names, if it is a challenger or a shadow.
pub(super) fn promotable<'a>(
    model: &'a Model,
    model_id: &str,
    version: &SemVer,
) -> Result<&'a Version, Error> {
    let Some(candidate) = model.version(version) else {
        return Err(Error::UnknownVersion {
            model_id: model_id.to_string(),
            version: version.clone(),
        });
    };
    if !matches!(candidate.status, Status::Challenger | Status::Shadow) {
        return Err(Error::NotPromotable {
            version: version.clone(),
            status: candidate.status,
        });
    }
    Ok(candidate)
}

/// Every reason `candidate` may not replace the champion: too much accuracy lost, then the
/// evidence's reasons (when the policy has the evidence rule).
pub(super) fn promotion_reasons(
    model: &Model,
    candidate: &Version,
    policy: &Policy,
    assessment: Option<&Assessment>,
) -> Vec<String> {
    let mut reasons = Vec::new();
    if let Some(champion) = accuracy_loss(model, candidate.accuracy, policy) {
        reasons.push(loss_reason(
            &candidate.version,
            candidate.accuracy,
            champion,
            policy.max_accuracy_drop,
        ));
    }
    if let Some(a) = assessment {
        reasons.extend(a.reasons.iter().cloned());
    }
    reasons
}

/// The version evidence is recorded for, and the champion it is measured against: a
/// challenger or shadow of a model that has a champion (one rule for counts and metrics).
pub(super) fn measurable<'a>(
    model: &'a Model,
    model_id: &str,
    version: &SemVer,
) -> Result<(&'a Version, SemVer), Error> {
    let Some(measured) = model.version(version) else {
        return Err(Error::UnknownVersion {
            model_id: model_id.to_string(),
            version: version.clone(),
        });
    };
    if !matches!(measured.status, Status::Challenger | Status::Shadow) {
        return Err(Error::NotMeasurable {
            version: version.clone(),
            status: measured.status,
        });
    }
    let Some(current) = model.champion.clone() else {
        return Err(Error::NoChampionToCompare {
            model_id: model_id.to_string(),
            version: version.clone(),
        });
    };
    Ok((measured, current))
}

/// `RecordArmEvidence`: a challenger or shadow, a champion to measure against, and arms
/// whose counts hold together.
pub(super) fn record_evidence(
    model: &Model,
    model_id: &str,
    version: &SemVer,
    champion: &ArmCounts,
    challenger: &ArmCounts,
    at: DateTime<Utc>,
) -> Result<Vec<Event>, Error> {
    let (_, current) = measurable(model, model_id, version)?;
    champion.validate("champion")?;
    challenger.validate("challenger")?;
    Ok(vec![Event::ArmEvidenceRecorded {
        model_id: model_id.to_string(),
        version: version.clone(),
        champion: current,
        champion_arm: *champion,
        challenger_arm: *challenger,
        at,
    }])
}

/// `OverridePromotion`: promotes a challenger or shadow whatever the rules say, keeping the
/// reasons they would have refused it for (empty when they would not have).
#[allow(clippy::too_many_arguments)] // the command's fields, its context and its time
pub(super) fn override_promotion(
    model: &Model,
    policy: &Policy,
    ctx: &Context,
    model_id: &str,
    version: &SemVer,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<Vec<Event>, Error> {
    require("reason", reason)?;
    let candidate = promotable(model, model_id, version)?;
    if let Some(rollout_id) = &ctx.failed_rollout {
        return Err(Error::FailedRollout {
            version: version.clone(),
            rollout_id: rollout_id.clone(),
        });
    }
    let champion = model.champion();
    let bypassed = champion
        .map(|c| {
            let assessment = policy
                .evidence
                .as_ref()
                .map(|rule| assess(candidate, c, rule, &ctx.critical_alerts));
            promotion_reasons(model, candidate, policy, assessment.as_ref())
        })
        .unwrap_or_default();
    Ok(vec![Event::PromotionOverridden {
        model_id: model_id.to_string(),
        version: version.clone(),
        previous_champion: champion.map(|c| c.version.clone()),
        reason: reason.to_string(),
        bypassed,
        at,
    }])
}

#[cfg(test)]
mod tests {
    use super::super::tests::{
        evidence, fold, given, passing, promote, propose, register, v, when,
    };
    use super::*;
    use crate::models::*;

    /// A champion 1.0.0 at 0.90 and a challenger 1.1.0 at `accuracy`.
    fn champion_and_challenger(accuracy: f64) -> State {
        given(&[
            register("m1"),
            propose("1.0.0", Strategy::FullRetrain, 0.90),
            propose("1.1.0", Strategy::Incremental, accuracy),
        ])
    }

    fn refusal_reasons(events: &[Event]) -> Vec<String> {
        match events {
            [Event::PromotionRefused {
                reasons, reason, ..
            }] => {
                assert_eq!(reason, &reasons.join("; "));
                reasons.clone()
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_promotion_without_evidence_is_refused_with_every_reason() {
        let state = champion_and_challenger(0.91);
        let events = when(&state, &promote("1.1.0")).expect("a refusal is an event");
        assert_eq!(
            refusal_reasons(&events),
            vec![
                "no evidence recorded against champion 1.0.0",
                "champion arm has 0 samples, fewer than the 1000 required",
                "challenger arm has 0 samples, fewer than the 1000 required",
            ]
        );
        let after = fold(state, &events);
        assert_eq!(after.champion("m1").map(|c| &c.version), Some(&v("1.0.0")));
    }

    #[test]
    fn a_challenger_two_points_worse_is_no_longer_promoted_even_within_the_accuracy_tolerance() {
        // Before evidence, 0.88 against 0.90 was within max_accuracy_drop (0.02) and promoted.
        // 88% against 90% on 1,000 each: pooled z = -0.02 / sqrt(0.89 * 0.11 * 2 / 1000)
        // = -1.4293, two-sided p = 0.1529.
        let state = champion_and_challenger(0.88);
        let state = fold(
            state.clone(),
            &when(&state, &evidence("1.1.0", (900, 1_000), (880, 1_000))).expect("valid"),
        );
        let reasons = refusal_reasons(&when(&state, &promote("1.1.0")).expect("event"));
        assert_eq!(
            reasons,
            vec![
                "p-value 0.1529 is not below 0.05",
                "relative improvement -2.22% is below the required 2%",
            ]
        );
    }

    #[test]
    fn every_failing_rule_is_listed_in_the_policy_order() {
        let state = champion_and_challenger(0.90);
        let state = fold(
            state.clone(),
            &when(&state, &evidence("1.1.0", (400, 500), (405, 450))).expect("valid"),
        );
        let ctx = Context {
            actor: None,
            critical_alerts: vec!["alert-7".into()],
            ..Context::default()
        };
        let events = decide(
            &state,
            &Policy::default(),
            &promote("1.1.0"),
            super::super::tests::t(),
            &ctx,
        )
        .expect("event");
        assert_eq!(
            refusal_reasons(&events),
            vec![
                "champion arm has 500 samples, fewer than the 1000 required",
                "challenger arm has 450 samples, fewer than the 1000 required",
                "critical alert alert-7 is open on 1.1.0",
            ]
        );
        let Event::PromotionRefused {
            assessment: Some(a),
            ..
        } = &events[0]
        else {
            panic!("the refusal carries the assessment");
        };
        assert_eq!(a.verdict, Verdict::Hold);
        assert_eq!((a.champion_samples, a.challenger_samples), (500, 450));
        assert_eq!(a.critical_alerts, vec!["alert-7".to_string()]);
        // 90% against 80%: lift 12.5%.
        assert!((a.lift.expect("measured") - 0.125).abs() < 1e-12);
    }

    #[test]
    fn too_small_an_improvement_is_refused_even_when_significant() {
        let state = champion_and_challenger(0.90);
        // 80.0% against 81.0% on 100,000 per arm: p < 1e-8, lift 1.25% < 2%.
        let state = fold(
            state.clone(),
            &when(
                &state,
                &evidence("1.1.0", (80_000, 100_000), (81_000, 100_000)),
            )
            .expect("valid"),
        );
        assert_eq!(
            refusal_reasons(&when(&state, &promote("1.1.0")).expect("event")),
            vec!["relative improvement 1.25% is below the required 2%"]
        );
    }

    #[test]
    fn evidence_adds_up_over_windows_and_then_promotes() {
        let state = champion_and_challenger(0.90);
        let half = evidence("1.1.0", (400, 500), (425, 500));
        let state = fold(state.clone(), &when(&state, &half).expect("valid"));
        assert!(matches!(
            &when(&state, &promote("1.1.0")).expect("event")[..],
            [Event::PromotionRefused { .. }]
        ));
        let state = fold(state.clone(), &when(&state, &half).expect("valid"));
        let recorded = state
            .model("m1")
            .and_then(|m| m.version(&v("1.1.0")))
            .and_then(|x| x.evidence.clone())
            .expect("evidence kept");
        assert_eq!(recorded.windows, 2);
        assert_eq!(
            recorded.challenger_arm,
            ArmCounts {
                correct: 850,
                total: 1_000
            }
        );
        let events = when(&state, &promote("1.1.0")).expect("valid");
        assert!(
            matches!(&events[..], [Event::VersionPromoted { version, .. }] if *version == v("1.1.0"))
        );
    }

    #[test]
    fn evidence_against_an_earlier_champion_does_not_count() {
        let state = given(&[
            register("m1"),
            propose("1.0.0", Strategy::FullRetrain, 0.90),
            propose("2.0.0", Strategy::Shadow, 0.90),
            passing("2.0.0"),
            propose("1.1.0", Strategy::Incremental, 0.90),
            passing("1.1.0"),
            promote("1.1.0"),
        ]);
        let reasons = refusal_reasons(&when(&state, &promote("2.0.0")).expect("event"));
        assert_eq!(
            reasons[0],
            "evidence was recorded against champion 1.0.0, not the current champion 1.1.0"
        );
        // A new window against the new champion starts the evidence over.
        let state = fold(
            state.clone(),
            &when(&state, &evidence("2.0.0", (10, 20), (11, 20))).expect("valid"),
        );
        let e = state
            .model("m1")
            .and_then(|m| m.version(&v("2.0.0")))
            .and_then(|x| x.evidence.clone())
            .expect("kept");
        assert_eq!(
            (e.champion, e.windows, e.champion_arm.total),
            (v("1.1.0"), 1, 20)
        );
    }

    #[test]
    fn an_override_promotes_with_its_reason_and_keeps_what_it_bypassed() {
        let state = given(&[
            register("m1"),
            propose("1.0.0", Strategy::FullRetrain, 0.90),
            propose("1.1.0", Strategy::Shadow, 0.85),
        ]);
        let cmd = Command::OverridePromotion {
            model_id: "m1".into(),
            version: v("1.1.0"),
            reason: "regulator asked for the new feature set".into(),
        };
        let events = when(&state, &cmd).expect("valid");
        let [Event::PromotionOverridden {
            bypassed,
            previous_champion,
            ..
        }] = &events[..]
        else {
            panic!("expected an override, got {events:?}");
        };
        assert_eq!(previous_champion, &Some(v("1.0.0")));
        assert_eq!(bypassed.len(), 4, "{bypassed:?}");
        assert!(bypassed[0].starts_with("accuracy 0.85 of 1.1.0 is 0.0500 below champion"));
        use crate::contract::BlockEvent;
        let detail = events[0].detail().expect("audited");
        assert!(
            detail.starts_with("override: promoted 1.1.0: regulator asked for the new feature set; bypassed: accuracy 0.85"),
            "{detail}"
        );
        let state = fold(state, &events);
        assert_eq!(state.champion("m1").map(|c| &c.version), Some(&v("1.1.0")));
        assert_eq!(
            state.rollback_target("m1").map(|c| &c.version),
            Some(&v("1.0.0"))
        );
        let last = state.history("m1").last().cloned().expect("history");
        assert_eq!(last.kind, HistoryKind::PromotedByOverride);
        assert_eq!(last.reason, "regulator asked for the new feature set");
        // An override needs a reason.
        let bare = Command::OverridePromotion {
            model_id: "m1".into(),
            version: v("1.1.0"),
            reason: "  ".into(),
        };
        assert_eq!(when(&state, &bare), Err(Error::Empty { field: "reason" }));
    }

    #[test]
    fn a_policy_stored_before_evidence_keeps_the_accuracy_rule() {
        // What a snapshot written before evidence existed reads: no `evidence` field.
        let legacy: Policy =
            serde_json::from_value(serde_json::json!({ "max_accuracy_drop": 0.02 }))
                .expect("reads");
        assert_eq!(legacy.evidence, None);
        assert_eq!(
            serde_json::to_value(&legacy).expect("writes"),
            serde_json::json!({ "max_accuracy_drop": 0.02 }),
            "the stored policy, and so the state hash, is unchanged"
        );
        let state = champion_and_challenger(0.88);
        let events = decide(
            &state,
            &legacy,
            &promote("1.1.0"),
            super::super::tests::t(),
            &Context::default(),
        )
        .expect("valid");
        assert!(matches!(&events[..], [Event::VersionPromoted { .. }]));
        assert_eq!(Policy::default().evidence, Some(EvidencePolicy::default()));
    }

    #[test]
    fn bad_evidence_is_a_typed_error() {
        let state = champion_and_challenger(0.90);
        let cases = [
            (
                evidence("1.1.0", (11, 10), (5, 10)),
                "correct_exceeds_total",
            ),
            (evidence("1.1.0", (0, 0), (5, 10)), "empty_arm"),
            (evidence("1.0.0", (5, 10), (5, 10)), "not_measurable"),
            (evidence("9.0.0", (5, 10), (5, 10)), "unknown_version"),
        ];
        for (cmd, code) in cases {
            assert_eq!(
                when(&state, &cmd).map_err(|e| e.code()),
                Err(code),
                "{cmd:?}"
            );
        }
        assert_eq!(
            when(&state, &evidence("1.1.0", (11, 10), (5, 10))).map_err(|e| e.to_string()),
            Err("champion arm: correct (11) exceeds total (10)".to_string())
        );
        let shadow_only = given(&[register("m1"), propose("0.1.0", Strategy::Shadow, 0.7)]);
        assert_eq!(
            when(&shadow_only, &evidence("0.1.0", (5, 10), (5, 10))).map_err(|e| e.code()),
            Err("no_champion_to_compare")
        );
        let bad = Policy {
            evidence: Some(EvidencePolicy {
                max_p_value: 1.0,
                ..EvidencePolicy::default()
            }),
            ..Policy::default()
        };
        assert_eq!(
            bad.validate().map_err(|e| e.to_string()),
            Err("evidence.max_p_value 1 must be in (0, 1)".to_string())
        );
    }
}
