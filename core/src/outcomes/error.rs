//! What was wrong with an outcomes command or policy, one variant per refusal, each with a
//! stable code for the console and the JS API.

use super::StatsError;

/// What was wrong with a command or a policy.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum Error {
    /// An id, name or note was empty or only whitespace.
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
    /// A series with this id already exists.
    #[error("series {series_id} is already defined")]
    DuplicateSeries {
        /// The id.
        series_id: String,
    },
    /// No series has this id.
    #[error("series {series_id} is not defined")]
    UnknownSeries {
        /// The id.
        series_id: String,
    },
    /// The series already has an outcome with this id.
    #[error("outcome {outcome_id} is already recorded in series {series_id}")]
    DuplicateOutcome {
        /// The series.
        series_id: String,
        /// The outcome.
        outcome_id: String,
    },
    /// A value or baseline was NaN or infinite.
    #[error("{field} must be a finite number")]
    NotFinite {
        /// Which field.
        field: &'static str,
    },
    /// A value or baseline was too large in magnitude.
    #[error("{field} {value} is outside [-1e15, 1e15]")]
    ValueOutOfRange {
        /// Which field.
        field: &'static str,
        /// The value.
        value: f64,
    },
    /// No alert has this id.
    #[error("alert {alert_id} does not exist")]
    UnknownAlert {
        /// The id.
        alert_id: String,
    },
    /// The alert was already acknowledged.
    #[error("alert {alert_id} is already acknowledged")]
    AlreadyAcknowledged {
        /// The id.
        alert_id: String,
    },
    /// The alert was already resolved.
    #[error("alert {alert_id} is already resolved")]
    AlreadyResolved {
        /// The id.
        alert_id: String,
    },
    /// A policy window was 0 or too large.
    #[error("{field} {value} is outside [1, 10000]")]
    WindowOutOfRange {
        /// Which window.
        field: &'static str,
        /// Its value.
        value: usize,
    },
    /// The lookback cannot hold a window.
    #[error("regression lookback {lookback} is shorter than the regression window {window}")]
    LookbackShorterThanWindow {
        /// The lookback.
        lookback: usize,
        /// The window.
        window: usize,
    },
    /// A policy tolerance was invalid.
    #[error("{field} {value} is outside [0, 1]")]
    ToleranceOutOfRange {
        /// Which tolerance.
        field: &'static str,
        /// Its value.
        value: f64,
    },
    /// A drift sample was empty.
    #[error("{field} sample must not be empty")]
    EmptySample {
        /// Which sample.
        field: &'static str,
    },
    /// A drift sample was too large.
    #[error("{field} sample has {size} values, at most 100000 are allowed")]
    SampleTooLarge {
        /// Which sample.
        field: &'static str,
        /// Its size.
        size: usize,
    },
    /// The policy's PSI bins are out of range.
    #[error("psi bins {value} is outside [2, 1000]")]
    PsiBinsOutOfRange {
        /// The bins.
        value: usize,
    },
    /// The policy's PSI bands are not 0 < moderate < significant.
    #[error("psi bands moderate {moderate} and significant {significant} must satisfy 0 < moderate < significant")]
    PsiBandsInvalid {
        /// The moderate threshold.
        moderate: f64,
        /// The significant threshold.
        significant: f64,
    },
    /// The policy's KS level is outside (0, 1).
    #[error("ks alpha {value} is outside (0, 1)")]
    KsAlphaOutOfRange {
        /// The level.
        value: f64,
    },
    /// The statistics engine refused the samples (validated inputs make this unexpected).
    #[error("drift statistics failed: {0}")]
    Stats(#[from] StatsError),
}

impl Error {
    /// A stable snake_case code per variant, for the console and the JS API.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Empty { .. } => "empty",
            Error::InvalidName { .. } => "invalid_name",
            Error::DuplicateSeries { .. } => "duplicate_series",
            Error::UnknownSeries { .. } => "unknown_series",
            Error::DuplicateOutcome { .. } => "duplicate_outcome",
            Error::NotFinite { .. } => "not_finite",
            Error::ValueOutOfRange { .. } => "value_out_of_range",
            Error::UnknownAlert { .. } => "unknown_alert",
            Error::AlreadyAcknowledged { .. } => "already_acknowledged",
            Error::AlreadyResolved { .. } => "already_resolved",
            Error::WindowOutOfRange { .. } => "window_out_of_range",
            Error::LookbackShorterThanWindow { .. } => "lookback_shorter_than_window",
            Error::ToleranceOutOfRange { .. } => "tolerance_out_of_range",
            Error::EmptySample { .. } => "empty_sample",
            Error::SampleTooLarge { .. } => "sample_too_large",
            Error::PsiBinsOutOfRange { .. } => "psi_bins_out_of_range",
            Error::PsiBandsInvalid { .. } => "psi_bands_invalid",
            Error::KsAlphaOutOfRange { .. } => "ks_alpha_out_of_range",
            Error::Stats(_) => "drift_statistics",
        }
    }
}
