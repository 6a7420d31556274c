//! How the policy changed: the difference between two policies, field by
//! field ([`diff`]), the smallest patch that makes one from the other
//! ([`patch_of`]), and the history of `SetPolicy` commands in a brain's log,
//! each with its reason and its difference ([`Brain::policy_history`]).
//!
//! A read-model over the command log, in core so the console, JS apps and
//! tests read the same history. It walks the log from the origin's policy
//! and merges each `SetPolicy` patch with [`crate::policy::merge`], the rule
//! the reducer used, so it needs nothing stored beyond the log.

use crate::brain::{Brain, Command};
use crate::policy::{self, Policy, PolicyPatch};
use crate::policy_fields::leaves;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};

/// One field that differs between two policies.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "PolicyFieldChange"))]
#[serde(rename_all = "camelCase")]
pub struct FieldChange {
    /// Dotted path (`gates.min_accuracy`).
    pub field: String,
    /// The value before.
    #[cfg_attr(feature = "ts", ts(type = "JsonValue"))]
    pub before: Value,
    /// The value after.
    #[cfg_attr(feature = "ts", ts(type = "JsonValue"))]
    pub after: Value,
}

/// Every field whose value differs from `before` to `after`, ordered
/// by path (a list counts as one field).
pub fn diff(before: &Policy, after: &Policy) -> Vec<FieldChange> {
    let old = leaves(before);
    leaves(after)
        .into_iter()
        .filter_map(|(field, value)| {
            let prior = old
                .iter()
                .find(|(f, _)| *f == field)
                .map_or(Value::Null, |(_, v)| v.clone());
            (!same(&prior, &value)).then_some(FieldChange {
                field,
                before: prior,
                after: value,
            })
        })
        .collect()
}

/// Equal values, numbers compared as numbers (`1` and `1.0` are one value).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// The patch that sets exactly the changed fields to their `after` values:
/// merged over the `before` policy of a [`diff`], it gives the `after` one.
pub fn patch_of(changes: &[FieldChange]) -> PolicyPatch {
    let mut root = Map::new();
    for change in changes {
        let mut slot = &mut root;
        let mut parts = change.field.split('.').peekable();
        while let Some(part) = parts.next() {
            if parts.peek().is_none() {
                slot.insert(part.to_string(), change.after.clone());
                break;
            }
            let next = slot
                .entry(part.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !next.is_object() {
                *next = Value::Object(Map::new());
            }
            match next {
                Value::Object(m) => slot = m,
                _ => break,
            }
        }
    }
    PolicyPatch::from_value(Value::Object(root)).unwrap_or_default()
}

/// One accepted `SetPolicy` of the log.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct PolicyChange {
    /// Index of the command in the log.
    pub position: usize,
    /// When.
    pub at: DateTime<Utc>,
    /// Who, if the command named someone.
    pub actor: Option<String>,
    /// Why, if the command said.
    pub reason: Option<String>,
    /// What changed (empty when the command set the values in force).
    pub changes: Vec<FieldChange>,
}

