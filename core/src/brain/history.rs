//! History: rebuilding a brain from its event log (`replay`), executing its
//! command log again to check that it gives the same events (`rerun_log`,
//! `confirm_log`), a [`Stepper`] that executes a log a slice at a time,
//! shared by re-execution, what-if and any caller that shows progress, and
//! the decision-only replay (`Brain::decisions_only`) that what-if and
//! tuning run: the same decisions without sealing the audit log or keeping
//! logs, which is most of a command's cost and none of a decision's input.

use super::{Brain, BrainState, Derived, Envelope, Event};
use crate::audit;
use crate::error::BrainError;

/// Executes a command log on a brain a few commands at a time, so that a
/// caller can show progress and keep a page responsive on a long history.
#[derive(Clone, Debug)]
pub struct Stepper {
    brain: Brain,
    log: Vec<Envelope>,
    next: usize,
}

/// One command executed by a [`Stepper`].
#[derive(Clone, Debug, PartialEq)]
pub struct Step<'a> {
    /// Its index in the log.
    pub position: usize,
    /// The command.
    pub envelope: &'a Envelope,
    /// What executing it gave.
    pub result: Result<Vec<Event>, BrainError>,
}

impl Stepper {
    /// Executes `log` on `brain`.
    pub fn new(brain: Brain, log: Vec<Envelope>) -> Self {
        Self {
            brain,
            log,
            next: 0,
        }
    }

    /// Executes `log` from `origin` (None: the empty state).
    pub fn from_origin(origin: Option<&BrainState>, log: Vec<Envelope>) -> Self {
        Self::new(Brain::replay_from(origin, &[]), log)
    }

    /// Executes `log` from `origin` for its decisions only (see
    /// [`Brain::decisions_only`]): each step gives the events and refusals
    /// the full execution gives, except that the audit entry carries its
    /// words without hashes.
    pub fn decisions_only(origin: Option<&BrainState>, log: Vec<Envelope>) -> Self {
        Self::new(Brain::decisions_only(origin), log)
    }

    /// Executes the next command (a refused one leaves the brain as it
    /// was); `None` once the log is done.
    pub fn next_step(&mut self) -> Option<Step<'_>> {
        let position = self.next;
        let envelope = self.log.get(position)?;
        self.next += 1;
        let result = if self.brain.derived.decisions_only.is_some() {
            self.brain.execute_for_decisions(envelope)
        } else {
            self.brain.execute(envelope.clone())
        };
        Some(Step {
            position,
            envelope,
            result,
        })
    }

    /// Executes up to `budget` more commands and stops at the first one
    /// refused: `Ok(true)` once every command has run, or the refused
    /// command's index and error.
    pub fn step(&mut self, budget: usize) -> Result<bool, (usize, BrainError)> {
        for _ in 0..budget {
            match self.next_step() {
                None => break,
                Some(Step {
                    position,
                    result: Err(e),
                    ..
                }) => return Err((position, e)),
                Some(_) => {}
            }
        }
        Ok(self.done())
    }

    /// Whether every command has been executed.
    pub fn done(&self) -> bool {
        self.next >= self.log.len()
    }

    /// Commands executed so far, and in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.next.min(self.log.len()), self.log.len())
    }

    /// The brain so far.
    pub fn brain(&self) -> &Brain {
        &self.brain
    }

    /// The brain, once the caller is done.
    pub fn finish(self) -> Brain {
        self.brain
    }
}

impl Brain {
    /// Rebuilds a brain by folding events onto the empty state. The command
    /// log is not rebuilt (events do not carry commands): use a snapshot to
    /// keep it.
    pub fn replay(events: &[Event]) -> Brain {
        Self::replay_from(None, events)
    }

    /// Folds events onto `origin` (or the empty state).
    pub fn replay_from(origin: Option<&BrainState>, events: &[Event]) -> Brain {
        let mut state = origin.cloned().unwrap_or_default();
        for e in events {
            state.apply(e);
        }
        // The state is the events' fold; their entries are not checked.
        let derived = Derived {
            replay_checked: Some(events.len()),
            chain_checked: None,
            ..Derived::default()
        };
        Brain {
            state,
            origin: origin.cloned(),
            log: Vec::new(),
            events: events.to_vec(),
            retained: Vec::new(),
            derived,
        }
    }

