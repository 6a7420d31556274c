//! The models page's evidence half: the challenger's evidence against the champion as a
//! promotion would test it (samples against the minimum, rates, lift with its interval,
//! p-value, verdict and every failing reason), a form that records one window of both arms'
//! outcomes, one that records a window of a continuous metric (tested with Welch's t-test),
//! and the version in each environment.

use brain_core::brain::Command;
use brain_core::models::{self, ArmCounts, Assessment, MeanArm, SemVer, Verdict};
use brain_core::outcomes::Direction;
use leptos::prelude::*;

use crate::components::form_kit::{error_once_filled, run_and_clear};
use crate::components::{fmt_num, Field, FormTail};
use crate::forms::{parse_count, parse_number};
use crate::state::use_console;

/// One line of the evidence summary: a label and its value as shown.
#[derive(Clone, Debug, PartialEq)]
pub struct EvidenceLine {
    /// What it is.
    pub label: &'static str,
    /// Its value, formatted.
    pub value: String,
}

fn percent(x: Option<f64>) -> String {
    x.map_or_else(
        || "—".to_string(),
        |v| format!("{}%", fmt_num(v * 100.0, 2)),
    )
}

/// The summary lines of an assessment, in the order the promotion rule reads them.
pub fn evidence_lines(a: &Assessment) -> Vec<EvidenceLine> {
    let line = |label, value| EvidenceLine { label, value };
    vec![
        line(
            "samples",
            format!(
                "{} champion / {} challenger (minimum {} each)",
                a.champion_samples, a.challenger_samples, a.min_samples_per_arm
            ),
        ),
        match &a.metric {
            Some(m) => line(
                "means",
                format!(
                    "{}: {} → {} ({} is better; Welch t-test)",
                    m.metric,
                    fmt_num(m.champion_mean, 4),
                    fmt_num(m.challenger_mean, 4),
                    match m.direction {
                        Direction::HigherIsBetter => "higher",
                        Direction::LowerIsBetter => "lower",
                    }
                ),
            ),
            None => line(
                "rates",
                format!(
                    "{} → {}",
                    percent(a.champion_rate),
                    percent(a.challenger_rate)
                ),
            ),
        },
        line(
            "lift",
            format!(
                "{} [{}, {}] (minimum {}%)",
                percent(a.lift),
                percent(a.lift_ci_low),
                percent(a.lift_ci_high),
                fmt_num(a.min_relative_improvement * 100.0, 2)
            ),
        ),
        line(
            "p-value",
            format!(
                "{} (must be below {})",
                a.p_value.map_or_else(|| "—".to_string(), |p| fmt_num(p, 4)),
                a.max_p_value
            ),
        ),
        line(
            "verdict",
            match a.verdict {
                Verdict::Promote => "promote".to_string(),
                Verdict::Hold => "hold".to_string(),
            },
        ),
    ]
}

/// Both arms of a window from the form's four fields: whole numbers, correct at most total.
pub fn parse_arms(
    champion: (&str, &str),
    challenger: (&str, &str),
) -> Result<(ArmCounts, ArmCounts), String> {
    let arm = |name: &str, (correct, total): (&str, &str)| -> Result<ArmCounts, String> {
        let c = parse_count(&format!("{name} correct"), correct)?;
        let t = parse_count(&format!("{name} total"), total)?;
        if t == 0 {
            return Err(format!("{name} total must be at least 1"));
        }
        if c > t {
            return Err(format!("{name} correct ({c}) exceeds total ({t})"));
        }
        Ok(ArmCounts {
            correct: c.unsigned_abs(),
            total: t.unsigned_abs(),
        })
    };
    Ok((arm("champion", champion)?, arm("challenger", challenger)?))
}

/// One arm of a continuous metric from the form's three fields: a unit count of at least 1
/// and finite sums.
pub fn parse_mean_arm(
    name: &str,
    (n, sum, squares): (&str, &str, &str),
) -> Result<MeanArm, String> {
    let units = parse_count(&format!("{name} n"), n)?;
    if units < 1 {
        return Err(format!("{name} n must be at least 1"));
    }
    Ok(MeanArm {
        n: units.unsigned_abs(),
        sum: parse_number(&format!("{name} sum"), sum)?,
        sum_squares: parse_number(&format!("{name} sum of squares"), squares)?,
    })
}

