//! Queries: what the console and the JS package show, read from the state
//! (reports with rates, statuses, lineages, counters; the audit trail).

use super::Brain;
use crate::error::BrainError;
use crate::{ab, audit, gates, ingest, models, packets, promotion, readiness, rollouts};
use serde::{Deserialize, Serialize};

/// A script with its id, for the console.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ScriptReport {
    /// Script id.
    pub id: String,
    /// Current status.
    pub status: promotion::Status,
    /// Versions, oldest first.
    pub versions: Vec<promotion::Version>,
    /// Status history with reasons.
    pub history: Vec<promotion::StatusChange>,
    /// Transition qualified for, and the run length.
    pub streak: Option<(promotion::Status, u32)>,
    /// Evaluations run.
    pub evaluations: u64,
    /// Totals in the script experiments (trials, conversions).
    pub ab_totals: Option<(u64, u64)>,
}

/// Queries: what the console and the JS package show.
impl Brain {
    /// Every experiment with rates, intervals and winner.
    pub fn experiments(&self) -> Vec<ab::ExperimentReport> {
        self.state.ab.reports(&self.state.policy.ab)
    }

    /// One experiment.
    pub fn experiment(&self, name: &str) -> Option<ab::ExperimentReport> {
        self.state.ab.report(name, &self.state.policy.ab)
    }

    /// A Thompson-sampling traffic split for an experiment, seeded from the
    /// state's generator (same state, same split).
    pub fn allocation(&self, experiment: &str) -> Option<Vec<(String, f64)>> {
        use rand::RngCore;
        let seed = self.rng(&format!("allocation/{experiment}")).next_u64();
        self.state
            .ab
            .allocation(experiment, &self.state.policy.ab, seed)
    }

    /// Where `unit_id` falls in experiment `experiment_id`, bucketed as
    /// GrowthBook's SDK does with the experiment's own hash key, seed, hash
    /// version, coverage and weights (not in it while the experiment is not
    /// running); `None` for an unknown experiment.
    pub fn assign(&self, experiment_id: &str, unit_id: &str) -> Option<crate::assign::Assignment> {
        let id = experiment_id.trim();
        let e = self.state.ab.experiments.get(id)?;
        Some(ab::assign_unit(id, e, unit_id))
    }

    /// The GrowthBook experiment (key, seed, hash version, variations,
    /// weights, coverage) experiment `experiment_id` buckets its units with;
    /// `None` for an unknown experiment.
    pub fn assign_spec(&self, experiment_id: &str) -> Option<crate::assign::Experiment> {
        let id = experiment_id.trim();
        let e = self.state.ab.experiments.get(id)?;
        Some(ab::assign_spec(id, e))
    }

    /// Every script with status and history.
    pub fn scripts(&self) -> Vec<ScriptReport> {
        self.state
            .promotion
            .scripts
            .iter()
            .map(|(id, s)| ScriptReport {
                id: id.clone(),
                status: s.status,
                versions: s.versions.clone(),
                history: s.history.clone(),
                streak: s.streak,
                evaluations: s.evaluations,
                ab_totals: self.state.ab.totals_for(ab::VariantKind::Script, id),
            })
            .collect()
    }

    /// Every packet, in build order.
    pub fn packets(&self) -> &[packets::Packet] {
        &self.state.packets.packets
    }

    /// One packet as JSON.
    pub fn export_packet(&self, id: &str) -> Result<String, BrainError> {
        Ok(self.state.packets.export_packet(id)?)
    }

    /// Every packet as a JSON array.
    pub fn export_packets(&self) -> String {
        self.state.packets.export_all()
    }

    /// Renders a template with a packet's fields.
    pub fn render_template(&self, template: &str, packet_id: &str) -> Result<String, BrainError> {
        Ok(self.state.packets.render(template, packet_id)?)
    }

    /// Every source with counters (including the policy's whitelist).
    pub fn sources(&self) -> Vec<ingest::SourceReport> {
        self.state.ingest.report(&self.state.policy.ingest)
    }

    /// Every model with its lineage.
    pub fn models(&self) -> Vec<models::ModelReport> {
        self.state.models.models()
    }

    /// Every rollout, oldest first (by start, then id), as of the last command's time.
    pub fn rollouts(&self) -> Vec<rollouts::RolloutReport> {
        let mut all: Vec<_> = self.state.rollouts.rollouts.values().collect();
        all.sort_by(|a, b| (a.started_at, &a.rollout_id).cmp(&(b.started_at, &b.rollout_id)));
        all.into_iter().map(|r| self.rollout_report(r)).collect()
    }