impl Brain {
    /// Every `SetPolicy` in the log, oldest first, with its difference from
    /// the policy in force before it.
    pub fn policy_history(&self) -> Vec<PolicyChange> {
        let mut current = self.origin().map(|o| o.policy.clone()).unwrap_or_default();
        let mut out = Vec::new();
        for (position, env) in self.log().iter().enumerate() {
            let Command::Policy(policy::Command::SetPolicy { policy, reason }) = &env.command
            else {
                continue;
            };
            // The log holds accepted commands only, so the merge succeeds;
            // one that did not would have changed nothing.
            let Ok(next) = policy::merge(&current, policy) else {
                continue;
            };
            out.push(PolicyChange {
                position,
                at: env.at,
                actor: env.actor.clone(),
                reason: reason.clone(),
                changes: diff(&current, &next),
            });
            current = next;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brain::Envelope;
    use chrono::{Duration, TimeZone};
    use serde_json::json;

    fn at(minutes: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .unwrap_or_default()
            + Duration::minutes(minutes)
    }

    fn set(policy: Value, reason: Option<&str>) -> Command {
        Command::Policy(policy::Command::SetPolicy {
            policy: PolicyPatch::from_value(policy).unwrap_or_default(),
            reason: reason.map(str::to_string),
        })
    }

    #[test]
    fn a_diff_turned_into_a_patch_and_merged_gives_the_edited_policy() {
        let before = Policy::default();
        let mut after = before.clone();
        after.gates.min_accuracy = 0.9;
        after.ab.winner.correction = None;
        after.readiness.weights.accuracy = 0.5;
        after.readiness.weights.robustness = 0.0;
        after.ingest.allowed_sources.push("mls2".into());
        let changes = diff(&before, &after);
        let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "ab.winner.correction",
                "gates.min_accuracy",
                "ingest.allowed_sources",
                "readiness.weights.accuracy",
                "readiness.weights.robustness",
            ]
        );
        assert_eq!(policy::merge(&before, &patch_of(&changes)), Ok(after));
        assert!(diff(&before, &before).is_empty());
        assert_eq!(patch_of(&[]), PolicyPatch::default());
    }

    #[test]
    fn the_history_lists_each_change_with_its_reason_and_only_what_it_changed() {
        let mut brain = Brain::new();
        let commands = [
            set(
                json!({"gates": {"min_accuracy": 0.9}}),
                Some("fewer bad clones"),
            ),
            Command::Policy(policy::Command::SetSeed { seed: 7 }),
            set(
                json!({"gates": {"min_accuracy": 0.9, "srm_alpha": 0.01}}),
                None,
            ),
        ];
        for (i, c) in commands.into_iter().enumerate() {
            brain
                .execute(Envelope::new(at(i as i64), c).by("ops"))
                .expect("accepted");
        }
        let history = brain.policy_history();
        type Row<'a> = (usize, Option<&'a str>, Vec<(&'a str, Value, Value)>);
        let rows: Vec<Row> = history
            .iter()
            .map(|h| {
                (
                    h.position,
                    h.reason.as_deref(),
                    h.changes
                        .iter()
                        .map(|c| (c.field.as_str(), c.before.clone(), c.after.clone()))
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                (
                    0,
                    Some("fewer bad clones"),
                    vec![("gates.min_accuracy", json!(0.85), json!(0.9))]
                ),
                (
                    2,
                    None,
                    vec![("gates.srm_alpha", json!(0.001), json!(0.01))]
                ),
            ]
        );
        assert!(history.iter().all(|h| h.actor.as_deref() == Some("ops")));
    }

    #[test]
    fn a_blank_or_overlong_reason_is_refused_and_the_state_is_unchanged() {
        for reason in ["  ".to_string(), "x".repeat(policy::MAX_REASON_LEN + 1)] {
            let mut brain = Brain::new();
            let got = brain.execute(Envelope::new(
                at(0),
                set(json!({"gates": {"min_accuracy": 0.9}}), Some(&reason)),
            ));
            assert_eq!(got.map_err(|e| e.code()).err(), Some("invalid_reason"));
            assert_eq!(brain.policy(), &Policy::default());
            assert!(brain.log().is_empty());
        }
    }

    #[test]
    fn a_set_policy_without_a_reason_keeps_its_old_json_and_reads_back() {
        let old = r#"{"at":"2026-03-02T09:00:00Z","actor":null,"block":"policy","type":"SetPolicy","policy":{"gates":{"min_accuracy":0.9}}}"#;
        let env: Envelope = serde_json::from_str(old).expect("reads");
        assert_eq!(serde_json::to_string(&env).ok().as_deref(), Some(old));
        let with = r#"{"at":"2026-03-02T09:00:00Z","block":"policy","type":"SetPolicy","policy":{"gates":{"min_accuracy":0.9}},"reason":"why"}"#;
        let env: Envelope = serde_json::from_str(with).expect("reads");
        assert!(matches!(
            env.command,
            Command::Policy(policy::Command::SetPolicy { reason: Some(ref r), .. }) if r == "why"
        ));
    }
}
