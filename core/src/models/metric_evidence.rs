//! Champion and challenger decided by a continuous metric (deal value per lead, revenue,
//! latency): each arm's totals `n`, `sum`, `sum_squares` over the same windows, accumulated
//! per challenger, and the assessment under the same policy as outcome counts (samples per
//! arm, p-value, relative improvement, critical alerts), tested with Welch's t-test on the
//! means in place of the two-proportion z-test.
//!
//! The test is `stats::mean_lift_t_test` (gbstats' `TwoSidedTTest`, checked against gbstats
//! in `core/tests/models_evidence.rs` and `core/tests/stats_reference.rs`), with the
//! champion as control. A metric where lower is better (latency, cost) counts a lower mean
//! as the improvement.

use super::{
    require_name, Assessment, Error, Event, EvidencePolicy, Model, SemVer, Verdict, Version,
    DROP_EPSILON,
};
use crate::outcomes::Direction;
use crate::stats::{mean_lift_t_test, MeanStats};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Totals of a continuous metric over one arm's units, as gbstats keeps them: a window of
/// any size is three numbers.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MeanArm {
    /// Units measured.
    pub n: u64,
    /// Sum of the values.
    pub sum: f64,
    /// Sum of the squared values (at least `sum^2 / n`).
    pub sum_squares: f64,
}

impl MeanArm {
    /// Checks `n >= 1`, finite totals, and `sum_squares >= sum^2 / n` (within rounding): a
    /// sum of squares below that is no set of real values. `arm` names the arm.
    pub(super) fn validate(&self, arm: &'static str) -> Result<(), Error> {
        if self.n == 0 {
            return Err(Error::EmptyArm { arm });
        }
        if !self.sum.is_finite() || !self.sum_squares.is_finite() {
            return Err(Error::MetricNotFinite {
                name: format!("{arm} arm's sum and sum_squares"),
            });
        }
        let least = self.sum * self.sum / self.n as f64;
        if self.sum_squares < least - 1e-9 * least.abs().max(1.0) {
            return Err(Error::SumSquaresTooSmall {
                arm,
                sum_squares: self.sum_squares,
                least,
            });
        }
        Ok(())
    }

    /// The two windows added up (unit counts saturate at `u64::MAX`).
    fn plus(self, other: MeanArm) -> MeanArm {
        MeanArm {
            n: self.n.saturating_add(other.n),
            sum: self.sum + other.sum,
            sum_squares: self.sum_squares + other.sum_squares,
        }
    }

    /// The mean (0 for an empty arm).
    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.sum / self.n as f64
        }
    }

    fn stats(self) -> MeanStats {
        MeanStats {
            n: self.n,
            sum: self.sum,
            sum_squares: self.sum_squares,
        }
    }
}

/// A challenger's continuous-metric evidence against one champion: both arms' totals over
/// the same windows, summed. Evidence against an earlier champion does not count against a
/// new one.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ModelMetricEvidence"))]
#[serde(rename_all = "camelCase")]
pub struct MetricEvidence {
    /// The metric measured (e.g. `deal_value`).
    pub metric: String,
    /// Whether a higher or a lower mean is better.
    pub direction: Direction,
    /// The champion the challenger was measured against.
    pub champion: SemVer,
    /// The champion arm's totals.
    pub champion_arm: MeanArm,
    /// The challenger arm's totals.
    pub challenger_arm: MeanArm,
    /// How many windows were recorded.
    pub windows: u64,
    /// When the last window was recorded.
    pub updated_at: DateTime<Utc>,
}

impl MetricEvidence {
    /// The evidence after one more window (`event` is `MetricEvidenceRecorded`): added to
    /// `previous` when it is against the same champion, else started over.
    pub(super) fn add(previous: Option<&MetricEvidence>, event: &Event) -> Option<MetricEvidence> {
        let Event::MetricEvidenceRecorded {
            metric,
            direction,
            champion,
            champion_arm,
            challenger_arm,
            at,
            ..
        } = event
        else {
            return previous.cloned();
        };
        Some(match previous.filter(|e| &e.champion == champion) {
            Some(e) => MetricEvidence {
                champion_arm: e.champion_arm.plus(*champion_arm),
                challenger_arm: e.challenger_arm.plus(*challenger_arm),
                windows: e.windows.saturating_add(1),
                updated_at: *at,
                ..e.clone()
            },
            None => MetricEvidence {
                metric: metric.clone(),
                direction: *direction,
                champion: champion.clone(),
                champion_arm: *champion_arm,
                challenger_arm: *challenger_arm,
                windows: 1,
                updated_at: *at,
            },
        })
    }
}

/// `RecordMetricEvidence`: a challenger or shadow, a champion to measure against, a named
/// metric (the same metric and direction as the windows already recorded against this
/// champion), and totals that hold together.
#[allow(clippy::too_many_arguments)] // the command's fields and its time
pub(super) fn record_metric_evidence(
    model: &Model,
    model_id: &str,
    version: &SemVer,
    metric: &str,
    direction: Direction,
    champion: &MeanArm,
    challenger: &MeanArm,
    at: DateTime<Utc>,
) -> Result<Vec<Event>, Error> {
    require_name("metric", metric)?;
    let (measured, current) = super::evidence::measurable(model, model_id, version)?;
    champion.validate("champion")?;
    challenger.validate("challenger")?;
    if let Some(e) = measured
        .metric_evidence
        .as_ref()
        .filter(|e| e.champion == current)
    {
        if e.metric != metric || e.direction != direction {
            return Err(Error::OtherMetric {
                recorded: e.metric.clone(),
                given: metric.to_string(),
            });
        }
    }
    Ok(vec![Event::MetricEvidenceRecorded {
        model_id: model_id.to_string(),
        version: version.clone(),
        champion: current,
        metric: metric.to_string(),
        direction,
        champion_arm: *champion,
        challenger_arm: *challenger,
        at,
    }])
}

