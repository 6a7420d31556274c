//! Block 21, A/B tracking: experiments and variants, recorded counts, the
//! statistics table, the rate and cumulative-lift charts, and a sample-size planner.
//! The lifecycle is in `ab_lifecycle.rs`, the continuous metric and the
//! Thompson allocation in `ab_metric.rs`.

use brain_core::ab::{self, ExperimentReport, VariantKind};
use brain_core::stats;
use brain_core::Command;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_chartistry::*;

use crate::components::{
    chosen_or_first, fmt_num, fmt_pct, whole_ticks, Field, FormResult, NameField, Panel,
};
use crate::components::{CsvDownload, CsvImport};
use crate::components::{FormsBelow, IdList, Known};
use crate::forms::{check_name, parse_batch, parse_count, parse_number, parse_weight};
use crate::pages::ab_lifecycle::{CreateExperimentForm, ExperimentStatus, LifecycleControls};
use crate::pages::ab_metric::{AllocationChart, MetricForm, MetricTable};
use crate::pages::{Page, PageFrame};
use crate::state::use_console;
use brain_core::csv_io;

// ---------------------------------------------------------------- logic

/// One row of the statistics table.
#[derive(Clone, Debug, PartialEq)]
pub struct VariantRow {
    pub name: String,
    pub control: bool,
    pub trials: u64,
    pub conversions: u64,
    pub weight: f64,
    pub rate: String,
    pub interval: String,
    pub lift: String,
    /// The lift's interval ("—" for control or when undefined).
    pub lift_interval: String,
    pub test: String,
    /// Whether the row differs significantly from control, said on the row
    /// it is true of: "yes: better" / "yes: worse" on a variant, and on
    /// control only when control wins ("beats every variant").
    pub significance: String,
    pub winner: bool,
}

/// The significance column of row `i`: on a variant, whether it differs from
/// control and which way; on control, whether it beats every variant.
fn significance(r: &ExperimentReport, i: usize) -> String {
    let Some(v) = r.variants.get(i) else {
        return String::new();
    };
    if i == 0 {
        return if r.winner.as_deref() == Some(v.name.as_str()) {
            "yes: beats every variant".into()
        } else {
            "— (control)".into()
        };
    }
    let better = v
        .lift
        .map_or(v.chance_to_beat.is_some_and(|c| c > 0.5), |l| l > 0.0);
    match (v.significant, better) {
        (true, true) => "yes: better than control".into(),
        (true, false) => "yes: worse than control".into(),
        (false, _) => "no".into(),
    }
}

/// The table rows of an experiment report.
pub fn variant_rows(r: &ExperimentReport) -> Vec<VariantRow> {
    r.variants
        .iter()
        .enumerate()
        .map(|(i, v)| VariantRow {
            name: v.name.clone(),
            control: i == 0,
            trials: v.trials,
            conversions: v.conversions,
            weight: v.weight,
            rate: fmt_pct(v.rate, 2),
            interval: format!("{} – {}", fmt_pct(v.low, 2), fmt_pct(v.high, 2)),
            lift: v.lift.map_or("—".into(), |l| format!("{:+.1}%", l * 100.0)),
            lift_interval: match (v.lift_ci_low, v.lift_ci_high) {
                (Some(lo), Some(hi)) => format!("{:+.1}% to {:+.1}%", lo * 100.0, hi * 100.0),
                _ => "—".into(),
            },
            test: match (v.p_value, v.chance_to_beat) {
                (_, Some(c)) => format!("chance to beat {}", fmt_pct(c, 1)),
                (Some(p), None) => format!("p = {}", fmt_num(p, 4)),
                (None, None) => "—".into(),
            },
            significance: significance(r, i),
            winner: r.winner.as_deref() == Some(v.name.as_str()),
        })
        .collect()
}