/// The form recording one window of a continuous metric of both arms (the engine checks the
/// totals hold together and that the metric is the one already recorded).
#[component]
fn MetricEvidenceForm(
    model_id: StoredValue<String>,
    challenger: Memo<Option<SemVer>>,
) -> impl IntoView {
    let console = use_console();
    let metric = RwSignal::new(String::new());
    let direction = RwSignal::new("higher_is_better".to_string());
    let fields = [(); 6].map(|_| RwSignal::new(String::new()));
    let [cn, cs, cq, xn, xs, xq] = fields;
    let parsed = move || -> Result<(MeanArm, MeanArm), String> {
        Ok((
            parse_mean_arm("champion", (&cn.get(), &cs.get(), &cq.get()))?,
            parse_mean_arm("challenger", (&xn.get(), &xs.get(), &xq.get()))?,
        ))
    };
    let error = error_once_filled(fields, parsed);
    let result = RwSignal::new(None::<(bool, String)>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(version) = challenger.get_untracked() else {
            return;
        };
        run_and_clear(
            console,
            result,
            fields,
            untrack(parsed),
            |(champion, arm)| {
                let cmd = Command::Models(models::Command::RecordMetricEvidence {
                    model_id: model_id.get_value(),
                    version: version.clone(),
                    metric: metric.get_untracked().trim().to_string(),
                    direction: if direction.get_untracked() == "lower_is_better" {
                        Direction::LowerIsBetter
                    } else {
                        Direction::HigherIsBetter
                    },
                    champion,
                    challenger: arm,
                });
                (cmd, format!("metric evidence recorded for {version}"))
            },
        );
    };
    view! {
        <form class="row" data-testid="metric-evidence-form" on:submit=submit>
            <Field label="Metric" id="metric-evidence-metric" scope=model_id.get_value() value=metric />
            <div class="field">
                <label for=format!("{}-metric-evidence-direction", model_id.get_value())>"Better when"</label>
                <select
                    id=format!("{}-metric-evidence-direction", model_id.get_value())
                    data-testid="metric-evidence-direction"
                    prop:value=move || direction.get()
                    on:change=move |ev| direction.set(event_target_value(&ev))
                >
                    <option value="higher_is_better">"higher"</option>
                    <option value="lower_is_better">"lower"</option>
                </select>
                <div class="field-error"></div>
            </div>
            <Field label="Champion n" id="metric-evidence-champion-n" scope=model_id.get_value() value=cn kind="number" />
            <Field label="Champion sum" id="metric-evidence-champion-sum" scope=model_id.get_value() value=cs kind="number" step="any" />
            <Field label="Champion sum of squares" id="metric-evidence-champion-squares" scope=model_id.get_value() value=cq kind="number" step="any" />
            <Field label="Challenger n" id="metric-evidence-challenger-n" scope=model_id.get_value() value=xn kind="number" />
            <Field label="Challenger sum" id="metric-evidence-challenger-sum" scope=model_id.get_value() value=xs kind="number" step="any" />
            <Field label="Challenger sum of squares" id="metric-evidence-challenger-squares" scope=model_id.get_value() value=xq kind="number" step="any" />
            <FormTail prefix="metric-evidence" button="Record metric window" error=error result=result />
        </form>
    }
}

