//! The rollouts page's forms: start a rollout (model and version picked from the engine's
//! lists, stages from a preset and edited as text, the criteria every stage checks) and
//! record what a running rollout measured (rollout picked from the active ones: samples,
//! errors, accuracy, latency p95, any named metric).

use brain_core::brain::Command;
use brain_core::models::{ModelReport, Status as VersionStatus};
use brain_core::rollouts::{self, Criteria, Stage};
use leptos::prelude::*;

use crate::components::{chosen_or_first, Field, FormResult, NameField};
use crate::forms::{
    err_of, parse_count, parse_metrics, parse_optional, parse_stages, parse_version, stage_lines,
};
use crate::state::use_console;

/// The stage presets of the start form: the policy's stages, or a quick two-stage rollout.
pub fn preset_stages(preset: &str, policy: &[Stage]) -> Vec<Stage> {
    match preset {
        "quick" => vec![
            Stage {
                name: "Pilot".into(),
                traffic: 0.1,
                min_duration_minutes: 30,
                min_samples: 200,
                criteria: Criteria::default(),
            },
            Stage {
                name: "Production".into(),
                traffic: 1.0,
                min_duration_minutes: 0,
                min_samples: 0,
                criteria: Criteria::default(),
            },
        ],
        _ => policy.to_vec(),
    }
}

/// The versions that may be rolled out: a model's challenger and shadows, when it has a
/// champion to measure them against (newest first).
pub fn rollable_versions(report: &ModelReport) -> Vec<String> {
    if report.champion.is_none() {
        return Vec::new();
    }
    let mut v: Vec<_> = report
        .versions
        .iter()
        .filter(|v| matches!(v.status, VersionStatus::Challenger | VersionStatus::Shadow))
        .map(|v| v.version.clone())
        .collect();
    v.sort_by(|a, b| b.cmp(a));
    v.into_iter().map(|v| v.to_string()).collect()
}

/// The criteria fields as text: min metric, max error rate, max latency p95 ("" when not
/// checked).
fn criteria_texts(c: &Criteria) -> [String; 3] {
    [c.min_metric, c.max_error_rate, c.max_latency_p95]
        .map(|x| x.map(|v| v.to_string()).unwrap_or_default())
}

/// The criteria from the form: the metric's name and each threshold (empty: not checked).
pub fn parse_criteria(
    metric: &str,
    min_metric: &str,
    max_error_rate: &str,
    max_latency: &str,
    no_open_alerts: bool,
) -> Result<Criteria, String> {
    let metric = metric.trim();
    Ok(Criteria {
        metric: if metric.is_empty() {
            "accuracy".into()
        } else {
            metric.into()
        },
        min_metric: parse_optional("minimum metric", min_metric)?,
        max_error_rate: parse_optional("maximum error rate", max_error_rate)?,
        max_latency_p95: parse_optional("maximum latency p95", max_latency)?,
        no_open_alerts,
    })
}

