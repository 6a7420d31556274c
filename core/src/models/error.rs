//! What was wrong with a models command or policy, one variant per refusal, each with a
//! stable code for the console and the JS API.

use super::{SemVer, Status};

/// What was wrong with a command or a policy.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum Error {
    /// An id, name or reason was empty or only whitespace.
    #[error("{field} must not be empty")]
    Empty {
        /// Which field.
        field: &'static str,
    },
    /// An id or name was too long or held a control character.
    #[error("{field} must be at most 200 characters and free of control characters")]
    InvalidName {
        /// Which field.
        field: &'static str,
    },
    /// A model with this id already exists.
    #[error("model {model_id} is already registered")]
    DuplicateModel {
        /// The id.
        model_id: String,
    },
    /// No model has this id.
    #[error("model {model_id} is not registered")]
    UnknownModel {
        /// The id.
        model_id: String,
    },
    /// The model already has this version.
    #[error("model {model_id} already has version {version}")]
    DuplicateVersion {
        /// The model.
        model_id: String,
        /// The version.
        version: SemVer,
    },
    /// The model has no such version.
    #[error("model {model_id} has no version {version}")]
    UnknownVersion {
        /// The model.
        model_id: String,
        /// The version.
        version: SemVer,
    },
    /// A new version must be greater than its parent.
    #[error("version {version} must be greater than its parent {parent}")]
    VersionNotNewer {
        /// The new version.
        version: SemVer,
        /// Its parent.
        parent: SemVer,
    },
    /// A refused version cannot be a parent.
    #[error("version {parent} was refused and cannot be a parent")]
    RefusedParent {
        /// The parent.
        parent: SemVer,
    },
    /// A refused version cannot be measured again: propose a new version instead.
    #[error("version {version} was refused; propose a new version instead")]
    RefusedVersion {
        /// The version.
        version: SemVer,
    },
    /// An accuracy was NaN or infinite.
    #[error("accuracy must be a finite number in [0, 1]")]
    AccuracyNotFinite,
    /// An accuracy was outside [0, 1].
    #[error("accuracy {value} is outside [0, 1]")]
    AccuracyOutOfRange {
        /// The accuracy.
        value: f64,
    },
    /// Only a challenger or a shadow can be promoted.
    #[error("version {version} is {status}; only a challenger or a shadow can be promoted")]
    NotPromotable {
        /// The version.
        version: SemVer,
        /// Its status.
        status: Status,
    },
    /// A version that failed its staged rollout (rolled back or aborted) never becomes
    /// champion, not even by override: the rollout showed it harms live traffic.
    #[error("version {version} failed rollout {rollout_id}; a version that failed its rollout cannot become champion, not even by override: propose a new version")]
    FailedRollout {
        /// The version.
        version: SemVer,
        /// The rollout it failed.
        rollout_id: String,
    },
    /// Rollback needs a champion.
    #[error("model {model_id} has no champion to roll back")]
    NoChampion {
        /// The model.
        model_id: String,
    },
    /// Rollback needs a previous champion.
    #[error("model {model_id} has no previous champion to roll back to")]
    NoRollbackTarget {
        /// The model.
        model_id: String,
    },
    /// The policy's tolerance is invalid.
    #[error("max accuracy drop {value} is outside [0, 1]")]
    MaxAccuracyDropOutOfRange {
        /// The tolerance.
        value: f64,
    },
    /// A policy threshold was outside its range.
    #[error("{field} {value} must be {allowed}")]
    PolicyOutOfRange {
        /// Which field.
        field: &'static str,
        /// The value given.
        value: f64,
        /// What is allowed.
        allowed: &'static str,
    },
    /// The policy names an environment twice.
    #[error("environment {environment} is listed twice")]
    DuplicateEnvironment {
        /// The environment.
        environment: String,
    },
    /// The environment is not in the policy's list.
    #[error("environment {environment} is not one of {allowed}")]
    UnknownEnvironment {
        /// The environment given.
        environment: String,
        /// The policy's environments, comma-separated.
        allowed: String,
    },
    /// An arm's counts were inconsistent.
    #[error("{arm} arm: correct ({correct}) exceeds total ({total})")]
    CorrectExceedsTotal {
        /// `champion` or `challenger`.
        arm: &'static str,
        /// Correct outcomes.
        correct: u64,
        /// Total outcomes.
        total: u64,
    },
    /// An arm had no outcomes.
    #[error("{arm} arm has no outcomes; total must be at least 1")]
    EmptyArm {
        /// `champion` or `challenger`.
        arm: &'static str,
    },
    /// Evidence is measured against the champion: the model needs one.
    #[error("model {model_id} has no champion to measure {version} against")]
    NoChampionToCompare {
        /// The model.
        model_id: String,
        /// The version.
        version: SemVer,
    },
    /// Only a challenger or a shadow collects evidence against the champion.
    #[error("version {version} is {status}; only a challenger or a shadow collects evidence")]
    NotMeasurable {
        /// The version.
        version: SemVer,
        /// Its status.
        status: Status,
    },
    /// A metric value was NaN or infinite.
    #[error("metric {name} must be a finite number")]
    MetricNotFinite {
        /// The metric.
        name: String,
    },
    /// A sum of squares below `sum^2 / n`: no set of real values has such totals.
    #[error("{arm} arm: sum_squares {sum_squares} is below sum^2 / n = {least}; no values have these totals")]
    SumSquaresTooSmall {
        /// Which arm.
        arm: &'static str,
        /// The sum of squares given.
        sum_squares: f64,
        /// The least it can be.
        least: f64,
    },
    /// Metric evidence against one champion is one metric, in one direction.
    #[error("metric evidence against this champion is {recorded} in one direction; {given} (or the other direction) starts only with a new champion")]
    OtherMetric {
        /// The metric already recorded.
        recorded: String,
        /// The metric given.
        given: String,
    },
    /// A proposal gave both a version and a bump.
    #[error("give either version or bump (patch, minor, major), not both")]
    VersionAndBump,
    /// A proposal gave neither a version nor a bump.
    #[error("give a version (e.g. 1.2.0) or a bump (patch, minor, major)")]
    NoVersion,
    /// Nothing to record.
    #[error("give at least one metric or metadata entry")]
    NothingToRecord,
    /// A semver range did not parse.
    #[error("range {range} is not a semver range (e.g. ^1.2, >=1.0, <2): {reason}")]
    InvalidRange {
        /// The range given.
        range: String,
        /// The parser's reason.
        reason: String,
    },
    /// The version is already in that environment.
    #[error("version {version} is already in {environment}")]
    AlreadyInEnvironment {
        /// The version.
        version: SemVer,
        /// The environment.
        environment: String,
    },
}

