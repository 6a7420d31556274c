//! What was wrong with a rollouts command or policy, one variant per refusal, each with a
//! stable code for the console and the JS API.

use super::Version;

/// What was wrong with a command or a policy.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum Error {
    /// An id, name or reason was empty, too long or held a control character.
    #[error("{field} must be non-empty, at most 200 characters and free of control characters")]
    InvalidName {
        /// Which field.
        field: &'static str,
    },
    /// No model has this id.
    #[error("model {model_id} is not registered")]
    UnknownModel {
        /// The id.
        model_id: String,
    },
    /// The model has no such version.
    #[error("model {model_id} has no version {version}")]
    UnknownVersion {
        /// The model.
        model_id: String,
        /// The version.
        version: Version,
    },
    /// Only a challenger or shadow can be rolled out.
    #[error("version {version} is {status}; only a challenger or a shadow can be rolled out")]
    NotRollable {
        /// The version.
        version: Version,
        /// Its status.
        status: String,
    },
    /// A rollout needs a champion to serve the rest of the traffic and to return to.
    #[error("model {model_id} has no champion to roll out against")]
    NoChampion {
        /// The model.
        model_id: String,
    },
    /// At most one active rollout per model.
    #[error("model {model_id} already has an active rollout {rollout_id}")]
    AlreadyRollingOut {
        /// The model.
        model_id: String,
        /// The active rollout.
        rollout_id: String,
    },
    /// A rollout with this id exists.
    #[error("rollout {rollout_id} already exists")]
    DuplicateRollout {
        /// The id.
        rollout_id: String,
    },
    /// No rollout has this id.
    #[error("rollout {rollout_id} does not exist")]
    UnknownRollout {
        /// The id.
        rollout_id: String,
    },
    /// The command needs the rollout in another status.
    #[error("rollout {rollout_id} is {status}; {action} needs it {needed}")]
    WrongStatus {
        /// The rollout.
        rollout_id: String,
        /// Its status.
        status: &'static str,
        /// The command.
        action: &'static str,
        /// The status it needs.
        needed: &'static str,
    },
    /// A negative count.
    #[error("{field} must not be negative")]
    NegativeCount {
        /// Which count.
        field: &'static str,
    },
    /// More errors than samples.
    #[error("errors ({errors}) exceed samples ({samples})")]
    ErrorsExceedSamples {
        /// Errors.
        errors: u64,
        /// Samples.
        samples: u64,
    },
    /// A metric value was NaN or infinite.
    #[error("metric {metric} must be a finite number")]
    MetricNotFinite {
        /// The metric.
        metric: String,
    },
    /// Too many or too few stages.
    #[error("a rollout has 1 to 10 stages, not {count}")]
    StageCount {
        /// How many were given.
        count: usize,
    },
    /// Two stages share a name.
    #[error("stage {stage} is named twice")]
    DuplicateStage {
        /// The name.
        stage: String,
    },
    /// A stage's traffic is not in (0, 1] or not above the previous stage's.
    #[error("stage {stage}: traffic {traffic} must be in (0, 1] and above the previous stage's")]
    StageTraffic {
        /// The stage.
        stage: String,
        /// Its traffic.
        traffic: f64,
    },
    /// The last stage must serve everyone.
    #[error("the last stage must have traffic 1, not {traffic}")]
    LastStageNotFull {
        /// Its traffic.
        traffic: f64,
    },
    /// A stage's minimum duration or samples is out of range.
    #[error(
        "stage {stage}: min_duration_minutes must be at most 525600 and min_samples at most 1e9"
    )]
    StageMinimum {
        /// The stage.
        stage: String,
    },
    /// A criterion threshold is not finite or out of range.
    #[error(
        "stage {stage}: thresholds must be finite, max_error_rate in [0, 1], max_latency_p95 >= 0"
    )]
    StageThreshold {
        /// The stage.
        stage: String,
    },
}

impl Error {
    /// A stable snake_case code per variant, for the console and the JS API.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidName { .. } => "invalid_name",
            Error::UnknownModel { .. } => "unknown_model",
            Error::UnknownVersion { .. } => "unknown_version",
            Error::NotRollable { .. } => "not_rollable",
            Error::NoChampion { .. } => "no_champion",
            Error::AlreadyRollingOut { .. } => "already_rolling_out",
            Error::DuplicateRollout { .. } => "duplicate_rollout",
            Error::UnknownRollout { .. } => "unknown_rollout",
            Error::WrongStatus { .. } => "rollout_wrong_status",
            Error::NegativeCount { .. } => "invalid_count",
            Error::ErrorsExceedSamples { .. } => "errors_exceed_samples",
            Error::MetricNotFinite { .. } => "invalid_number",
            Error::StageCount { .. }
            | Error::DuplicateStage { .. }
            | Error::StageTraffic { .. }
            | Error::LastStageNotFull { .. }
            | Error::StageMinimum { .. }
            | Error::StageThreshold { .. } => "invalid_stages",
        }
    }
}
