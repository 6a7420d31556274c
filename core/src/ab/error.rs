//! Block 21's errors: every way a command can be refused, with the stable
//! code JS and the console match on.

use super::VariantKind;

/// Bad input for block 21.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum Error {
    /// Empty or over-long name.
    #[error("{0} name must be non-empty, at most 200 characters and free of control characters")]
    InvalidName(&'static str),
    /// Negative count.
    #[error("{field} ({value}) must not be negative")]
    NegativeCount {
        /// Which count.
        field: &'static str,
        /// The value given.
        value: i64,
    },
    /// More conversions than trials.
    #[error("conversions ({conversions}) exceed trials ({trials})")]
    ConversionsExceedTrials {
        /// Conversions given.
        conversions: u64,
        /// Trials given.
        trials: u64,
    },
    /// Totals would overflow.
    #[error("counts overflow the totals of variant {0}")]
    CountOverflow(String),
    /// Weight not finite and positive.
    #[error("weight ({0}) must be a finite number above 0")]
    InvalidWeight(f64),
    /// No such experiment.
    #[error("unknown experiment {0}; register a variant first")]
    UnknownExperiment(String),
    /// No such variant.
    #[error("unknown variant {variant} in experiment {experiment}")]
    UnknownVariant {
        /// Experiment name.
        experiment: String,
        /// Variant name.
        variant: String,
    },
    /// Variant already there.
    #[error("variant {variant} already exists in experiment {experiment}")]
    DuplicateVariant {
        /// Experiment name.
        experiment: String,
        /// Variant name.
        variant: String,
    },
    /// Kind differs from the experiment's.
    #[error("experiment {experiment} holds {expected:?} variants, not {given:?}")]
    KindMismatch {
        /// Experiment name.
        experiment: String,
        /// The experiment's kind.
        expected: VariantKind,
        /// The kind given.
        given: VariantKind,
    },
    /// Unusable policy.
    #[error("invalid a/b policy: {0}")]
    InvalidPolicy(String),
    /// Metric totals that no values have.
    #[error("{0}")]
    InvalidMetric(String),
    /// Counts or metrics for an experiment that is not running.
    #[error("experiment {experiment} is {stage}; counts are recorded only while it is running")]
    NotRunning {
        /// Experiment name.
        experiment: String,
        /// Its stage.
        stage: &'static str,
    },
    /// A lifecycle move the experiment's stage does not allow.
    #[error("experiment {experiment} is {from} and cannot become {to}")]
    InvalidTransition {
        /// Experiment name.
        experiment: String,
        /// Its stage.
        from: &'static str,
        /// The stage asked for.
        to: &'static str,
    },
    /// The experiment exists already (`CreateExperiment`).
    #[error("experiment {0} already exists")]
    DuplicateExperiment(String),
    /// Variants added to a concluded or archived experiment.
    #[error(
        "experiment {experiment} is {stage}; variants are added only in draft or while running"
    )]
    Closed {
        /// Experiment name.
        experiment: String,
        /// Its stage.
        stage: &'static str,
    },
    /// Bucketing settings GrowthBook's hash cannot use.
    #[error("{0}")]
    InvalidBucketing(String),
    /// A conclusion without its reason.
    #[error("a conclusion needs a reason (at most 2000 characters)")]
    MissingReason,
}

impl Error {
    /// Stable code for JS and the console.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidName(_) => "invalid_name",
            Error::NegativeCount { .. } => "invalid_count",
            Error::ConversionsExceedTrials { .. } => "invalid_count",
            Error::CountOverflow(_) => "invalid_count",
            Error::InvalidWeight(_) => "invalid_number",
            Error::UnknownExperiment(_) => "unknown_experiment",
            Error::UnknownVariant { .. } => "unknown_variant",
            Error::DuplicateVariant { .. } => "duplicate_variant",
            Error::KindMismatch { .. } => "kind_mismatch",
            Error::InvalidPolicy(_) => "invalid_policy",
            Error::InvalidMetric(_) => "invalid_metric",
            Error::NotRunning { .. } => "not_running",
            Error::InvalidTransition { .. } => "invalid_transition",
            Error::DuplicateExperiment(_) => "duplicate_experiment",
            Error::Closed { .. } => "not_running",
            Error::MissingReason => "missing_reason",
            Error::InvalidBucketing(_) => "invalid_bucketing",
        }
    }
}
