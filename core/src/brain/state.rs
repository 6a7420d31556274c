//! The state of every block in one value: how an event is folded into it
//! (`apply`, which cannot fail) and how it is hashed.

use super::envelope::Event;
use crate::policy::{self, Policy};
use crate::{
    ab, audit, canon, gates, ingest, models, monitoring, outcomes, packets, prereg, promotion,
    readiness, rollouts,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The schema version the state hash is computed under: the last schema that
/// changed what the state is or how it is hashed (schema 3: the audit log
/// enters by its Merkle tree head). Schema 4 renamed command fields only, so
/// it keeps this at 3: state hashes, the snapshot marks that record them,
/// and so the audit root of every earlier export stay what they were
/// (a browser's witness of the root still holds after the upgrade).
pub(crate) const STATE_HASH_VERSION: u32 = 3;

/// The state of every block, plus the policy, the seed and the log position.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct BrainState {
    /// Every threshold and weight in force.
    pub policy: Policy,
    /// Seed of the generator kept in state.
    pub rng_seed: u64,
    /// Accepted commands so far (the next command's log position).
    pub position: u64,
    /// Time of the last accepted command (commands come in time order).
    pub last_at: Option<DateTime<Utc>>,
    /// Block 21.
    pub ab: ab::State,
    /// Block 22.
    pub promotion: promotion::State,
    /// Block 23.
    pub packets: packets::State,
    /// Block 24.
    pub ingest: ingest::State,
    /// Block 25.
    pub outcomes: outcomes::State,
    /// Block 26.
    pub models: models::State,
    /// Block 27.
    pub readiness: readiness::State,
    /// Block 28.
    pub gates: gates::State,
    /// Block 29.
    pub audit: audit::State,
    /// Staged model rollouts (left out of the JSON while empty, so states written before
    /// the block existed keep their hashes).
    #[serde(skip_serializing_if = "rollouts::State::is_empty")]
    pub rollouts: rollouts::State,
    /// Pre-registered decision rules (left out of the JSON while empty, so
    /// states from before pre-registration keep their form and hash).
    #[serde(default, skip_serializing_if = "prereg::State::is_empty")]
    pub prereg: prereg::State,
    /// Continuous monitoring (left out while empty, so older states hash as they did).
    #[serde(skip_serializing_if = "monitoring::State::is_empty")]
    pub monitoring: monitoring::State,
}

impl BrainState {
    /// Folds one event; never fails.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::Ab(e) => self.ab.apply(e),
            Event::Promotion(e) => self.promotion.apply(e),
            Event::Packets(e) => self.packets.apply(e),
            Event::Ingest(e) => self.ingest.apply(e),
            Event::Outcomes(e) => self.outcomes.apply(e),
            Event::Models(e) => self.models.apply(e),
            Event::Readiness(e) => self.readiness.apply(e),
            Event::Rollouts(e) => self.rollouts.apply(e),
            Event::Gates(e) => self.gates.apply(e),
            Event::Audit(e) => {
                if let audit::Event::EntryAppended { entry } = e {
                    self.position = entry.seq.saturating_add(1);
                    self.last_at = Some(entry.at);
                }
                self.audit.apply(e);
            }
            Event::Policy(policy::Event::PolicyChanged { policy }) => {
                self.policy = (**policy).clone()
            }
            Event::Policy(policy::Event::SeedSet { seed }) => self.rng_seed = *seed,
            Event::Prereg(e) => self.prereg.apply(e),
            Event::Monitoring(e) => self.monitoring.apply(e),
        }
    }

    /// SHA-256 of the canonical JSON of the state. The audit log enters by
    /// its tree head (size and Merkle root), which commits to every entry
    /// (the entries are checked separately), so hashing stays cheap on long logs.
    pub fn hash(&self) -> String {
        self.hash_with(self.audit.entries.len(), self.audit.head())
    }

    /// The hash with the audit log given by its length and head.
    pub(crate) fn hash_with(&self, audit_len: usize, audit_head: &str) -> String {
        self.hash_as(STATE_HASH_VERSION, audit_len, audit_head)
    }

    /// The hash as schema `schema_version` computed it (the same view; the
    /// version and what `audit_head` means changed): what a migration
    /// compares an old snapshot mark with.
    pub(crate) fn hash_as(
        &self,
        schema_version: u32,
        audit_len: usize,
        audit_head: &str,
    ) -> String {
        #[derive(Serialize)]
        struct View<'a> {
            schema_version: u32,
            policy: &'a Policy,
            rng_seed: u64,
            position: u64,
            last_at: Option<DateTime<Utc>>,
            ab: &'a ab::State,
            promotion: &'a promotion::State,
            packets: &'a packets::State,
            ingest: &'a ingest::State,
            outcomes: &'a outcomes::State,
            models: &'a models::State,
            readiness: &'a readiness::State,
            gates: &'a gates::State,
            #[serde(skip_serializing_if = "rollouts::State::is_empty")]
            rollouts: &'a rollouts::State,
            audit_len: usize,
            audit_head: &'a str,
            snapshots: &'a [audit::SnapshotMark],
            #[serde(skip_serializing_if = "prereg::State::is_empty")]
            prereg: &'a prereg::State,
            #[serde(skip_serializing_if = "monitoring::State::is_empty")]
            monitoring: &'a monitoring::State,
        }
        canon::sha256_json(&View {
            schema_version,
            policy: &self.policy,
            rng_seed: self.rng_seed,
            position: self.position,
            last_at: self.last_at,
            ab: &self.ab,
            promotion: &self.promotion,
            packets: &self.packets,
            ingest: &self.ingest,
            outcomes: &self.outcomes,
            models: &self.models,
            readiness: &self.readiness,
            gates: &self.gates,
            rollouts: &self.rollouts,
            audit_len,
            audit_head,
            snapshots: &self.audit.snapshots,
            prereg: &self.prereg,
            monitoring: &self.monitoring,
        })
    }
}