impl Error {
    /// A stable snake_case code per variant, for the console and the JS API.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Empty { .. } => "empty",
            Error::InvalidName { .. } => "invalid_name",
            Error::DuplicateModel { .. } => "duplicate_model",
            Error::UnknownModel { .. } => "unknown_model",
            Error::DuplicateVersion { .. } => "duplicate_version",
            Error::UnknownVersion { .. } => "unknown_version",
            Error::VersionNotNewer { .. } => "version_not_newer",
            Error::RefusedParent { .. } => "refused_parent",
            Error::RefusedVersion { .. } => "refused_version",
            Error::AccuracyNotFinite => "accuracy_not_finite",
            Error::AccuracyOutOfRange { .. } => "accuracy_out_of_range",
            Error::NotPromotable { .. } => "not_promotable",
            Error::FailedRollout { .. } => "failed_rollout",
            Error::NoChampion { .. } => "no_champion",
            Error::NoRollbackTarget { .. } => "no_rollback_target",
            Error::MaxAccuracyDropOutOfRange { .. } => "max_accuracy_drop_out_of_range",
            Error::PolicyOutOfRange { .. } => "policy_out_of_range",
            Error::DuplicateEnvironment { .. } => "duplicate_environment",
            Error::UnknownEnvironment { .. } => "unknown_environment",
            Error::CorrectExceedsTotal { .. } => "correct_exceeds_total",
            Error::EmptyArm { .. } => "empty_arm",
            Error::NoChampionToCompare { .. } => "no_champion_to_compare",
            Error::NotMeasurable { .. } => "not_measurable",
            Error::MetricNotFinite { .. } => "metric_not_finite",
            Error::NothingToRecord => "nothing_to_record",
            Error::VersionAndBump => "version_and_bump",
            Error::NoVersion => "no_version",
            Error::SumSquaresTooSmall { .. } => "sum_squares_too_small",
            Error::OtherMetric { .. } => "other_metric",
            Error::InvalidRange { .. } => "invalid_range",
            Error::AlreadyInEnvironment { .. } => "already_in_environment",
        }
    }
}
