//! The rollouts block's verification checks (block 30 runs them): at most one active rollout
//! per model, traffic shares in [0, 1], and a champion is never a version that failed its
//! rollout, while a rollback restored a champion the model had before.

use super::{State, Status, Version};
use crate::models;
use std::collections::BTreeMap;

/// Each check's name and the problems found (empty: pass), in the report's order.
pub fn problems(state: &State, models: &models::State) -> [(&'static str, Vec<String>); 3] {
    let mut active: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for r in state.rollouts.values().filter(|r| r.status.is_active()) {
        active.entry(&r.model_id).or_default().push(&r.rollout_id);
    }
    let one_active = active
        .into_iter()
        .filter(|(_, ids)| ids.len() > 1)
        .map(|(model, ids)| format!("model {model} has active rollouts {}", ids.join(", ")))
        .collect();
    let shares = state
        .rollouts
        .values()
        .flat_map(|r| {
            let bad = |t: f64| !t.is_finite() || !(0.0..=1.0).contains(&t);
            let mut found: Vec<String> = r
                .stages
                .iter()
                .filter(|s| bad(s.traffic))
                .map(|s| {
                    format!(
                        "rollout {} stage {}: traffic {}",
                        r.rollout_id, s.name, s.traffic
                    )
                })
                .collect();
            if bad(r.traffic()) || r.stage >= r.stages.len() {
                found.push(format!(
                    "rollout {}: stage {} of {}",
                    r.rollout_id,
                    r.stage,
                    r.stages.len()
                ));
            }
            found
        })
        .collect();
    let mut champions = Vec::new();
    for r in state.rollouts.values() {
        if !matches!(r.status, Status::RolledBack | Status::Aborted) {
            continue;
        }
        let Some(model) = models.model(&r.model_id) else {
            continue;
        };
        if model.champion.as_ref() == Some(&r.version) {
            champions.push(format!(
                "model {} has champion {}, which failed rollout {}",
                r.model_id, r.version, r.rollout_id
            ));
        }
        let was_champion = |v: &Version| {
            model.history.iter().any(|h| {
                &h.version == v
                    && matches!(
                        h.kind,
                        models::HistoryKind::Promoted | models::HistoryKind::RolledBack
                    )
            })
        };
        if let Some(c) = &model.champion {
            if r.promoted && !was_champion(c) {
                champions.push(format!(
                    "model {} returned to {c} after rollout {}, which was never its champion",
                    r.model_id, r.rollout_id
                ));
            }
        }
    }
    [
        ("one_active_rollout_per_model", one_active),
        ("rollout_shares_in_range", shares),
        ("champions_passed_their_rollouts", champions),
    ]
}