/// The sample-ratio status in words.
pub fn srm_status(r: &ExperimentReport) -> String {
    match (r.srm_failed, r.srm_p_value) {
        (true, Some(p)) => format!("mismatch (p = {})", fmt_num(p, 4)),
        (true, None) => "mismatch".into(),
        (false, Some(p)) => format!("ok (p = {})", fmt_num(p, 4)),
        (false, None) => "no traffic yet".into(),
    }
}

/// A point of the rate chart: a variant's rate and interval.
#[derive(Clone, Debug, PartialEq)]
pub struct RatePoint {
    pub x: f64,
    pub low: f64,
    pub rate: f64,
    pub high: f64,
}

/// The rate chart's points, one per variant, control first.
pub fn rate_points(r: &ExperimentReport) -> Vec<RatePoint> {
    r.variants
        .iter()
        .enumerate()
        .map(|(i, v)| RatePoint {
            x: i as f64,
            low: v.low,
            rate: v.rate,
            high: v.high,
        })
        .collect()
}

/// A point of the cumulative-lift chart: after the `x`-th batch of counts,
/// the lift of each non-control variant over control (NaN while undefined).
#[derive(Clone, Debug, PartialEq)]
pub struct LiftPoint {
    pub x: f64,
    pub at: DateTime<Utc>,
    pub lifts: Vec<f64>,
}

/// The lift chart's points from the engine's series: x is the batch number,
/// an undefined lift is NaN (a gap in the line).
pub fn lift_points(series: &ab::LiftSeries) -> Vec<LiftPoint> {
    series
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| LiftPoint {
            x: (i + 1) as f64,
            at: p.at,
            lifts: p.lifts.iter().map(|l| l.unwrap_or(f64::NAN)).collect(),
        })
        .collect()
}

/// The lift chart's y range in percent, always including zero (no lift).
pub fn lift_range(points: &[LiftPoint]) -> (f64, f64) {
    points
        .iter()
        .flat_map(|p| p.lifts.iter())
        .filter(|l| l.is_finite())
        .fold((0.0_f64, 0.0_f64), |(lo, hi), l| {
            (lo.min(l * 100.0), hi.max(l * 100.0))
        })
}

/// The planner's answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub per_arm: u64,
    pub total: u64,
    pub days: Option<u64>,
}

/// Trials per arm for the inputs, the total over `arms` and the days at `daily` trials a day.
pub fn plan(
    baseline: &str,
    mde: &str,
    alpha: &str,
    power: &str,
    arms: &str,
    daily: &str,
) -> Result<Plan, String> {
    let baseline = parse_number("baseline rate", baseline)?;
    let mde = parse_number("minimum detectable effect", mde)?;
    let alpha = parse_number("alpha", alpha)?;
    let power = parse_number("power", power)?;
    let arms = parse_count("arms", arms)?;
    if arms < 2 {
        return Err("arms must be at least 2".into());
    }
    let per_arm =
        stats::sample_size_per_arm(baseline, mde, alpha, power).map_err(|e| e.to_string())?;
    let total = per_arm.saturating_mul(arms.unsigned_abs());
    let days = if daily.trim().is_empty() {
        None
    } else {
        let d = parse_count("daily traffic", daily)?;
        if d == 0 {
            return Err("daily traffic must be above 0".into());
        }
        Some(total.div_ceil(d.unsigned_abs()))
    };
    Ok(Plan {
        per_arm,
        total,
        days,
    })
}

fn kind_word(k: VariantKind) -> &'static str {
    match k {
        VariantKind::Script => "script",
        VariantKind::Channel => "channel",
    }
}

// ---------------------------------------------------------------- view

