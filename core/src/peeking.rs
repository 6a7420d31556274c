//! Reading a pre-registered experiment's winner: under its registered rule,
//! and only once the rule allows it (minimum run time and sample), else the
//! typed refusal `prereg::Error::Peeking`. A query over the state, kept out
//! of `prereg` so that the block does not import the reducer.

use crate::ab;
use crate::brain::Brain;
use crate::error::BrainError;
use crate::prereg::Error;
use chrono::{DateTime, Duration, Utc};

impl Brain {
    /// The winner of a registered experiment under its registered rule, as
    /// read at `at`: refused as peeking before the rule's minimum run time
    /// (from the experiment's first variant, or the registration) or before
    /// every variant has the minimum sample.
    pub fn registered_winner(
        &self,
        experiment: &str,
        at: DateTime<Utc>,
    ) -> Result<ab::ExperimentReport, BrainError> {
        let state = self.state();
        let reg = state
            .prereg
            .registrations
            .get(experiment)
            .ok_or_else(|| Error::NotRegistered(experiment.to_string()))?;
        let exp = state.ab.experiments.get(experiment);
        let started = exp
            .and_then(|e| e.variants.values().map(|v| v.registered_at).min())
            .unwrap_or(reg.registered_at);
        let hours = i64::try_from(reg.rule.min_run_hours).unwrap_or(i64::MAX);
        let ready_at = started + Duration::hours(hours);
        if at < ready_at {
            return Err(Error::Peeking {
                experiment: experiment.to_string(),
                wait: format!(
                    "from {} (minimum run time {} h)",
                    ready_at.format("%Y-%m-%d %H:%M UTC"),
                    reg.rule.min_run_hours
                ),
            }
            .into());
        }
        let fewest = exp
            .and_then(|e| e.variants.values().map(|v| v.trials).min())
            .unwrap_or(0);
        if fewest < reg.rule.min_sample {
            return Err(Error::Peeking {
                experiment: experiment.to_string(),
                wait: format!(
                    "once every variant has {} trials (the smallest has {fewest})",
                    reg.rule.min_sample
                ),
            }
            .into());
        }
        let mut policy = self.policy().ab.clone();
        policy.winner.method = reg.rule.method;
        policy.winner.alpha = reg.rule.alpha;
        policy.winner.min_sample_per_variant = reg.rule.min_sample;
        state
            .ab
            .report(experiment, &policy)
            .ok_or_else(|| ab::Error::UnknownExperiment(experiment.to_string()).into())
    }
}