/// Tests `evidence` (the challenger's metric evidence against `champion`) under `rule`,
/// listing every failing reason in the order of the outcome-count rule: too few samples in
/// either arm, a p-value not below the bound, too small an improvement (the relative change
/// of the mean in the better direction), open critical alerts on the challenger.
pub fn assess_metric(
    challenger: &Version,
    champion: &Version,
    evidence: &MetricEvidence,
    rule: &EvidencePolicy,
    critical_alerts: &[String],
) -> Assessment {
    let (a, b) = (evidence.champion_arm, evidence.challenger_arm);
    let min = rule.min_samples_per_arm;
    let mut reasons = Vec::new();
    for (arm, totals) in [("champion", a), ("challenger", b)] {
        if totals.n < min {
            reasons.push(format!(
                "{arm} arm has {} samples, fewer than the {min} required",
                totals.n
            ));
        }
    }
    // Lower is better: the improvement is the fall of the mean, its interval mirrored.
    let sign = match evidence.direction {
        Direction::HigherIsBetter => 1.0,
        Direction::LowerIsBetter => -1.0,
    };
    let test = mean_lift_t_test(a.stats(), b.stats(), rule.max_p_value);
    let (lift, low, high, p_value) = match &test {
        Ok(t) => {
            let (x, y) = (sign * t.ci_low, sign * t.ci_high);
            (
                Some(sign * t.lift),
                Some(x.min(y)),
                Some(x.max(y)),
                Some(t.p_value),
            )
        }
        Err(e) => {
            reasons.push(format!("the arms cannot be tested: {e}"));
            (None, None, None, None)
        }
    };
    if let Some(p) = p_value.filter(|p| *p >= rule.max_p_value) {
        reasons.push(format!("p-value {p:.4} is not below {}", rule.max_p_value));
    }
    if let Some(l) = lift.filter(|l| l + DROP_EPSILON < rule.min_relative_improvement) {
        reasons.push(format!(
            "relative improvement {:.2}% of {} is below the required {}%",
            l * 100.0,
            evidence.metric,
            rule.min_relative_improvement * 100.0
        ));
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
        champion_samples: a.n,
        challenger_samples: b.n,
        min_samples_per_arm: min,
        champion_rate: None,
        challenger_rate: None,
        lift,
        lift_ci_low: low,
        lift_ci_high: high,
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
        metric: Some(MetricAssessment {
            metric: evidence.metric.clone(),
            direction: evidence.direction,
            champion_mean: a.mean(),
            challenger_mean: b.mean(),
        }),
    }
}

/// The continuous metric an assessment tested, when it tested one (Welch on means).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct MetricAssessment {
    /// The metric.
    pub metric: String,
    /// Whether a higher or a lower mean is better.
    pub direction: Direction,
    /// The champion arm's mean.
    pub champion_mean: f64,
    /// The challenger arm's mean.
    pub challenger_mean: f64,
}

#[cfg(test)]
mod tests {
    use super::super::tests::{fold, given, propose, register, when};
    use super::*;
    use crate::models::*;

    fn window(
        metric: &str,
        direction: Direction,
        champion: MeanArm,
        challenger: MeanArm,
    ) -> Command {
        Command::RecordMetricEvidence {
            model_id: "m1".into(),
            version: SemVer::new(1, 1, 0),
            metric: metric.into(),
            direction,
            champion,
            challenger,
        }
    }

    /// `n` values with mean `mean` and variance 1.
    fn arm(n: u64, mean: f64) -> MeanArm {
        MeanArm {
            n,
            sum: n as f64 * mean,
            sum_squares: n as f64 * (mean * mean + 1.0),
        }
    }

    #[test]
    fn bad_metric_evidence_is_a_typed_error_and_one_champion_has_one_metric() {
        let state = given(&[
            register("m1"),
            propose("1.0.0", Strategy::FullRetrain, 0.9),
            propose("1.1.0", Strategy::Incremental, 0.9),
        ]);
        let up = Direction::HigherIsBetter;
        let cases = [
            (window("v", up, arm(0, 1.0), arm(5, 1.0)), "empty_arm"),
            (window(" ", up, arm(5, 1.0), arm(5, 1.0)), "empty"),
            (
                window(
                    "v",
                    up,
                    arm(5, 1.0),
                    MeanArm {
                        n: 4,
                        sum: 8.0,
                        sum_squares: 15.0,
                    },
                ),
                "sum_squares_too_small",
            ),
            (
                window(
                    "v",
                    up,
                    MeanArm {
                        n: 2,
                        sum: f64::NAN,
                        sum_squares: 1.0,
                    },
                    arm(5, 1.0),
                ),
                "metric_not_finite",
            ),
        ];
        for (cmd, code) in cases {
            assert_eq!(
                when(&state, &cmd).map_err(|e| e.code()),
                Err(code),
                "{cmd:?}"
            );
        }
        let first = window("revenue", up, arm(10, 1.0), arm(10, 1.1));
        let state = fold(state.clone(), &when(&state, &first).expect("valid"));
        let flipped = window(
            "revenue",
            Direction::LowerIsBetter,
            arm(10, 1.0),
            arm(10, 1.1),
        );
        assert_eq!(
            when(&state, &flipped).map_err(|e| e.code()),
            Err("other_metric")
        );
        let again = fold(
            state.clone(),
            &when(&state, &first).expect("same metric adds up"),
        );
        let e = again.models["m1"].versions[1]
            .metric_evidence
            .clone()
            .expect("kept");
        assert_eq!(
            (e.windows, e.champion_arm.n, e.challenger_arm.n),
            (2, 20, 20)
        );
    }
}
