//! Cross-block inputs: what a block's `decide` needs from the other blocks,
//! gathered here as typed values (the reducer only routes). Promotion gets
//! the script's A/B totals; packets get the known and Primary scripts, the
//! winning channels and a new id; gates get `gates::Inputs` from blocks 21,
//! 25, 26 and 27; monitoring gets blocks 21, 25 and 26 and the inbox's ids, and its safety
//! responses are carried out here by the models block's own `decide`. The winning-channel
//! cache that packets use lives here too.

use super::envelope::{Command, Event};
use super::state::BrainState;
use crate::error::BrainError;
use crate::{
    ab, gates, ids, models, monitoring, outcomes, packets, promotion, readiness, rollouts,
};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

/// Values computed from the state for a block's inputs and kept until an
/// event could change them; never serialised (the same state always gives
/// the same values, so a brain without them decides the same).
#[derive(Clone, Debug, Default)]
pub(crate) struct Cache {
    /// The winning channels packets default to: every channel experiment's
    /// statistics, worth computing once per A/B change rather than once per
    /// packet (a batch of 100 packets ran the statistics 100 times).
    winning_channels: Option<Vec<String>>,
}

impl Cache {
    /// Fills what `command` will need (before `decide`, which only reads).
    pub(crate) fn prepare(&mut self, state: &BrainState, command: &Command) {
        if self.winning_channels.is_none()
            && matches!(
                command,
                Command::Packets(packets::Command::BuildPacket { .. })
            )
        {
            self.winning_channels =
                Some(state.ab.winners(ab::VariantKind::Channel, &state.policy.ab));
        }
    }

    /// Forgets what `event` could change.
    pub(crate) fn after(&mut self, event: &Event) {
        if matches!(event, Event::Ab(_) | Event::Policy(_)) {
            self.winning_channels = None;
        }
    }
}

/// A `RecordOutcome` without an id gets one derived from the log position
/// and time (deterministic, unique in the log); every other command is
/// decided as it came.
pub(crate) fn outcome_with_id(
    state: &BrainState,
    command: &outcomes::Command,
    at: DateTime<Utc>,
) -> outcomes::Command {
    match command {
        outcomes::Command::RecordOutcome {
            series_id,
            outcome_id,
            value,
            label,
        } if outcome_id.is_empty() => outcomes::Command::RecordOutcome {
            series_id: series_id.clone(),
            outcome_id: format!("outcome-{}", ids::derive(state.position, at, "outcome")),
            value: *value,
            label: label.clone(),
        },
        other => other.clone(),
    }
}

/// The script's totals in the script experiments, for `EvaluateScript`
/// (its evidence) and `AddScriptVersion` (set aside for the new version).
pub(crate) fn promotion_totals(
    state: &BrainState,
    command: &promotion::Command,
) -> Option<(u64, u64)> {
    match command {
        promotion::Command::EvaluateScript { script, .. }
        | promotion::Command::AddScriptVersion { script, .. } => {
            state.ab.totals_for(ab::VariantKind::Script, script.trim())
        }
        _ => None,
    }
}

/// What models need: the actor, and for a promotion the open critical alerts on the
/// version (open regression alerts whose subject is `<model_id>@<version>`) and the rollout
/// it failed, if any.
pub(crate) fn models_context(
    state: &BrainState,
    actor: Option<&str>,
    command: &models::Command,
) -> models::Context {
    let (critical_alerts, failed_rollout) = match command {
        models::Command::PromoteVersion { model_id, version }
        | models::Command::OverridePromotion {
            model_id, version, ..
        } => (
            critical_alerts(state, model_id, version),
            state
                .rollouts
                .failed(model_id.trim(), version)
                .map(|r| r.rollout_id.clone()),
        ),
        _ => (Vec::new(), None),
    };
    models::Context {
        actor: actor.map(str::to_string),
        critical_alerts,
        failed_rollout,
    }
}

/// Ids of the open critical alerts on one model version: open regression alerts (the kind
/// the gates block treats as blocking) whose subject is `<model_id>@<version>`.
pub(crate) fn critical_alerts(
    state: &BrainState,
    model_id: &str,
    version: &models::SemVer,
) -> Vec<String> {
    let subject = models::version_subject(model_id.trim(), version);
    state
        .outcomes
        .open_regression_alerts_for(&subject)
        .into_iter()
        .map(|a| a.alert_id.clone())
        .collect()
}

