//! Policy tuning on the Policy page: define a search over one or two policy fields (values as
//! `min:max:step` or a comma-separated list), pick an objective from the domain, a constraint
//! and a hold-out, run it over the recorded history in slices (a progress bar and Cancel keep
//! the page responsive), read the ranking with both parts' scores and a chart of the objective
//! against the first field, and apply a candidate with `SetPolicy` and a reason.
//!
//! The search itself is the core's (`brain_core::tuning`); this file only turns the form into
//! a spec, steps the `Tuner` between frames and shows its ranking.

use brain_core::brain::Command;
use brain_core::policy::{self, PolicyPatch};
use brain_core::policy_fields;
use brain_core::tuning::{
    Constraint, Objective, Parameter, Range, Ranked, Ranking, Search, Spec, Tuner,
};
use leptos::prelude::*;
use leptos_chartistry::*;
use serde_json::Value;

use crate::state::{use_console, Console};

/// Candidates the ranking table shows (best first).
pub const SHOWN: usize = 10;

/// Milliseconds of work per slice before the page paints again.
const STEP_MS: f64 = 12.0;

/// Commands a slice replays between two clock reads.
const CHUNK: usize = 64;

/// The form as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    /// Field paths and their values text, one or two rows (an empty path is no row).
    pub rows: Vec<(String, String)>,
    /// Random sampling (else a grid).
    pub random: bool,
    /// Candidates drawn by a random search.
    pub candidates: String,
    /// Seed of a random search.
    pub seed: String,
    /// What the ranking minimises.
    pub objective: Objective,
    /// No more promotions later reversed than the policy in force.
    pub no_more_reversals: bool,
    /// Share held out, in per cent.
    pub holdout: String,
}

impl Default for Form {
    fn default() -> Self {
        Self {
            rows: vec![
                ("promotion.consecutive".into(), "1:5:1".into()),
                (String::new(), String::new()),
            ],
            random: false,
            candidates: "20".into(),
            seed: "1".into(),
            objective: Objective::ReversedPromotions,
            no_more_reversals: false,
            holdout: "30".into(),
        }
    }
}

/// One field's values: `min:max:step` (a range) or `a, b, c` (choices: numbers, true, false,
/// or words).
pub fn parameter(path: &str, text: &str) -> Result<Parameter, String> {
    let text = text.trim();
    if text.contains(':') {
        let parts: Vec<f64> = text
            .split(':')
            .map(|p| p.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| format!("{path}: a range is min:max:step, in numbers"))?;
        let [min, max, step] = parts[..] else {
            return Err(format!("{path}: a range is min:max:step"));
        };
        return Ok(Parameter {
            path: path.to_string(),
            range: Some(Range { min, max, step }),
            choices: None,
        });
    }
    let choices: Vec<Value> = text
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| serde_json::from_str::<Value>(c).unwrap_or_else(|_| Value::String(c.into())))
        .collect();
    if choices.is_empty() {
        return Err(format!(
            "{path}: give values as min:max:step or a comma-separated list"
        ));
    }
    Ok(Parameter {
        path: path.to_string(),
        range: None,
        choices: Some(choices),
    })
}

/// The spec the form describes (the core checks the rest when the search starts).
pub fn spec(form: &Form) -> Result<Spec, String> {
    let parameters = form
        .rows
        .iter()
        .filter(|(path, _)| !path.is_empty())
        .map(|(path, text)| parameter(path, text))
        .collect::<Result<Vec<_>, _>>()?;
    let search = if form.random {
        Search::Random {
            candidates: form
                .candidates
                .trim()
                .parse()
                .map_err(|_| "candidates: a whole number from 1 to 10,000".to_string())?,
            seed: form
                .seed
                .trim()
                .parse()
                .map_err(|_| "seed: a whole number ≥ 0".to_string())?,
        }
    } else {
        Search::Grid
    };
    let holdout = form
        .holdout
        .trim()
        .parse::<f64>()
        .map_err(|_| "hold-out: a per cent from 0 to 90".to_string())?
        / 100.0;
    Ok(Spec {
        parameters,
        search,
        objective: form.objective,
        constraints: if form.no_more_reversals {
            vec![Constraint {
                objective: Objective::ReversedPromotions,
                max: None,
            }]
        } else {
            Vec::new()
        },
        holdout,
    })
}

