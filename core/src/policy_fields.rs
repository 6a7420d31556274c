//! The policy's fields as an operator reads them: a plain-language label
//! and the documented range of each, keyed by its dotted path
//! (`gates.min_accuracy`, the name `merge`'s errors use).
//!
//! The console's policy page is generic: it walks the policy's JSON
//! ([`leaves`]) and shows every field it finds, so a block that adds a
//! policy field gets an input without a page edit; one line in [`FIELDS`]
//! gives it a label and a range (without one it shows its path). The ranges
//! here are the words of the doc comments; the rule that enforces them is
//! each block's `validate`, reached through [`crate::policy::merge`].

use crate::policy::Policy;
use serde_json::Value;

/// One policy field, as the policy page shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldDoc {
    /// Dotted path in the policy (`ab.winner.alpha`).
    pub path: &'static str,
    /// What the field decides, in plain words.
    pub label: &'static str,
    /// Its documented range ("0 to 1").
    pub range: &'static str,
    /// The words a text field may take (empty: a number, list or free text).
    pub choices: &'static [&'static str],
}

const fn field(path: &'static str, label: &'static str, range: &'static str) -> FieldDoc {
    FieldDoc {
        path,
        label,
        range,
        choices: &[],
    }
}

const fn choice(
    path: &'static str,
    label: &'static str,
    choices: &'static [&'static str],
) -> FieldDoc {
    FieldDoc {
        path,
        label,
        range: "one of the choices",
        choices,
    }
}