    /// A brain from `origin` (None: the empty state) that executes commands
    /// for their decisions only: every block decides and applies as in a
    /// full execution (the same events, refusals, reasons and block state,
    /// the log position and time kept), but the audit entry is not sealed
    /// (no command, event, leaf or root hash), no audit entry, command or
    /// event is kept, a snapshot mark carries no state hash, and its state
    /// hash, audit queries and verification mean nothing. What-if and tuning replay a history this way, many
    /// times over, and read only decisions and block state.
    pub fn decisions_only(origin: Option<&BrainState>) -> Brain {
        let state = origin.cloned().unwrap_or_default();
        let sealed = state.audit.entries.len() as u64;
        let mut brain = Brain {
            state,
            ..Brain::default()
        };
        brain.derived.decisions_only = Some(sealed);
        // Its state is no fold of its (unkept) events.
        brain.derived.replay_checked = None;
        brain
    }

    /// `execute` on a decision-only brain: decides, then applies every event
    /// but the audit entry, of which it keeps only the position and time.
    pub(crate) fn execute_for_decisions(
        &mut self,
        env: &Envelope,
    ) -> Result<Vec<Event>, BrainError> {
        self.derived.inputs.prepare(&self.state, &env.command);
        let events = self.decide(env)?;
        for e in &events {
            self.derived.inputs.after(e);
            match e {
                Event::Audit(audit::Event::EntryAppended { entry }) => {
                    self.state.position = entry.seq.saturating_add(1);
                    self.state.last_at = Some(entry.at);
                    self.derived.decisions_only = Some(entry.seq.saturating_add(1));
                }
                other => self.state.apply(other),
            }
        }
        Ok(events)
    }

    /// The state hash that `replay_from(origin, events)` would give,
    /// without copying the audit entries (the hash needs only the log's
    /// tree head): what verification uses on long logs.
    pub fn replay_hash(origin: Option<&BrainState>, events: &[Event]) -> String {
        let mut state = origin.cloned().unwrap_or_default();
        let origin_head = state.audit.head().to_string();
        let mut len = state.audit.entries.len();
        let mut head: &str = &origin_head;
        for e in events {
            match e {
                Event::Audit(audit::Event::EntryAppended { entry }) => {
                    state.position = entry.seq.saturating_add(1);
                    state.last_at = Some(entry.at);
                    len += 1;
                    head = &entry.root;
                }
                other => state.apply(other),
            }
        }
        state.hash_with(len, head)
    }

    /// Executes the command log again from the origin and checks that it
    /// gives this brain's events and state: a log edited after the fact
    /// (a changed count, a renamed variant) would otherwise be replayed by
    /// what-if and exported as if it were the history. Returns the number of
    /// commands re-executed, or where the log and the events part.
    pub fn rerun_log(&self) -> Result<usize, String> {
        if let Some(broken) = &self.derived.log_broken {
            return Err(broken.clone());
        }
        if self.derived.log_checked == Some(self.log.len()) {
            return Ok(self.log.len());
        }
        let mut again = Stepper::from_origin(self.origin.as_ref(), self.log.clone());
        let mut from = 0;
        while let Some(step) = again.next_step() {
            let what = format!(
                "command {} ({} at {})",
                step.position + 1,
                step.envelope.command.action(),
                step.envelope.at
            );
            let events = step
                .result
                .map_err(|e| format!("{what} is refused when executed again: {e}"))?;
            if self.events.get(from..from + events.len()) != Some(&events[..]) {
                return Err(format!("{what} gives other events than the event log"));
            }
            from += events.len();
        }
        let again = again.finish();
        if again.events.len() != self.events.len() {
            return Err(format!(
                "the log's {} commands give {} events, the event log has {}",
                self.log.len(),
                again.events.len(),
                self.events.len()
            ));
        }
        if again.state_hash() != self.state_hash() {
            return Err("the log's commands give another state".into());
        }
        Ok(self.log.len())
    }

    /// `rerun_log`, remembered: once a loaded log has been executed again,
    /// later checks (and `verify`) give the same answer without the work,
    /// whether the log gave its events or not.
    pub fn confirm_log(&mut self) -> Result<usize, String> {
        let result = self.rerun_log();
        match &result {
            Ok(n) => self.derived.log_checked = Some(*n),
            Err(e) => self.derived.log_broken = Some(e.clone()),
        }
        result
    }
}