/// A candidate's settings in words: "promotion.consecutive = 3, …".
pub fn settings_text(r: &Ranked) -> String {
    r.settings
        .iter()
        .map(|s| format!("{} = {}", s.path, s.value))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The command that applies a candidate.
pub fn apply_command(r: &Ranked, reason: &str) -> Result<Command, String> {
    let patch = PolicyPatch::from_value(r.patch.clone()).map_err(|e| e.to_string())?;
    Ok(Command::Policy(policy::Command::SetPolicy {
        policy: patch,
        reason: Some(reason.trim().to_string()),
    }))
}

/// One point of the chart: a value of the first field, and the best objective any candidate
/// with that value scored on each part.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// The field's value.
    pub x: f64,
    /// Best score on the choosing part.
    pub choose: f64,
    /// Best score on the held-out part (NaN without one).
    pub validate: f64,
}

/// The chart's points, by value of the first field (numeric values only).
pub fn points(ranking: &Ranking) -> Vec<Point> {
    let objective = ranking.objective;
    let mut out: Vec<Point> = Vec::new();
    for r in &ranking.candidates {
        let (Some(x), Some(c)) = (r.settings.first().and_then(|s| s.value.as_f64()), r.choose)
        else {
            continue;
        };
        let v = r.validate.map_or(f64::NAN, |s| s.get(objective));
        match out.iter_mut().find(|p| p.x == x) {
            Some(p) => {
                p.choose = p.choose.min(c.get(objective));
                p.validate = if p.validate.is_nan() {
                    v
                } else {
                    p.validate.min(v)
                };
            }
            None => out.push(Point {
                x,
                choose: c.get(objective),
                validate: v,
            }),
        }
    }
    out.sort_by(|a, b| a.x.total_cmp(&b.x));
    out
}

/// Fields a search may vary: numbers, flags and words (not lists).
fn tunable_paths(console: Console) -> Vec<(String, String)> {
    console.with_untracked(|b| {
        policy_fields::leaves(b.policy())
            .into_iter()
            .filter(|(_, v)| !v.is_array())
            .map(|(p, _)| {
                let label = policy_fields::doc(&p).map_or(p.clone(), |d| d.label.to_string());
                (p, label)
            })
            .collect()
    })
}

/// Steps `tuner` for about [`STEP_MS`] per task until done or cancelled (`generation` moved on).
fn step_tuner(
    mut tuner: Tuner,
    mine: u64,
    generation: StoredValue<u64>,
    progress: RwSignal<(usize, usize)>,
    result: RwSignal<Option<Ranking>>,
    running: RwSignal<bool>,
) {
    set_timeout(
        move || {
            if generation.try_get_value() != Some(mine) {
                return;
            }
            let start = js_sys::Date::now();
            let mut p = tuner.progress();
            while !p.done && js_sys::Date::now() - start < STEP_MS {
                p = tuner.step(CHUNK);
            }
            progress.set((p.commands_done, p.commands_total));
            if !p.done {
                step_tuner(tuner, mine, generation, progress, result, running);
                return;
            }
            result.set(tuner.ranking());
            running.set(false);
        },
        std::time::Duration::from_millis(0),
    );
}

