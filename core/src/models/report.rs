//! A model with its lineage as the console's chart reads it (accuracy by version).

use super::{SemVer, Version};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A model with its lineage, for the console's chart (accuracy by version).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ModelReport {
    /// The model.
    pub model_id: String,
    /// Its name.
    pub name: String,
    /// The serving champion.
    pub champion: Option<SemVer>,
    /// The serving challenger.
    pub challenger: Option<SemVer>,
    /// The version a rollback would restore.
    pub rollback_target: Option<SemVer>,
    /// Every version with its parent, accuracy and status, in the order proposed.
    pub versions: Vec<Version>,
    /// The version in each environment.
    pub environments: BTreeMap<String, SemVer>,
}
