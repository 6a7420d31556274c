//! `BrainError`: every typed error of every block, with a stable `code()`
//! for JS and the console.

use crate::{
    ab, audit, gates, ingest, models, monitoring, outcomes, packets, policy, prereg, promotion,
    readiness, rollouts,
};
use chrono::{DateTime, Utc};

/// Anything `Brain` refuses. The state is unchanged whenever one is returned.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum BrainError {
    /// Block 21.
    #[error(transparent)]
    Ab(#[from] ab::Error),
    /// Block 22.
    #[error(transparent)]
    Promotion(#[from] promotion::Error),
    /// Block 23.
    #[error(transparent)]
    Packets(#[from] packets::Error),
    /// Block 24.
    #[error(transparent)]
    Ingest(#[from] ingest::Error),
    /// Block 25.
    #[error(transparent)]
    Outcomes(#[from] outcomes::Error),
    /// Block 26.
    #[error(transparent)]
    Models(#[from] models::Error),
    /// Block 27.
    #[error(transparent)]
    Readiness(#[from] readiness::Error),
    /// Block 28.
    #[error(transparent)]
    Gates(#[from] gates::Error),
    /// Block 29.
    #[error(transparent)]
    Audit(#[from] audit::Error),
    /// The policy.
    #[error(transparent)]
    Policy(#[from] policy::Error),
    /// Staged model rollouts.
    #[error(transparent)]
    Rollouts(#[from] rollouts::Error),
    /// Pre-registration.
    #[error(transparent)]
    Prereg(#[from] prereg::Error),
    /// Continuous monitoring.
    #[error(transparent)]
    Monitoring(#[from] monitoring::Error),
    /// Commands must come in time order.
    #[error("time goes backwards: {at} is before the last command at {last}")]
    TimeBackwards {
        /// The command's time.
        at: DateTime<Utc>,
        /// The last accepted command's time.
        last: DateTime<Utc>,
    },
    /// Actor empty or too long.
    #[error(
        "actor must be non-empty, at most 200 characters and free of control characters when given"
    )]
    InvalidActor,
    /// JSON that is not a valid command, event or snapshot.
    #[error("invalid json: {0}")]
    Json(String),
    /// A snapshot from a newer (or unknown) schema.
    #[error("unsupported schema version {found}; this build reads versions 0 to {supported}")]
    SchemaVersion {
        /// Version found.
        found: u64,
        /// Newest version this build reads.
        supported: u32,
    },
    /// A snapshot that `Brain::import` refuses.
    #[error("{0}")]
    Import(#[from] ImportError),
}

/// Why `Brain::import` refuses a snapshot that reads as JSON: each names
/// the first thing that differs. Checked in this order.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum ImportError {
    /// The state the logs start from is not a valid state of its own.
    #[error("the snapshot's origin is not a valid state: {0}")]
    OriginInvalid(String),
    /// The policy in the state does not validate.
    #[error("the snapshot's policy is invalid: {0}")]
    PolicyInvalid(String),
    /// Folding the events onto the origin does not give the state.
    #[error("the snapshot's state does not match its own history: replaying its {events} events gives {replayed}, the state is {state}")]
    StateMismatch {
        /// Events replayed.
        events: usize,
        /// The hash the replay gives.
        replayed: String,
        /// The state's hash.
        state: String,
    },
    /// The audit chain is broken.
    #[error("the snapshot's audit trail is broken: {0}")]
    AuditBroken(String),
    /// Executing the command log again does not give the events.
    #[error("the snapshot's command log does not give its history: {0}")]
    LogMismatch(String),
    /// A verification check fails.
    #[error("the snapshot's state fails verification: {check}: {details}")]
    VerificationFailed {
        /// The first failing check's name.
        check: String,
        /// What it found.
        details: String,
    },
}

impl ImportError {
    /// Stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            ImportError::OriginInvalid(_) => "import_origin_invalid",
            ImportError::PolicyInvalid(_) => "import_policy_invalid",
            ImportError::StateMismatch { .. } => "import_state_mismatch",
            ImportError::AuditBroken(_) => "import_audit_broken",
            ImportError::LogMismatch(_) => "import_log_mismatch",
            ImportError::VerificationFailed { .. } => "import_verification_failed",
        }
    }
}

/// An error as JS and the console show it.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ErrorReport {
    /// Stable snake_case code.
    pub code: String,
    /// Lower-case, actionable message.
    pub message: String,
}

impl BrainError {
    /// The error as a serialisable `{code, message}`.
    pub fn report(&self) -> ErrorReport {
        ErrorReport {
            code: self.code().to_string(),
            message: self.to_string(),
        }
    }

    /// Stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            BrainError::Ab(e) => e.code(),
            BrainError::Promotion(e) => e.code(),
            BrainError::Packets(e) => e.code(),
            BrainError::Ingest(e) => e.code(),
            BrainError::Outcomes(e) => e.code(),
            BrainError::Models(e) => e.code(),
            BrainError::Readiness(e) => e.code(),
            BrainError::Gates(e) => e.code(),
            BrainError::Audit(e) => e.code(),
            BrainError::Policy(e) => e.code(),
            BrainError::Rollouts(e) => e.code(),
            BrainError::Prereg(e) => e.code(),
            BrainError::Monitoring(e) => e.code(),
            BrainError::TimeBackwards { .. } => "time_backwards",
            BrainError::InvalidActor => "invalid_actor",
            BrainError::Json(_) => "invalid_json",
            BrainError::SchemaVersion { .. } => "unsupported_schema",
            BrainError::Import(e) => e.code(),
        }
    }
}
