//! Pre-registration on the Policy page: register an experiment's decision rule (metric,
//! method, alpha, minimum sample, minimum run time, minimum detectable effect) before its data
//! arrives, with `RegisterRule`; list the registrations with their hash and any change made
//! after the data arrived (which verification flags). Reading a winner early is refused by the
//! engine as peeking; the A/B page reads it under the registered rule.

use brain_core::brain::Command;
use brain_core::prereg::{self, DecisionRule};
use brain_core::stats::WinnerMethod;
use leptos::prelude::*;

use crate::components::{IdList, Known};
use crate::state::use_console;

/// The form as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    /// The experiment (its A/B name).
    pub experiment_id: String,
    /// The metric judged.
    pub metric: String,
    /// "frequentist", "sequential" or "bayesian".
    pub method: String,
    /// Significance level.
    pub alpha: String,
    /// Trials per variant.
    pub min_sample: String,
    /// Hours before the winner may be read.
    pub min_run_hours: String,
    /// Smallest relative lift worth detecting.
    pub min_detectable_effect: String,
    /// Why (required when the rule changes after data arrived).
    pub reason: String,
}

impl Default for Form {
    fn default() -> Self {
        Self {
            experiment_id: String::new(),
            metric: "conversion".into(),
            method: "frequentist".into(),
            alpha: "0.05".into(),
            min_sample: "1000".into(),
            min_run_hours: "168".into(),
            min_detectable_effect: "0.1".into(),
            reason: String::new(),
        }
    }
}

/// The `RegisterRule` the form describes; the engine checks the ranges.
pub fn command(form: &Form) -> Result<Command, String> {
    let number = |text: &str, what: &str| {
        text.trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| format!("{what}: a number"))
    };
    let whole = |text: &str, what: &str| {
        text.trim()
            .parse::<u64>()
            .map_err(|_| format!("{what}: a whole number ≥ 0"))
    };
    if form.experiment_id.trim().is_empty() {
        return Err("experiment: give its name".into());
    }
    let method = match form.method.as_str() {
        "sequential" => WinnerMethod::Sequential,
        "bayesian" => WinnerMethod::Bayesian,
        _ => WinnerMethod::Frequentist,
    };
    let reason = form.reason.trim();
    Ok(Command::Prereg(prereg::Command::RegisterRule {
        experiment_id: form.experiment_id.trim().to_string(),
        rule: DecisionRule {
            metric: form.metric.trim().to_string(),
            method,
            alpha: number(&form.alpha, "alpha")?,
            min_sample: whole(&form.min_sample, "minimum sample")?,
            min_run_hours: whole(&form.min_run_hours, "minimum run time")?,
            min_detectable_effect: number(
                &form.min_detectable_effect,
                "minimum detectable effect",
            )?,
        },
        reason: (!reason.is_empty()).then(|| reason.to_string()),
    }))
}