/// Whether a clone assessment's model and experiment exist (an absent
/// reference is no reference, so it counts as known).
pub(crate) fn readiness_known(
    state: &BrainState,
    command: &readiness::Command,
) -> readiness::Known {
    let readiness::Command::AssessClone {
        model_id,
        experiment_id,
        ..
    } = command;
    readiness::Known {
        model: model_id
            .as_ref()
            .is_none_or(|id| state.models.models.contains_key(id.trim())),
        experiment: experiment_id
            .as_ref()
            .is_none_or(|id| state.ab.experiments.contains_key(id.trim())),
    }
}

/// The scripts a packet command may name (only when it names some).
pub(crate) fn known_scripts(state: &BrainState, command: &packets::Command) -> BTreeSet<String> {
    match command {
        packets::Command::BuildPacket {
            scripts: Some(_), ..
        }
        | packets::Command::AddTemplate { .. } => state.promotion.scripts.keys().cloned().collect(),
        packets::Command::BuildPacket { scripts: None, .. } => BTreeSet::new(),
    }
}

/// What packets need: only what the command needs (the defaults are
/// computed only when the command does not name scripts or channels).
pub(crate) fn packets_context<'a>(
    state: &BrainState,
    cache: &Cache,
    command: &packets::Command,
    at: DateTime<Utc>,
    known_scripts: &'a BTreeSet<String>,
) -> packets::Context<'a> {
    let (given_scripts, given_channels) = match command {
        packets::Command::BuildPacket {
            scripts, channels, ..
        } => (scripts.is_some(), channels.is_some()),
        packets::Command::AddTemplate { .. } => (true, true),
    };
    packets::Context {
        known_scripts,
        primary_scripts: if given_scripts {
            Vec::new()
        } else {
            state.promotion.primaries()
        },
        winning_channels: if given_channels {
            Vec::new()
        } else {
            match &cache.winning_channels {
                Some(w) => w.clone(),
                None => state.ab.winners(ab::VariantKind::Channel, &state.policy.ab),
            }
        },
        new_id: ids::derive(state.position, at, "packet"),
    }
}

/// What a rollouts command needs of its model: the model named by `StartRollout`, or the
/// rollout's model (its champion, the version's status, open regression and drift alerts).
pub(crate) fn rollout_inputs(state: &BrainState, command: &rollouts::Command) -> rollouts::Inputs {
    use rollouts::Command as C;
    let (model_id, version) = match command {
        C::StartRollout {
            model_id, version, ..
        } => (Some(model_id.trim()), Some(version)),
        C::RecordRolloutMetrics { rollout_id, .. }
        | C::EvaluateRollout { rollout_id }
        | C::PauseRollout { rollout_id }
        | C::ResumeRollout { rollout_id }
        | C::AbortRollout { rollout_id, .. } => (
            state.rollouts.get(rollout_id).map(|r| r.model_id.as_str()),
            None,
        ),
    };
    let model = model_id.and_then(|id| {
        let m = state.models.model(id)?;
        Some(rollouts::ModelFacts {
            champion: m.champion.clone(),
            version_status: version
                .and_then(|v| m.version(v))
                .map(|v| v.status.name().to_string()),
            open_alerts: state.open_model_alerts(id),
        })
    });
    rollouts::Inputs { model }
}