/// The challenger's evidence, the form that adds to it, and the environments.
#[component]
pub fn EvidencePanel(
    /// The model.
    model_id: String,
) -> impl IntoView {
    let console = use_console();
    let id = StoredValue::new(model_id);
    let challenger = Memo::new(move |_| {
        console.with(|b| {
            b.state()
                .models
                .challenger(&id.get_value())
                .map(|v| v.version.clone())
        })
    });
    let assessment = Memo::new(move |_| {
        let version = challenger.get()?;
        console.with(|b| b.model_assessment(&id.get_value(), &version))
    });
    let environments = Memo::new(move |_| {
        console.with(|b| {
            let model = b.state().models.model(&id.get_value());
            let policy = b.policy().models.environments.clone();
            policy
                .into_iter()
                .map(|e| {
                    let v = model
                        .and_then(|m| m.environments.get(&e))
                        .map_or_else(|| "—".to_string(), SemVer::to_string);
                    (e, v)
                })
                .collect::<Vec<_>>()
        })
    });
    let fields = [(); 4].map(|_| RwSignal::new(String::new()));
    let [cc, ct, xc, xt] = fields;
    let parsed = move || parse_arms((&cc.get(), &ct.get()), (&xc.get(), &xt.get()));
    let error = error_once_filled(fields, parsed);
    // The form's own result line: a refused or incomplete window says why here.
    let result = RwSignal::new(None::<(bool, String)>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(version) = challenger.get_untracked() else {
            return;
        };
        run_and_clear(
            console,
            result,
            fields,
            untrack(parsed),
            |(champion, arm)| {
                let cmd = Command::Models(models::Command::RecordArmEvidence {
                    model_id: id.get_value(),
                    version: version.clone(),
                    champion,
                    challenger: arm,
                });
                (cmd, format!("evidence recorded for {version}"))
            },
        );
    };
    view! {
        <div class="evidence" data-testid="model-evidence">
            <h3>"Environments"</h3>
            <ul class="environments" data-testid="model-environments">
                <For each=move || environments.get() key=|e| e.clone() let:e>
                    <li data-environment=e.0.clone()>{e.0.clone()} ": " <strong>{e.1.clone()}</strong></li>
                </For>
            </ul>
            <Show when=move || challenger.get().is_some() fallback=|| ()>
                <h3>"Challenger " {move || challenger.get().map(|v| v.to_string())} " against the champion"</h3>
                <dl class="evidence-lines" data-testid="evidence-lines">
                    {move || assessment.get().map(|a| {
                        evidence_lines(&a)
                            .into_iter()
                            .map(|l| view! { <dt>{l.label}</dt><dd data-line=l.label>{l.value}</dd> })
                            .collect_view()
                    })}
                </dl>
                <ul class="reasons" data-testid="evidence-reasons">
                    {move || assessment.get().map(|a| {
                        a.reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()
                    })}
                </ul>
                <form class="row" data-testid="evidence-form" on:submit=submit>
                    <Field label="Champion correct" id="evidence-champion-correct" scope=id.get_value() value=cc kind="number" />
                    <Field label="Champion total" id="evidence-champion-total" scope=id.get_value() value=ct kind="number" />
                    <Field label="Challenger correct" id="evidence-challenger-correct" scope=id.get_value() value=xc kind="number" />
                    <Field label="Challenger total" id="evidence-challenger-total" scope=id.get_value() value=xt kind="number" />
                    <FormTail prefix="evidence" button="Record window" error=error result=result />
                </form>
                <h4>"Or a continuous metric per arm (n, sum, sum of squares)"</h4>
                <MetricEvidenceForm model_id=id challenger=challenger />
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brain_core::Brain;
    use chrono::{TimeZone, Utc};

    #[test]
    fn the_demo_challenger_shows_its_samples_against_the_minimum_and_holds() {
        let at = Utc
            .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .unwrap_or_default();
        let brain = Brain::demo(at);
        let a = brain
            .model_assessment("lead-scorer", &SemVer::new(1, 3, 0))
            .expect("the demo's challenger");
        let lines = evidence_lines(&a);
        assert_eq!(
            lines[0].value,
            "400 champion / 400 challenger (minimum 1000 each)"
        );
        assert_eq!(lines[4].value, "hold");
    }

    #[test]
    fn a_metric_arm_needs_a_unit_and_numbers() {
        assert_eq!(
            parse_mean_arm("champion", ("3", "30", "302")),
            Ok(MeanArm {
                n: 3,
                sum: 30.0,
                sum_squares: 302.0
            })
        );
        assert_eq!(
            parse_mean_arm("challenger", ("0", "1", "1")),
            Err("challenger n must be at least 1".to_string())
        );
        assert!(parse_mean_arm("champion", ("3", "x", "1")).is_err());
    }

    #[test]
    fn arms_are_whole_numbers_with_correct_at_most_total() {
        assert_eq!(
            parse_arms(("800", "1000"), ("850", "1000")),
            Ok((
                ArmCounts {
                    correct: 800,
                    total: 1000
                },
                ArmCounts {
                    correct: 850,
                    total: 1000
                }
            ))
        );
        assert_eq!(
            parse_arms(("11", "10"), ("1", "1")),
            Err("champion correct (11) exceeds total (10)".to_string())
        );
        assert_eq!(
            parse_arms(("1", "1"), ("0", "0")),
            Err("challenger total must be at least 1".to_string())
        );
        assert!(parse_arms(("x", "1"), ("1", "1")).is_err());
    }
}
