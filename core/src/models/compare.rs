//! `CompareVersions` as a query: two versions of a model metric by metric (deltas, and which
//! is better by the metric's direction), the evidence when one was measured against the
//! other, and a recommendation with its reasons.

use super::{assess, model, Assessment, Error, Policy, SemVer, State, Verdict, Version};
use serde::{Deserialize, Serialize};

/// One metric of two versions.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ModelMetricDelta"))]
#[serde(rename_all = "camelCase")]
pub struct MetricDelta {
    /// The metric.
    pub metric: String,
    /// Its value for `a`, if measured.
    pub a: Option<f64>,
    /// Its value for `b`, if measured.
    pub b: Option<f64>,
    /// `b - a`, when both are measured.
    pub delta: Option<f64>,
    /// `(b - a) / |a|`, when both are measured and `a` is not 0.
    pub relative: Option<f64>,
    /// Whether a lower value is better (error rates, latencies, losses).
    pub lower_is_better: bool,
    /// Which is better: `a`, `b`, or none (equal or not both measured).
    pub better: Option<String>,
}

/// What a comparison recommends.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ModelRecommendation"))]
#[serde(rename_all = "snake_case")]
pub enum Recommendation {
    /// Promote `b` over `a` (it is the challenger and the evidence passes).
    PromoteB,
    /// Keep `a`: `b` is worse on the evidence or on most metrics.
    KeepA,
    /// The metrics lean to `b`, but there is no passing evidence yet: measure it.
    CollectEvidence,
}

/// Two versions compared.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ModelComparison"))]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    /// The model.
    pub model_id: String,
    /// The reference version.
    pub a: Version,
    /// The version compared with it.
    pub b: Version,
    /// Every metric either has (accuracy always), by name.
    pub metrics: Vec<MetricDelta>,
    /// `b`'s evidence assessed against `a`, when `a` is the champion and the policy has
    /// the evidence rule.
    pub evidence: Option<Assessment>,
    /// What to do.
    pub recommendation: Recommendation,
    /// Why, one sentence per reason.
    pub reasons: Vec<String>,
}

/// Whether a lower value of `metric` is better: error rates, latencies and losses.
pub fn lower_is_better(metric: &str) -> bool {
    let m = metric.to_ascii_lowercase();
    [
        "error", "latency", "loss", "mae", "mse", "rmse", "duration", "cost",
    ]
    .iter()
    .any(|w| m.contains(w))
}

fn delta(metric: &str, a: Option<f64>, b: Option<f64>) -> MetricDelta {
    let lower = lower_is_better(metric);
    let (delta, relative, better) = match (a, b) {
        (Some(x), Some(y)) => {
            let d = y - x;
            let relative = (x != 0.0).then(|| d / x.abs());
            let better = if d == 0.0 {
                None
            } else if (d < 0.0) == lower {
                Some("b".to_string())
            } else {
                Some("a".to_string())
            };
            (Some(d), relative, better)
        }
        _ => (None, None, None),
    };
    MetricDelta {
        metric: metric.to_string(),
        a,
        b,
        delta,
        relative,
        lower_is_better: lower,
        better,
    }
}

