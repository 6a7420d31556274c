//! The models block's data model: a model, its versions with lineage and status, how each
//! version was produced, and the history of what happened to it.

use super::{require_name, EnvironmentChange, Error, Event, Evidence, MetricEvidence, SemVer};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How a version was produced.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// Trained further from its parent on new data.
    Incremental,
    /// Trained again from scratch.
    FullRetrain,
    /// Runs on copies of traffic only; never serves until promoted.
    Shadow,
}

/// Where a version stands.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ModelsStatus"))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Serves traffic as the reference model.
    Champion,
    /// Serves a share of traffic against the champion.
    Challenger,
    /// Runs on copies of traffic, serves nothing.
    Shadow,
    /// Was champion or challenger and has been superseded.
    Retired,
    /// Was champion and was rolled back.
    RolledBack,
    /// Was refused for losing accuracy; can never be promoted.
    Refused,
}

impl Status {
    /// The status as it appears in messages and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Status::Champion => "champion",
            Status::Challenger => "challenger",
            Status::Shadow => "shadow",
            Status::Retired => "retired",
            Status::RolledBack => "rolled_back",
            Status::Refused => "refused",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One version of a model and its place in the lineage.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ModelsVersion"))]
#[serde(rename_all = "camelCase")]
pub struct Version {
    /// The semantic version.
    pub version: SemVer,
    /// The version it was derived from (none for a root).
    pub parent: Option<SemVer>,
    /// How it was produced.
    pub strategy: Strategy,
    /// Its latest measured accuracy, in [0, 1].
    pub accuracy: f64,
    /// Where it stands now.
    pub status: Status,
    /// When it was proposed.
    pub proposed_at: DateTime<Utc>,
    /// Named measurements (accuracy, f1, error_rate, latency_p50/p95/p99, any other), the
    /// latest value of each; what `CompareVersions` compares.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metrics: BTreeMap<String, f64>,
    /// Key/value facts about how it was made (training data, commit).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
    /// Its outcomes against the champion, arm by arm (challengers and shadows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
    /// Its continuous-metric totals against the champion, arm by arm (challengers and
    /// shadows); when recorded against the current champion, what promotion tests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub metric_evidence: Option<MetricEvidence>,
    /// Who made it, when its proposal said (`ProposeUpdate`'s `created_by`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub created_by: Option<String>,
}

/// What happened to a model, in order.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    /// What happened.
    pub kind: HistoryKind,
    /// The version it happened to (for a rollback, the version restored).
    pub version: SemVer,
    /// The champion before (for a promotion or a rollback), or the champion compared with
    /// (for a refusal).
    pub previous_champion: Option<SemVer>,
    /// Why: the refusal reason, the rollback reason or the override's reason; empty
    /// otherwise.
    pub reason: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// Kinds of [`HistoryEntry`].
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum HistoryKind {
    /// An update was accepted as challenger or shadow.
    Accepted,
    /// An update was refused.
    UpdateRefused,
    /// A version became champion.
    Promoted,
    /// A promotion was refused.
    PromotionRefused,
    /// The champion was rolled back to the previous one.
    RolledBack,
    /// A version became champion by a manual override of the evidence rule.
    PromotedByOverride,
}

impl Version {
    /// Folds a measurement of this version: a window of evidence, or metrics and metadata.
    pub(super) fn apply_measurement(&mut self, event: &Event) {
        match event {
            Event::ArmEvidenceRecorded {
                champion,
                champion_arm,
                challenger_arm,
                at,
                ..
            } => {
                self.evidence = Some(Evidence::add(
                    self.evidence.as_ref(),
                    champion,
                    *champion_arm,
                    *challenger_arm,
                    *at,
                ));
            }
            Event::MetricEvidenceRecorded { .. } => {
                self.metric_evidence = MetricEvidence::add(self.metric_evidence.as_ref(), event);
            }
            Event::VersionMetricsRecorded {
                metrics, metadata, ..
            } => {
                self.metrics
                    .extend(metrics.iter().map(|(k, x)| (k.clone(), *x)));
                self.metadata
                    .extend(metadata.iter().map(|(k, x)| (k.clone(), x.clone())));
            }
            _ => {}
        }
    }
}

/// A model: its versions (lineage) and who serves.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Model {
    /// Human-readable name.
    pub name: String,
    /// Every version, in the order proposed.
    pub versions: Vec<Version>,
    /// The serving champion.
    pub champion: Option<SemVer>,
    /// The serving challenger.
    pub challenger: Option<SemVer>,
    /// Champions before the current one, oldest first: the rollback stack.
    pub previous_champions: Vec<SemVer>,
    /// Every acceptance, refusal, promotion and rollback, in order.
    pub history: Vec<HistoryEntry>,
    /// When the model was registered.
    pub registered_at: DateTime<Utc>,
    /// The version deployed in each environment (at most one each).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub environments: BTreeMap<String, SemVer>,
    /// Every promotion to an environment, in order: which version was where, when.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub environment_history: Vec<EnvironmentChange>,
}

