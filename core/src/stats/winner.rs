//! The winner rule: which variant of an experiment, if any, wins, under a
//! frequentist, sequential or Bayesian policy with a minimum sample, the
//! SRM guard and multiple-testing correction.

use serde::{Deserialize, Serialize};

use super::{
    adjust_p_values, chance_to_beat, check_alpha, finite, lift_t_test, rate_interval,
    sequential_lift_test, srm_p_value, Adjustment, Counts, StatsError,
};

/// Which test decides.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum WinnerMethod {
    /// Fixed-horizon relative-lift t-test ([`super::lift_t_test`]).
    Frequentist,
    /// Always-valid sequential test ([`super::sequential_lift_test`]).
    Sequential,
    /// Chance to beat control ([`super::chance_to_beat`]).
    Bayesian,
}

/// The policy that decides a winner (fields in snake_case, like the rest of the policy;
/// a missing field takes its default).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct WinnerRule {
    /// Which test decides.
    pub method: WinnerMethod,
    /// Significance level of the frequentist and sequential tests, in (0, 1).
    pub alpha: f64,
    /// Trials every variant needs before any decision, in 0..=[`MAX_MIN_SAMPLE`].
    pub min_sample_per_variant: u64,
    /// SRM p-value below which the split is broken and nothing is decided, in [0, 1)
    /// (the same name as the gates' SRM level: both are significance levels of one test).
    pub srm_alpha: f64,
    /// Correction of the p-values when there are more than two variants.
    pub correction: Option<Adjustment>,
    /// Tuning parameter of the sequential test, in (0, [`MAX_SEQUENTIAL_TUNING`]].
    pub sequential_tuning: f64,
    /// Chance to beat control a Bayesian winner needs, in (0.5, 1).
    pub bayes_threshold: f64,
}

/// Largest `min_sample_per_variant`: a billion trials per variant, beyond any real test.
pub const MAX_MIN_SAMPLE: u64 = 1_000_000_000;

/// Largest `sequential_tuning` (GrowthBook's default is 5000).
pub const MAX_SEQUENTIAL_TUNING: f64 = 1e9;

impl Default for WinnerRule {
    fn default() -> Self {
        WinnerRule {
            method: WinnerMethod::Frequentist,
            alpha: 0.05,
            min_sample_per_variant: 100,
            srm_alpha: 0.001,
            correction: Some(Adjustment::Holm),
            sequential_tuning: 5000.0,
            bayes_threshold: 0.95,
        }
    }
}

/// One variant's figures in a [`WinnerDecision`].
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct VariantComparison {
    /// Index of the variant; 0 is control.
    pub index: usize,
    /// Conversion rate (0 with no trials).
    pub rate: f64,
    /// Lower bound of the Wilson interval of the rate (0 with no trials).
    pub ci_low: f64,
    /// Upper bound of the Wilson interval of the rate (1 with no trials).
    pub ci_high: f64,
    /// Relative lift over control; `None` for control or when undefined.
    pub lift: Option<f64>,
    /// Lower bound of the lift interval (frequentist and sequential).
    pub lift_ci_low: Option<f64>,
    /// Upper bound of the lift interval (frequentist and sequential).
    pub lift_ci_high: Option<f64>,
    /// p-value against control, adjusted when a correction applies.
    pub p_value: Option<f64>,
    /// Chance to beat control (Bayesian).
    pub chance_to_beat: Option<f64>,
    /// Whether the difference with control is significant under the rule.
    pub significant: bool,
}

/// The outcome of [`decide_winner`].
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WinnerDecision {
    /// The winning variant's index (0 when control beats every variant).
    pub winner: Option<usize>,
    /// Figures per variant, control first.
    pub per_variant: Vec<VariantComparison>,
    /// SRM p-value of the traffic split, when there is any traffic.
    pub srm_p_value: Option<f64>,
    /// Whether the SRM guard stopped the decision.
    pub srm_failed: bool,
    /// Why this winner, or why none.
    pub reason: String,
}

/// "variant A" for index 0 (control), "variant B" for 1, ...
fn label(i: usize) -> String {
    match u8::try_from(i) {
        Ok(k) if k < 26 => format!("variant {}", char::from(b'A' + k)),
        _ => format!("variant #{i}"),
    }
}