/// The models block's events that follow a rollout's: entering a stage that serves everyone
/// makes the version champion; a rollback or an abort after that restores the champion
/// before it (only while the version is still champion and a previous one exists).
pub(crate) fn champion_changes(
    state: &BrainState,
    events: &[rollouts::Event],
    at: DateTime<Utc>,
) -> Vec<models::Event> {
    use rollouts::Event as E;
    let mut out = Vec::new();
    for event in events {
        match event {
            E::RolloutStarted {
                model_id,
                version,
                promotes: true,
                ..
            }
            | E::StageAdvanced {
                model_id,
                version,
                promotes: true,
                ..
            } => {
                let champion = state
                    .models
                    .model(model_id)
                    .and_then(|m| m.champion.clone());
                if champion.as_ref() != Some(version) {
                    out.push(models::Event::VersionPromoted {
                        model_id: model_id.clone(),
                        version: version.clone(),
                        previous_champion: champion,
                        at,
                    });
                }
            }
            E::RolloutRolledBack {
                model_id,
                version,
                reason,
                restores: true,
                ..
            }
            | E::RolloutAborted {
                model_id,
                version,
                reason,
                restores: true,
                ..
            } => {
                let Some(model) = state.models.model(model_id) else {
                    continue;
                };
                let target = state.models.rollback_target(model_id);
                if let (Some(to), true) = (target, model.champion.as_ref() == Some(version)) {
                    out.push(models::Event::RolledBack {
                        model_id: model_id.clone(),
                        from: version.clone(),
                        to: to.version.clone(),
                        reason: format!("rollout {}: {reason}", event.rollout_id()),
                        at,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// What the gates need for `command`: a named model or experiment must exist.
pub(crate) fn gate_inputs_for(
    state: &BrainState,
    command: &gates::Command,
) -> Result<gates::Inputs, BrainError> {
    let gates::Command::EvaluateGates {
        clone_id: clone,
        model_id: model,
        experiment_id: experiment,
    } = command;
    if let Some(m) = model {
        if state.models.model(m).is_none() {
            return Err(gates::Error::UnknownModel(m.clone()).into());
        }
    }
    if let Some(e) = experiment {
        if !state.ab.experiments.contains_key(e) {
            return Err(gates::Error::UnknownExperiment(e.clone()).into());
        }
    }
    Ok(state.gate_inputs(clone, model.as_deref(), experiment.as_deref()))
}

/// What monitoring needs: blocks 21, 25 and 26 (their states and policies), the command's
/// log position, and (only for `MarkRead`) the ids the inbox holds.
pub(crate) fn monitoring_inputs<'a>(
    state: &'a BrainState,
    command: &monitoring::Command,
) -> monitoring::Inputs<'a> {
    monitoring::Inputs {
        outcomes: &state.outcomes,
        outcomes_policy: &state.policy.outcomes,
        models: &state.models,
        ab: &state.ab,
        ab_policy: &state.policy.ab,
        position: state.position,
        notification_ids: match command {
            monitoring::Command::MarkRead { .. } => {
                monitoring::inbox::ids(&state.monitoring_view())
            }
            _ => Default::default(),
        },
        running_rollouts: state
            .rollouts
            .rollouts
            .values()
            .filter(|r| r.status == rollouts::Status::Running)
            .map(|r| (r.model_id.clone(), r.rollout_id.clone()))
            .collect(),
    }
}

/// The events that carry out monitoring's safety responses, each by its block's own rules:
/// a rollback is the models block's `RollBack`, with the action named as its reason. The
/// monitoring block only acts when the rollback can be done (see `responses`), so a refusal
/// here is a broken promise and refuses the whole command.
pub(crate) fn monitoring_effects(
    state: &BrainState,
    events: &[Event],
    at: DateTime<Utc>,
) -> Result<Vec<Event>, BrainError> {
    let mut effects = Vec::new();
    for event in events {
        let Event::Monitoring(monitoring::Event::ResponseTaken { action }) = event else {
            continue;
        };
        if action.failed.is_some() {
            continue;
        }
        match &action.effect {
            monitoring::Effect::RollBack { model_id } => {
                let command = models::Command::RollBack {
                    model_id: model_id.clone(),
                    reason: format!(
                        "{} by rule {}: {}",
                        action.action_id, action.rule, action.message
                    ),
                };
                let ctx = models_context(state, None, &command);
                let events =
                    models::decide(&state.models, &state.policy.models, &command, at, &ctx)?;
                effects.extend(events.into_iter().map(Event::Models));
            }
            monitoring::Effect::PauseRollout { model_id } => {
                effects.extend(pause_rollout(state, model_id, at)?);
            }
        }
    }
    Ok(effects)
}

/// The rollouts block's `PauseRollout` for the model's running rollout, by that block's
/// own rules (none when it has no running rollout any more).
fn pause_rollout(
    state: &BrainState,
    model_id: &str,
    at: DateTime<Utc>,
) -> Result<Vec<Event>, BrainError> {
    let Some(r) = state
        .rollouts
        .rollouts
        .values()
        .find(|r| r.model_id == model_id && r.status == rollouts::Status::Running)
    else {
        return Ok(Vec::new());
    };
    let command = rollouts::Command::PauseRollout {
        rollout_id: r.rollout_id.clone(),
    };
    let facts = rollout_inputs(state, &command);
    let id = r.rollout_id.clone();
    let events = rollouts::decide(
        &state.rollouts,
        &state.policy.rollouts,
        &command,
        at,
        &facts,
        &id,
    )?;
    Ok(events.into_iter().map(Event::Rollouts).collect())
}

impl BrainState {
    /// Open regression and drift alerts on series whose subject is the model, as
    /// "alert-id on series-id": a rollout's "no open alerts" criterion reads them.
    pub fn open_model_alerts(&self, model_id: &str) -> Vec<String> {
        self.outcomes
            .open_alerts()
            .into_iter()
            .filter(|a| {
                matches!(
                    a.kind,
                    outcomes::AlertKind::Regression | outcomes::AlertKind::Drift
                ) && a.subject.as_deref() == Some(model_id)
            })
            .map(|a| format!("{} on {}", a.alert_id, a.series_id))
            .collect()
    }

    /// The evidence the gates need, gathered from blocks 21, 26 and 27.
    pub fn gate_inputs(
        &self,
        clone: &str,
        model: Option<&str>,
        experiment: Option<&str>,
    ) -> gates::Inputs {
        let latest = self.readiness.latest(clone.trim());
        // A scoring error is passed on to the gate, not taken for "no factors".
        let readiness = match latest {
            None => gates::Readiness::NotAssessed,
            Some(a) => match readiness::score(&a.factors, &self.policy.readiness) {
                Ok(report) => gates::Readiness::Scored(report.verdict()),
                Err(e) => gates::Readiness::Unscorable(e.to_string()),
            },
        };
        let model = model.or_else(|| latest.and_then(|a| a.model_id.as_deref()));
        let candidate = model.and_then(|m| {
            self.models
                .challenger(m)
                .or_else(|| self.models.champion(m))
        });
        let champion = model.and_then(|m| self.models.champion(m));
        let experiment = experiment.or_else(|| latest.and_then(|a| a.experiment_id.as_deref()));
        let srm_p_value = experiment.map(|e| {
            self.ab
                .report(e, &self.policy.ab)
                .and_then(|r| r.srm_p_value)
        });
        gates::Inputs {
            model: model.map(String::from),
            experiment: experiment.map(String::from),
            readiness,
            accuracy: candidate.map(|v| v.accuracy),
            champion_accuracy: champion.map(|v| v.accuracy),
            open_regressions: model
                .map(|m| {
                    self.outcomes
                        .open_regression_alerts_for(m)
                        .into_iter()
                        .map(|a| format!("{} on {}", a.alert_id, a.series_id))
                        .collect()
                })
                .unwrap_or_default(),
            open_other_alerts: model
                .map(|m| self.counted_alerts_for(m))
                .unwrap_or_default(),
            srm_p_value,
            rollout: model.and_then(|m| self.rollouts.latest_for(m)).map(|r| {
                gates::RolloutStanding {
                    rollout_id: r.rollout_id.clone(),
                    status: r.status.name().to_string(),
                    stage: r
                        .current_stage()
                        .map(|s| s.name.clone())
                        .unwrap_or_default(),
                    serves_everyone: r.traffic() >= 1.0,
                }
            }),
        }
    }

    /// Open drift and below-baseline alerts on `model`'s series, as far as the monitoring
    /// policy lets the safety gate count them.
    fn counted_alerts_for(&self, model: &str) -> Vec<String> {
        let p = &self.policy.monitoring;
        self.outcomes
            .open_alerts()
            .into_iter()
            .filter(|a| a.subject.as_deref() == Some(model))
            .filter(|a| match a.kind {
                outcomes::AlertKind::Drift => p.safety_gate_counts_drift,
                outcomes::AlertKind::BelowBaseline => p.safety_gate_counts_below_baseline,
                outcomes::AlertKind::Regression => false,
            })
            .map(|a| format!("{} on {}", a.alert_id, a.series_id))
            .collect()
    }
}
