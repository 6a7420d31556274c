//! Batches: `Brain::execute_all` applies a list of commands all or nothing.
//! A CSV import is one batch: if the engine refuses any row, neither the
//! state nor the audit trail nor the logs change, so a user never has half
//! a file applied and no way to tell which half. `Brain::start_batch` is
//! the same batch in slices (a 100,000-row file in the browser): the
//! commands run on a copy a slice at a time, so the page can paint a
//! progress bar and offer cancel, and the copy replaces the brain in one
//! step at the end, only if the brain has not changed meanwhile.

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

/// Why a sliced batch could not replace the brain.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum BatchRunError {
    /// A command was refused; nothing was applied.
    #[error(transparent)]
    Refused(#[from] BatchError),
    /// The run was finished before every command had run.
    #[error("the batch has {left} commands still to run, nothing was applied")]
    Unfinished {
        /// Commands not run yet.
        left: usize,
    },
    /// The brain changed (another action or tab) after the run started.
    #[error(
        "the state changed while the batch ran (another action or tab), nothing was applied; apply the file again"
    )]
    Stale,
}

impl BatchRunError {
    /// A stable code for tests and logs: the refused command's own code,
    /// or the run's.
    pub fn code(&self) -> &'static str {
        match self {
            BatchRunError::Refused(e) => e.code(),
            BatchRunError::Unfinished { .. } => "batch_unfinished",
            BatchRunError::Stale => "batch_stale",
        }
    }
}

/// A batch applied in slices to a copy of the brain (see
/// [`Brain::start_batch`]); dropping it is cancelling it.
#[derive(Debug, Clone)]
pub struct BatchRun {
    next: Brain,
    commands: std::vec::IntoIter<Envelope>,
    total: usize,
    done: usize,
    events: Vec<Event>,
    refused: Option<BatchError>,
    /// The brain it started from: its log length and state hash.
    base: (usize, String),
}

impl BatchRun {
    /// Runs up to `max` more commands; true when there is nothing left to
    /// run (every command ran, or one was refused).
    pub fn step(&mut self, max: usize) -> bool {
        if self.refused.is_some() {
            return true;
        }
        for env in self.commands.by_ref().take(max) {
            match self.next.execute(env) {
                Ok(evs) => self.events.extend(evs),
                Err(error) => {
                    self.refused = Some(BatchError {
                        index: self.done,
                        error,
                    });
                    return true;
                }
            }
            self.done += 1;
        }
        self.done == self.total
    }

    /// Commands run so far, and in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.done, self.total)
    }

    /// The refusal that ended the run, if one did.
    pub fn refused(&self) -> Option<&BatchError> {
        self.refused.as_ref()
    }

    /// Replaces `brain` with the copy and returns the batch's events, when
    /// every command ran and `brain` is still the one the run started
    /// from; otherwise `brain` is left as it is.
    pub fn commit(self, brain: &mut Brain) -> Result<Vec<Event>, BatchRunError> {
        if let Some(refused) = self.refused {
            return Err(refused.into());
        }
        if self.done < self.total {
            return Err(BatchRunError::Unfinished {
                left: self.total - self.done,
            });
        }
        if brain.log.len() != self.base.0 || brain.state_hash() != self.base.1 {
            return Err(BatchRunError::Stale);
        }
        *brain = self.next;
        Ok(self.events)
    }
}

impl Brain {
    /// `commands` as a batch to apply in slices ([`BatchRun::step`]) and
    /// then [`BatchRun::commit`]: all or nothing like
    /// [`Brain::execute_all`], and the brain is untouched until the commit.
    pub fn start_batch(&self, commands: Vec<Envelope>) -> BatchRun {
        BatchRun {
            next: self.clone(),
            total: commands.len(),
            commands: commands.into_iter(),
            done: 0,
            events: Vec::new(),
            refused: None,
            base: (self.log.len(), self.state_hash()),
        }
    }

    /// Executes `commands` in order as one batch and returns the events of
    /// all of them; if any is refused the brain is left exactly as it was
    /// (state, logs and audit trail) and the first refusal is returned.
    pub fn execute_all(&mut self, commands: Vec<Envelope>) -> Result<Vec<Event>, BatchError> {
        if self.derived.decisions_only.is_some() {
            // A decision-only brain keeps no event log to borrow them from.
            let mut next = self.clone();
            let mut events = Vec::new();
            for (index, env) in commands.into_iter().enumerate() {
                let evs = next
                    .execute(env)
                    .map_err(|error| BatchError { index, error })?;
                events.extend(evs);
            }
            *self = next;
            return Ok(events);
        }
        self.execute_batch(commands).map(<[Event]>::to_vec)
    }

