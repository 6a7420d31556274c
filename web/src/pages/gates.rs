//! Block 28, gate enforcement: check a clone (optionally naming the model and experiment) and
//! see PROMOTE or BLOCK with every gate's verdict and reason; each gate's pass rate over the
//! decisions (a chart); the history of gate decisions.

use brain_core::brain::Command;
use brain_core::gates::{self, Decision, Gate, Verdict};
use leptos::prelude::*;
use leptos_chartistry::*;

use crate::components::{
    chosen_or_first, precise_ticks, whole_ticks, FormsBelow, Panel, StatusBadge,
};
use crate::pages::{Page, PageFrame};
use crate::state::use_console;

/// How many decisions the history shows (newest first).
pub const HISTORY_LIMIT: usize = 200;

/// A gate's name as the page shows it.
pub fn gate_name(g: Gate) -> &'static str {
    match g {
        Gate::Readiness => "readiness",
        Gate::Performance => "performance",
        Gate::Safety => "safety",
        Gate::SampleRatio => "sample ratio (SRM)",
        Gate::Rollout => "rollout",
    }
}

/// PROMOTE or BLOCK.
pub fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Promote => "PROMOTE",
        Verdict::Block => "BLOCK",
    }
}

/// The verdict in one sentence, for the form's result line (the table
/// below it gives every gate's reason).
pub fn verdict_line(d: &Decision) -> String {
    let passed = d.gates.iter().filter(|g| g.passed).count();
    format!(
        "{}: {} ({passed} of {} gates passed; every reason below)",
        d.clone,
        verdict_name(d.verdict),
        d.gates.len()
    )
}

/// One row of the history.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryRow {
    /// The decision id.
    pub id: String,
    /// When (UTC).
    pub at: String,
    /// The clone.
    pub clone: String,
    /// PROMOTE or BLOCK.
    pub verdict: &'static str,
    /// Gates passed out of evaluated.
    pub passed: String,
    /// The failing gates' reasons.
    pub reasons: String,
}

/// The newest `limit` decisions, newest first.
pub fn history_rows(decisions: &[Decision], limit: usize) -> Vec<HistoryRow> {
    decisions
        .iter()
        .rev()
        .take(limit)
        .map(|d| HistoryRow {
            id: d.id.to_string(),
            at: d.at.format("%Y-%m-%d %H:%M:%S").to_string(),
            clone: d.clone.clone(),
            verdict: verdict_name(d.verdict),
            passed: format!(
                "{}/{}",
                d.gates.iter().filter(|g| g.passed).count(),
                d.gates.len()
            ),
            reasons: {
                let f = d.failures();
                if f.is_empty() {
                    "every gate passed".into()
                } else {
                    f.join("; ")
                }
            },
        })
        .collect()
}

/// The pass-rate chart's data: after the n-th decision (x = n), the share of the decisions so
/// far that evaluated each gate in which it passed (NaN while a gate was never evaluated).
#[derive(Clone, Debug, PartialEq)]
pub struct PassPoint {
    /// The decision's number, 1-based, in time order.
    pub x: f64,
    /// Each gate's pass rate so far, in `pass_rates`' gate order.
    pub rates: Vec<f64>,
}