impl State {
    /// Compares version `b` of a model with version `a`; `critical_alerts` are the open
    /// critical alerts on `b` (they weigh in the evidence). Errors: unknown model or version.
    pub fn compare_versions(
        &self,
        model_id: &str,
        a: &SemVer,
        b: &SemVer,
        policy: &Policy,
        critical_alerts: &[String],
    ) -> Result<Comparison, Error> {
        let model = model(self, model_id)?;
        let find = |v: &SemVer| {
            model.version(v).ok_or_else(|| Error::UnknownVersion {
                model_id: model_id.to_string(),
                version: v.clone(),
            })
        };
        let (va, vb) = (find(a)?, find(b)?);
        let mut names: Vec<&str> = vec!["accuracy"];
        for name in va.metrics.keys().chain(vb.metrics.keys()) {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
        let value = |v: &Version, name: &str| {
            v.metrics
                .get(name)
                .copied()
                .or((name == "accuracy").then_some(v.accuracy))
        };
        let metrics: Vec<MetricDelta> = names
            .iter()
            .map(|name| delta(name, value(va, name), value(vb, name)))
            .collect();
        let evidence = match (&policy.evidence, model.champion.as_ref()) {
            (Some(rule), Some(champion)) if champion == a => {
                Some(assess(vb, va, rule, critical_alerts))
            }
            _ => None,
        };
        let wins = |side: &str| {
            metrics
                .iter()
                .filter(|m| m.better.as_deref() == Some(side))
                .map(|m| m.metric.as_str())
                .collect::<Vec<_>>()
        };
        let (b_wins, a_wins) = (wins("b"), wins("a"));
        let mut reasons = Vec::new();
        if !b_wins.is_empty() {
            reasons.push(format!("{b} is better on {}", b_wins.join(", ")));
        }
        if !a_wins.is_empty() {
            reasons.push(format!("{a} is better on {}", a_wins.join(", ")));
        }
        let recommendation = match &evidence {
            Some(e) if e.verdict == Verdict::Promote => {
                reasons.push(format!(
                    "the evidence passes: {} samples per arm at least, p {:.4}, lift {:.2}%",
                    e.min_samples_per_arm,
                    e.p_value.unwrap_or(f64::NAN),
                    e.lift.unwrap_or(f64::NAN) * 100.0
                ));
                Recommendation::PromoteB
            }
            Some(e) => {
                reasons.extend(e.reasons.iter().cloned());
                if e.lift.is_some_and(|l| l < 0.0) && e.p_value.is_some_and(|p| p < e.max_p_value) {
                    Recommendation::KeepA
                } else if b_wins.len() > a_wins.len() {
                    Recommendation::CollectEvidence
                } else {
                    Recommendation::KeepA
                }
            }
            None if b_wins.len() > a_wins.len() => {
                reasons.push(format!(
                    "no evidence of {b} against {a}: metrics alone do not promote"
                ));
                Recommendation::CollectEvidence
            }
            None => Recommendation::KeepA,
        };
        if reasons.is_empty() {
            reasons.push("the versions measure the same".to_string());
        }
        Ok(Comparison {
            model_id: model_id.to_string(),
            a: va.clone(),
            b: vb.clone(),
            metrics,
            evidence,
            recommendation,
            reasons,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{evidence, fold, given, passing, propose, register, v, when};
    use super::*;
    use crate::models::*;

    fn metrics(version: &str, values: &[(&str, f64)]) -> Command {
        Command::RecordVersionMetrics {
            model_id: "m1".into(),
            version: v(version),
            metrics: values.iter().map(|(k, x)| (k.to_string(), *x)).collect(),
            metadata: BTreeMap::from([("commit".to_string(), format!("c-{version}"))]),
        }
    }

    fn compare(state: &State, a: &str, b: &str) -> Comparison {
        state
            .compare_versions("m1", &v(a), &v(b), &Policy::default(), &[])
            .expect("known versions")
    }

    fn base() -> State {
        given(&[
            register("m1"),
            propose("1.0.0", Strategy::FullRetrain, 0.80),
            propose("1.1.0", Strategy::Incremental, 0.84),
            metrics("1.0.0", &[("f1", 0.70), ("latency_p95", 40.0)]),
            metrics("1.1.0", &[("f1", 0.75), ("latency_p95", 50.0)]),
        ])
    }

    #[test]
    fn versions_compare_metric_by_metric_in_each_metric_direction() {
        let c = compare(&base(), "1.0.0", "1.1.0");
        let row = |name: &str| {
            c.metrics
                .iter()
                .find(|m| m.metric == name)
                .cloned()
                .expect("compared")
        };
        let accuracy = row("accuracy");
        assert_eq!((accuracy.a, accuracy.b), (Some(0.80), Some(0.84)));
        assert!((accuracy.delta.expect("both") - 0.04).abs() < 1e-12);
        assert!((accuracy.relative.expect("both") - 0.05).abs() < 1e-12);
        assert_eq!(accuracy.better.as_deref(), Some("b"));
        let latency = row("latency_p95");
        assert!(latency.lower_is_better);
        assert_eq!(
            latency.better.as_deref(),
            Some("a"),
            "50 ms is worse than 40 ms"
        );
        assert_eq!(row("f1").better.as_deref(), Some("b"));
        // Metrics lean to 1.1.0 (2 of 3) but nothing has been measured on live traffic.
        assert_eq!(c.recommendation, Recommendation::CollectEvidence);
        assert_eq!(
            c.reasons,
            vec![
                "1.1.0 is better on accuracy, f1",
                "1.0.0 is better on latency_p95",
                "no evidence recorded against champion 1.0.0",
                "champion arm has 0 samples, fewer than the 1000 required",
                "challenger arm has 0 samples, fewer than the 1000 required",
            ]
        );
        assert_eq!(
            c.b.metadata.get("commit").map(String::as_str),
            Some("c-1.1.0")
        );
    }

    #[test]
    fn passing_evidence_recommends_the_challenger_and_significant_loss_keeps_the_champion() {
        let state = base();
        let won = fold(
            state.clone(),
            &when(&state, &passing("1.1.0")).expect("valid"),
        );
        let c = compare(&won, "1.0.0", "1.1.0");
        assert_eq!(c.recommendation, Recommendation::PromoteB);
        assert_eq!(c.evidence.map(|e| e.verdict), Some(Verdict::Promote));
        let lost = fold(
            state.clone(),
            &when(&state, &evidence("1.1.0", (850, 1_000), (800, 1_000))).expect("valid"),
        );
        assert_eq!(
            compare(&lost, "1.0.0", "1.1.0").recommendation,
            Recommendation::KeepA
        );
        // Compared the other way round (the champion is b): no evidence applies.
        let reverse = compare(&won, "1.1.0", "1.0.0");
        assert_eq!(reverse.evidence, None);
        assert_eq!(reverse.recommendation, Recommendation::KeepA);
        assert_eq!(
            state
                .compare_versions("m1", &v("1.0.0"), &v("9.0.0"), &Policy::default(), &[])
                .map_err(|e| e.code()),
            Err("unknown_version")
        );
    }

    #[test]
    fn bad_metrics_are_typed_errors() {
        let state = base();
        let nan = metrics("1.0.0", &[("f1", f64::NAN)]);
        assert_eq!(
            when(&state, &nan).map_err(|e| e.to_string()),
            Err("metric f1 must be a finite number".into())
        );
        let nothing = Command::RecordVersionMetrics {
            model_id: "m1".into(),
            version: v("1.0.0"),
            metrics: BTreeMap::new(),
            metadata: BTreeMap::new(),
        };
        assert_eq!(when(&state, &nothing), Err(Error::NothingToRecord));
        assert_eq!(
            when(&state, &metrics("5.0.0", &[("f1", 0.5)])).map_err(|e| e.code()),
            Err("unknown_version")
        );
    }
}
