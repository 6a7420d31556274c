//! `CompareVersions` as a query: two versions of a model metric by metric (deltas, and which
//! is better by the metric's direction), the evidence when one was measured against the
//! other, and a recommendation with its reasons.

use super::*;

/// One metric of two versions.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