    /// One rollout (stage, progress, criteria with current values, next decision), as of
    /// the last command's time.
    pub fn rollout(&self, rollout_id: &str) -> Option<rollouts::RolloutReport> {
        self.state
            .rollouts
            .get(rollout_id)
            .map(|r| self.rollout_report(r))
    }

    fn rollout_report(&self, r: &rollouts::Rollout) -> rollouts::RolloutReport {
        let at = self.state.last_at.unwrap_or(r.started_at);
        rollouts::report(r, &self.state.open_model_alerts(&r.model_id), at)
    }

    /// The version of `model_id` serving `unit_id`: the active rollout's share by
    /// GrowthBook's hash, else the champion (none: no such model, or no champion).
    pub fn route(&self, model_id: &str, unit_id: &str) -> Option<models::SemVer> {
        let champion = self.state.models.model(model_id)?.champion.as_ref();
        rollouts::route(&self.state.rollouts, model_id, champion, unit_id)
    }

    /// What routing the model's units needs, for hashing outside the engine (none: no
    /// such model).
    pub fn route_plan(&self, model_id: &str) -> Option<rollouts::RoutePlan> {
        let champion = self.state.models.model(model_id)?.champion.as_ref();
        Some(rollouts::RoutePlan::of(
            &self.state.rollouts,
            model_id,
            champion,
        ))
    }

    /// Version `b` of a model compared with version `a`: metric deltas, `b`'s evidence
    /// against `a` when `a` is the champion, and a recommendation with its reasons.
    pub fn compare_versions(
        &self,
        model_id: &str,
        a: &models::SemVer,
        b: &models::SemVer,
    ) -> Result<models::Comparison, BrainError> {
        let alerts = super::inputs::critical_alerts(&self.state, model_id, b);
        Ok(self.state.models.compare_versions(
            model_id,
            a,
            b,
            &self.state.policy.models,
            &alerts,
        )?)
    }

    /// A model's history: promotions, refusals, overrides, rollbacks, and which version was
    /// in each environment when.
    pub fn model_history(&self, model_id: &str) -> Result<models::ModelHistory, BrainError> {
        Ok(self.state.models.model_history(model_id)?)
    }

    /// The versions of a model a semver range (`^1.2`, `>=1.0 <2`) matches, lowest first.
    pub fn versions_matching(
        &self,
        model_id: &str,
        range: &str,
    ) -> Result<Vec<models::Version>, BrainError> {
        Ok(self.state.models.versions_matching(model_id, range)?)
    }

    /// The next free version of a model by a bump from `parent` (default: the champion).
    pub fn next_version(
        &self,
        model_id: &str,
        bump: models::Bump,
        parent: Option<&models::SemVer>,
    ) -> Result<models::SemVer, BrainError> {
        Ok(self.state.models.next_version(model_id, bump, parent)?)
    }

    /// A challenger's or shadow's evidence against the champion, as `PromoteVersion` would
    /// test it now (open critical alerts included); none without a champion or evidence rule.
    pub fn model_assessment(
        &self,
        model_id: &str,
        version: &models::SemVer,
    ) -> Option<models::Assessment> {
        let alerts = super::inputs::critical_alerts(&self.state, model_id, version);
        self.state
            .models
            .assessment(model_id, version, &self.state.policy.models, &alerts)
    }

    /// Every assessed clone.
    pub fn clones(&self) -> Vec<readiness::CloneSummary> {
        self.state.readiness.clones()
    }

    /// Every gate decision, oldest first.
    pub fn gate_decisions(&self) -> &[gates::Decision] {
        &self.state.gates.decisions
    }

    /// Audit entries matching a query.
    pub fn audit_query(&self, query: &audit::Query) -> Vec<audit::Entry> {
        self.state.audit.query(query).into_iter().cloned().collect()
    }

    /// The audit log as canonical JSON.
    pub fn audit_export(&self) -> String {
        self.state.audit.export()
    }

    /// Checks the audit chain.
    pub fn verify_audit(&self) -> Result<(), BrainError> {
        if self.chain_known() {
            return Ok(());
        }
        Ok(audit::verify_chain(&self.state.audit.entries)?)
    }
}