/// The pre-registration form and the registrations.
#[component]
pub fn PreregSection() -> impl IntoView {
    let console = use_console();
    let form = RwSignal::new(Form::default());
    let drafted = Memo::new(move |_| form.with(command));
    let registrations = Memo::new(move |_| {
        console.with(|b| {
            b.state()
                .prereg
                .registrations
                .iter()
                .map(|(id, r)| (id.clone(), r.clone()))
                .collect::<Vec<_>>()
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Ok(cmd) = drafted.get_untracked() {
            let id = form.with_untracked(|f| f.experiment_id.trim().to_string());
            if console
                .act(cmd, &format!("decision rule registered for {id}"))
                .is_ok()
            {
                form.update(|f| f.reason.clear());
            }
        }
    };
    let text = move |label: &'static str,
                     id: &'static str,
                     get: fn(&Form) -> String,
                     set: fn(&mut Form, String)| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id data-testid=id type="text"
                    prop:value=move || form.with(get)
                    on:input=move |ev| form.update(|f| set(f, event_target_value(&ev))) />
            </div>
        }
    };
    view! {
        <form class="panel" data-testid="prereg-form" on:submit=submit>
            <h2>"Pre-register a decision rule"</h2>
            <p class="muted">
                "Fix how an experiment's winner will be decided before its data arrives. The rule is hashed into the audit log; reading the winner before the minimum run time or sample is refused as peeking."
            </p>
            <div class="row">
                <div class="field">
                    <label for="prereg-experiment">"Experiment"</label>
                    <input id="prereg-experiment" data-testid="prereg-experiment" type="text" list="known-experiments"
                        prop:value=move || form.with(|f| f.experiment_id.clone())
                        on:input=move |ev| form.update(|f| f.experiment_id = event_target_value(&ev)) />
                    // A rule may be registered before its experiment exists: a suggestion, no hint.
                    <IdList id="known-experiments" kind=Known::Experiments />
                </div>
                {text("Metric", "prereg-metric", |f| f.metric.clone(), |f, v| f.metric = v)}
                <div class="field">
                    <label for="prereg-method">"Method"</label>
                    <select id="prereg-method" data-testid="prereg-method"
                        on:change=move |ev| form.update(|f| f.method = event_target_value(&ev))>
                        <option value="frequentist">"frequentist"</option>
                        <option value="sequential">"sequential"</option>
                        <option value="bayesian">"bayesian"</option>
                    </select>
                </div>
                {text("Alpha", "prereg-alpha", |f| f.alpha.clone(), |f, v| f.alpha = v)}
                {text("Minimum sample per variant", "prereg-min-sample", |f| f.min_sample.clone(), |f, v| f.min_sample = v)}
                {text("Minimum run time (hours)", "prereg-min-hours", |f| f.min_run_hours.clone(), |f, v| f.min_run_hours = v)}
                {text("Minimum detectable effect (0.1 = 10%)", "prereg-mde", |f| f.min_detectable_effect.clone(), |f, v| f.min_detectable_effect = v)}
                {text("Reason (required to change a rule after data)", "prereg-reason", |f| f.reason.clone(), |f, v| f.reason = v)}
            </div>
            <div class="field-error" data-testid="prereg-error">{move || drafted.get().err()}</div>
            <button type="submit" data-testid="prereg-submit" disabled=move || drafted.get().is_err()>"Register"</button>
            <Show when=move || !registrations.get().is_empty()>
                <div class="table-wrap" tabindex="0">
                    <table data-testid="prereg-table">
                        <thead>
                            <tr>
                                <th>"Experiment"</th>
                                <th>"Rule"</th>
                                <th>"Hash"</th>
                                <th>"Changed after data"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || {
                                registrations
                                    .get()
                                    .into_iter()
                                    .map(|(id, r)| {
                                        let rule = format!(
                                            "{}, {:?}, alpha {}, ≥ {} per variant, ≥ {} h, MDE {}",
                                            r.rule.metric,
                                            r.rule.method,
                                            r.rule.alpha,
                                            r.rule.min_sample,
                                            r.rule.min_run_hours,
                                            r.rule.min_detectable_effect
                                        );
                                        let flagged = r.changed_after_data().count();
                                        view! {
                                            <tr data-testid="prereg-row">
                                                <td>{id}</td>
                                                <td>{rule}</td>
                                                <td><code>{r.rule_hash.chars().take(12).collect::<String>()}</code></td>
                                                <td>{if flagged == 0 { "no".to_string() } else { format!("{flagged} time(s): flagged") }}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </tbody>
                    </table>
                </div>
            </Show>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_becomes_a_register_rule_and_bad_numbers_are_named() {
        let mut form = Form {
            experiment_id: " subject-line ".into(),
            method: "bayesian".into(),
            ..Form::default()
        };
        let Ok(Command::Prereg(prereg::Command::RegisterRule {
            experiment_id,
            rule,
            reason,
        })) = command(&form)
        else {
            panic!("a RegisterRule");
        };
        assert_eq!(experiment_id, "subject-line");
        assert_eq!(rule.method, WinnerMethod::Bayesian);
        assert_eq!((rule.min_sample, rule.min_run_hours), (1000, 168));
        assert_eq!(reason, None);
        form.min_run_hours = "-1".into();
        assert!(command(&form).is_err_and(|e| e.contains("minimum run time")));
        form.experiment_id = " ".into();
        assert!(command(&form).is_err_and(|e| e.contains("experiment")));
    }
}
