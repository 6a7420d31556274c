//! The models page's actions on one version: override a promotion (a reason and a
//! confirmation that names what the evidence rule would have refused), deploy to one of the
//! policy's environments (actor and reason), record a re-measured accuracy, and record named
//! metrics and metadata. One model and version are picked from the engine's lists and shared
//! by the four forms, so every models command has a form.

use brain_core::brain::Command;
use brain_core::models::{self, ModelReport, SemVer, Status};
use leptos::prelude::*;

use crate::components::{chosen_or_first, Field, FormResult, NameField};
use crate::forms::{err_of, parse_fields, parse_metrics, parse_required_fraction, required};
use crate::state::use_console;

/// The fixed metric fields of the metrics form, by their engine names (the names
/// `CompareVersions` and the rollout criteria read).
pub const METRIC_FIELDS: [&str; 6] = [
    "accuracy",
    "f1",
    "error_rate",
    "latency_p50",
    "latency_p95",
    "latency_p99",
];

/// The versions a form may act on (every version but a refused one), newest first, the
/// challenger before the others so it is the default pick.
pub fn actionable_versions(report: &ModelReport) -> Vec<String> {
    let mut versions: Vec<(bool, &SemVer)> = report
        .versions
        .iter()
        .filter(|v| v.status != Status::Refused)
        .map(|v| (v.status != Status::Challenger, &v.version))
        .collect();
    versions.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(a.1)));
    versions.into_iter().map(|(_, v)| v.to_string()).collect()
}

/// The model and version a form acts on, or why none can be acted on yet.
pub fn target_of(model: &str, version: &str) -> Result<(String, SemVer), String> {
    if model.is_empty() {
        return Err("register a model first".into());
    }
    SemVer::parse(version)
        .map(|v| (model.to_string(), v))
        .map_err(|_| "propose a version first".into())
}

/// The actions panel of the models page.
#[component]
pub fn ModelActions(
    /// Every model id, for the model select.
    model_ids: Memo<Vec<String>>,
) -> impl IntoView {
    let console = use_console();
    let chosen_model = RwSignal::new(String::new());
    let model = chosen_or_first(model_ids, chosen_model);
    let versions = Memo::new(move |_| {
        let id = model.get();
        console.with(|b| {
            b.models()
                .into_iter()
                .find(|m| m.model_id == id)
                .map(|r| actionable_versions(&r))
                .unwrap_or_default()
        })
    });
    let chosen_version = RwSignal::new(String::new());
    let version = chosen_or_first(versions, chosen_version);
    view! {
        <section class="panel model-actions" data-testid="model-actions">
            <h2>"Act on a version"</h2>
            <div class="row">
                <NameField label="Model" id="action-model" options=model_ids current=model chosen=chosen_model />
                <NameField label="Version" id="action-version" options=versions current=version chosen=chosen_version />
            </div>
            <div class="grid">
                <OverrideForm model=model version=version />
                <EnvironmentForm model=model version=version />
                <AccuracyForm model=model version=version />
                <MetricsForm model=model version=version />
            </div>
        </section>
    }
}

#[component]
fn OverrideForm(
    /// The model acted on.
    model: Memo<String>,
    /// The version acted on.
    version: Memo<String>,
) -> impl IntoView {
    let console = use_console();
    let reason = RwSignal::new(String::new());
    let confirming = RwSignal::new(None::<(String, SemVer, Vec<String>)>);
    let result = RwSignal::new(None::<(bool, String)>);
    let reason_err = Signal::derive(move || err_of(required("reason", &reason.get())));
    let ask = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match (
            target_of(&model.get_untracked(), &version.get_untracked()),
            required("reason", &reason.get_untracked()),
        ) {
            (Err(e), _) | (_, Err(e)) => result.set(Some((false, e))),
            (Ok((m, v)), Ok(_)) => {
                // What the evidence rule says now: the override bypasses these.
                let bypassed = console.with_untracked(|b| {
                    b.model_assessment(&m, &v)
                        .map(|a| a.reasons)
                        .unwrap_or_default()
                });
                confirming.set(Some((m, v, bypassed)));
            }
        }
    };
    let confirm = move |_| {
        let (Some((model_id, version, _)), Ok(r)) = (
            confirming.get_untracked(),
            required("reason", &reason.get_untracked()),
        ) else {
            return;
        };
        let label = format!("{model_id} {version}");
        let cmd = Command::Models(models::Command::OverridePromotion {
            model_id,
            version,
            reason: r,
        });
        match console.act_in_form(cmd) {
            Ok(events) => {
                let refused = events.iter().find_map(|e| e.refusal());
                result.set(Some(match refused {
                    Some(why) => (false, format!("refused: {why}")),
                    None => (true, format!("{label} is champion by override (audited)")),
                }));
                reason.set(String::new());
            }
            Err(e) => result.set(Some((false, e.to_string()))),
        }
        confirming.set(None);
    };
    view! {
        <form class="subpanel" data-testid="override-form" on:submit=ask>
            <h3>"Override the promotion rule"</h3>
            <p class="muted">"Makes the version champion although the evidence does not hold; the reason is kept in the history and the audit trail."</p>
            <Field label="Reason" id="override-reason" value=reason error=reason_err />
            <button type="submit" class="danger" data-testid="override" disabled=move || reason_err.get().is_some()>
                "Override…"
            </button>
            {move || {
                confirming.get().map(|(m, v, bypassed)| {
                    let none = bypassed.is_empty();
                    view! {
                        <div class="confirm-box" data-testid="override-confirm-box">
                            <p>"Make " <strong>{format!("{m} {v}")}</strong> " champion by override?"</p>
                            {if none {
                                view! { <p>"The evidence rule holds: nothing is bypassed."</p> }.into_any()
                            } else {
                                view! {
                                    <p>"This bypasses:"</p>
                                    <ul data-testid="override-bypassed">
                                        {bypassed.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                                    </ul>
                                }
                                .into_any()
                            }}
                            <div class="row">
                                <button type="button" class="danger" data-testid="override-confirm" on:click=confirm>
                                    "Confirm override"
                                </button>
                                <button type="button" class="secondary" data-testid="override-cancel" on:click=move |_| confirming.set(None)>
                                    "Cancel"
                                </button>
                            </div>
                        </div>
                    }
                })
            }}
            <FormResult result=result testid="override-result" />
        </form>
    }
}

