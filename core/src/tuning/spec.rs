//! A tuning spec (which policy fields to search, how, scored by what, under
//! which constraints, with how much of the history held out) and the
//! candidates it gives. Kept apart from the replay so that the candidates can
//! be checked and listed (and tested) without running anything.

use super::Error;
use crate::policy::{self, Policy, PolicyPatch};
use crate::policy_fields;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Most candidates a search may have: a grid of more is refused (narrow a
/// range or raise its step) rather than left running for minutes.
pub const MAX_CANDIDATES: usize = 10_000;

/// Most values one parameter's range may give.
pub const MAX_VALUES: usize = 1_000;

/// What to search, how, and what for.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "TuningSpec"))]
#[serde(rename_all = "camelCase")]
pub struct Spec {
    /// The policy fields searched (dotted paths, as on the policy page).
    pub parameters: Vec<Parameter>,
    /// Every combination, or a seeded random sample.
    pub search: Search,
    /// What the ranking minimises.
    pub objective: Objective,
    /// Limits a candidate must keep on the choosing part of the history.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub constraints: Vec<Constraint>,
    /// Share of the history (its later commands) held out to validate the
    /// choice: 0 (none) to 0.9. Default 0.3.
    #[serde(default = "default_holdout")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub holdout: f64,
}

fn default_holdout() -> f64 {
    0.3
}

/// One policy field searched: a numeric range with a step, or choices.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "TuningParameter"))]
#[serde(rename_all = "camelCase")]
pub struct Parameter {
    /// Dotted path of the field (`promotion.primary_rate`).
    pub path: String,
    /// From `min` to `max` (both included) in steps of `step`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub range: Option<Range>,
    /// The values tried, in order (for a word, a flag, or hand-picked numbers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "JsonValue[]", optional))]
    pub choices: Option<Vec<Value>>,
}

/// A numeric range.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "TuningRange"))]
pub struct Range {
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Distance between two values tried (above 0).
    pub step: f64,
}

/// How candidates are drawn.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "TuningSearch"))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Search {
    /// Every combination of every parameter's values.
    Grid,
    /// `candidates` combinations drawn from the parameters' values with a
    /// generator seeded by `seed`: the same seed, the same candidates.
    Random {
        /// How many (1 to [`MAX_CANDIDATES`]).
        candidates: usize,
        /// The generator's seed.
        seed: u64,
    },
}

/// What a candidate is scored by; lower is better for each.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "TuningObjective"))]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    /// Promotions (a script made Primary, a model version promoted) that
    /// the same history later reversed (demoted, rolled back).
    ReversedPromotions,
    /// Mean hours from a script's or model's first decision to the status
    /// the history under the current policy settled on (the end of the
    /// part when never reached).
    TimeToCorrectDecision,
    /// Gate decisions that blocked a clone the current policy's readiness
    /// verdict called ready.
    GoodClonesBlocked,
    /// Outcome alerts raised per week of history.
    AlertsPerWeek,
}

impl Objective {
    /// Every objective, in the order forms list them.
    pub const ALL: [Objective; 4] = [
        Objective::ReversedPromotions,
        Objective::TimeToCorrectDecision,
        Objective::GoodClonesBlocked,
        Objective::AlertsPerWeek,
    ];

    /// The objective in plain words.
    pub fn label(self) -> &'static str {
        match self {
            Objective::ReversedPromotions => "promotions later reversed",
            Objective::TimeToCorrectDecision => "hours to a correct decision",
            Objective::GoodClonesBlocked => "good clones blocked",
            Objective::AlertsPerWeek => "alerts per week",
        }
    }

    /// Its wire name (`reversed_promotions`).
    pub fn name(self) -> &'static str {
        match self {
            Objective::ReversedPromotions => "reversed_promotions",
            Objective::TimeToCorrectDecision => "time_to_correct_decision",
            Objective::GoodClonesBlocked => "good_clones_blocked",
            Objective::AlertsPerWeek => "alerts_per_week",
        }
    }
}

/// A limit on an objective: at most `max`, or (without `max`) no more than
/// the current policy gives on the same part of the history.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "TuningConstraint"))]
#[serde(rename_all = "camelCase")]
pub struct Constraint {
    /// The objective limited.
    pub objective: Objective,
    /// The limit (absent: the current policy's score).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub max: Option<f64>,
}

/// One field's value in a candidate.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "TuningSetting"))]
pub struct Setting {
    /// Dotted path.
    pub path: String,
    /// The value tried.
    #[cfg_attr(feature = "ts", ts(type = "JsonValue"))]
    pub value: Value,
}

/// A candidate before it runs: its settings, the partial policy that sets
/// them (what `SetPolicy` applies), and the merged policy or why it does
/// not validate.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Prepared {
    pub settings: Vec<Setting>,
    pub patch: Value,
    pub policy: Result<Policy, String>,
}

