//! Cross-block inputs: what a block's `decide` needs from the other blocks,
//! gathered here as typed values (the reducer only routes). Promotion gets
//! the script's A/B totals; packets get the known and Primary scripts, the
//! winning channels and a new id; gates get `gates::Inputs` from blocks 21,
//! 25, 26 and 27. The winning-channel cache that packets use lives here too.

use super::envelope::{Command, Event};
use super::state::BrainState;
use crate::error::BrainError;
use crate::{ab, gates, ids, outcomes, packets, promotion, readiness};
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

impl BrainState {
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
            srm_p_value,
        }
    }
}
