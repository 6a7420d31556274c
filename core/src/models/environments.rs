//! Environments of a model (development, staging, production; the list is policy): at most
//! one version per environment, each promotion recorded with its actor and reason, and the
//! history of which version was in an environment when.

use super::*;

/// One promotion of a version to an environment.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentChange {
    /// The environment.
    pub environment: String,
    /// The version deployed there from now on.
    pub version: SemVer,
    /// The version it replaced there, if any.
    pub previous: Option<SemVer>,
    /// Who did it (the command's actor), when known.
    pub actor: Option<String>,
    /// Why.
    pub reason: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// A span of time a version was in an environment.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    /// The environment.
    pub environment: String,
    /// The version.
    pub version: SemVer,
    /// From when.
    pub from: DateTime<Utc>,
    /// Until when (none: still there).
    pub until: Option<DateTime<Utc>>,
    /// Who put it there.
    pub actor: Option<String>,
    /// Why.
    pub reason: String,
}

impl Model {
    /// Which version was in `environment` when, oldest first (the last span is open while
    /// the version is still there).
    pub fn deployments(&self, environment: &str) -> Vec<Deployment> {
        let changes: Vec<&EnvironmentChange> = self
            .environment_history
            .iter()
            .filter(|c| c.environment == environment)
            .collect();
        changes
            .iter()
            .enumerate()
            .map(|(i, c)| Deployment {
                environment: c.environment.clone(),
                version: c.version.clone(),
                from: c.at,
                until: changes.get(i + 1).map(|next| next.at),
                actor: c.actor.clone(),
                reason: c.reason.clone(),
            })
            .collect()
    }

    /// The version that was in `environment` at `at` (a promotion at exactly `at` counts).
    pub fn deployed_at(&self, environment: &str, at: DateTime<Utc>) -> Option<&SemVer> {
        self.environment_history
            .iter()
            .filter(|c| c.environment == environment && c.at <= at)
            .last()
            .map(|c| &c.version)
    }

    /// Folds an `EnvironmentPromoted` event.
    pub(super) fn apply_environment_change(&mut self, event: &Event) {
        if let Event::EnvironmentPromoted {
            environment,
            version,
            previous,
            actor,
            reason,
            at,
            ..
        } = event
        {
            self.environments
                .insert(environment.clone(), version.clone());
            self.environment_history.push(EnvironmentChange {
                environment: environment.clone(),
                version: version.clone(),
                previous: previous.clone(),
                actor: actor.clone(),
                reason: reason.clone(),
                at: *at,
            });
        }
    }
}

/// Checks a promotion to an environment and says what changes: the environment must be in
/// the policy's list, the version known and not refused, and not already there.
#[allow(clippy::too_many_arguments)] // each is one field of the command or its envelope
pub(super) fn promote_to_environment(
    model: &Model,
    policy: &Policy,
    model_id: &str,
    version: &SemVer,
    environment: &str,
    reason: &str,
    actor: Option<&str>,
    at: DateTime<Utc>,
) -> Result<EnvironmentChange, Error> {
    require("reason", reason)?;
    require("environment", environment)?;
    if !policy.environments.iter().any(|e| e == environment) {
        return Err(Error::UnknownEnvironment {
            environment: environment.to_string(),
            allowed: policy.environments.join(", "),
        });
    }
    let Some(target) = model.version(version) else {
        return Err(Error::UnknownVersion {
            model_id: model_id.to_string(),
            version: version.clone(),
        });
    };
    if target.status == Status::Refused {
        return Err(Error::RefusedVersion {
            version: version.clone(),
        });
    }
    let previous = model.environments.get(environment).cloned();
    if previous.as_ref() == Some(version) {
        return Err(Error::AlreadyInEnvironment {
            version: version.clone(),
            environment: environment.to_string(),
        });
    }
    Ok(EnvironmentChange {
        environment: environment.to_string(),
        version: version.clone(),
        previous,
        actor: actor.map(str::to_string),
        reason: reason.to_string(),
        at,
    })
}
