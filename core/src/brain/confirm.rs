//! Confirming a loaded history in one pass: that a snapshot's state, event
//! log, command log and audit trail are exactly what executing its commands
//! from its origin writes, with each hash computed once.
//!
//! The step-by-step checks (`Brain::replay_hash`, `audit::verify_chain`,
//! `Brain::rerun_log`) each name the first thing that differs, but together
//! they seal every audit entry twice more and hash the state several times:
//! most of `Brain::import`'s time on a long log. This pass replays the log
//! for its decisions only (no sealing, as what-if does), compares each
//! command's events with the stored ones, and checks the stored audit entry
//! against what sealing would have written: its words, the hashes of the
//! command and of its events, and its leaf and tree head (the audit chain,
//! verified once). It answers only yes or no: on no, the loader runs the
//! step-by-step checks, so an edited file is refused with the same error as
//! before, and this pass only has to be sound (yes implies every
//! step-by-step check passes), not complete.

use super::{hash_names, Brain, Event};
use crate::{audit, canon};

impl Brain {
    /// Checks in one pass that the stored history is what executing the
    /// command log from the origin writes (see the module doc); when it is,
    /// remembers it, so that `verify` and `rerun_log` do not do the work
    /// again. False when anything differs: the step-by-step checks then say
    /// what.
    pub(crate) fn confirm_history(&mut self) -> bool {
        let confirmed = self.history_is_what_the_log_writes();
        if confirmed {
            self.derived.chain_checked = Some(self.state.audit.entries.len());
            self.derived.replay_checked = Some(self.events.len());
            self.derived.log_checked = Some(self.log.len());
        }
        confirmed
    }

    /// Whether the audit entries are known to chain (checked on import or
    /// sealed by `execute`): `verify` then does not hash them again.
    pub(crate) fn chain_known(&self) -> bool {
        self.derived.chain_checked == Some(self.state.audit.entries.len())
    }

    /// Whether folding the events onto the origin is known to give the
    /// state (checked on import, or built so): `verify` then does not
    /// replay them again.
    pub(crate) fn replay_known(&self) -> bool {
        self.derived.replay_checked == Some(self.events.len())
    }

    /// Sound, not complete: true only when `audit::verify_chain` passes on
    /// the state's entries, folding the events onto the origin gives the
    /// state's hash, and executing the log again gives the events exactly
    /// (entries sealed, snapshot marks hashed) and the state.
    fn history_is_what_the_log_writes(&self) -> bool {
        let entries = &self.state.audit.entries;
        // The leaf and tree head of every entry, recomputed once.
        if audit::verify_chain(entries).is_err() {
            return false;
        }
        // The state's log continues the origin's: a full execution seals
        // its entries onto the origin's tree.
        let before = self
            .origin
            .as_ref()
            .map_or(&[][..], |o| &o.audit.entries[..]);
        if entries.get(..before.len()) != Some(before) {
            return false;
        }
        let mut lean = Brain::decisions_only(self.origin.as_ref());
        let mut from = 0;
        for (k, env) in self.log.iter().enumerate() {
            let seq = before.len() + k;
            let (Some(sealed), Some(head)) = (entries.get(seq), head_before(entries, seq)) else {
                return false;
            };
            lean.derived.inputs.prepare(&lean.state, &env.command);
            let Ok(replayed) = lean.decide(env) else {
                return false;
            };
            let Some(stored) = self.events.get(from..from + replayed.len()) else {
                return false;
            };
            let (
                Some((Event::Audit(audit::Event::EntryAppended { entry: words }), block)),
                Some((Event::Audit(audit::Event::EntryAppended { entry }), stored_block)),
            ) = (replayed.split_last(), stored.split_last())
            else {
                return false;
            };
            // The command's own events, a snapshot mark with the hash the
            // full execution gives it (the state so far, its log's head).
            let same_events = block.iter().zip(stored_block).all(|(r, s)| match (r, s) {
                (
                    Event::Audit(audit::Event::SnapshotTaken { mark: r }),
                    Event::Audit(audit::Event::SnapshotTaken { mark: s }),
                ) => {
                    r.position == s.position
                        && r.at == s.at
                        && s.state_hash == lean.state.hash_with(seq, head)
                }
                _ => r == s,
            });
            // The entry sealing writes: the decision's words, the hashes of
            // the command and of its events, and (checked by the chain) the
            // leaf and head of the state's entry at its place.
            let expected = audit::Entry {
                command_hash: hash_names::command_hash(env),
                events_hash: canon::sha256_json(stored_block),
                hash: entry.hash.clone(),
                root: entry.root.clone(),
                ..words.clone()
            };
            if !same_events || expected != *entry || entry != sealed {
                return false;
            }
            // Fold the stored events (now known to be the execution's), the
            // entry by its position and time only, as the replay hash does.
            for e in stored {
                lean.derived.inputs.after(e);
                match e {
                    Event::Audit(audit::Event::EntryAppended { entry }) => {
                        lean.state.position = entry.seq.saturating_add(1);
                        lean.state.last_at = Some(entry.at);
                        lean.derived.decisions_only = Some(entry.seq.saturating_add(1));
                    }
                    other => lean.state.apply(other),
                }
            }
            from += replayed.len();
        }
        from == self.events.len()
            && entries.len() == before.len() + self.log.len()
            && lean.state.hash_with(entries.len(), self.state.audit.head()) == self.state.hash()
    }
}

/// The tree head (root) of the first `seq` entries: the empty root, or the
/// root the entry before records.
fn head_before(entries: &[audit::Entry], seq: usize) -> Option<&str> {
    match seq.checked_sub(1) {
        None => Some(audit::EMPTY_ROOT),
        Some(last) => entries.get(last).map(|e| e.root.as_str()),
    }
}
