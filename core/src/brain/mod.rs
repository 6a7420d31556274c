//! The reducer: `Brain` holds the state of every block, routes each command
//! to its block's `decide`, seals the audit entry with the words the block
//! gives (see `crate::contract`), and folds the events with `apply` (which
//! cannot fail). The rest of the engine around it lives in the submodules:
//! the envelope and block tags (`envelope`), the state and its hash
//! (`state`), cross-block inputs (`inputs`), snapshots and import
//! (`snapshot`), replay and re-execution (`history`), and the queries the
//! console shows (`queries`).

mod batch;
mod confirm;
mod envelope;
mod hash_names;
mod history;
mod ingest_queries;
mod inputs;
pub mod migrate_v2;
pub mod migrate_v3;
mod monitoring_queries;
mod queries;
mod snapshot;
mod state;
#[cfg(test)]
mod tests;

pub use batch::{BatchError, BatchRun, BatchRunError};
pub use envelope::{Command, Envelope, Event};
pub use history::Stepper;
pub use ingest_queries::{IngestedPayload, RetainedPayload};
pub use queries::ScriptReport;
pub use snapshot::{migrate, Snapshot, SCHEMA_VERSION};
pub use state::BrainState;

pub(crate) use envelope::decision_of;

use crate::contract::Words;
use crate::error::BrainError;
use crate::policy::{self, Policy};
use crate::{
    ab, audit, canon, clean_name, ids, ingest, models, monitoring, outcomes, packets, prereg,
    promotion, readiness, rollouts,
};
use envelope::routed;

/// The engine: state plus the command and event logs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Brain {
    state: BrainState,
    origin: Option<BrainState>,
    log: Vec<Envelope>,
    events: Vec<Event>,
    /// Accepted ingestion payloads from before the origin, kept by a
    /// compaction (see `ingest_queries`); outside the state and its hash.
    retained: Vec<RetainedPayload>,
    derived: Derived,
}

impl Brain {
    /// An empty brain under the default policy.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty brain under `policy` (not a command: used by what-if to
    /// replay a log under another policy). The policy is validated.
    pub fn with_policy(policy: Policy) -> Result<Self, BrainError> {
        policy.validate()?;
        let state = BrainState {
            policy,
            ..BrainState::default()
        };
        Ok(Self {
            origin: Some(state.clone()),
            state,
            log: Vec::new(),
            events: Vec::new(),
            retained: Vec::new(),
            derived: Derived::default(),
        })
    }

