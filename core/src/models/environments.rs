//! Environments of a model (development, staging, production; the list is policy): at most
//! one version per environment, each promotion recorded with its actor and reason, and the
//! history of which version was in an environment when.

use super::{require, Error, Event, Model, Policy, SemVer, Status};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One promotion of a version to an environment.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ModelEnvironmentChange"))]
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
#[cfg_attr(feature = "ts", ts(rename = "ModelDeployment"))]
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
            .rfind(|c| c.environment == environment && c.at <= at)
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

#[cfg(test)]
mod tests {
    use super::super::tests::{given, propose, register, t, v};
    use crate::models::*;
    use chrono::Duration;

    fn deploy(version: &str, environment: &str) -> Command {
        Command::PromoteToEnvironment {
            model_id: "m1".into(),
            version: v(version),
            environment: environment.into(),
            reason: format!("ship {version}"),
        }
    }

    /// Runs commands an hour apart, as `actor`.
    fn run(state: &mut State, commands: &[Command], actor: &str, from_hour: i64) {
        let ctx = Context {
            actor: Some(actor.into()),
            critical_alerts: vec![],
            ..Context::default()
        };
        for (i, cmd) in commands.iter().enumerate() {
            let at = t() + Duration::hours(from_hour + i as i64);
            let events = decide(state, &Policy::default(), cmd, at, &ctx).expect("accepted");
            for e in &events {
                state.apply(e);
            }
        }
    }

    #[test]
    fn each_environment_holds_one_version_and_remembers_which_was_there_when() {
        let mut state = given(&[
            register("m1"),
            propose("1.0.0", Strategy::FullRetrain, 0.8),
            propose("1.1.0", Strategy::Incremental, 0.81),
        ]);
        run(
            &mut state,
            &[
                deploy("1.0.0", "production"),
                deploy("1.1.0", "staging"),
                deploy("1.1.0", "production"),
            ],
            "ops",
            1,
        );
        let model = state.model("m1").expect("registered");
        assert_eq!(model.environments.get("production"), Some(&v("1.1.0")));
        assert_eq!(model.environments.get("staging"), Some(&v("1.1.0")));
        let spans = model.deployments("production");
        assert_eq!(spans.len(), 2);
        assert_eq!(
            (spans[0].version.clone(), spans[0].from, spans[0].until),
            (
                v("1.0.0"),
                t() + Duration::hours(1),
                Some(t() + Duration::hours(3))
            )
        );
        assert_eq!(
            (spans[1].version.clone(), spans[1].until),
            (v("1.1.0"), None)
        );
        assert_eq!(spans[1].actor.as_deref(), Some("ops"));
        assert_eq!(spans[1].reason, "ship 1.1.0");
        // Which version was in production at 2 h: 1.0.0; before any deployment: none.
        assert_eq!(
            model.deployed_at("production", t() + Duration::hours(2)),
            Some(&v("1.0.0"))
        );
        assert_eq!(model.deployed_at("production", t()), None);
        let history = state.model_history("m1").expect("known");
        assert_eq!(history.deployments.len(), 3);
    }

    #[test]
    fn a_bad_promotion_to_an_environment_is_a_typed_error() {
        let mut state = given(&[
            register("m1"),
            propose("1.0.0", Strategy::FullRetrain, 0.9),
            propose("1.1.0", Strategy::Incremental, 0.5),
        ]);
        run(&mut state, &[deploy("1.0.0", "production")], "ops", 1);
        let ctx = Context::default();
        let check = |cmd: &Command| {
            decide(&state, &Policy::default(), cmd, t(), &ctx).map_err(|e| e.to_string())
        };
        assert_eq!(
            check(&deploy("1.0.0", "qa")),
            Err("environment qa is not one of development, staging, production".into())
        );
        assert_eq!(
            check(&deploy("1.0.0", "production")),
            Err("version 1.0.0 is already in production".into())
        );
        assert_eq!(
            check(&deploy("1.1.0", "staging")),
            Err("version 1.1.0 was refused; propose a new version instead".into())
        );
        assert_eq!(
            check(&deploy("3.0.0", "staging")),
            Err("model m1 has no version 3.0.0".into())
        );
        let no_reason = Command::PromoteToEnvironment {
            model_id: "m1".into(),
            version: v("1.0.0"),
            environment: "staging".into(),
            reason: "".into(),
        };
        assert_eq!(check(&no_reason), Err("reason must not be empty".into()));
        let bad_policy = Policy {
            environments: vec!["dev".into(), "dev".into()],
            ..Policy::default()
        };
        assert_eq!(
            bad_policy.validate().map_err(|e| e.code()),
            Err("duplicate_environment")
        );
    }
}
