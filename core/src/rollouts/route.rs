//! Routing: which version serves a unit. Pure and deterministic: GrowthBook's hash (version
//! 2) of the unit with the rollout's id as seed, compared with the current stage's share, so
//! a unit's version changes only when the stage (or the rollout's status) does, and a unit in
//! the new version's share at 5% stays in it at 25%.

use super::{State, Version};
use crate::assign;
use serde::{Deserialize, Serialize};

/// What routing a model's units needs: JS apps hash in JS with it (the fast path), the
/// engine with [`route`].
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RoutePlan {
    /// The hash seed (the active rollout's id; empty without one).
    pub seed: String,
    /// Units whose hash is below this get `candidate`; the others `baseline`.
    pub traffic: f64,
    /// The version rolled out (none without an active rollout).
    pub candidate: Option<Version>,
    /// The version serving the rest (the champion without an active rollout; none without).
    pub baseline: Option<Version>,
}

impl RoutePlan {
    /// The plan of a model: its active rollout's share, else everything to `champion`.
    pub fn of(state: &State, model_id: &str, champion: Option<&Version>) -> Self {
        match state.active_for(model_id) {
            Some(r) => RoutePlan {
                seed: r.rollout_id.clone(),
                traffic: r.traffic(),
                candidate: Some(r.version.clone()),
                baseline: Some(if r.promoted {
                    r.version.clone()
                } else {
                    r.baseline.clone()
                }),
            },
            None => RoutePlan {
                seed: String::new(),
                traffic: 0.0,
                candidate: None,
                baseline: champion.cloned(),
            },
        }
    }

    /// The version serving `unit_id` (an empty id is never in the new version's share, as
    /// GrowthBook never assigns an empty attribute).
    pub fn route(&self, unit_id: &str) -> Option<&Version> {
        match &self.candidate {
            Some(c) if !unit_id.is_empty() && bucket(&self.seed, unit_id) < self.traffic => Some(c),
            _ => self.baseline.as_ref(),
        }
    }
}

/// The unit's place in [0, 1): GrowthBook's `hash(seed, unit, 2)`.
pub fn bucket(seed: &str, unit_id: &str) -> f64 {
    assign::hash(seed, unit_id, 2).unwrap_or(0.0)
}

/// The version serving `unit_id` of a model whose champion is `champion`.
pub fn route(
    state: &State,
    model_id: &str,
    champion: Option<&Version>,
    unit_id: &str,
) -> Option<Version> {
    RoutePlan::of(state, model_id, champion)
        .route(unit_id)
        .cloned()
}