impl Spec {
    /// Checks the spec against `current` (the policy the candidates are
    /// merged over) and lists its candidates, in search order.
    pub(crate) fn candidates(&self, current: &Policy) -> Result<Vec<Prepared>, Error> {
        if !(0.0..=0.9).contains(&self.holdout) {
            return Err(Error::BadHoldout(self.holdout));
        }
        if self.parameters.is_empty() {
            return Err(Error::NoParameters);
        }
        let leaves = policy_fields::leaves(current);
        let mut values: Vec<Vec<Value>> = Vec::with_capacity(self.parameters.len());
        for (i, p) in self.parameters.iter().enumerate() {
            if self.parameters.iter().take(i).any(|q| q.path == p.path) {
                return Err(Error::DuplicateParameter(p.path.clone()));
            }
            let Some((_, now)) = leaves.iter().find(|(path, _)| *path == p.path) else {
                return Err(Error::UnknownField(p.path.clone()));
            };
            values.push(parameter_values(p, now)?);
        }
        let combos: Vec<Vec<usize>> = match self.search {
            Search::Grid => {
                let total = values
                    .iter()
                    .try_fold(1usize, |n, v| n.checked_mul(v.len()))
                    .filter(|n| *n <= MAX_CANDIDATES)
                    .ok_or(Error::TooManyCandidates)?;
                (0..total)
                    .map(|mut k| {
                        // The last parameter varies fastest.
                        let mut idx = vec![0; values.len()];
                        for (slot, v) in idx.iter_mut().zip(&values).rev() {
                            *slot = k % v.len();
                            k /= v.len();
                        }
                        idx
                    })
                    .collect()
            }
            Search::Random { candidates, seed } => {
                if candidates == 0 || candidates > MAX_CANDIDATES {
                    return Err(Error::TooManyCandidates);
                }
                let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
                (0..candidates)
                    .map(|_| {
                        values
                            .iter()
                            .map(|v| rng.random_range(0..v.len()))
                            .collect()
                    })
                    .collect()
            }
        };
        Ok(combos
            .into_iter()
            .map(|idx| {
                let settings: Vec<Setting> = self
                    .parameters
                    .iter()
                    .zip(&values)
                    .zip(idx)
                    .map(|((p, v), i)| Setting {
                        path: p.path.clone(),
                        value: v.get(i).cloned().unwrap_or(Value::Null),
                    })
                    .collect();
                prepare(current, settings)
            })
            .collect())
    }
}

/// The values a parameter gives: its choices, or its range's points (whole
/// numbers when the field holds one).
fn parameter_values(p: &Parameter, now: &Value) -> Result<Vec<Value>, Error> {
    let choices = p.choices.as_ref().filter(|c| !c.is_empty());
    match (&p.range, choices) {
        (Some(_), Some(_)) | (None, None) => Err(Error::RangeOrChoices(p.path.clone())),
        (None, Some(choices)) => {
            if choices.len() > MAX_VALUES {
                return Err(Error::BadRange(p.path.clone()));
            }
            Ok(choices.clone())
        }
        (Some(r), None) => {
            let ok = r.min.is_finite()
                && r.max.is_finite()
                && r.step.is_finite()
                && r.step > 0.0
                && r.min <= r.max;
            let count = if ok {
                ((r.max - r.min) / r.step + 1e-9).floor() + 1.0
            } else {
                f64::INFINITY
            };
            if !now.is_number() || count > MAX_VALUES as f64 {
                return Err(Error::BadRange(p.path.clone()));
            }
            let whole = now.is_u64() || now.is_i64();
            Ok((0..count as usize)
                .map(|i| {
                    // Multiplied, not summed, so 0.1 steps do not drift; rounded
                    // to 12 significant digits so 0.30000000000000004 reads 0.3.
                    let x = r.min + r.step * i as f64;
                    let x = format!("{x:.12e}").parse::<f64>().unwrap_or(x);
                    if whole {
                        Value::from(x.round() as i64)
                    } else {
                        serde_json::Number::from_f64(x)
                            .map(Value::Number)
                            .unwrap_or(Value::Null)
                    }
                })
                .collect())
        }
    }
}