    /// The events a command would produce, or why it is refused; the state
    /// is not touched.
    pub fn decide(&self, env: &Envelope) -> Result<Vec<Event>, BrainError> {
        let s = &self.state;
        if let Some(actor) = &env.actor {
            clean_name(actor).ok_or(BrainError::InvalidActor)?;
        }
        if let Some(last) = s.last_at {
            if env.at < last {
                return Err(BrainError::TimeBackwards { at: env.at, last });
            }
        }
        let at = env.at;
        let p = &s.policy;
        let (mut events, words) = match &env.command {
            Command::Ab(c) => routed(c, ab::decide(&s.ab, &p.ab, c, at)?, Event::Ab),
            Command::Promotion(c) => {
                let totals = inputs::promotion_totals(s, c);
                let events = promotion::decide(&s.promotion, &p.promotion, c, at, totals)?;
                routed(c, events, Event::Promotion)
            }
            Command::Packets(c) => {
                let known = inputs::known_scripts(s, c);
                let ctx = inputs::packets_context(s, &self.derived.inputs, c, at, &known);
                let events = packets::decide(&s.packets, &p.packets, c, at, ctx)?;
                routed(c, events, Event::Packets)
            }
            Command::Ingest(c) => {
                routed(c, ingest::decide(&s.ingest, &p.ingest, c)?, Event::Ingest)
            }
            Command::Outcomes(c) => {
                let c = &inputs::outcome_with_id(s, c, at);
                let events = outcomes::decide(&s.outcomes, &p.outcomes, c, at)?;
                routed(c, events, Event::Outcomes)
            }
            Command::Models(c) => {
                let ctx = inputs::models_context(s, env.actor.as_deref(), c);
                routed(
                    c,
                    models::decide(&s.models, &p.models, c, at, &ctx)?,
                    Event::Models,
                )
            }
            Command::Readiness(c) => {
                let known = inputs::readiness_known(s, c);
                let events = readiness::decide(&s.readiness, &p.readiness, c, at, known)?;
                routed(c, events, Event::Readiness)
            }
            Command::Gates(c) => {
                let inputs = inputs::gate_inputs_for(s, c)?;
                let id = ids::derive(s.position, at, "gate-decision");
                routed(
                    c,
                    crate::gates::decide(&p.gates, c, at, &inputs, id)?,
                    Event::Gates,
                )
            }
            Command::Audit(c @ audit::Command::TakeSnapshot) => {
                let mark = audit::SnapshotMark {
                    position: s.position,
                    // A decision-only brain has no state hash to mark.
                    state_hash: match self.derived.decisions_only {
                        Some(_) => String::new(),
                        None => s.hash(),
                    },
                    at,
                };
                routed(c, vec![audit::Event::SnapshotTaken { mark }], Event::Audit)
            }
            Command::Audit(c @ audit::Command::LogAction { .. }) => {
                routed(c, audit::decide_log_action(c)?, Event::Audit)
            }
            Command::Policy(c) => routed(c, policy::decide(c, p)?, Event::Policy),
            Command::Rollouts(c) => {
                let facts = inputs::rollout_inputs(s, c);
                let id = ids::derive(s.position, at, "rollout").to_string();
                let events = rollouts::decide(&s.rollouts, &p.rollouts, c, at, &facts, &id)?;
                let champion = inputs::champion_changes(s, &events, at);
                let (mut events, words) = routed(c, events, Event::Rollouts);
                events.extend(champion.into_iter().map(Event::Models));
                (events, words)
            }
            Command::Prereg(c) => {
                let prereg::Command::RegisterRule { experiment_id, .. } = c;
                let data = prereg::has_data(&s.ab, experiment_id.trim());
                routed(c, prereg::decide(&s.prereg, c, at, data)?, Event::Prereg)
            }
            Command::Monitoring(c) => {
                let inputs = inputs::monitoring_inputs(s, c);
                let events = monitoring::decide(&s.monitoring, &p.monitoring, c, at, &inputs)?;
                let (mut events, words) = routed(c, events, Event::Monitoring);
                let effects = inputs::monitoring_effects(s, &events, at)?;
                events.extend(effects);
                (events, words)
            }
        };
        let entry = match self.derived.decisions_only {
            // A decision-only replay keeps the words and skips every hash.
            Some(seq) => audit::State::unsealed(words_only(env, words), seq),
            None => s.audit.seal(draft(env, words, &events)),
        };
        events.push(Event::Audit(entry));
        Ok(events)
    }

    /// Validates a command, decides its events, applies them and returns
    /// them; on error the state is unchanged and nothing is appended.
    pub fn execute(&mut self, env: Envelope) -> Result<Vec<Event>, BrainError> {
        if self.derived.decisions_only.is_some() {
            return self.execute_for_decisions(&env);
        }
        let from = self.events.len();
        self.record(env)?;
        Ok(self.events_since(from).to_vec())
    }

    /// `execute` on a brain that keeps its logs, its events moved into the
    /// event log rather than copied out (a batch reads them from there).
    fn record(&mut self, env: Envelope) -> Result<(), BrainError> {
        self.derived.inputs.prepare(&self.state, &env.command);
        let events = self.decide(&env)?;
        let (entries, logged) = (self.state.audit.entries.len(), self.events.len());
        for e in &events {
            self.derived.inputs.after(e);
            self.state.apply(e);
        }
        self.events.extend(events);
        // A command executed here gives its events, folds them into the
        // state and seals its entry onto the tree, by construction.
        if self.derived.log_checked == Some(self.log.len()) {
            self.derived.log_checked = Some(self.log.len() + 1);
        }
        if self.derived.chain_checked == Some(entries) {
            self.derived.chain_checked = Some(self.state.audit.entries.len());
        }
        if self.derived.replay_checked == Some(logged) {
            self.derived.replay_checked = Some(self.events.len());
        }
        self.log.push(env);
        Ok(())
    }

    /// The events appended after the event log's first `from`.
    fn events_since(&self, from: usize) -> &[Event] {
        self.events.get(from..).unwrap_or_default()
    }

    /// `execute` for a JSON envelope (what the JS package calls).
    pub fn execute_json(&mut self, json: &str) -> Result<Vec<Event>, BrainError> {
        let env: Envelope =
            serde_json::from_str(json).map_err(|e| BrainError::Json(e.to_string()))?;
        self.execute(env)
    }