fn check_rule(rule: &WinnerRule) -> Result<(), StatsError> {
    check_alpha(rule.alpha)?;
    finite("srm_alpha", rule.srm_alpha)?;
    if !(0.0..1.0).contains(&rule.srm_alpha) {
        return Err(StatsError::OutOfRange {
            what: "srm_alpha",
            value: rule.srm_alpha,
            allowed: "in [0, 1)",
        });
    }
    finite("bayes_threshold", rule.bayes_threshold)?;
    if !(rule.bayes_threshold > 0.5 && rule.bayes_threshold < 1.0) {
        return Err(StatsError::OutOfRange {
            what: "bayes_threshold",
            value: rule.bayes_threshold,
            allowed: "strictly between 0.5 and 1",
        });
    }
    finite("sequential_tuning", rule.sequential_tuning)?;
    if !(rule.sequential_tuning > 0.0 && rule.sequential_tuning <= MAX_SEQUENTIAL_TUNING) {
        return Err(StatsError::OutOfRange {
            what: "sequential_tuning",
            value: rule.sequential_tuning,
            allowed: "in (0, 1e9]",
        });
    }
    if rule.min_sample_per_variant > MAX_MIN_SAMPLE {
        return Err(StatsError::OutOfRange {
            what: "min_sample_per_variant",
            value: rule.min_sample_per_variant as f64,
            allowed: "at most 1e9",
        });
    }
    Ok(())
}

fn percent(x: f64) -> String {
    format!("{:+.2}%", 100.0 * x)
}