#[component]
fn EnvironmentForm(
    /// The model acted on.
    model: Memo<String>,
    /// The version acted on.
    version: Memo<String>,
) -> impl IntoView {
    let console = use_console();
    let environments = Memo::new(move |_| console.with(|b| b.policy().models.environments.clone()));
    let chosen = RwSignal::new(String::new());
    let environment = chosen_or_first(environments, chosen);
    let actor = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let result = RwSignal::new(None::<(bool, String)>);
    let reason_err = Signal::derive(move || {
        touched
            .get()
            .then(|| err_of(required("reason", &reason.get())))
            .flatten()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        let (model_id, version) = match target_of(&model.get_untracked(), &version.get_untracked())
        {
            Ok(t) => t,
            Err(e) => return result.set(Some((false, e))),
        };
        let Ok(r) = required("reason", &reason.get_untracked()) else {
            return;
        };
        let env = environment.get_untracked();
        let who = actor.get_untracked();
        let done = format!("{model_id} {version} deployed to {env}");
        let cmd = Command::Models(models::Command::PromoteToEnvironment {
            model_id,
            version,
            environment: env,
            reason: r,
        });
        // The result is said once, on the form's line (a toast only offers an undo).
        let outcome = console.act_in_form_as(cmd, &who);
        let by = match who.trim() {
            "" => String::new(),
            named => format!(" by {named}"),
        };
        let (ok, words) = crate::outcome::form_line(&outcome, &format!("{done}{by}"));
        result.set(Some((ok, words)));
        if ok {
            reason.set(String::new());
            touched.set(false);
        }
    };
    view! {
        <form class="subpanel" data-testid="environment-form" on:submit=submit>
            <h3>"Promote to an environment"</h3>
            <NameField label="Environment" id="environment-name" options=environments current=environment chosen=chosen />
            <Field label="Actor (empty: you, the operator)" id="environment-actor" value=actor />
            <Field label="Reason" id="environment-reason" value=reason error=reason_err />
            <button type="submit" data-testid="environment-submit">"Deploy"</button>
            <FormResult result=result testid="environment-result" />
        </form>
    }
}

#[component]
fn AccuracyForm(
    /// The model acted on.
    model: Memo<String>,
    /// The version acted on.
    version: Memo<String>,
) -> impl IntoView {
    let console = use_console();
    let accuracy = RwSignal::new(String::new());
    let result = RwSignal::new(None::<(bool, String)>);
    let accuracy_err = Signal::derive(move || {
        (!accuracy.get().is_empty())
            .then(|| err_of(parse_required_fraction("accuracy", &accuracy.get())))
            .flatten()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (model_id, version) = match target_of(&model.get_untracked(), &version.get_untracked())
        {
            Ok(t) => t,
            Err(e) => return result.set(Some((false, e))),
        };
        let a = match parse_required_fraction("accuracy", &accuracy.get_untracked()) {
            Ok(a) => a,
            Err(e) => return result.set(Some((false, e))),
        };
        let done = format!("accuracy of {version} recorded: {a}");
        let cmd = Command::Models(models::Command::RecordAccuracy {
            model_id,
            version,
            accuracy: a,
        });
        match console.act_in_form(cmd) {
            Ok(_) => {
                result.set(Some((true, done)));
                accuracy.set(String::new());
            }
            Err(e) => result.set(Some((false, e.to_string()))),
        }
    };
    view! {
        <form class="subpanel" data-testid="accuracy-form" on:submit=submit>
            <h3>"Record a re-measured accuracy"</h3>
            <p class="muted">"E.g. a shadow's accuracy on live traffic before its promotion."</p>
            <Field label="Accuracy (0–1)" id="record-accuracy" value=accuracy kind="number" step="0.001" error=accuracy_err />
            <button type="submit" data-testid="record-accuracy-submit">"Record accuracy"</button>
            <FormResult result=result testid="record-accuracy-result" />
        </form>
    }
}

#[component]
fn MetricsForm(
    /// The model acted on.
    model: Memo<String>,
    /// The version acted on.
    version: Memo<String>,
) -> impl IntoView {
    let console = use_console();
    let fixed = METRIC_FIELDS.map(|_| RwSignal::new(String::new()));
    let extra = RwSignal::new(String::new());
    let metadata = RwSignal::new(String::new());
    let result = RwSignal::new(None::<(bool, String)>);
    let parsed = move || {
        let values: Vec<String> = fixed.iter().map(|f| f.get()).collect();
        let pairs: Vec<(&str, &str)> = METRIC_FIELDS
            .iter()
            .zip(&values)
            .map(|(n, v)| (*n, v.as_str()))
            .collect();
        let metrics = parse_metrics(&pairs, &extra.get())?;
        let facts = parse_fields(&metadata.get()).map_err(|e| format!("metadata: {e}"))?;
        if metrics.is_empty() && facts.is_empty() {
            return Err("fill at least one metric or metadata line".to_string());
        }
        Ok((metrics, facts))
    };
    let error = Signal::derive(move || {
        let filled = fixed.iter().any(|f| !f.get().is_empty())
            || !extra.get().is_empty()
            || !metadata.get().is_empty();
        filled.then(|| err_of(parsed())).flatten()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (model_id, version) = match target_of(&model.get_untracked(), &version.get_untracked())
        {
            Ok(t) => t,
            Err(e) => return result.set(Some((false, e))),
        };
        let (metrics, facts) = match untrack(parsed) {
            Ok(p) => p,
            Err(e) => return result.set(Some((false, e))),
        };
        let done = format!(
            "{} metrics and {} metadata recorded for {version}",
            metrics.len(),
            facts.len()
        );
        let cmd = Command::Models(models::Command::RecordVersionMetrics {
            model_id,
            version,
            metrics,
            metadata: facts,
        });
        match console.act_in_form(cmd) {
            Ok(_) => {
                result.set(Some((true, done)));
                fixed.iter().for_each(|f| f.set(String::new()));
                extra.set(String::new());
                metadata.set(String::new());
            }
            Err(e) => result.set(Some((false, e.to_string()))),
        }
    };
    let [accuracy, f1, error_rate, p50, p95, p99] = fixed;
    view! {
        <form class="subpanel" data-testid="metrics-form" on:submit=submit>
            <h3>"Record metrics and metadata"</h3>
            <div class="row">
                <Field label="Accuracy" id="metric-accuracy" value=accuracy kind="number" step="any" />
                <Field label="F1" id="metric-f1" value=f1 kind="number" step="any" />
                <Field label="Error rate" id="metric-error-rate" value=error_rate kind="number" step="any" />
            </div>
            <div class="row">
                <Field label="Latency p50 (ms)" id="metric-latency-p50" value=p50 kind="number" step="any" />
                <Field label="Latency p95 (ms)" id="metric-latency-p95" value=p95 kind="number" step="any" />
                <Field label="Latency p99 (ms)" id="metric-latency-p99" value=p99 kind="number" step="any" />
            </div>
            <div class="field">
                <label for="metric-other">"Other metrics (name=value per line)"</label>
                <textarea id="metric-other" data-testid="metric-other" rows="2" placeholder="auc=0.91"
                    prop:value=move || extra.get() on:input=move |ev| extra.set(event_target_value(&ev))></textarea>
            </div>
            <div class="field">
                <label for="metric-metadata">"Metadata (key=value per line)"</label>
                <textarea id="metric-metadata" data-testid="metric-metadata" rows="2" placeholder="commit=5f03b7d"
                    prop:value=move || metadata.get() on:input=move |ev| metadata.set(event_target_value(&ev))></textarea>
            </div>
            <p class="field-error" data-testid="metrics-error">{move || error.get()}</p>
            <button type="submit" data-testid="metrics-submit" disabled=move || error.get().is_some()>"Record metrics"</button>
            <FormResult result=result testid="metrics-result" />
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brain_core::Brain;
    use chrono::{TimeZone, Utc};

    #[test]
    fn the_challenger_comes_first_and_a_refused_version_is_not_offered() {
        let at = Utc
            .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .unwrap_or_default();
        let brain = Brain::demo(at);
        let report = brain
            .models()
            .into_iter()
            .find(|m| m.model_id == "lead-scorer")
            .expect("the lead scorer");
        let versions = actionable_versions(&report);
        let challenger = report.challenger.as_ref().map(ToString::to_string);
        assert_eq!(versions.first(), challenger.as_ref(), "{versions:?}");
        assert!(
            !versions.contains(&"1.2.0".to_string()),
            "1.2.0 was refused"
        );
        assert_eq!(
            versions.len(),
            report
                .versions
                .iter()
                .filter(|v| v.status != Status::Refused)
                .count()
        );
    }
}