    /// The state of every block.
    pub fn state(&self) -> &BrainState {
        &self.state
    }

    /// The state the event log starts from (None: empty).
    pub fn origin(&self) -> Option<&BrainState> {
        self.origin.as_ref()
    }

    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.state.policy
    }

    /// Accepted commands, in order.
    pub fn log(&self) -> &[Envelope] {
        &self.log
    }

    /// Events, in order.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// SHA-256 of the canonical state.
    pub fn state_hash(&self) -> String {
        self.state.hash()
    }

    /// A generator for `stream`, seeded from the state's seed and the log
    /// position: deterministic, replayable, and different after each command.
    pub fn rng(&self, stream: &str) -> rand_chacha::ChaCha8Rng {
        use rand::SeedableRng;
        let mut seed = [0u8; 32];
        let digest = {
            use sha2::{Digest, Sha256};
            let mut h = Sha256::new();
            h.update(self.state.rng_seed.to_le_bytes());
            h.update(self.state.position.to_le_bytes());
            h.update(stream.as_bytes());
            h.finalize()
        };
        seed.copy_from_slice(&digest);
        rand_chacha::ChaCha8Rng::from_seed(seed)
    }
}

/// The audit entry's draft for a command, with its block's words and the
/// hashes that bind the entry's leaf to the command and the block events it
/// gave (the audit entry itself excluded).
pub(crate) fn draft(env: &Envelope, words: Words, events: &[Event]) -> audit::Draft {
    audit::Draft {
        command_hash: hash_names::command_hash(env),
        events_hash: canon::sha256_json(events),
        ..words_only(env, words)
    }
}

/// The draft a decision-only replay records: the block's words, no hashes.
fn words_only(env: &Envelope, words: Words) -> audit::Draft {
    audit::Draft {
        at: env.at,
        actor: env.actor.clone(),
        subject: words.subject,
        action: words.action,
        outcome: if words.refused {
            audit::Outcome::Refused
        } else {
            audit::Outcome::Accepted
        },
        detail: words.detail,
        command_hash: String::new(),
        events_hash: String::new(),
    }
}

/// What a brain knows beyond its state and logs; never serialised, never
/// part of equality (the same state and logs always give the same answers).
#[derive(Clone, Debug)]
struct Derived {
    /// Cached cross-block inputs.
    inputs: inputs::Cache,
    /// How many leading commands of the log are known to give the event log:
    /// all of them for a brain built by `execute`; nothing is known of a
    /// loaded snapshot (not even that an empty log gives its events) until
    /// `confirm_log` has executed its log again.
    log_checked: Option<usize>,
    /// Where a loaded log was found not to give its events (the log only
    /// grows, so that stays true): `confirm_log` keeps the answer either way.
    log_broken: Option<String>,
    /// How many leading audit entries are known to chain (what
    /// `audit::verify_chain` checks): all of them for a brain built by
    /// `execute` from a known chain (sealing writes them so), none of a
    /// loaded snapshot's until `Brain::import` has checked them. The
    /// entries change only through `execute`, so `verify` need not hash
    /// them again.
    chain_checked: Option<usize>,
    /// Set to the event log's length when folding the events onto the
    /// origin is known to give the state (what `replay_reproduces_state`
    /// checks): a brain built by `execute` or `replay_from` is its events'
    /// fold by construction; a loaded one is not known to be until
    /// `Brain::import` has checked it.
    replay_checked: Option<usize>,
    /// Set on a decision-only brain (`Brain::decisions_only`): the length
    /// its audit log would have, whose entries it neither seals nor keeps
    /// (nor its command and event logs).
    decisions_only: Option<u64>,
}

impl Default for Derived {
    /// A brain built here: its (empty) log gives its (empty) events.
    fn default() -> Self {
        Self {
            inputs: inputs::Cache::default(),
            log_checked: Some(0),
            log_broken: None,
            chain_checked: Some(0),
            replay_checked: Some(0),
            decisions_only: None,
        }
    }
}

impl Derived {
    /// A loaded brain: nothing known of its logs and chain yet.
    fn unconfirmed() -> Self {
        Self {
            log_checked: None,
            chain_checked: None,
            replay_checked: None,
            ..Self::default()
        }
    }
}

impl PartialEq for Derived {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