/// The page.
#[component]
pub fn AbPage() -> impl IntoView {
    let console = use_console();
    let names = Memo::new(move |_| {
        console.with(|b| {
            b.experiments()
                .into_iter()
                .map(|r| r.experiment)
                .collect::<Vec<_>>()
        })
    });
    let selected = RwSignal::new(String::new());
    let current = chosen_or_first(names, selected);
    view! {
        <PageFrame page=Page::Ab intro="Variants of scripts and channels, their trials and conversions, and the winner the statistics support.">
            <Panel
                title="Results"
                testid="ab-results"
                empty=Signal::derive(move || names.with(Vec::is_empty))
                empty_text="No experiments yet — create one below, or load the demo data from the sidebar."
                empty_testid="ab-empty"
            >
                <ExperimentStatus />
                <NameField label="Experiment" id="ab-experiment-select" options=names current=current chosen=selected />
                <LifecycleControls current=current />
                <ExperimentView current=current />
            </Panel>
            <FormsBelow summary="Create an experiment, add variants, record counts or a metric">
                <div class="grid ab-forms">
                    <CreateExperimentForm />
                    <VariantForm />
                    <CountsForm current=current names=names />
                    <MetricForm current=current names=names />
                </div>
            </FormsBelow>
            <Planner />
            <div class="csv-tools"><CsvDownload table=csv_io::Table::Experiments /></div><CsvImport kind=csv_io::Kind::Counts title="Import counts from CSV" />
        </PageFrame>
    }
}

#[component]
fn VariantForm() -> impl IntoView {
    let console = use_console();
    let experiment = RwSignal::new(String::new());
    let variant = RwSignal::new(String::new());
    let kind = RwSignal::new("script".to_string());
    let weight = RwSignal::new("1".to_string());
    let touched = RwSignal::new(false);
    let result = RwSignal::new(None::<(bool, String)>);
    let exp_err = Signal::derive(move || {
        (touched.get() || !experiment.get().is_empty())
            .then(|| check_name("experiment", &experiment.get()).err())
            .flatten()
    });
    let var_err = Signal::derive(move || {
        (touched.get() || !variant.get().is_empty())
            .then(|| check_name("variant", &variant.get()).err())
            .flatten()
    });
    let weight_err = Signal::derive(move || parse_weight(&weight.get()).err());
    let submit = move |_| {
        touched.set(true);
        let (Ok(e), Ok(v), Ok(w)) = (
            check_name("experiment", &experiment.get_untracked()),
            check_name("variant", &variant.get_untracked()),
            parse_weight(&weight.get_untracked()),
        ) else {
            result.set(Some((false, "fix the fields above first".into())));
            return;
        };
        let k = if kind.get_untracked() == "channel" {
            VariantKind::Channel
        } else {
            VariantKind::Script
        };
        let cmd = Command::Ab(ab::Command::RegisterVariant {
            experiment: e.clone(),
            variant: v.clone(),
            kind: k,
            weight: w,
        });
        let msg = format!("variant {v} added to {e}");
        if console.submit(cmd, result, msg) {
            variant.set(String::new());
            touched.set(false);
        }
    };
    view! {
        <form class="panel" data-testid="ab-variant-form" on:submit=move |ev| ev.prevent_default()>
            <h2>"Add a variant"</h2>
            <p class="muted">"A new experiment name creates the experiment; its first variant is the control."</p>
            <Field label="Experiment" id="ab-experiment" value=experiment error=exp_err list="known-experiments" />
            <Field label="Variant" id="ab-variant" value=variant error=var_err list="known-scripts" />
            <IdList id="known-experiments" kind=Known::Experiments />
            <IdList id="known-scripts" kind=Known::Scripts />
            <div class="field">
                <label for="ab-kind">"Kind"</label>
                <select
                    id="ab-kind"
                    data-testid="ab-kind"
                    on:change=move |ev| kind.set(event_target_value(&ev))
                    prop:value=move || kind.get()
                >
                    <option value="script">"script"</option>
                    <option value="channel">"channel"</option>
                </select>
            </div>
            <Field label="Weight (planned traffic share)" id="ab-weight" kind="number" step="any" value=weight error=weight_err />
            <button type="submit" data-testid="ab-add-variant" on:click=submit>"Add variant"</button>
            <FormResult result=result testid="ab-variant-result" />
        </form>
    }
}

