//! Read-models of the models block, shared by the console, the JS package and tests: a
//! model's champion, challenger and rollback target, its lineage and history, the versions a
//! range matches, the next version by a bump, and the evidence of a challenger as assessed.

use super::{
    assess, model, Assessment, Bump, Deployment, Error, HistoryEntry, Model, ModelReport, Policy,
    SemVer, State, Version,
};
use serde::{Deserialize, Serialize};

impl State {
    /// A model by id.
    pub fn model(&self, model_id: &str) -> Option<&Model> {
        self.models.get(model_id)
    }

    /// The serving champion of a model.
    pub fn champion(&self, model_id: &str) -> Option<&Version> {
        self.model(model_id).and_then(Model::champion)
    }

    /// The serving challenger of a model.
    pub fn challenger(&self, model_id: &str) -> Option<&Version> {
        self.model(model_id)
            .and_then(|m| m.challenger.as_ref().and_then(|c| m.version(c)))
    }

    /// The accuracy recorded for a version.
    pub fn version_accuracy(&self, model_id: &str, version: &SemVer) -> Option<f64> {
        self.model(model_id)
            .and_then(|m| m.version(version))
            .map(|v| v.accuracy)
    }

    /// The champion a rollback would restore: the one before the current champion.
    pub fn rollback_target(&self, model_id: &str) -> Option<&Version> {
        self.model(model_id).and_then(|m| {
            m.champion.as_ref()?;
            m.previous_champions.last().and_then(|v| m.version(v))
        })
    }

    /// Every acceptance, refusal, promotion and rollback of a model, oldest first (empty for
    /// an unknown model).
    pub fn history(&self, model_id: &str) -> &[HistoryEntry] {
        self.model(model_id).map_or(&[], |m| m.history.as_slice())
    }

    /// Every model with its lineage, by id.
    pub fn models(&self) -> Vec<ModelReport> {
        self.models
            .iter()
            .map(|(model_id, m)| ModelReport {
                model_id: model_id.clone(),
                name: m.name.clone(),
                champion: m.champion.clone(),
                challenger: m.challenger.clone(),
                rollback_target: self.rollback_target(model_id).map(|v| v.version.clone()),
                versions: m.versions.clone(),
                environments: m.environments.clone(),
            })
            .collect()
    }

    /// A model's history: every acceptance, refusal, promotion, override and rollback, and
    /// which version was in each environment when. Errors: unknown model.
    pub fn model_history(&self, model_id: &str) -> Result<ModelHistory, Error> {
        let m = model(self, model_id)?;
        let mut environments: Vec<&str> = m
            .environment_history
            .iter()
            .map(|c| c.environment.as_str())
            .collect();
        environments.sort_unstable();
        environments.dedup();
        Ok(ModelHistory {
            model_id: model_id.to_string(),
            entries: m.history.clone(),
            deployments: environments
                .into_iter()
                .flat_map(|e| m.deployments(e))
                .collect(),
        })
    }

    /// The versions of a model a semver range matches, lowest first. Errors: unknown model,
    /// a range that does not parse.
    pub fn versions_matching(&self, model_id: &str, range: &str) -> Result<Vec<Version>, Error> {
        let m = model(self, model_id)?;
        Ok(m.versions_matching(range)?.into_iter().cloned().collect())
    }

    /// The next free version of a model by `bump` from `parent` (default: the champion).
    /// Errors: unknown model, unknown parent.
    pub fn next_version(
        &self,
        model_id: &str,
        bump: Bump,
        parent: Option<&SemVer>,
    ) -> Result<SemVer, Error> {
        let m = model(self, model_id)?;
        if let Some(p) = parent.filter(|p| m.version(p).is_none()) {
            return Err(Error::UnknownVersion {
                model_id: model_id.to_string(),
                version: p.clone(),
            });
        }
        Ok(m.next_version(bump, parent))
    }

    /// A challenger's or shadow's evidence against the current champion as `PromoteVersion`
    /// would test it (`critical_alerts`: the open critical alerts on it); none without a
    /// champion, for the champion itself, or when the policy has no evidence rule.
    pub fn assessment(
        &self,
        model_id: &str,
        version: &SemVer,
        policy: &Policy,
        critical_alerts: &[String],
    ) -> Option<Assessment> {
        let m = self.model(model_id)?;
        let champion = m.champion()?;
        let candidate = m
            .version(version)
            .filter(|v| v.version != champion.version)?;
        let rule = policy.evidence.as_ref()?;
        Some(assess(candidate, champion, rule, critical_alerts))
    }
}

/// A model's history, as `brain.modelHistory(modelId)` returns it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ModelHistory {
    /// The model.
    pub model_id: String,
    /// Every acceptance, refusal, promotion, override and rollback, oldest first.
    pub entries: Vec<HistoryEntry>,
    /// Which version was in which environment when, by environment then time.
    pub deployments: Vec<Deployment>,
}