    /// [`Brain::execute_all`] with the batch's events borrowed from the
    /// event log instead of copied out: the JS package writes them straight
    /// to JSON, without a copy of every event's strings and hashes.
    /// On a decision-only brain (what-if's replays), which keeps no event
    /// log, the slice is empty.
    pub fn execute_batch(&mut self, commands: Vec<Envelope>) -> Result<&[Event], BatchError> {
        // The batch runs on a copy that replaces the brain only when every
        // command was accepted: `apply` cannot be undone event by event.
        let mut next = self.clone();
        let from = next.events.len();
        next.log.reserve(commands.len());
        for (index, env) in commands.into_iter().enumerate() {
            let done = if next.derived.decisions_only.is_some() {
                next.execute(env).map(drop)
            } else {
                next.record(env)
            };
            done.map_err(|error| BatchError { index, error })?;
        }
        *self = next;
        Ok(self.events_since(from))
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

    #[test]
    fn a_batch_borrows_from_the_event_log_the_events_its_commands_give_one_by_one() {
        let batch: Vec<Envelope> = (0..4)
            .map(|i| counts(2 + i, ["email", "sms"][i as usize % 2], i))
            .collect();
        let mut one_by_one = registered();
        let mut expected = Vec::new();
        for e in batch.clone() {
            expected.extend(one_by_one.execute(e).unwrap());
        }
        let mut batched = registered();
        let before = batched.events().len();
        let events = batched.execute_batch(batch).unwrap().to_vec();
        assert_eq!(events, expected);
        assert_eq!(batched.events().get(before..), Some(&expected[..]));
        assert_eq!(batched, one_by_one);
    }

    fn counts(minute: u32, variant: &str, conversions: u32) -> Envelope {
        env(
            minute,
            &format!(
                r#"{{"block":"ab","type":"RecordCounts","experiment":"channel","variant":"{variant}","trials":10,"conversions":{conversions}}}"#
            ),
        )
    }

    #[test]
    fn a_batch_in_slices_is_the_same_as_the_batch_at_once() {
        let batch: Vec<Envelope> = (0..7)
            .map(|i| counts(2 + i, ["email", "sms"][i as usize % 2], i))
            .collect();
        let mut at_once = registered();
        let events = at_once.execute_all(batch.clone()).unwrap();
        let mut sliced = registered();
        let mut run = sliced.start_batch(batch);
        let mut seen = vec![run.progress()];
        while !run.step(3) {
            seen.push(run.progress());
        }
        seen.push(run.progress());
        assert_eq!(seen, vec![(0, 7), (3, 7), (6, 7), (7, 7)]);
        assert_eq!(sliced, registered(), "nothing changes before the commit");
        assert_eq!(run.commit(&mut sliced).unwrap(), events);
        assert_eq!(sliced, at_once);
    }

    #[test]
    fn a_refused_command_in_a_later_slice_leaves_the_brain_as_it_was() {
        let mut b = registered();
        let before = b.clone();
        let batch = vec![
            counts(2, "email", 1),
            counts(3, "sms", 2),
            counts(4, "sms", 12),
        ];
        let mut run = b.start_batch(batch);
        assert!(!run.step(2));
        assert!(run.step(2));
        assert_eq!(run.refused().map(|e| e.index), Some(2));
        let err = run.commit(&mut b).unwrap_err();
        assert_eq!(err.code(), "invalid_count");
        assert_eq!(b, before);
    }

    #[test]
    fn an_unfinished_or_stale_run_does_not_replace_the_brain() {
        let mut b = registered();
        let batch = vec![counts(2, "email", 1), counts(3, "sms", 2)];
        let mut run = b.start_batch(batch.clone());
        run.step(1);
        let err = run.clone().commit(&mut b).unwrap_err();
        assert_eq!(err.code(), "batch_unfinished");
        assert_eq!(b, registered());
        run.step(1);
        // Someone acts while the run is under way: its copy is out of date.
        b.execute(counts(5, "email", 3)).unwrap();
        let moved = b.clone();
        let err = run.commit(&mut b).unwrap_err();
        assert_eq!(err.code(), "batch_stale");
        assert_eq!(b, moved);
    }
}