/// A candidate's partial policy and merged policy.
fn prepare(current: &Policy, settings: Vec<Setting>) -> Prepared {
    let mut patch = Map::new();
    for s in &settings {
        let mut slot = &mut patch;
        let mut parts = s.path.split('.').peekable();
        while let Some(part) = parts.next() {
            if parts.peek().is_none() {
                slot.insert(part.to_string(), s.value.clone());
                break;
            }
            let entry = slot
                .entry(part.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            let Value::Object(inner) = entry else { break };
            slot = inner;
        }
    }
    let patch = Value::Object(patch);
    let policy = PolicyPatch::from_value(patch.clone())
        .and_then(|p| policy::merge(current, &p))
        .map_err(|e| e.to_string());
    Prepared {
        settings,
        patch,
        policy,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(parameters: Value, search: Value) -> Spec {
        serde_json::from_value(json!({
            "parameters": parameters,
            "search": search,
            "objective": "reversed_promotions",
        }))
        .expect("spec")
    }

    #[test]
    fn a_grid_tries_every_combination_with_whole_numbers_for_counts() {
        let s = spec(
            json!([
                {"path": "promotion.consecutive", "range": {"min": 1, "max": 3, "step": 1}},
                {"path": "promotion.estimate", "choices": ["point", "wilson"]}
            ]),
            json!({"kind": "grid"}),
        );
        let c = s.candidates(&Policy::default()).expect("candidates");
        let shown: Vec<String> = c
            .iter()
            .map(|p| format!("{} {}", p.settings[0].value, p.settings[1].value))
            .collect();
        assert_eq!(
            shown,
            [
                "1 \"point\"",
                "1 \"wilson\"",
                "2 \"point\"",
                "2 \"wilson\"",
                "3 \"point\"",
                "3 \"wilson\""
            ]
        );
        let p = c[5].policy.as_ref().expect("valid");
        assert_eq!(p.promotion.consecutive, 3);
        assert_eq!(
            c[5].patch,
            json!({"promotion": {"consecutive": 3, "estimate": "wilson"}})
        );
    }

    #[test]
    fn range_points_are_read_as_typed_not_as_summed_floats() {
        let s = spec(
            json!([{"path": "gates.min_accuracy", "range": {"min": 0.1, "max": 0.3, "step": 0.1}}]),
            json!({"kind": "grid"}),
        );
        let c = s.candidates(&Policy::default()).expect("candidates");
        let v: Vec<&Value> = c.iter().map(|p| &p.settings[0].value).collect();
        assert_eq!(v, [&json!(0.1), &json!(0.2), &json!(0.3)]);
    }

    #[test]
    fn a_candidate_that_does_not_validate_is_kept_with_its_reason() {
        let s = spec(
            json!([{"path": "promotion.demote_rate", "choices": [0.01, 0.99]}]),
            json!({"kind": "grid"}),
        );
        let c = s.candidates(&Policy::default()).expect("candidates");
        assert!(c[0].policy.is_ok());
        assert!(
            c[1].policy.as_ref().is_err_and(|e| e.contains("demote")),
            "{c:?}"
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_random_candidates_and_another_seed_others() {
        let params = json!([
            {"path": "promotion.primary_rate", "range": {"min": 0.05, "max": 0.5, "step": 0.01}},
            {"path": "promotion.consecutive", "range": {"min": 1, "max": 10, "step": 1}}
        ]);
        let draw = |seed: u64| {
            spec(
                params.clone(),
                json!({"kind": "random", "candidates": 20, "seed": seed}),
            )
            .candidates(&Policy::default())
            .expect("candidates")
            .into_iter()
            .map(|p| p.settings)
            .collect::<Vec<_>>()
        };
        assert_eq!(draw(7), draw(7));
        assert_ne!(draw(7), draw(8));
        assert_eq!(draw(7).len(), 20);
    }

    #[test]
    fn bad_specs_are_refused_with_the_field_named() {
        let check = |parameters: Value, search: Value, code: &str| {
            let got = spec(parameters, search).candidates(&Policy::default());
            assert_eq!(got.map_err(|e| e.code()).err(), Some(code));
        };
        let grid = json!({"kind": "grid"});
        check(json!([]), grid.clone(), "no_tuning_parameters");
        check(
            json!([{"path": "gates.min_acuracy", "choices": [0.5]}]),
            grid.clone(),
            "unknown_policy_field",
        );
        check(
            json!([{"path": "gates.min_accuracy"}]),
            grid.clone(),
            "invalid_tuning_parameter",
        );
        check(
            json!([{"path": "gates.min_accuracy", "range": {"min": 0.9, "max": 0.1, "step": 0.1}}]),
            grid.clone(),
            "invalid_tuning_range",
        );
        check(
            json!([{"path": "promotion.estimate", "range": {"min": 0, "max": 1, "step": 1}}]),
            grid.clone(),
            "invalid_tuning_range",
        );
        check(
            json!([
                {"path": "gates.min_accuracy", "range": {"min": 0, "max": 1, "step": 0.01}},
                {"path": "gates.srm_alpha", "range": {"min": 0, "max": 1, "step": 0.01}}
            ]),
            grid,
            "too_many_candidates",
        );
        check(
            json!([{"path": "gates.min_accuracy", "choices": [0.5]}]),
            json!({"kind": "random", "candidates": 0, "seed": 1}),
            "too_many_candidates",
        );
    }
}