/// The tuning section of the Policy page.
#[component]
pub fn PolicyTune() -> impl IntoView {
    let console = use_console();
    let form = RwSignal::new(Form::default());
    let paths = StoredValue::new(tunable_paths(console));
    let drafted = Memo::new(move |_| form.with(spec));
    let error = RwSignal::new(None::<String>);
    let running = RwSignal::new(false);
    let progress = RwSignal::new((0usize, 0usize));
    let generation = StoredValue::new(0u64);
    let result = RwSignal::new(None::<Ranking>);
    let reason = RwSignal::new(String::new());
    let run = move |_| {
        let Ok(spec) = drafted.get_untracked() else {
            return;
        };
        result.set(None);
        match console.with_untracked(|b| b.tuner(spec)) {
            Err(e) => error.set(Some(e.to_string())),
            Ok(tuner) => {
                error.set(None);
                generation.update_value(|g| *g += 1);
                let p = tuner.progress();
                progress.set((p.commands_done, p.commands_total));
                running.set(true);
                step_tuner(
                    tuner,
                    generation.get_value(),
                    generation,
                    progress,
                    result,
                    running,
                );
            }
        }
    };
    let cancel = move |_| {
        generation.update_value(|g| *g += 1);
        running.set(false);
        console.toast(true, "tuning cancelled".to_string());
    };
    let apply = move |r: Ranked| {
        let why = reason.get_untracked();
        if why.trim().is_empty() {
            error.set(Some("give a reason for the change before applying".into()));
            return;
        }
        match apply_command(&r, &why) {
            Err(e) => error.set(Some(e)),
            Ok(cmd) => {
                if console
                    .act(cmd, &format!("policy applied: {}", settings_text(&r)))
                    .is_ok()
                {
                    reason.set(String::new());
                    error.set(None);
                }
            }
        }
    };
    let row_input = move |i: usize| {
        let path_id = format!("tune-path-{i}");
        let values_id = format!("tune-values-{i}");
        let get = move || form.with(|f| f.rows.get(i).cloned().unwrap_or_default());
        view! {
            <div class="field">
                <label for=path_id.clone()>{format!("Field {}", i + 1)}</label>
                <select
                    id=path_id.clone()
                    data-testid=path_id.clone()
                    prop:value=move || get().0
                    on:change=move |ev| {
                        form.update(|f| {
                            if let Some(r) = f.rows.get_mut(i) {
                                r.0 = event_target_value(&ev);
                            }
                        })
                    }
                >
                    <option value="">"(none)"</option>
                    {paths
                        .get_value()
                        .into_iter()
                        .map(|(p, label)| view! { <option value=p.clone()>{format!("{label} ({p})")}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=values_id.clone()>"Values (min:max:step, or a, b, c)"</label>
                <input
                    id=values_id.clone()
                    data-testid=values_id.clone()
                    type="text"
                    prop:value=move || get().1
                    on:input=move |ev| {
                        form.update(|f| {
                            if let Some(r) = f.rows.get_mut(i) {
                                r.1 = event_target_value(&ev);
                            }
                        })
                    }
                />
            </div>
        }
    };
    view! {
        <section class="panel" data-testid="tune-form">
            <h2>"Tune the policy on the recorded history"</h2>
            <p class="muted">
                "Each candidate policy is replayed over the whole command log; the earlier part chooses, the later part (held out) checks the choice."
            </p>
            <div class="row">{row_input(0)}</div>
            <div class="row">{row_input(1)}</div>
            <div class="row">
                <div class="field">
                    <label for="tune-objective">"Objective (lower is better)"</label>
                    <select
                        id="tune-objective"
                        data-testid="tune-objective"
                        on:change=move |ev| {
                            let name = event_target_value(&ev);
                            if let Some(o) = Objective::ALL.into_iter().find(|o| o.name() == name) {
                                form.update(|f| f.objective = o);
                            }
                        }
                    >
                        {Objective::ALL
                            .into_iter()
                            .map(|o| view! { <option value=o.name() selected=move || form.with(|f| f.objective == o)>{o.label()}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="tune-search">"Search"</label>
                    <select
                        id="tune-search"
                        data-testid="tune-search"
                        on:change=move |ev| form.update(|f| f.random = event_target_value(&ev) == "random")
                    >
                        <option value="grid">"every combination (grid)"</option>
                        <option value="random">"random sample (seeded)"</option>
                    </select>
                </div>
                <Show when=move || form.with(|f| f.random)>
                    <div class="field">
                        <label for="tune-candidates">"Candidates"</label>
                        <input id="tune-candidates" data-testid="tune-candidates" type="number" min="1" step="1"
                            prop:value=move || form.with(|f| f.candidates.clone())
                            on:input=move |ev| form.update(|f| f.candidates = event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="tune-seed">"Seed"</label>
                        <input id="tune-seed" data-testid="tune-seed" type="number" min="0" step="1"
                            prop:value=move || form.with(|f| f.seed.clone())
                            on:input=move |ev| form.update(|f| f.seed = event_target_value(&ev)) />
                    </div>
                </Show>
                <div class="field">
                    <label for="tune-holdout">"Held out for validation (%)"</label>
                    <input id="tune-holdout" data-testid="tune-holdout" type="number" min="0" max="90" step="5"
                        prop:value=move || form.with(|f| f.holdout.clone())
                        on:input=move |ev| form.update(|f| f.holdout = event_target_value(&ev)) />
                </div>
                <label>
                    <input type="checkbox" data-testid="tune-constraint"
                        prop:checked=move || form.with(|f| f.no_more_reversals)
                        on:change=move |ev| form.update(|f| f.no_more_reversals = event_target_checked(&ev)) />
                    " No more promotions later reversed than the policy in force"
                </label>
            </div>
            <div class="field-error" data-testid="tune-error">
                {move || error.get().or_else(|| drafted.get().err())}
            </div>
            <div class="row">
                <button type="button" data-testid="tune-run" disabled=move || running.get() || drafted.get().is_err() on:click=run>
                    "Run the search"
                </button>
            </div>
        </section>
        <Show when=move || running.get()>
            <section class="panel" data-testid="tune-running">
                <progress
                    data-testid="tune-progress"
                    max=move || progress.get().1.max(1).to_string()
                    value=move || progress.get().0.to_string()
                ></progress>
                <p>
                    {move || {
                        let (done, total) = progress.get();
                        format!("Replayed {done} of {total} command(s) over every candidate.")
                    }}
                </p>
                <button type="button" data-testid="tune-cancel" on:click=cancel>"Cancel"</button>
            </section>
        </Show>
        {move || result.get().map(|r| view! { <TuneResults ranking=r reason=reason apply=apply /> })}
    }
}

/// The ranking: the policy in force, the best candidates with both scores, the chart.
#[component]
fn TuneResults(
    /// The finished search.
    ranking: Ranking,
    /// The reason typed for applying.
    reason: RwSignal<String>,
    /// Applies a candidate.
    apply: impl Fn(Ranked) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let objective = ranking.objective;
    let fmt = move |s: Option<brain_core::tuning::Scores>| {
        s.map_or("—".to_string(), |s| format!("{:.2}", s.get(objective)))
    };
    let baseline = format!(
        "Policy in force: {} {} on the choosing part, {} held out.",
        fmt(Some(ranking.baseline_choose)),
        objective.label(),
        fmt(ranking.baseline_validate)
    );
    let top: Vec<Ranked> = ranking.candidates.iter().take(SHOWN).cloned().collect();
    let points = points(&ranking);
    let first = ranking
        .candidates
        .first()
        .and_then(|r| r.settings.first())
        .map(|s| s.path.clone())
        .unwrap_or_default();
    view! {
        <section class="panel" data-testid="tune-results">
            <h2>"Ranking"</h2>
            <p data-testid="tune-baseline">{baseline}</p>
            <div class="field">
                <label for="tune-reason">"Reason for applying (kept in the history)"</label>
                <input id="tune-reason" data-testid="tune-reason" type="text"
                    maxlength=policy::MAX_REASON_LEN.to_string()
                    prop:value=move || reason.get()
                    on:input=move |ev| reason.set(event_target_value(&ev)) />
            </div>
            <div class="table-wrap" tabindex="0">
                <table>
                    <thead>
                        <tr>
                            <th class="num">"Rank"</th>
                            <th>"Settings"</th>
                            <th class="num">{format!("{} (choosing)", objective.label())}</th>
                            <th class="num">"(held out)"</th>
                            <th>"Constraints"</th>
                            <th></th>
                        </tr>
                    </thead>
                    <tbody>
                        {top
                            .into_iter()
                            .enumerate()
                            .map(|(i, r)| {
                                let note = match (&r.invalid, r.violations.is_empty()) {
                                    (Some(e), _) => format!("invalid: {e}"),
                                    (None, true) => "kept".to_string(),
                                    (None, false) => r.violations.join("; "),
                                };
                                let runnable = r.invalid.is_none();
                                let row = r.clone();
                                view! {
                                    <tr data-testid="tune-row">
                                        <td class="num">{i + 1}</td>
                                        <td data-testid="tune-settings">{settings_text(&r)}</td>
                                        <td class="num">{fmt(r.choose)}</td>
                                        <td class="num">{fmt(r.validate)}</td>
                                        <td>{note}</td>
                                        <td>
                                            <button type="button" class="secondary" data-testid="tune-apply"
                                                disabled=move || !runnable || reason.get().trim().is_empty()
                                                on:click=move |_| apply(row.clone())>
                                                "Apply"
                                            </button>
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <h3>{format!("{} against {first}", objective.label())}</h3>
            <div class="chart" data-testid="tune-chart">
                {if points.len() < 2 {
                    view! { <p class="empty">"The chart needs at least two numeric values of the first field."</p> }.into_any()
                } else {
                    let data = Signal::derive(move || points.clone());
                    view! {
                        <Chart
                            aspect_ratio=AspectRatio::from_env_width(260.0)
                            left=crate::components::precise_ticks()
                            bottom=TickLabels::aligned_floats()
                            top=Legend::middle()
                            inner=[AxisMarker::left_edge().into_inner(), YGridLine::default().into_inner()]
                            series=Series::new(|p: &Point| p.x)
                                .line(Line::new(|p: &Point| p.choose).with_name("choosing part").with_interpolation(Interpolation::Linear))
                                .line(Line::new(|p: &Point| p.validate).with_name("held out").with_interpolation(Interpolation::Linear))
                            data=data
                        />
                    }
                        .into_any()
                }}
            </div>
            <p class="muted">
                {format!("For each value of {first}: the best {} any candidate with that value scored, on the earlier (choosing) part of the history and on the later part held out. Lower is better.", objective.label())}
            </p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brain_core::Brain;
    use chrono::{TimeZone, Utc};

    #[test]
    fn the_form_reads_ranges_and_lists_and_refuses_what_it_cannot_read() {
        let p = parameter("promotion.consecutive", " 1 : 5 : 2 ").expect("range");
        assert_eq!(
            p.range,
            Some(Range {
                min: 1.0,
                max: 5.0,
                step: 2.0
            })
        );
        let p = parameter("promotion.estimate", "point, wilson").expect("choices");
        assert_eq!(
            p.choices,
            Some(vec![Value::from("point"), Value::from("wilson")])
        );
        let p = parameter("gates.min_accuracy", "0.8, 0.9").expect("numbers");
        assert_eq!(p.choices, Some(vec![Value::from(0.8), Value::from(0.9)]));
        assert!(parameter("x", "1:2").is_err());
        assert!(parameter("x", " , ").is_err());
        let mut form = Form {
            holdout: "abc".into(),
            ..Form::default()
        };
        assert!(spec(&form).is_err_and(|e| e.contains("hold-out")));
        form.holdout = "20".into();
        form.no_more_reversals = true;
        let s = spec(&form).expect("spec");
        assert_eq!(s.parameters.len(), 1, "an empty row is no parameter");
        assert!((s.holdout - 0.2).abs() < 1e-12);
        assert_eq!(s.constraints.len(), 1);
    }

    #[test]
    fn the_chart_keeps_the_best_score_per_value_and_the_apply_command_sets_the_candidate() {
        let brain = Brain::demo(
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
                .single()
                .unwrap_or_default(),
        );
        let mut form = Form {
            objective: Objective::GoodClonesBlocked,
            ..Form::default()
        };
        form.rows[1] = ("readiness.ready_threshold".into(), "0.6, 0.9".into());
        let ranking = brain.tune(spec(&form).expect("spec")).expect("ranking");
        let pts = points(&ranking);
        assert_eq!(
            pts.iter().map(|p| p.x).collect::<Vec<_>>(),
            [1.0, 2.0, 3.0, 4.0, 5.0]
        );
        for p in &pts {
            let best = ranking
                .candidates
                .iter()
                .filter(|r| r.settings[0].value.as_f64() == Some(p.x))
                .filter_map(|r| r.choose.map(|s| s.good_clones_blocked))
                .fold(f64::INFINITY, f64::min);
            assert_eq!(p.choose, best);
        }
        let best = &ranking.candidates[0];
        let cmd = apply_command(best, " tuned ").expect("command");
        let mut after = brain.clone();
        let at = after.state().last_at.unwrap_or_default();
        after
            .execute(brain_core::Envelope::new(at, cmd))
            .expect("applied");
        assert_eq!(
            Some(after.policy().promotion.consecutive as i64),
            best.settings[0].value.as_i64()
        );
        assert_eq!(
            after.policy_history().last().and_then(|h| h.reason.clone()),
            Some("tuned".to_string())
        );
    }
}
