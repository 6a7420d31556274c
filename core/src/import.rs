//! `Brain::import`: the one loader of a snapshot from outside (a file, a
//! JS app's `Brain.fromJSON`, the console's import) that refuses a file
//! edited or damaged after the fact, naming the first thing that differs.
//! It sits above `brain` and `verify` (it runs verification) so that no
//! module imports in a circle.

use crate::brain::Brain;
use crate::error::{BrainError, ImportError};
use crate::verify::Status;

impl Brain {
    /// Loads a snapshot (migrating older schema versions) and checks it, in
    /// this order; the first failure is the error:
    /// 1. it is JSON of a snapshot of a known schema (`invalid_json`,
    ///    `unsupported_schema`);
    /// 2. its origin (the state the logs start from) is a valid state of its
    ///    own: every verification check passes on it alone
    ///    (`import_origin_invalid`);
    /// 3. its policy validates (`import_policy_invalid`);
    /// 4. folding its events onto the origin gives its state hash
    ///    (`import_state_mismatch`);
    /// 5. its audit chain is intact (`import_audit_broken`);
    /// 6. executing its command log again from the origin gives its events
    ///    and state, also when the log is empty (then there must be no
    ///    events) (`import_log_mismatch`);
    /// 7. no verification check fails (`import_verification_failed`).
    pub fn import(json: &str) -> Result<Brain, BrainError> {
        let mut brain = Brain::from_snapshot_json(json)?;
        if let Some(origin) = brain.origin() {
            let alone = Brain::replay_from(Some(origin), &[]);
            if let Some(check) = first_failure(&alone) {
                return Err(ImportError::OriginInvalid(check).into());
            }
        }
        brain
            .policy()
            .validate()
            .map_err(|e| ImportError::PolicyInvalid(e.to_string()))?;
        let replayed = Brain::replay_hash(brain.origin(), brain.events());
        let state = brain.state_hash();
        if replayed != state {
            return Err(ImportError::StateMismatch {
                events: brain.events().len(),
                replayed,
                state,
            }
            .into());
        }
        brain
            .verify_audit()
            .map_err(|e| ImportError::AuditBroken(e.to_string()))?;
        brain.confirm_log().map_err(ImportError::LogMismatch)?;
        let report = brain.verify();
        if let Some(c) = report.checks.iter().find(|c| c.status == Status::Fail) {
            return Err(ImportError::VerificationFailed {
                check: c.name.clone(),
                details: c.details.clone(),
            }
            .into());
        }
        Ok(brain)
    }
}

/// The first failing verification check of `brain`, as "name: details".
fn first_failure(brain: &Brain) -> Option<String> {
    brain
        .verify()
        .checks
        .into_iter()
        .find(|c| c.status == Status::Fail)
        .map(|c| format!("{}: {}", c.name, c.details))
}