/// Each gate evaluated at least once (in the order first seen) and its pass rate after every
/// decision.
pub fn pass_rates(decisions: &[Decision]) -> (Vec<Gate>, Vec<PassPoint>) {
    let mut gates: Vec<Gate> = Vec::new();
    for d in decisions {
        for g in &d.gates {
            if !gates.contains(&g.gate) {
                gates.push(g.gate);
            }
        }
    }
    let mut tally = vec![(0u32, 0u32); gates.len()];
    let points = decisions
        .iter()
        .enumerate()
        .map(|(n, d)| {
            for g in &d.gates {
                if let Some(i) = gates.iter().position(|x| *x == g.gate) {
                    tally[i].1 += 1;
                    tally[i].0 += u32::from(g.passed);
                }
            }
            PassPoint {
                x: (n + 1) as f64,
                rates: tally
                    .iter()
                    .map(|&(p, t)| {
                        if t == 0 {
                            f64::NAN
                        } else {
                            f64::from(p) / f64::from(t)
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    (gates, points)
}

fn optional(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

/// A select over a list of names, with an optional empty choice.
#[component]
fn Choice(
    /// The label.
    label: &'static str,
    /// The select's id and test id.
    id: &'static str,
    /// The name picked (written on change).
    value: RwSignal<String>,
    /// The names offered.
    #[prop(into)]
    options: Signal<Vec<String>>,
    /// What the select shows, when it is not `value` itself (a default).
    #[prop(into, optional)]
    shown: Option<Signal<String>>,
    /// The label of the empty choice, when there is one.
    #[prop(optional)]
    empty: Option<&'static str>,
) -> impl IntoView {
    let shown = shown.unwrap_or_else(|| value.into());
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select
                id=id
                data-testid=id
                prop:value=move || shown.get()
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                {empty.map(|e| view! { <option value="">{e}</option> })}
                <For each=move || options.get() key=|o| o.clone() let:o>
                    <option value=o.clone()>{o.clone()}</option>
                </For>
            </select>
            <div class="field-error"></div>
        </div>
    }
}

/// The page.
#[component]
pub fn GatesPage() -> impl IntoView {
    let console = use_console();
    let clones = Memo::new(move |_| {
        console.with(|b| {
            b.state()
                .readiness
                .clones
                .keys()
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let models = Signal::derive(move || {
        console.with(|b| b.state().models.models.keys().cloned().collect::<Vec<_>>())
    });
    let experiments = Signal::derive(move || {
        console.with(|b| {
            b.experiments()
                .into_iter()
                .map(|e| e.experiment)
                .collect::<Vec<_>>()
        })
    });
    // The clone picked, while it exists; else the first one.
    let chosen_clone = RwSignal::new(String::new());
    let clone = chosen_or_first(clones, chosen_clone);
    let model = RwSignal::new(String::new());
    let experiment = RwSignal::new(String::new());
    let result = RwSignal::new(None::<Decision>);
    let failure = RwSignal::new(None::<String>);
    let check = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let c = clone.get_untracked();
        if c.is_empty() {
            failure.set(Some(
                "pick a clone: assess one on the readiness page first".into(),
            ));
            return;
        }
        let cmd = Command::Gates(gates::Command::EvaluateGates {
            clone_id: c,
            model_id: optional(model.get_untracked()),
            experiment_id: optional(experiment.get_untracked()),
        });
        // The verdict and every gate's reason show under the form: no toast repeats them.
        match console.act_in_form(cmd) {
            Ok(events) => {
                failure.set(None);
                result.set(brain_core::read_models::gate_decision(&events).cloned());
            }
            Err(e) => {
                result.set(None);
                failure.set(Some(e.to_string()));
            }
        }
    };
    let history =
        Memo::new(move |_| console.with(|b| history_rows(b.gate_decisions(), HISTORY_LIMIT)));
    let total = Memo::new(move |_| console.with(|b| b.gate_decisions().len()));
    view! {
        <PageFrame page=Page::Gates intro="A clone is promoted only if it passes every gate: readiness, performance, safety and sample ratio.">
            <PassRateChart />
            <Panel
                title="History"
                empty=Signal::derive(move || history.with(Vec::is_empty))
                empty_text="No gate decisions yet — check a clone below, or load the demo data from the sidebar."
                empty_testid="gates-history-empty"
            >
                <p class="muted">
                    {move || {
                        let t = total.get();
                        if t > HISTORY_LIMIT {
                            format!("The newest {HISTORY_LIMIT} of {t} decisions, newest first.")
                        } else {
                            format!("{t} decision(s), newest first.")
                        }
                    }}
                </p>
                <div class="csv-tools"><crate::components::CsvDownload table=brain_core::csv_io::Table::Gates /></div>
                <div class="table-wrap" tabindex="0">
                    <table data-testid="gates-history">
                        <thead>
                            <tr>
                                <th>"When (UTC)"</th>
                                <th>"Clone"</th>
                                <th>"Verdict"</th>
                                <th>"Gates passed"</th>
                                <th>"Reasons"</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For each=move || history.get() key=|r| r.id.clone() let:row>
                                <tr data-testid="gate-history-row" data-verdict=row.verdict>
                                    <td>{row.at.clone()}</td>
                                    <td>{row.clone.clone()}</td>
                                    <td><StatusBadge status=row.verdict /></td>
                                    <td>{row.passed.clone()}</td>
                                    <td>{row.reasons.clone()}</td>
                                </tr>
                            </For>
                        </tbody>
                    </table>
                </div>
            </Panel>
            <FormsBelow summary="Check a clone">
                <form class="panel" on:submit=check data-testid="gate-form" id="gate-form">
                    <h2>"Check a clone"</h2>
                    <Show
                        when=move || !clones.get().is_empty()
                        fallback=|| {
                            view! {
                                <p class="empty" data-testid="gates-no-clones">
                                    "No clones to check — assess one on the readiness page, or load the demo data from the sidebar."
                                </p>
                            }
                        }
                    >
                        <div class="row">
                            <Choice label="Clone" id="gate-clone" value=chosen_clone shown=clone options=clones />
                            <Choice label="Model (optional)" id="gate-model" value=model options=models empty="from the assessment" />
                            <Choice label="Experiment (optional)" id="gate-experiment" value=experiment options=experiments empty="from the assessment" />
                            <button type="submit" data-testid="check-gates">"Check gates"</button>
                        </div>
                    </Show>
                    <p class="field-error" data-testid="gate-error">{move || failure.get()}</p>
                    // The verdict in one line on the form (announced), every gate's reason below it.
                    <p class="form-result" role="status" data-testid="gate-summary">
                        {move || result.get().map(|d| verdict_line(&d))}
                    </p>
                </form>
                {move || {
                    result
                        .get()
                        .map(|d| {
                            let verdict = verdict_name(d.verdict);
                            view! {
                                <section class="panel gate-result" data-testid="gate-result">
                                    <h2>
                                        {d.clone.clone()} ": "
                                        <span data-testid="gate-verdict"><StatusBadge status=verdict /></span>
                                    </h2>
                                    <table data-testid="gate-results-table">
                                        <thead>
                                            <tr><th>"Gate"</th><th>"Verdict"</th><th>"Reason"</th></tr>
                                        </thead>
                                        <tbody>
                                            {d
                                                .gates
                                                .iter()
                                                .map(|g| {
                                                    view! {
                                                        <tr data-testid="gate-row" data-gate=gate_name(g.gate)>
                                                            <td>{gate_name(g.gate)}</td>
                                                            <td><StatusBadge status=if g.passed { "pass" } else { "fail" } /></td>
                                                            <td>{g.reason.clone()}</td>
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                </section>
                            }
                        })
                }}
            </FormsBelow>
        </PageFrame>
    }
}

#[component]
fn PassRateChart() -> impl IntoView {
    let console = use_console();
    let chart = Memo::new(move |_| console.with(|b| pass_rates(b.gate_decisions())));
    let body = move || {
        let (gates, points) = chart.get();
        if points.is_empty() {
            return view! {
                <p class="empty" data-testid="gates-chart-empty">"No gate decisions yet — check a clone to see each gate's pass rate."</p>
            }
            .into_any();
        }
        let lines: Vec<Line<PassPoint, f64>> = gates
            .iter()
            .enumerate()
            .map(|(i, g)| {
                Line::new(move |p: &PassPoint| p.rates.get(i).copied().unwrap_or(f64::NAN))
                    .with_name(gate_name(*g))
                    .with_marker(MarkerShape::Circle)
                    .with_interpolation(Interpolation::Linear)
            })
            .collect();
        let data = Signal::derive(move || points.clone());
        view! {
            <Chart
                aspect_ratio=AspectRatio::from_env_width(260.0)
                left=precise_ticks()
                bottom=whole_ticks()
                top=Legend::middle()
                inner=[AxisMarker::left_edge().into_inner(), YGridLine::default().into_inner()]
                series=Series::new(|p: &PassPoint| p.x).with_y_range(0.0, 1.0).lines(lines)
                data=data
            />
            <p class="muted" data-testid="gates-chart-caption">
                "After each gate decision (1st, 2nd, … in time order): the share of the decisions so far in which each gate passed, from 0 (always failed) to 1 (always passed). A clone is promoted only when every gate passes."
            </p>
        }
        .into_any()
    };
    view! {
        <section class="panel">
            <h2>"Pass rate per gate over time"</h2>
            <div class="chart" data-testid="gates-chart">{body}</div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brain_core::Brain;
    use chrono::{TimeZone, Utc};

    #[test]
    fn demo_history_is_newest_first_with_reasons() {
        let at = Utc
            .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .unwrap_or_default();
        let brain = Brain::demo(at);
        let rows = history_rows(brain.gate_decisions(), HISTORY_LIMIT);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].clone, "clone-beta");
        assert_eq!(rows[0].verdict, "BLOCK");
        assert!(rows[0].reasons.contains("readiness"));
        assert_eq!(history_rows(brain.gate_decisions(), 1).len(), 1);
        let newest = brain.gate_decisions().last().cloned();
        assert_eq!(
            newest.as_ref().map(verdict_line).as_deref(),
            Some("clone-beta: BLOCK (3 of 4 gates passed; every reason below)")
        );
    }

    #[test]
    fn pass_rates_count_each_gate_over_the_decisions_so_far() {
        let at = Utc
            .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .unwrap_or_default();
        let brain = Brain::demo(at);
        let decisions = brain.gate_decisions();
        let (gates, points) = pass_rates(decisions);
        assert_eq!(points.len(), decisions.len());
        // The demo's second decision is blocked on readiness, which the first passed.
        let readiness = gates.iter().position(|g| *g == Gate::Readiness);
        let rates: Vec<f64> = points
            .iter()
            .filter_map(|p| readiness.map(|i| p.rates[i]))
            .collect();
        assert_eq!(rates, vec![1.0, 0.5]);
        assert!(pass_rates(&[]).1.is_empty());
    }
}