/// Every documented field, in the order the page shows them within a block.
/// A block that adds a policy field adds its line here.
pub const FIELDS: &[FieldDoc] = &[
    choice(
        "ab.winner.method",
        "How an A/B winner is decided",
        &["frequentist", "sequential", "bayesian"],
    ),
    field(
        "ab.winner.alpha",
        "Significance level of the winner test",
        "above 0, below 1",
    ),
    field(
        "ab.winner.min_sample_per_variant",
        "Trials each variant needs before any winner",
        "0 to 1,000,000,000",
    ),
    field(
        "ab.winner.srm_alpha",
        "Split-check p-value below which no winner is read",
        "0 to below 1",
    ),
    choice(
        "ab.winner.correction",
        "Correction for more than two variants (empty: none)",
        &["holm", "bh", ""],
    ),
    field(
        "ab.winner.sequential_tuning",
        "Tuning of the sequential test",
        "above 0, at most 1e9",
    ),
    field(
        "ab.winner.bayes_threshold",
        "Chance to beat control a Bayesian winner needs",
        "above 0.5, below 1",
    ),
    field(
        "ab.bandit_floor",
        "Smallest traffic share the bandit gives a variant",
        "0 to below 0.5",
    ),
    field(
        "ab.bandit_draws",
        "Draws per bandit allocation",
        "1 to 100,000",
    ),
    field(
        "promotion.min_sample",
        "Trials before a script evaluation counts",
        "0 to 1,000,000,000",
    ),
    field(
        "promotion.testing_rate",
        "Conversion rate to move a script to Testing",
        "0 to 1",
    ),
    field(
        "promotion.primary_rate",
        "Conversion rate to make a script Primary",
        "testing rate to 1",
    ),
    field(
        "promotion.demote_rate",
        "Conversion rate below which a script is demoted",
        "0 to testing rate",
    ),
    field(
        "promotion.consecutive",
        "Qualifying evaluations in a row before a change",
        "1 to 1000",
    ),
    choice(
        "promotion.estimate",
        "Rate used: plain, or the cautious Wilson bound",
        &["point", "wilson"],
    ),
    field(
        "promotion.alpha",
        "Significance of the Wilson bound",
        "above 0, below 1",
    ),
    field(
        "promotion.min_new_trials",
        "New trials an evaluation needs to count toward a promotion streak",
        "0 or more (0: every evaluation counts)",
    ),
    field(
        "promotion.evidence_per_version",
        "A new script version starts its own evidence",
        "true or false",
    ),
    field(
        "packets.max_scripts",
        "Scripts recommended per deal packet",
        "1 to 100",
    ),
    field(
        "packets.max_channels",
        "Channels recommended per deal packet",
        "1 to 100",
    ),
    field(
        "ingest.allowed_sources",
        "Data sources accepted without adding them (comma-separated)",
        "at most 1000 names",
    ),
    field(
        "ingest.max_payload_bytes",
        "Largest payload accepted, in bytes",
        "1 to 16,777,216",
    ),
    field(
        "ingest.keep_reasons",
        "Block reasons kept per source",
        "0 to 1000",
    ),
    field(
        "ingest.retain_payloads",
        "Accepted payloads listed per source",
        "0 to 10,000",
    ),
    field(
        "outcomes.moving_average_window",
        "Outcomes in the moving average",
        "1 to 10,000",
    ),
    field(
        "outcomes.regression_window",
        "Outcomes per window compared for a regression",
        "1 to 10,000",
    ),
    field(
        "outcomes.regression_lookback",
        "Recent outcomes searched for the best window",
        "regression window to 10,000",
    ),
    field(
        "outcomes.regression_tolerance",
        "Drop from the best window that raises a regression",
        "0 to 1 (relative)",
    ),
    field(
        "outcomes.baseline_tolerance",
        "Shortfall against the baseline that raises an alert",
        "0 to 1 (relative)",
    ),
    field(
        "outcomes.psi_bins",
        "Bins of the drift index (PSI)",
        "2 to 1000",
    ),
    field(
        "outcomes.psi_moderate",
        "Drift index reported as moderate drift",
        "above 0, below the significant level",
    ),
    field(
        "outcomes.psi_significant",
        "Drift index that raises a drift alert",
        "above the moderate level",
    ),
    field(
        "outcomes.ks_alpha",
        "KS p-value below which samples differ (drift alert)",
        "above 0, below 1",
    ),
    field(
        "models.max_accuracy_drop",
        "Accuracy a model update may lose against the champion",
        "0 to 1",
    ),
    field(
        "models.evidence.min_samples_per_arm",
        "Samples each arm (champion, challenger) needs before a promotion",
        "1 or more",
    ),
    field(
        "models.evidence.max_p_value",
        "The challenger's p-value must be below this to be promoted",
        "above 0, below 1",
    ),
    field(
        "models.evidence.min_relative_improvement",
        "Smallest improvement of the challenger over the champion (0.02 = 2%)",
        "0 or more",
    ),
    field(
        "monitoring.schedule.drift",
        "Minutes between drift and degradation checks",
        "0 (off) or more",
    ),
    field(
        "monitoring.schedule.thresholds",
        "Minutes between absolute-threshold checks",
        "0 (off) or more",
    ),
    field(
        "monitoring.schedule.ab_evaluation",
        "Minutes between A/B evaluations of running experiments",
        "0 (off) or more",
    ),
    field(
        "monitoring.schedule.health",
        "Minutes between health checks (with the daily report)",
        "0 (off) or more",
    ),
    field(
        "monitoring.schedule.weekly_report",
        "Minutes between weekly reports",
        "0 (off) or more",
    ),
    field(
        "monitoring.rollback_on_critical_degradation",
        "Roll a model back (or pause its rollout) when a series degrades critically",
        "true or false",
    ),
    field(
        "monitoring.critical_factor",
        "Critical degradation: times the regression tolerance",
        "above 0, up to 1000",
    ),
    field(
        "monitoring.rollback_on_major_drift",
        "Roll a model back (or pause its rollout) on a major drift",
        "true or false",
    ),
    field(
        "monitoring.major_drift_psi",
        "PSI at or above which a drift is major",
        "above 0",
    ),
    field(
        "monitoring.safety_gate_counts_drift",
        "The safety gate also fails on an open drift alert",
        "true or false",
    ),
    field(
        "monitoring.safety_gate_counts_below_baseline",
        "The safety gate also fails on an open below-baseline alert",
        "true or false",
    ),
    field(
        "readiness.weights.accuracy",
        "Weight of accuracy in clone readiness",
        "0 to 1",
    ),
    field(
        "readiness.weights.confidence",
        "Weight of confidence in clone readiness",
        "0 to 1",
    ),
    field(
        "readiness.weights.consistency",
        "Weight of consistency in clone readiness",
        "0 to 1",
    ),
    field(
        "readiness.weights.robustness",
        "Weight of robustness in clone readiness",
        "0 to 1",
    ),
    field(
        "readiness.ready_threshold",
        "Readiness score at which a clone is ready",
        "0 to 1",
    ),
    field(
        "gates.min_accuracy",
        "Accuracy the performance gate needs",
        "0 to 1",
    ),
    field(
        "gates.safety_max_accuracy_drop",
        "Accuracy a clone's model may lose and still ship",
        "0 to 1",
    ),
    field(
        "gates.srm_alpha",
        "Split-check p-value below which the SRM gate fails",
        "0 to 1",
    ),
    field(
        "verify.experiment_overrun_factor",
        "Times its planned sample a running experiment may reach before a warning",
        "1 to 1000",
    ),
    field(
        "verify.pending_evaluation_hours",
        "Hours a challenger or shadow may wait for a decision before a warning",
        "1 to 87,600",
    ),
    field(
        "verify.unacknowledged_alert_hours",
        "Hours an alert may stay unacknowledged before a warning",
        "1 to 87,600",
    ),
];