/// Starts a rollout.
#[component]
pub fn StartRolloutForm() -> impl IntoView {
    let console = use_console();
    let models = Memo::new(move |_| console.with(|b| b.models()));
    let model_ids = Memo::new(move |_| {
        models.with(|m| {
            m.iter()
                .filter(|r| !rollable_versions(r).is_empty())
                .map(|r| r.model_id.clone())
                .collect::<Vec<_>>()
        })
    });
    let chosen_model = RwSignal::new(String::new());
    let model = chosen_or_first(model_ids, chosen_model);
    let versions = Memo::new(move |_| {
        let id = model.get();
        models.with(|m| {
            m.iter()
                .find(|r| r.model_id == id)
                .map(rollable_versions)
                .unwrap_or_default()
        })
    });
    let chosen_version = RwSignal::new(String::new());
    let version = chosen_or_first(versions, chosen_version);
    let policy_stages = move || console.with_untracked(|b| b.policy().rollouts.stages.clone());
    let first = policy_stages();
    let stages_text = RwSignal::new(stage_lines(&first));
    let [min_metric, max_error, max_latency] = first
        .first()
        .map(|s| criteria_texts(&s.criteria))
        .unwrap_or_default()
        .map(RwSignal::new);
    let metric = RwSignal::new(
        first
            .first()
            .map_or_else(|| "accuracy".to_string(), |s| s.criteria.metric.clone()),
    );
    let no_alerts = RwSignal::new(true);
    let preset = RwSignal::new("policy".to_string());
    let apply_preset = move |name: String| {
        let stages = preset_stages(&name, &policy_stages());
        stages_text.set(stage_lines(&stages));
        if let Some(s) = stages.first() {
            let [a, b, c] = criteria_texts(&s.criteria);
            min_metric.set(a);
            max_error.set(b);
            max_latency.set(c);
            metric.set(s.criteria.metric.clone());
            no_alerts.set(s.criteria.no_open_alerts);
        }
        preset.set(name);
    };
    let result = RwSignal::new(None::<(bool, String)>);
    let parsed = move || {
        let criteria = parse_criteria(
            &metric.get(),
            &min_metric.get(),
            &max_error.get(),
            &max_latency.get(),
            no_alerts.get(),
        )?;
        parse_stages(&stages_text.get(), &criteria)
    };
    let error = Signal::derive(move || err_of(parsed()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let model_id = model.get_untracked();
        if model_id.is_empty() {
            return result.set(Some((
                false,
                "no model has a challenger or shadow to roll out: propose one on the Models page"
                    .into(),
            )));
        }
        let v = match parse_version(&version.get_untracked()) {
            Ok(v) => v,
            Err(e) => return result.set(Some((false, e))),
        };
        let stages = match untrack(parsed) {
            Ok(s) => s,
            Err(e) => return result.set(Some((false, e))),
        };
        let cmd = Command::Rollouts(rollouts::Command::StartRollout {
            rollout_id: None,
            model_id: model_id.clone(),
            version: v.clone(),
            stages: Some(stages),
        });
        let done = format!("rollout of {model_id} {v} started");
        match console.act_in_form(cmd) {
            Ok(_) => result.set(Some((true, done))),
            Err(e) => result.set(Some((false, e.to_string()))),
        }
    };
    view! {
        <form class="panel" data-testid="start-rollout-form" on:submit=submit>
            <h2>"Start a rollout"</h2>
            <div class="row">
                <NameField label="Model" id="start-rollout-model" options=model_ids current=model chosen=chosen_model />
                <NameField label="Version" id="start-rollout-version" options=versions current=version chosen=chosen_version />
                <div class="field">
                    <label for="start-rollout-preset">"Stages preset"</label>
                    <select id="start-rollout-preset" data-testid="start-rollout-preset"
                        prop:value=move || preset.get()
                        on:change=move |ev| apply_preset(event_target_value(&ev))>
                        <option value="policy">"policy (Pilot, Limited, Production)"</option>
                        <option value="quick">"quick (Pilot 10%, Production)"</option>
                    </select>
                </div>
            </div>
            <div class="field">
                <label for="start-rollout-stages">"Stages, one per line: name share minutes samples"</label>
                <textarea id="start-rollout-stages" data-testid="start-rollout-stages" rows="3"
                    prop:value=move || stages_text.get()
                    on:input=move |ev| stages_text.set(event_target_value(&ev))></textarea>
            </div>
            <p class="muted">"Every stage checks (empty: not checked):"</p>
            <div class="row">
                <Field label="Metric" id="start-rollout-metric" value=metric />
                <Field label="At least" id="start-rollout-min-metric" value=min_metric kind="number" step="any" />
                <Field label="Error rate at most" id="start-rollout-max-error" value=max_error kind="number" step="any" />
                <Field label="Latency p95 at most (ms)" id="start-rollout-max-latency" value=max_latency kind="number" step="any" />
                <div class="field">
                    <label>
                        <input type="checkbox" data-testid="start-rollout-no-alerts"
                            prop:checked=move || no_alerts.get()
                            on:change=move |ev| no_alerts.set(event_target_checked(&ev)) />
                        " no open regression or drift alert"
                    </label>
                </div>
            </div>
            <p class="field-error" data-testid="start-rollout-error">{move || error.get()}</p>
            <button type="submit" data-testid="start-rollout" disabled=move || error.get().is_some()>"Start rollout"</button>
            <FormResult result=result testid="start-rollout-result" />
        </form>
    }
}

/// Records a running or paused rollout's measurements of its current stage.
#[component]
pub fn RolloutMetricsForm() -> impl IntoView {
    let console = use_console();
    let active = Memo::new(move |_| {
        console.with(|b| {
            b.rollouts()
                .into_iter()
                .filter(|r| r.status.is_active())
                .map(|r| r.rollout_id)
                .collect::<Vec<_>>()
        })
    });
    let chosen = RwSignal::new(String::new());
    let rollout = chosen_or_first(active, chosen);
    let samples = RwSignal::new(String::new());
    let errors = RwSignal::new(String::new());
    let accuracy = RwSignal::new(String::new());
    let latency = RwSignal::new(String::new());
    let extra = RwSignal::new(String::new());
    let result = RwSignal::new(None::<(bool, String)>);
    let parsed = move || -> Result<(i64, i64, std::collections::BTreeMap<String, f64>), String> {
        let s = parse_count("samples", &samples.get())?;
        let e = parse_count("errors", &errors.get())?;
        if e > s {
            return Err(format!("errors ({e}) exceed samples ({s})"));
        }
        let m = parse_metrics(
            &[
                ("accuracy", &accuracy.get()),
                ("latency_p95", &latency.get()),
            ],
            &extra.get(),
        )?;
        Ok((s, e, m))
    };
    let error = Signal::derive(move || {
        let filled = [samples, errors, accuracy, latency, extra]
            .iter()
            .any(|f| !f.get().is_empty());
        filled.then(|| err_of(parsed())).flatten()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let rollout_id = rollout.get_untracked();
        if rollout_id.is_empty() {
            return result.set(Some((false, "no running rollout: start one first".into())));
        }
        let (s, e, metrics) = match untrack(parsed) {
            Ok(p) => p,
            Err(err) => return result.set(Some((false, err))),
        };
        let cmd = Command::Rollouts(rollouts::Command::RecordRolloutMetrics {
            rollout_id: rollout_id.clone(),
            samples: s,
            errors: e,
            metrics,
        });
        let done = format!("{s} samples recorded for {rollout_id}");
        match console.act_in_form(cmd) {
            Ok(_) => {
                result.set(Some((true, done)));
                [samples, errors, accuracy, latency, extra]
                    .iter()
                    .for_each(|f| f.set(String::new()));
            }
            Err(err) => result.set(Some((false, err.to_string()))),
        }
    };
    view! {
        <form class="panel" data-testid="rollout-metrics-form" on:submit=submit>
            <h2>"Record rollout metrics"</h2>
            <div class="row">
                <NameField label="Rollout" id="rollout-metrics-rollout" options=active current=rollout chosen=chosen />
                <Field label="Samples" id="rollout-metrics-samples" value=samples kind="number" />
                <Field label="Errors" id="rollout-metrics-errors" value=errors kind="number" />
                <Field label="Accuracy" id="rollout-metrics-accuracy" value=accuracy kind="number" step="any" />
                <Field label="Latency p95 (ms)" id="rollout-metrics-latency" value=latency kind="number" step="any" />
            </div>
            <div class="field">
                <label for="rollout-metrics-other">"Other metrics (name=value per line)"</label>
                <textarea id="rollout-metrics-other" data-testid="rollout-metrics-other" rows="2"
                    prop:value=move || extra.get() on:input=move |ev| extra.set(event_target_value(&ev))></textarea>
            </div>
            <p class="field-error" data-testid="rollout-metrics-error">{move || error.get()}</p>
            <button type="submit" data-testid="rollout-metrics-submit" disabled=move || error.get().is_some()>"Record"</button>
            <FormResult result=result testid="rollout-metrics-result" />
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brain_core::Brain;
    use chrono::{TimeZone, Utc};

    #[test]
    fn only_a_challenger_or_shadow_of_a_model_with_a_champion_is_offered() {
        let brain = Brain::demo(
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
                .single()
                .unwrap_or_default(),
        );
        for report in brain.models() {
            for v in rollable_versions(&report) {
                let status = report
                    .versions
                    .iter()
                    .find(|x| x.version.to_string() == v)
                    .map(|x| x.status);
                assert!(
                    matches!(
                        status,
                        Some(VersionStatus::Challenger | VersionStatus::Shadow)
                    ),
                    "{v}: {status:?}"
                );
            }
        }
        let mut empty = brain.models().remove(0);
        empty.champion = None;
        assert!(rollable_versions(&empty).is_empty());
    }

    #[test]
    fn presets_fill_the_stages_and_empty_thresholds_are_not_checked() {
        let policy = rollouts::Policy::default().stages;
        assert_eq!(preset_stages("policy", &policy), policy);
        let quick = preset_stages("quick", &policy);
        assert_eq!(quick.last().map(|s| s.traffic), Some(1.0));
        assert!(rollouts::validate_stages(&quick).is_ok());
        let c = parse_criteria(" ", "0.9", "", "300", false).expect("valid");
        assert_eq!(
            (
                c.metric.as_str(),
                c.min_metric,
                c.max_error_rate,
                c.max_latency_p95
            ),
            ("accuracy", Some(0.9), None, Some(300.0))
        );
        assert_eq!(
            parse_criteria("accuracy", "high", "", "", true),
            Err("minimum metric must be a number".into())
        );
    }
}
