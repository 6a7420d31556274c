//! The monitoring block's policy: the schedule, the automatic safety responses and the
//! absolute thresholds, each rule on or off with its limits. Policy data, so a change is an
//! audited `SetPolicy` and what-if can replay the log under a looser rule.

use super::schedule::Schedule;
use super::thresholds::Threshold;
use super::Error;
use serde::{Deserialize, Serialize};

/// Largest `critical_factor`: beyond it the rule could never fire on a relative drop.
pub const MAX_FACTOR: f64 = 1000.0;

/// Most absolute thresholds a policy may hold (bounds the work of one check).
pub const MAX_THRESHOLDS: usize = 100;

/// The block's rules (missing fields take their default when read from JSON).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "MonitoringPolicy"))]
#[serde(default)]
pub struct Policy {
    /// How often each check runs.
    pub schedule: Schedule,
    /// Roll a model back when one of its series degrades critically: its latest window is
    /// worse than the best recent window by more than `critical_factor` times the outcomes
    /// block's regression tolerance (the original system's rule: 3x).
    pub rollback_on_critical_degradation: bool,
    /// The factor, in (0, 1000].
    pub critical_factor: f64,
    /// Roll a model back on a major drift: an open drift alert on one of its series with a PSI
    /// at or above `major_drift_psi`.
    pub rollback_on_major_drift: bool,
    /// The PSI of a major drift, finite and above 0 (default 0.25, the significant band).
    pub major_drift_psi: f64,
    /// Absolute thresholds on outcome series (at most 100).
    pub thresholds: Vec<Threshold>,
    /// The safety gate also fails on an open drift alert on the model's series. Off by
    /// default: a stored command log must execute again to the events it gave (import checks
    /// it), and turning this on changes gate decisions of existing logs (the demo's
    /// clone-alpha is blocked by its drift alert). Turn it on with `SetPolicy`.
    pub safety_gate_counts_drift: bool,
    /// The safety gate also fails on an open below-baseline alert on the model's series (off
    /// by default, for the same reason).
    pub safety_gate_counts_below_baseline: bool,
}

impl Default for Policy {
    /// The original system's schedule (drift 1 h, A/B evaluation 6 h, health 24 h, weekly
    /// report 7 days), both automatic rollbacks on (3x the regression tolerance, PSI 0.25),
    /// the scaling document's thresholds (error rate above 10%, latency p95 above 2000 ms,
    /// volume below 1 per day); the safety gate's extra counts off (see their fields).
    fn default() -> Self {
        Policy {
            schedule: Schedule::default(),
            rollback_on_critical_degradation: true,
            critical_factor: 3.0,
            rollback_on_major_drift: true,
            major_drift_psi: 0.25,
            thresholds: Threshold::defaults(),
            safety_gate_counts_drift: false,
            safety_gate_counts_below_baseline: false,
        }
    }
}

impl Policy {
    /// Whether this is the default policy (then it is left out of the policy's JSON and of
    /// the state hash, so states from before this block hash as they did).
    pub fn is_default(&self) -> bool {
        *self == Policy::default()
    }

    /// Checks the schedule, the factor in (0, 1000], the PSI finite and above 0, at most 100
    /// thresholds, each valid, with unique rule names.
    pub fn validate(&self) -> Result<(), Error> {
        self.schedule.validate()?;
        let f = self.critical_factor;
        if !(f.is_finite() && f > 0.0 && f <= MAX_FACTOR) {
            return Err(Error::FactorOutOfRange { value: f });
        }
        let psi = self.major_drift_psi;
        if !(psi.is_finite() && psi > 0.0) {
            return Err(Error::PsiOutOfRange { value: psi });
        }
        if self.thresholds.len() > MAX_THRESHOLDS {
            return Err(Error::TooManyThresholds {
                count: self.thresholds.len(),
            });
        }
        let mut names = std::collections::BTreeSet::new();
        for t in &self.thresholds {
            t.validate()?;
            if !names.insert(t.rule.as_str()) {
                return Err(Error::DuplicateRule {
                    rule: t.rule.clone(),
                });
            }
        }
        Ok(())
    }
}