/// Decides the winner of an experiment; `variants[0]` is control.
///
/// In order:
/// 1. SRM guard: when there is traffic, [`srm_p_value`] of the trials per
///    variant against `weights` (equal when `None`); below
///    `rule.srm_alpha` nothing is decided.
/// 2. Minimum sample: every variant needs `rule.min_sample_per_variant`
///    trials.
/// 3. Each variant against control with `rule.method`; with more than two
///    variants the frequentist or sequential p-values are adjusted with
///    `rule.correction` ([`adjust_p_values`]). Significant means adjusted
///    `p < alpha`, or a chance to beat control of at least
///    `bayes_threshold` (or at most `1 - bayes_threshold`).
/// 4. The winner is the significantly better variant with the highest rate
///    (lowest index on a tie); control (0) wins when every variant is
///    significantly worse; otherwise there is none.
///
/// A comparison that is undefined (zero control rate, zero variance) is
/// reported in `reason` and leaves that variant without a p-value.
/// Reference: the functions it composes; the policy is ours.
///
/// Errors: fewer than 2 variants, conversions above trials, weights of the
/// wrong length or invalid, a rule parameter out of range.
pub fn decide_winner(
    variants: &[Counts],
    weights: Option<&[f64]>,
    rule: &WinnerRule,
) -> Result<WinnerDecision, StatsError> {
    check_rule(rule)?;
    if variants.len() < 2 {
        return Err(StatsError::TooFew {
            what: "variants",
            given: variants.len(),
            needed: 2,
        });
    }
    for v in variants {
        v.validate()?;
    }
    let k = variants.len();
    let equal = vec![1.0 / k as f64; k];
    let weights = weights.unwrap_or(&equal);
    if weights.len() != k {
        return Err(StatsError::LengthMismatch {
            what: "variants and weights",
            left: k,
            right: weights.len(),
        });
    }

    let mut per_variant = Vec::with_capacity(k);
    for (index, &v) in variants.iter().enumerate() {
        let (rate, ci_low, ci_high) = if v.n == 0 {
            (0.0, 0.0, 1.0)
        } else {
            rate_interval(v, rule.alpha)?
        };
        per_variant.push(VariantComparison {
            index,
            rate,
            ci_low,
            ci_high,
            lift: None,
            lift_ci_low: None,
            lift_ci_high: None,
            p_value: None,
            chance_to_beat: None,
            significant: false,
        });
    }

    let observed: Vec<u64> = variants.iter().map(|v| v.n).collect();
    let srm = if observed.iter().any(|&n| n > 0) {
        Some(srm_p_value(&observed, weights)?)
    } else {
        None
    };
    let srm_failed = srm.is_some_and(|p| p < rule.srm_alpha);
    let decision = |winner, per_variant, reason: String| WinnerDecision {
        winner,
        per_variant,
        srm_p_value: srm,
        srm_failed,
        reason,
    };
    if let (true, Some(p)) = (srm_failed, srm) {
        let reason = format!(
            "sample ratio mismatch: srm p-value {p:.2e} is below {}; the traffic split does not match the weights, fix assignment before deciding",
            rule.srm_alpha
        );
        return Ok(decision(None, per_variant, reason));
    }
    if let Some((i, v)) = variants
        .iter()
        .enumerate()
        .find(|(_, v)| v.n < rule.min_sample_per_variant)
    {
        let reason = format!(
            "not enough data: {} has {} of {} trials",
            label(i),
            v.n,
            rule.min_sample_per_variant
        );
        return Ok(decision(None, per_variant, reason));
    }

    let control = variants.first().copied().unwrap_or_default();
    let mut failures = Vec::new();
    for (slot, &v) in per_variant.iter_mut().zip(variants).skip(1) {
        let result = match rule.method {
            WinnerMethod::Frequentist => lift_t_test(control, v, rule.alpha).map(Some),
            WinnerMethod::Sequential => {
                sequential_lift_test(control, v, rule.alpha, rule.sequential_tuning).map(Some)
            }
            WinnerMethod::Bayesian => chance_to_beat(control, v).map(|p| {
                slot.chance_to_beat = Some(p);
                None
            }),
        };
        match result {
            Ok(Some(t)) => {
                slot.lift = Some(t.lift);
                slot.lift_ci_low = Some(t.ci_low);
                slot.lift_ci_high = Some(t.ci_high);
                slot.p_value = Some(t.p_value);
            }
            Ok(None) => {
                let control_rate = control.conversions as f64 / control.n as f64;
                if control_rate > 0.0 {
                    slot.lift = Some((slot.rate - control_rate) / control_rate);
                }
            }
            Err(e) => failures.push(format!(
                "cannot compare {} with control: {e}",
                label(slot.index)
            )),
        }
    }

    let mut note = String::new();
    if k > 2 && rule.method != WinnerMethod::Bayesian {
        if let Some(method) = rule.correction {
            let idx: Vec<usize> = per_variant
                .iter()
                .filter(|c| c.p_value.is_some())
                .map(|c| c.index)
                .collect();
            let raw: Vec<f64> = per_variant.iter().filter_map(|c| c.p_value).collect();
            if !raw.is_empty() {
                let adjusted = adjust_p_values(&raw, method)?;
                for (i, p) in idx.into_iter().zip(adjusted) {
                    if let Some(c) = per_variant.get_mut(i) {
                        c.p_value = Some(p);
                    }
                }
                note = match method {
                    Adjustment::Holm => " (holm-adjusted)".to_owned(),
                    Adjustment::BenjaminiHochberg => " (bh-adjusted)".to_owned(),
                };
            }
        }
    }

    let mut better = Vec::new();
    let mut worse = 0usize;
    for c in per_variant.iter_mut().skip(1) {
        let (significant, up) = match (c.p_value, c.chance_to_beat) {
            (Some(p), _) => (p < rule.alpha, c.lift.is_some_and(|l| l > 0.0)),
            (None, Some(ctb)) => (
                ctb >= rule.bayes_threshold || ctb <= 1.0 - rule.bayes_threshold,
                ctb >= rule.bayes_threshold,
            ),
            (None, None) => (false, false),
        };
        c.significant = significant;
        if significant && up {
            better.push(c.index);
        } else if significant {
            worse += 1;
        }
    }

    let best = better
        .iter()
        .filter_map(|&i| per_variant.get(i))
        .fold(None::<&VariantComparison>, |acc, c| match acc {
            Some(a) if a.rate >= c.rate => Some(a),
            _ => Some(c),
        })
        .cloned();
    if let Some(b) = best {
        let evidence = match (b.p_value, b.chance_to_beat) {
            (Some(p), _) => format!("p-value {p:.4}{note} below alpha {}", rule.alpha),
            (None, Some(ctb)) => format!(
                "chance to beat control {:.1}% at least {:.1}%",
                100.0 * ctb,
                100.0 * rule.bayes_threshold
            ),
            (None, None) => String::new(),
        };
        let lift = b
            .lift
            .map(|l| format!("lift {}, ", percent(l)))
            .unwrap_or_default();
        let reason = format!("{} beats control: {lift}{evidence}", label(b.index));
        return Ok(decision(Some(b.index), per_variant, reason));
    }
    if failures.is_empty() && worse == k - 1 {
        let reason = "control beats every variant: each is significantly worse".to_owned();
        return Ok(decision(Some(0), per_variant, reason));
    }
    let reason = if failures.is_empty() {
        match rule.method {
            WinnerMethod::Bayesian => format!(
                "no winner yet: no variant has a chance to beat control of at least {:.1}%",
                100.0 * rule.bayes_threshold
            ),
            _ => format!(
                "no winner yet: no variant is significantly better than control at alpha {}{note}",
                rule.alpha
            ),
        }
    } else {
        format!("no winner: {}", failures.join("; "))
    };
    Ok(decision(None, per_variant, reason))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(n: u64, conversions: u64) -> Counts {
        Counts { n, conversions }
    }

    #[test]
    fn not_enough_data() {
        let weights = [0.7, 0.3];
        let d = decide_winner(
            &[c(100, 10), c(40, 8)],
            Some(&weights),
            &WinnerRule::default(),
        )
        .expect("decision");
        assert_eq!(d.winner, None);
        assert_eq!(d.reason, "not enough data: variant B has 40 of 100 trials");
    }

    #[test]
    fn srm_guard_blocks() {
        let d = decide_winner(
            &[c(10_000, 1000), c(8_000, 1200)],
            None,
            &WinnerRule::default(),
        )
        .expect("decision");
        assert!(d.srm_failed);
        assert_eq!(d.winner, None);
        assert!(
            d.reason.starts_with("sample ratio mismatch"),
            "{}",
            d.reason
        );
        // With matching weights the same split passes the guard and B wins.
        let w = [10.0 / 18.0, 8.0 / 18.0];
        let d = decide_winner(
            &[c(10_000, 1000), c(8_000, 1200)],
            Some(&w),
            &WinnerRule::default(),
        )
        .expect("decision");
        assert!(!d.srm_failed);
        assert_eq!(d.winner, Some(1), "{}", d.reason);
    }

    #[test]
    fn clear_winner_under_each_method() {
        let variants = [c(5000, 500), c(5000, 520), c(5000, 650)];
        for method in [
            WinnerMethod::Frequentist,
            WinnerMethod::Sequential,
            WinnerMethod::Bayesian,
        ] {
            let rule = WinnerRule {
                method,
                ..WinnerRule::default()
            };
            let d = decide_winner(&variants, None, &rule).expect("decision");
            assert_eq!(d.winner, Some(2), "{method:?}: {}", d.reason);
            assert!(
                d.reason.starts_with("variant C beats control"),
                "{}",
                d.reason
            );
        }
    }

    #[test]
    fn holm_adjustment_is_applied_with_three_variants() {
        let variants = [c(5000, 500), c(5000, 560), c(5000, 505)];
        let rule = WinnerRule::default();
        let d = decide_winner(&variants, None, &rule).expect("decision");
        let raw_b = lift_t_test(variants[0], variants[1], 0.05)
            .expect("t")
            .p_value;
        let raw_c = lift_t_test(variants[0], variants[2], 0.05)
            .expect("t")
            .p_value;
        let want = adjust_p_values(&[raw_b, raw_c], Adjustment::Holm).expect("holm");
        assert_eq!(d.per_variant[1].p_value, want.first().copied());
        assert_eq!(d.per_variant[2].p_value, want.get(1).copied());
        assert!(d.per_variant[1].p_value > Some(raw_b));
    }

    #[test]
    fn no_difference_and_undefined_comparisons() {
        let d = decide_winner(&[c(1000, 100), c(1000, 101)], None, &WinnerRule::default())
            .expect("decision");
        assert_eq!(d.winner, None);
        assert!(d.reason.starts_with("no winner yet"), "{}", d.reason);
        let d = decide_winner(&[c(1000, 0), c(1000, 3)], None, &WinnerRule::default())
            .expect("decision");
        assert_eq!(d.winner, None);
        assert!(d.reason.contains("zero"), "{}", d.reason);
    }

    #[test]
    fn invalid_input_is_an_error() {
        assert!(matches!(
            decide_winner(&[c(10, 1)], None, &WinnerRule::default()),
            Err(StatsError::TooFew { .. })
        ));
        assert!(matches!(
            decide_winner(&[c(10, 11), c(10, 1)], None, &WinnerRule::default()),
            Err(StatsError::ConversionsExceedTrials { .. })
        ));
        let rule = WinnerRule {
            alpha: 1.5,
            ..WinnerRule::default()
        };
        assert!(matches!(
            decide_winner(&[c(10, 1), c(10, 1)], None, &rule),
            Err(StatsError::OutOfRange { .. })
        ));
        assert!(matches!(
            decide_winner(&[c(10, 1), c(10, 1)], Some(&[1.0]), &WinnerRule::default()),
            Err(StatsError::LengthMismatch { .. })
        ));
    }

    #[test]
    fn rule_serde_round_trip_and_defaults() {
        let rule: WinnerRule = serde_json::from_str(r#"{"method":"bayesian"}"#).expect("rule");
        assert_eq!(rule.method, WinnerMethod::Bayesian);
        assert_eq!(rule.min_sample_per_variant, 100);
        let json = serde_json::to_string(&WinnerRule::default()).expect("json");
        assert!(
            json.contains("\"min_sample_per_variant\":100")
                && json.contains("\"srm_alpha\":0.001")
                && json.contains("\"correction\":\"holm\""),
            "{json}"
        );
    }
}