impl Model {
    /// A version by number.
    pub fn version(&self, version: &SemVer) -> Option<&Version> {
        self.versions.iter().find(|v| &v.version == version)
    }

    pub(super) fn version_mut(&mut self, version: &SemVer) -> Option<&mut Version> {
        self.versions.iter_mut().find(|v| &v.version == version)
    }

    pub(super) fn set_status(&mut self, version: &SemVer, status: Status) {
        if let Some(v) = self.version_mut(version) {
            v.status = status;
        }
    }

    /// Makes `version` the champion; the champion it replaces (if any) is retired and goes
    /// on the rollback stack. Shared by a promotion and an override.
    pub(super) fn promote(&mut self, version: &SemVer, previous_champion: Option<&SemVer>) {
        if let Some(old) = previous_champion {
            self.set_status(old, Status::Retired);
            self.previous_champions.push(old.clone());
        }
        if self.challenger.as_ref() == Some(version) {
            self.challenger = None;
        }
        self.set_status(version, Status::Champion);
        self.champion = Some(version.clone());
    }

    /// The champion's version record.
    pub fn champion(&self) -> Option<&Version> {
        self.champion.as_ref().and_then(|c| self.version(c))
    }
}

impl Status {
    /// The status as what-if shows it ("accepted as Challenger").
    pub fn title(self) -> &'static str {
        match self {
            Status::Champion => "Champion",
            Status::Challenger => "Challenger",
            Status::Shadow => "Shadow",
            Status::Retired => "Retired",
            Status::RolledBack => "RolledBack",
            Status::Refused => "Refused",
        }
    }
}

/// `RecordVersionMetrics`: a known version, at least one entry, finite metric values, and
/// names, keys and values within the shared naming rule.
pub(super) fn record_metrics(
    model: &Model,
    model_id: &str,
    version: &SemVer,
    metrics: &BTreeMap<String, f64>,
    metadata: &BTreeMap<String, String>,
    at: DateTime<Utc>,
) -> Result<Vec<Event>, Error> {
    if model.version(version).is_none() {
        return Err(Error::UnknownVersion {
            model_id: model_id.to_string(),
            version: version.clone(),
        });
    }
    if metrics.is_empty() && metadata.is_empty() {
        return Err(Error::NothingToRecord);
    }
    for (name, value) in metrics {
        require_name("metric name", name)?;
        if !value.is_finite() {
            return Err(Error::MetricNotFinite { name: name.clone() });
        }
    }
    for (key, value) in metadata {
        require_name("metadata key", key)?;
        if crate::clean_name(value).is_none() {
            return Err(Error::InvalidName {
                field: "metadata value",
            });
        }
    }
    Ok(vec![Event::VersionMetricsRecorded {
        model_id: model_id.to_string(),
        version: version.clone(),
        metrics: metrics.clone(),
        metadata: metadata.clone(),
        at,
    }])
}
