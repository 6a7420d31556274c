//! `ProposeUpdate`: a new version of a model, numbered explicitly or by a semver bump from
//! its parent (`nextVersion`), accepted as challenger or shadow, or refused for losing accuracy (kept in
//! the lineage as refused). Its own file because numbering and acceptance are one rule.

use super::{
    accuracy_loss, check_accuracy, loss_reason, model, require_name, Bump, Command, Error, Event,
    Model, Policy, SemVer, State, Status, Strategy,
};
use chrono::{DateTime, Utc};

/// The version a proposal names: exactly one of `version` and `bump`; a bump numbers it as
/// the `nextVersion` query does (the next free version from the parent, else the champion).
fn numbered(
    model: &Model,
    version: Option<&SemVer>,
    bump: Option<Bump>,
    parent: Option<&SemVer>,
) -> Result<SemVer, Error> {
    match (version, bump) {
        (Some(_), Some(_)) => Err(Error::VersionAndBump),
        (None, None) => Err(Error::NoVersion),
        (Some(v), None) => Ok(v.clone()),
        (None, Some(b)) => Ok(model.next_version(b, parent)),
    }
}

/// Decides a `ProposeUpdate` (`cmd` is one): accepted, refused for accuracy loss, or an
/// error.
pub(super) fn propose_update(
    state: &State,
    policy: &Policy,
    cmd: &Command,
    at: DateTime<Utc>,
) -> Result<Vec<Event>, Error> {
    let Command::ProposeUpdate {
        model_id,
        version,
        bump,
        parent,
        strategy,
        accuracy,
        created_by,
    } = cmd
    else {
        return Ok(Vec::new());
    };
    let model = model(state, model_id)?;
    check_accuracy(*accuracy)?;
    if let Some(who) = created_by {
        require_name("created_by", who)?;
    }
    let parent = parent.clone().or_else(|| model.champion.clone());
    let version = &numbered(model, version.as_ref(), *bump, parent.as_ref())?;
    if model.version(version).is_some() {
        return Err(Error::DuplicateVersion {
            model_id: model_id.clone(),
            version: version.clone(),
        });
    }
    if let Some(p) = &parent {
        let Some(parent_version) = model.version(p) else {
            return Err(Error::UnknownVersion {
                model_id: model_id.clone(),
                version: p.clone(),
            });
        };
        if parent_version.status == Status::Refused {
            return Err(Error::RefusedParent { parent: p.clone() });
        }
        if version <= p {
            return Err(Error::VersionNotNewer {
                version: version.clone(),
                parent: p.clone(),
            });
        }
    }
    // A shadow serves nothing: its accuracy is checked when it is promoted.
    let loss = match strategy {
        Strategy::Shadow => None,
        Strategy::Incremental | Strategy::FullRetrain => accuracy_loss(model, *accuracy, policy),
    };
    if let Some(champion) = loss {
        return Ok(vec![Event::UpdateRefused {
            model_id: model_id.clone(),
            version: version.clone(),
            parent,
            strategy: *strategy,
            accuracy: *accuracy,
            champion: champion.version.clone(),
            champion_accuracy: champion.accuracy,
            max_accuracy_drop: policy.max_accuracy_drop,
            reason: loss_reason(version, *accuracy, champion, policy.max_accuracy_drop),
            created_by: created_by.clone(),
            at,
        }]);
    }
    let status = if *strategy == Strategy::Shadow {
        Status::Shadow
    } else {
        Status::Challenger
    };
    let mut events = vec![Event::UpdateAccepted {
        model_id: model_id.clone(),
        version: version.clone(),
        parent,
        strategy: *strategy,
        accuracy: *accuracy,
        status,
        created_by: created_by.clone(),
        at,
    }];
    if status == Status::Challenger && model.champion.is_none() {
        events.push(Event::VersionPromoted {
            model_id: model_id.clone(),
            version: version.clone(),
            previous_champion: None,
            at,
        });
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{given, propose, register, v, when};
    use super::*;
    use crate::models::*;

    fn bumped(bump: Option<Bump>, version: Option<&str>, parent: Option<&str>) -> Command {
        Command::ProposeUpdate {
            model_id: "m1".into(),
            version: version.map(v),
            bump,
            parent: parent.map(v),
            strategy: Strategy::Shadow,
            accuracy: 0.9,
            created_by: None,
        }
    }

    fn accepted(events: &[Event]) -> SemVer {
        match events.first() {
            Some(Event::UpdateAccepted { version, .. }) => version.clone(),
            other => panic!("expected an acceptance, got {other:?}"),
        }
    }

    #[test]
    fn a_bump_numbers_the_version_from_the_parent_or_the_champion() {
        let state = given(&[
            register("m1"),
            propose("1.2.3", Strategy::FullRetrain, 0.9),
            propose("1.3.0", Strategy::Shadow, 0.9),
        ]);
        let from_champion = |b| accepted(&when(&state, &bumped(Some(b), None, None)).expect("ok"));
        assert_eq!(from_champion(Bump::Patch), v("1.2.4"));
        // 1.3.0 exists: the next free minor.
        assert_eq!(from_champion(Bump::Minor), v("1.4.0"));
        assert_eq!(from_champion(Bump::Major), v("2.0.0"));
        let from_parent = bumped(Some(Bump::Patch), None, Some("1.3.0"));
        assert_eq!(
            accepted(&when(&state, &from_parent).expect("ok")),
            v("1.3.1")
        );
        // As JSON: `bump` instead of `version`.
        let json: Command = serde_json::from_value(serde_json::json!({
            "type": "ProposeUpdate", "model_id": "m1", "bump": "major",
            "strategy": "incremental", "accuracy": 0.95
        }))
        .expect("reads");
        assert_eq!(accepted(&when(&state, &json).expect("ok")), v("2.0.0"));
    }

    #[test]
    fn a_proposal_gives_exactly_one_of_version_and_bump() {
        let state = given(&[register("m1"), propose("1.0.0", Strategy::FullRetrain, 0.9)]);
        let both = bumped(Some(Bump::Minor), Some("1.1.0"), None);
        assert_eq!(
            when(&state, &both).map_err(|e| e.to_string()),
            Err("give either version or bump (patch, minor, major), not both".to_string())
        );
        assert_eq!(
            when(&state, &bumped(None, None, None)).map_err(|e| e.code()),
            Err("no_version")
        );
        // An explicit version serializes as before: no `bump` field.
        let explicit = serde_json::to_string(&bumped(None, Some("1.1.0"), None)).expect("json");
        assert!(!explicit.contains("bump"), "{explicit}");
    }
}