/// The documentation of the field at `path`, if it has a line in [`FIELDS`].
pub fn doc(path: &str) -> Option<&'static FieldDoc> {
    FIELDS.iter().find(|f| f.path == path)
}

/// Every field of `policy` (objects walked into, lists and values kept
/// whole) with its dotted path and value, by path (blocks in alphabetical order).
pub fn leaves(policy: &Policy) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    // Every field, also those serde leaves out while default (whole blocks such as
    // `monitoring`, promotion's new-evidence rules), so the page shows them all.
    walk(
        crate::policy::PolicyPatch::full(policy).as_map(),
        "",
        &mut out,
    );
    out
}

fn walk(map: &serde_json::Map<String, Value>, path: &str, out: &mut Vec<(String, Value)>) {
    for (key, value) in map {
        let here = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        match value {
            Value::Object(inner) => walk(inner, &here, out),
            // A list of records (a rollout's stages, monitoring's thresholds) is not one
            // field a form input can hold: it is set as JSON with `SetPolicy` (JS, or the
            // page of its block), not on the policy page.
            Value::Array(items) if items.iter().any(Value::is_object) => {}
            other => out.push((here, other.clone())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_of_the_policy_is_documented_and_every_line_names_a_field() {
        let paths: Vec<String> = leaves(&Policy::default())
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        let undocumented: Vec<&String> = paths.iter().filter(|p| doc(p).is_none()).collect();
        assert!(
            undocumented.is_empty(),
            "add a line to FIELDS for {undocumented:?}"
        );
        let stale: Vec<&str> = FIELDS
            .iter()
            .map(|f| f.path)
            .filter(|p| !paths.iter().any(|q| q == p))
            .collect();
        assert!(stale.is_empty(), "FIELDS names no policy field: {stale:?}");
    }

    #[test]
    fn leaves_walk_into_nested_blocks_and_keep_lists_whole() {
        let all = leaves(&Policy::default());
        let get = |p: &str| all.iter().find(|(q, _)| q == p).map(|(_, v)| v.clone());
        assert_eq!(get("gates.min_accuracy"), Some(serde_json::json!(0.85)));
        assert_eq!(get("ab.winner.correction"), Some(serde_json::json!("holm")));
        assert!(get("ingest.allowed_sources").is_some_and(|v| v.is_array()));
        assert_eq!(get("readiness.weights"), None);
    }
}