/// The experiment a data form acts on (the typed name when that experiment
/// exists, else the page's current one) and its variants' names: the counts
/// and metric forms pick the same way.
pub(crate) fn experiment_choice(
    current: Memo<String>,
    names: Memo<Vec<String>>,
    typed: RwSignal<String>,
) -> (Memo<String>, Memo<Vec<String>>) {
    let console = use_console();
    let exp = Memo::new(move |_| {
        let e = typed.get();
        if names.get().contains(&e) {
            e
        } else {
            current.get()
        }
    });
    let variants = Memo::new(move |_| {
        let e = exp.get();
        console.with(|b| {
            b.experiment(&e)
                .map(|r| r.variants.into_iter().map(|v| v.name).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    (exp, variants)
}

#[component]
fn CountsForm(current: Memo<String>, names: Memo<Vec<String>>) -> impl IntoView {
    let console = use_console();
    let experiment = RwSignal::new(String::new());
    let variant = RwSignal::new(String::new());
    let trials = RwSignal::new(String::new());
    let conversions = RwSignal::new(String::new());
    let result = RwSignal::new(None::<(bool, String)>);
    let (exp, variants) = experiment_choice(current, names, experiment);
    let var = chosen_or_first(variants, variant);
    let trials_err = Signal::derive(move || {
        let t = trials.get();
        (!t.is_empty())
            .then(|| parse_count("trials", &t).err())
            .flatten()
    });
    let conv_err = Signal::derive(move || {
        let (t, c) = (trials.get(), conversions.get());
        if c.is_empty() {
            return None;
        }
        parse_count("conversions", &c)
            .err()
            .or_else(|| parse_batch(&t, &c).err().filter(|e| e.contains("exceed")))
    });
    let submit = move |_| {
        let (t, c) = match parse_batch(&trials.get_untracked(), &conversions.get_untracked()) {
            Ok(x) => x,
            Err(e) => {
                result.set(Some((false, e)));
                return;
            }
        };
        let (e, v) = (exp.get_untracked(), var.get_untracked());
        if e.is_empty() || v.is_empty() {
            result.set(Some((
                false,
                "add an experiment and a variant first".into(),
            )));
            return;
        }
        let cmd = Command::Ab(ab::Command::RecordCounts {
            experiment: e.clone(),
            variant: v.clone(),
            trials: t,
            conversions: c,
        });
        let msg = format!("recorded {t} trials and {c} conversions for {v}");
        if console.submit(cmd, result, msg) {
            trials.set(String::new());
            conversions.set(String::new());
        }
    };
    view! {
        <form class="panel" data-testid="ab-counts-form" on:submit=move |ev| ev.prevent_default()>
            <h2>"Record counts"</h2>
            <p class="muted">"Aggregated counts of a batch: how many trials, how many converted."</p>
            <NameField label="Experiment" id="ab-counts-experiment" options=names current=exp chosen=experiment />
            <NameField label="Variant" id="ab-counts-variant" options=variants current=var chosen=variant />
            <Field label="Trials" id="ab-trials" kind="number" step="1" value=trials error=trials_err />
            <Field label="Conversions" id="ab-conversions" kind="number" step="1" value=conversions error=conv_err />
            <button
                type="submit"
                data-testid="ab-record"
                disabled=move || names.get().is_empty()
                on:click=submit
            >
                "Record counts"
            </button>
            <FormResult result=result testid="ab-counts-result" />
        </form>
    }
}

#[component]
fn ExperimentView(current: Memo<String>) -> impl IntoView {
    let console = use_console();
    let report = Memo::new(move |_| {
        let e = current.get();
        console.with(|b| b.experiment(&e))
    });
    let rows = Memo::new(move |_| report.get().map(|r| variant_rows(&r)).unwrap_or_default());
    let summary = move || {
        report.get().map(|r| {
            let winner = r.winner.clone().unwrap_or_else(|| "none yet".into());
            view! {
                <div class="cards" data-testid="ab-summary">
                    <div class="card">
                        <div class="muted">"Kind"</div>
                        <strong>{kind_word(r.kind)}</strong>
                    </div>
                    <div class="card">
                        <div class="muted">"Winner"</div>
                        <strong data-testid="ab-winner">{winner}</strong>
                    </div>
                    <div class="card">
                        <div class="muted">"Sample ratio (SRM)"</div>
                        <strong data-testid="ab-srm" class=if r.srm_failed { "srm-bad" } else { "" }>{srm_status(&r)}</strong>
                    </div>
                </div>
                <p class="muted" data-testid="ab-reason">{r.reason.clone()}</p>
            }
        })
    };
    view! {
        {summary}
        <div class="table-wrap" tabindex="0">
            <table data-testid="ab-table">
                <thead>
                    <tr>
                        <th>"Variant"</th>
                        <th>"Weight"</th>
                        <th>"Trials"</th>
                        <th>"Conversions"</th>
                        <th>"Rate"</th>
                        <th>"Interval"</th>
                        <th>"Lift vs control"</th>
                        <th>"Lift interval"</th>
                        <th>"p-value / chance to beat"</th>
                        <th>"Significant"</th>
                    </tr>
                </thead>
                <tbody>
                    <For
                        each=move || rows.get()
                        key=|r| format!("{r:?}")
                        children=move |r| {
                            view! {
                                <tr data-testid="ab-row" class:winner=r.winner>
                                    <td>
                                        {r.name.clone()}
                                        {r.control.then(|| view! { <span class="muted">" (control)"</span> })}
                                        {r.winner.then(|| view! { <span class="badge badge-primary">"winner"</span> })}
                                    </td>
                                    <td class="num">{fmt_num(r.weight, 2)}</td>
                                    <td class="num">{r.trials}</td>
                                    <td class="num">{r.conversions}</td>
                                    <td class="num">{r.rate.clone()}</td>
                                    <td class="num">{r.interval.clone()}</td>
                                    <td class="num">{r.lift.clone()}</td>
                                    <td class="num">{r.lift_interval.clone()}</td>
                                    <td class="num">{r.test.clone()}</td>
                                    <td data-testid="ab-significance">{r.significance.clone()}</td>
                                </tr>
                            }
                        }
                    />
                </tbody>
            </table>
        </div>
        <div class="grid">
            <RateChart report=report />
            <LiftChart current=current />
        </div>
        <div class="grid">
            <MetricTable report=report />
            <AllocationChart current=current />
        </div>
    }
}

#[component]
fn RateChart(report: Memo<Option<ExperimentReport>>) -> impl IntoView {
    let body = move || {
        let Some(r) = report.get() else {
            return ().into_any();
        };
        if r.variants.iter().all(|v| v.trials == 0) {
            return view! {
                <p class="empty" data-testid="ab-rate-empty">"No counts yet — record trials and conversions above to see the rates."</p>
            }
            .into_any();
        }
        let labels: Vec<String> = r.variants.iter().map(|v| v.name.clone()).collect();
        let points = rate_points(&r);
        // Short series names keep the legend inside a narrow chart; the caption says what they are.
        let order = format!(
            "Each variant: the interval's low end, the rate, the interval's high end. Left to right: {}.",
            labels.join(", ")
        );
        let data = Signal::derive(move || points.clone());
        let ticks = TickLabels::aligned_floats().with_format(move |x: &f64, _| {
            let i = x.round();
            if (x - i).abs() < 1e-9 && i >= 0.0 {
                labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        });
        view! {
            <Chart
                aspect_ratio=AspectRatio::from_env_width(260.0)
                font_height=Signal::stored(13.0)
                font_width=Signal::stored(8.0)
                left=crate::components::precise_ticks()
                bottom=ticks
                top=Legend::middle()
                inner=[AxisMarker::left_edge().into_inner(), YGridLine::default().into_inner()]
                series=Series::new(|d: &RatePoint| d.x)
                    .with_min_y(0.0)
                    .bar(Bar::new(|d: &RatePoint| d.low).with_name("low").with_gap(0.3))
                    .bar(Bar::new(|d: &RatePoint| d.rate).with_name("rate").with_gap(0.3))
                    .bar(Bar::new(|d: &RatePoint| d.high).with_name("high").with_gap(0.3))
                data=data
            />
            <p class="muted">{order}</p>
        }
        .into_any()
    };
    view! {
        <div class="panel">
            <h3>"Rates with their intervals"</h3>
            <div class="chart" data-testid="ab-rate-chart">{body}</div>
        </div>
    }
}

#[component]
fn LiftChart(current: Memo<String>) -> impl IntoView {
    let console = use_console();
    let lift = Memo::new(move |_| {
        let e = current.get();
        console.with(|b| {
            let series = b.cumulative_lift(&e);
            (series.variants.clone(), lift_points(&series))
        })
    });
    let body = move || {
        let (names, points) = lift.get();
        if names.is_empty() || points.iter().all(|p| p.lifts.iter().all(|l| l.is_nan())) {
            return view! {
                <p class="empty" data-testid="ab-lift-empty">
                    "No lift yet — it needs a control and another variant with recorded counts."
                </p>
            }
            .into_any();
        }
        let lines: Vec<Line<LiftPoint, f64>> = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                Line::new(move |p: &LiftPoint| p.lifts.get(i).copied().unwrap_or(f64::NAN) * 100.0)
                    .with_name(n.clone())
                    // Monotone curves divide by the x step: NaN in the path while the chart has no width yet.
                    .with_interpolation(Interpolation::Linear)
            })
            .collect();
        let (lo, hi) = lift_range(&points);
        let data = Signal::derive(move || points.clone());
        view! {
            <Chart
                aspect_ratio=AspectRatio::from_env_width(260.0)
                left=crate::components::precise_ticks()
                bottom=whole_ticks()
                top=Legend::middle()
                inner=[
                    AxisMarker::horizontal_zero().into_inner(),
                    AxisMarker::left_edge().into_inner(),
                    YGridLine::default().into_inner(),
                ]
                series=Series::new(|p: &LiftPoint| p.x).with_y_range(lo, hi).lines(lines)
                data=data
            />
        }
        .into_any()
    };
    view! {
        <div class="panel">
            <h3>"Cumulative lift vs control (%), after each batch"</h3>
            <div class="chart" data-testid="ab-lift-chart">{body}</div>
        </div>
    }
}

#[component]
fn Planner() -> impl IntoView {
    let baseline = RwSignal::new("0.10".to_string());
    let mde = RwSignal::new("0.02".to_string());
    let alpha = RwSignal::new("0.05".to_string());
    let power = RwSignal::new("0.8".to_string());
    let arms = RwSignal::new("2".to_string());
    let daily = RwSignal::new("500".to_string());
    let answer = Memo::new(move |_| {
        plan(
            &baseline.get(),
            &mde.get(),
            &alpha.get(),
            &power.get(),
            &arms.get(),
            &daily.get(),
        )
    });
    view! {
        <section class="panel" data-testid="ab-planner">
            <h2>"Sample-size planner"</h2>
            <p class="muted">"Trials each arm needs for a two-sided test to detect an absolute change of the rate."</p>
            <div class="grid planner-fields">
                <Field label="Baseline rate (0–1)" id="plan-baseline" kind="number" step="any" value=baseline />
                <Field label="Minimum detectable effect (absolute)" id="plan-mde" kind="number" step="any" value=mde />
                <Field label="Alpha" id="plan-alpha" kind="number" step="any" value=alpha />
                <Field label="Power" id="plan-power" kind="number" step="any" value=power />
                <Field label="Arms" id="plan-arms" kind="number" step="1" value=arms />
                <Field label="Daily traffic (all arms)" id="plan-daily" kind="number" step="1" value=daily />
            </div>
            <div data-testid="plan-result" role="status">
                {move || match answer.get() {
                    Ok(p) => view! {
                        <div class="cards">
                            <div class="card">
                                <div class="muted">"Per arm"</div>
                                <strong data-testid="plan-per-arm">{p.per_arm}</strong>
                            </div>
                            <div class="card">
                                <div class="muted">"Total"</div>
                                <strong data-testid="plan-total">{p.total}</strong>
                            </div>
                            <div class="card">
                                <div class="muted">"Days"</div>
                                <strong data-testid="plan-days">
                                    {p.days.map_or("—".to_string(), |d| d.to_string())}
                                </strong>
                            </div>
                        </div>
                    }
                    .into_any(),
                    Err(e) => view! { <p class="field-error" data-testid="plan-error">{e}</p> }.into_any(),
                }}
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brain_core::Brain;
    use chrono::TimeZone;

    fn demo() -> Brain {
        Brain::demo(
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
                .single()
                .unwrap_or_default(),
        )
    }

    #[test]
    fn the_lift_chart_numbers_its_batches_and_leaves_gaps_where_lift_is_undefined() {
        let b = demo();
        let series = b.cumulative_lift("opening-script");
        let points = lift_points(&series);
        assert_eq!(points.len(), series.points.len());
        assert_eq!(points.first().map(|p| p.x), Some(1.0));
        assert_eq!(points.last().map(|p| p.x), Some(series.points.len() as f64));
        // The first batch has only the control: no line yet.
        assert!(points[0].lifts.iter().all(|l| l.is_nan()));
        let last = series
            .points
            .last()
            .map(|p| p.lifts.clone())
            .unwrap_or_default();
        let shown = points.last().map(|p| p.lifts.clone()).unwrap_or_default();
        assert_eq!(
            shown,
            last.iter()
                .map(|l| l.unwrap_or(f64::NAN))
                .collect::<Vec<_>>()
        );
        let (lo, hi) = lift_range(&points);
        assert!(
            lo < 0.0 && hi == 0.0,
            "both variants trail control: {lo} {hi}"
        );
    }

    #[test]
    fn rows_and_plan() {
        let b = demo();
        let r = b.experiment("contact-channel");
        let rows = r.as_ref().map(variant_rows).unwrap_or_default();
        assert_eq!(rows.len(), 3);
        assert!(rows[0].control);
        assert_eq!(rows.iter().filter(|r| r.winner).count(), 1);
        // "Significant" is said on the row it is true of: the winner's row says
        // it is better than control; control says nothing unless it wins.
        let winner = rows
            .iter()
            .find(|r| r.winner)
            .map(|r| r.significance.as_str());
        // In the demo control (sms) wins: every other variant is significantly worse.
        assert!(rows[0].winner);
        assert_eq!(winner, Some("yes: beats every variant"));
        assert!(rows[1..]
            .iter()
            .all(|r| r.significance == "yes: worse than control"));
        assert!(rows
            .iter()
            .all(|r| r.winner || !r.significance.starts_with("yes: better")));
        let reason = r.as_ref().map(|r| r.reason.clone()).unwrap_or_default();
        assert!(
            reason.starts_with("sms (control) beats every variant"),
            "{reason}"
        );
        let p = plan("0.1", "0.02", "0.05", "0.8", "2", "500");
        let Ok(p) = p else { panic!("plan") };
        assert_eq!(p.total, p.per_arm * 2);
        assert_eq!(p.days, Some(p.total.div_ceil(500)));
        assert!(plan("0", "0.02", "0.05", "0.8", "2", "").is_err());
    }
}
