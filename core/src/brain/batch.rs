//! Batches: `Brain::execute_all` applies a list of commands all or nothing.
//! A CSV import is one batch: if the engine refuses any row, neither the
//! state nor the audit trail nor the logs change, so a user never has half
//! a file applied and no way to tell which half.

use super::{Brain, Envelope, Event};
use crate::error::BrainError;

/// Why a batch was refused: the first command the engine refused, and where.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
#[error("command {index} of the batch was refused, nothing was applied: {error}")]
pub struct BatchError {
    /// The refused command's position in the batch (from 0).
    pub index: usize,
    /// The engine's error for it.
    pub error: BrainError,
}

impl BatchError {
    /// The refused command's stable code.
    pub fn code(&self) -> &'static str {
        self.error.code()
    }
}

impl Brain {
    /// Executes `commands` in order as one batch and returns the events of
    /// all of them; if any is refused the brain is left exactly as it was
    /// (state, logs and audit trail) and the first refusal is returned.
    pub fn execute_all(&mut self, commands: Vec<Envelope>) -> Result<Vec<Event>, BatchError> {
        // The batch runs on a copy that replaces the brain only when every
        // command was accepted: `apply` cannot be undone event by event.
        let mut next = self.clone();
        let mut events = Vec::new();
        for (index, env) in commands.into_iter().enumerate() {
            let evs = next
                .execute(env)
                .map_err(|error| BatchError { index, error })?;
            events.extend(evs);
        }
        *self = next;
        Ok(events)
    }
}

#[cfg(test)]
mod tests {
    use crate::brain::{Brain, Envelope};
    use chrono::{TimeZone, Utc};

    fn env(minute: u32, json: &str) -> Envelope {
        let at = Utc.with_ymd_and_hms(2026, 3, 2, 9, minute, 0).unwrap();
        let mut v: serde_json::Value = serde_json::from_str(json).unwrap();
        v["at"] = serde_json::Value::String(at.to_rfc3339());
        Envelope::from_value(v).unwrap()
    }

    fn registered() -> Brain {
        let mut b = Brain::new();
        for (m, v) in [(0, "email"), (1, "sms")] {
            b.execute(env(
                m,
                &format!(r#"{{"block":"ab","type":"RegisterVariant","experiment":"channel","variant":"{v}","kind":"channel"}}"#),
            ))
            .unwrap();
        }
        b
    }

    #[test]
    fn a_batch_with_one_refused_command_changes_neither_state_nor_audit_trail() {
        let mut b = registered();
        let before = b.clone();
        let batch = vec![
            env(
                2,
                r#"{"block":"ab","type":"RecordCounts","experiment":"channel","variant":"email","trials":10,"conversions":2}"#,
            ),
            env(
                3,
                r#"{"block":"ab","type":"RecordCounts","experiment":"channel","variant":"sms","trials":10,"conversions":12}"#,
            ),
        ];
        let err = b.execute_all(batch).unwrap_err();
        assert_eq!(err.index, 1);
        assert_eq!(err.code(), "invalid_count");
        assert_eq!(b.state_hash(), before.state_hash());
        assert_eq!(b.state().audit, before.state().audit);
        assert_eq!(b.log().len(), before.log().len());
        assert_eq!(b.events().len(), before.events().len());
    }

    #[test]
    fn an_accepted_batch_is_the_same_as_its_commands_one_by_one() {
        let batch = vec![
            env(
                2,
                r#"{"block":"ab","type":"RecordCounts","experiment":"channel","variant":"email","trials":10,"conversions":2}"#,
            ),
            env(
                3,
                r#"{"block":"ab","type":"RecordCounts","experiment":"channel","variant":"sms","trials":10,"conversions":4}"#,
            ),
        ];
        let mut one_by_one = registered();
        for e in batch.clone() {
            one_by_one.execute(e).unwrap();
        }
        let mut batched = registered();
        let events = batched.execute_all(batch).unwrap();
        assert_eq!(events.len(), 4);
        assert_eq!(batched, one_by_one);
    }
}
