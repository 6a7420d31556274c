//! What block 21 reports: each experiment's variants with rates, intervals,
//! lift and winner, and the cumulative lift series a chart of "is the winner
//! still winning?" draws.

use super::{Conclusion, Event, MeanReport, Stage, VariantKind};
use crate::stats::{self, Counts};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One variant in a report.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct VariantReport {
    /// Variant name.
    pub name: String,
    /// Trials.
    pub trials: u64,
    /// Conversions.
    pub conversions: u64,
    /// Planned weight.
    pub weight: f64,
    /// Conversion rate (0 without trials).
    pub rate: f64,
    /// Lower bound of the rate interval.
    pub low: f64,
    /// Upper bound of the rate interval.
    pub high: f64,
    /// Relative lift against control (None for control or when undefined).
    pub lift: Option<f64>,
    /// Lower bound of the lift's interval (frequentist and sequential rules).
    pub lift_ci_low: Option<f64>,
    /// Upper bound of the lift's interval.
    pub lift_ci_high: Option<f64>,
    /// p-value against control (adjusted for multiple variants).
    pub p_value: Option<f64>,
    /// Chance to beat control.
    pub chance_to_beat: Option<f64>,
    /// Significantly different from control.
    pub significant: bool,
    /// The continuous metric's mean and its lift over control's, when
    /// any variant of the experiment records one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub metric: Option<MeanReport>,
}

/// One experiment in a report.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ExperimentReport {
    /// Experiment name.
    pub experiment: String,
    /// Script or channel.
    pub kind: VariantKind,
    /// Variants with rates and intervals.
    pub variants: Vec<VariantReport>,
    /// The winning variant, if the evidence decides one.
    pub winner: Option<String>,
    /// Why there is (or is not) a winner.
    pub reason: String,
    /// p-value of the sample-ratio check, when computed.
    pub srm_p_value: Option<f64>,
    /// True when traffic does not match the planned weights.
    pub srm_failed: bool,
    /// Where the experiment is in its life.
    pub stage: Stage,
    /// The decision, once concluded.
    pub conclusion: Option<Conclusion>,
}

/// Rate and Wilson interval at level `alpha`; (0, 0, 1) without trials.
/// The statistics engine's `rate_interval` when it accepts the input.
pub fn rate_interval(trials: u64, conversions: u64, alpha: f64) -> (f64, f64, f64) {
    if trials == 0 {
        return (0.0, 0.0, 1.0);
    }
    if let Ok(r) = stats::rate_interval(
        Counts {
            n: trials,
            conversions,
        },
        alpha,
    ) {
        return r;
    }
    let n = trials as f64;
    let p = conversions as f64 / n;
    let z = z_for(alpha);
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z * ((p * (1.0 - p) / n + z2 / (4.0 * n * n)).max(0.0)).sqrt() / denom;
    (
        p,
        (centre - half).clamp(0.0, 1.0),
        (centre + half).clamp(0.0, 1.0),
    )
}

/// The winner rule's reason with each variant's name where the statistics
/// engine says "variant A" (control), "variant B", ... or "variant #26":
/// a reader knows the variants by name, not by their place.
pub(crate) fn with_names(reason: &str, names: &[&str]) -> String {
    const LABEL: &str = "variant ";
    const CONTROL_WINS: &str = "control beats every variant";
    let mut out = String::with_capacity(reason.len());
    let mut rest = reason;
    if let (Some(tail), Some(control)) = (rest.strip_prefix(CONTROL_WINS), names.first()) {
        out.push_str(&format!("{control} (control) beats every variant"));
        rest = tail;
    }
    while let Some(at) = rest.find(LABEL) {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let after = &from[LABEL.len()..];
        let letter = after
            .chars()
            .next()
            .filter(char::is_ascii_uppercase)
            .filter(|_| !after[1..].starts_with(|c: char| c.is_alphanumeric()));
        let digits = after
            .strip_prefix('#')
            .map(|d| d.len() - d.trim_start_matches(|c: char| c.is_ascii_digit()).len())
            .unwrap_or(0);
        let (index, used) = match (letter, digits) {
            (Some(c), _) => (Some(c as usize - 'A' as usize), 1),
            (None, d) if d > 0 => (after[1..=d].parse::<usize>().ok(), d + 1),
            _ => (None, 0),
        };
        match index.and_then(|i| names.get(i)) {
            Some(name) => {
                out.push_str(name);
                rest = &after[used..];
            }
            None => {
                out.push_str(LABEL);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Two-sided normal quantile for `alpha` (1.96 for 0.05).
pub fn z_for(alpha: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, Normal};
    let a = if alpha.is_finite() {
        alpha.clamp(1e-12, 0.999_999)
    } else {
        0.05
    };
    match Normal::new(0.0, 1.0) {
        Ok(n) => n.inverse_cdf(1.0 - a / 2.0),
        Err(_) => 1.96,
    }
}

/// One point of an experiment's cumulative lift: after one batch of counts,
/// the lift of each non-control variant over control, so far.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct LiftPoint {
    /// When the batch was recorded (the time of its command).
    pub at: DateTime<Utc>,
    /// The lift (`rate / control rate - 1`) of each non-control variant, in
    /// registration order; `None` while it is undefined (the variant has no
    /// trials yet, or control's rate is not above 0).
    pub lifts: Vec<Option<f64>>,
}

/// How an experiment's lift over control moved, batch by batch: what a
/// chart of "is the winner still winning?" needs and the state does not
/// keep (it holds only the totals).
#[derive(Serialize, Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct LiftSeries {
    /// The non-control variants, in registration order (the first
    /// registered variant is control).
    pub variants: Vec<String>,
    /// One point per recorded batch, in time order.
    pub points: Vec<LiftPoint>,
}

/// The cumulative lift of each variant of `experiment` over control after
/// every recorded batch, from this block's events with the time of the
/// command that produced each.
pub fn cumulative_lift<'a>(
    events: impl IntoIterator<Item = (DateTime<Utc>, &'a Event)>,
    experiment: &str,
) -> LiftSeries {
    let mut order: Vec<&str> = Vec::new();
    let mut totals: Vec<(u64, u64)> = Vec::new();
    let mut points = Vec::new();
    let rate = |(n, c): (u64, u64)| (n > 0).then(|| c as f64 / n as f64);
    for (at, e) in events {
        match e {
            Event::VariantRegistered {
                experiment: x,
                variant,
                ..
            } if x == experiment => {
                order.push(variant);
                totals.push((0, 0));
            }
            Event::CountsRecorded {
                experiment: x,
                variant,
                trials,
                conversions,
            } if x == experiment => {
                if let Some(t) = order
                    .iter()
                    .position(|v| *v == variant.as_str())
                    .and_then(|i| totals.get_mut(i))
                {
                    t.0 = t.0.saturating_add(*trials);
                    t.1 = t.1.saturating_add(*conversions);
                }
                let control = totals.first().copied().and_then(rate);
                let lifts = totals
                    .iter()
                    .skip(1)
                    .map(|t| match (rate(*t), control) {
                        (Some(r), Some(c)) if c > 0.0 => Some(r / c - 1.0),
                        _ => None,
                    })
                    .collect();
                points.push(LiftPoint { at, lifts });
            }
            _ => {}
        }
    }
    LiftSeries {
        variants: order.into_iter().skip(1).map(String::from).collect(),
        points,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_names_the_variants_rather_than_their_letters() {
        let names = ["warm-open", "direct-ask", "story-led"];
        assert_eq!(
            with_names("variant C beats control: lift +20.00%", &names),
            "story-led beats control: lift +20.00%"
        );
        assert_eq!(
            with_names("not enough data: variant A has 5 of 100 trials", &names),
            "not enough data: warm-open has 5 of 100 trials"
        );
        assert_eq!(
            with_names(
                "cannot compare variant B with control: x; cannot compare variant #2 with control",
                &names
            ),
            "cannot compare direct-ask with control: x; cannot compare story-led with control"
        );
        assert_eq!(
            with_names(
                "control beats every variant: each is significantly worse",
                &names
            ),
            "warm-open (control) beats every variant: each is significantly worse"
        );
        // Letters past the last variant, and words that only start like a label, stay.
        assert_eq!(
            with_names("variant Z and variant Bob", &names),
            "variant Z and variant Bob"
        );
    }
}
