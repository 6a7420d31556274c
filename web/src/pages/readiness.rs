//! Block 27, clone readiness: four factors with sliders and number fields, the live score
//! under the current policy's weights (no command needed), a contribution chart, the
//! explanation and gap, "record assessment" (AssessClone), and every clone's latest score.

use brain_core::brain::Command;
use brain_core::readiness::{self, Factor, Factors, ReadinessReport};
use leptos::prelude::*;
use leptos_chartistry::*;

use crate::components::{fmt_num, precise_ticks, Field, Panel, StatusBadge};
use crate::components::{unknown_signal, FormsBelow, IdList, Known};
use crate::forms::parse_fraction;
use crate::pages::{Page, PageFrame};
use crate::state::use_console;

/// One bar of the contribution chart.
#[derive(Clone, Debug, PartialEq)]
pub struct ContributionBar {
    /// Position on the x axis.
    pub x: f64,
    /// The factor's name, or "composite".
    pub label: String,
    /// weight × value (the composite for the last bar).
    pub value: f64,
    /// The ready threshold (drawn as a line).
    pub threshold: f64,
}

/// One row of the clones table.
#[derive(Clone, Debug, PartialEq)]
pub struct CloneRow {
    /// The clone.
    pub clone_id: String,
    /// Latest composite.
    pub composite: f64,
    /// Ready or not.
    pub ready: bool,
    /// Gap to ready.
    pub gap: f64,
    /// Weakest factor.
    pub weakest: &'static str,
    /// Number of assessments.
    pub assessments: usize,
    /// Model of the latest assessment.
    pub model: String,
    /// Experiment of the latest assessment.
    pub experiment: String,
    /// When, formatted.
    pub at: String,
}

/// The four factors from their texts, or the first problem.
pub fn parse_factors(texts: [&str; 4]) -> Result<Factors, String> {
    Ok(Factors {
        accuracy: parse_fraction(&Factor::Accuracy.to_string(), texts[0])?,
        confidence: parse_fraction(&Factor::Confidence.to_string(), texts[1])?,
        consistency: parse_fraction(&Factor::Consistency.to_string(), texts[2])?,
        robustness: parse_fraction(&Factor::Robustness.to_string(), texts[3])?,
    })
}

/// The chart's bars: each factor's contribution, then the composite; the threshold as a line.
pub fn contribution_bars(report: &ReadinessReport) -> Vec<ContributionBar> {
    let mut bars: Vec<ContributionBar> = report
        .contributions
        .iter()
        .enumerate()
        .map(|(i, c)| ContributionBar {
            x: i as f64,
            label: c.factor.name().to_string(),
            value: c.contribution,
            threshold: report.threshold,
        })
        .collect();
    bars.push(ContributionBar {
        x: bars.len() as f64,
        label: "composite".into(),
        value: report.composite,
        threshold: report.threshold,
    });
    bars
}

/// The clones table from the readiness state.
pub fn clone_rows(state: &readiness::State) -> Vec<CloneRow> {
    state
        .clones()
        .into_iter()
        .map(|c| {
            let latest = state.latest(&c.clone_id);
            CloneRow {
                model: latest
                    .and_then(|a| a.model_id.clone())
                    .unwrap_or_else(|| "—".into()),
                experiment: latest
                    .and_then(|a| a.experiment_id.clone())
                    .unwrap_or_else(|| "—".into()),
                at: c.assessed_at.format("%Y-%m-%d %H:%M").to_string(),
                clone_id: c.clone_id,
                composite: c.composite,
                ready: c.ready,
                gap: c.gap,
                weakest: c.weakest.name(),
                assessments: c.assessments,
            }
        })
        .collect()
}

fn optional_id(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// A factor's slider and number field, sharing one value.
#[component]
fn FactorInput(factor: Factor, value: RwSignal<String>) -> impl IntoView {
    let name = factor.name();
    let slider_id = format!("factor-{name}-slider");
    let number_id = format!("factor-{name}");
    let error = move || parse_fraction(&factor.to_string(), &value.get()).err();
    view! {
        <div class="field factor-field">
            <label for=number_id.clone()>{name}</label>
            <div class="factor-inputs">
                <input
                    type="range"
                    min="0"
                    max="1"
                    step="0.01"
                    id=slider_id.clone()
                    data-testid=slider_id.clone()
                    aria-label=format!("{name} slider")
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
                <input
                    type="number"
                    min="0"
                    max="1"
                    step="0.01"
                    id=number_id.clone()
                    data-testid=number_id.clone()
                    aria-invalid=move || error().is_some().to_string()
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
            </div>
            <div class="field-error" data-testid=format!("{number_id}-error")>{error}</div>
        </div>
    }
}

/// The page.
#[component]
pub fn ReadinessPage() -> impl IntoView {
    let console = use_console();
    let values = Factor::ALL.map(|_| RwSignal::new("0.8".to_string()));
    let factors = Memo::new(move |_| {
        parse_factors([
            &values[0].get(),
            &values[1].get(),
            &values[2].get(),
            &values[3].get(),
        ])
    });
    let policy = Memo::new(move |_| console.with(|b| b.policy().readiness));
    let report = Memo::new(move |_| {
        factors
            .get()
            .and_then(|f| readiness::score(&f, &policy.get()).map_err(|e| e.to_string()))
    });
    // While a factor is invalid the chart keeps the last valid bars (an empty series would
    // draw bars of NaN width).
    let bars = Memo::new(
        move |prev: Option<&Vec<ContributionBar>>| match report.get() {
            Ok(r) => contribution_bars(&r),
            Err(_) => prev.cloned().unwrap_or_default(),
        },
    );
    let clone_id = RwSignal::new(String::new());
    let model_id = RwSignal::new(String::new());
    let experiment_id = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let clone_err = Signal::derive(move || {
        (touched.get() && clone_id.get().trim().is_empty())
            .then(|| "clone id is required".to_string())
    });
    let failure = RwSignal::new(None::<String>);
    let record = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        let id = clone_id.get_untracked().trim().to_string();
        if id.is_empty() {
            return;
        }
        let f = match factors.get_untracked() {
            Ok(f) => f,
            Err(e) => {
                failure.set(Some(e));
                return;
            }
        };
        let cmd = Command::Readiness(readiness::Command::AssessClone {
            clone_id: id.clone(),
            factors: f,
            model_id: optional_id(&model_id.get_untracked()),
            experiment_id: optional_id(&experiment_id.get_untracked()),
        });
        match console.act_form(cmd, &format!("assessment of {id} recorded")) {
            Ok(_) => {
                failure.set(None);
                touched.set(false);
            }
            Err(e) => failure.set(Some(e.to_string())),
        }
    };
    let rows = Memo::new(move |_| console.with(|b| clone_rows(&b.state().readiness)));
    view! {
        <PageFrame page=Page::Readiness intro="Is a clone good enough to scale? Four weighted factors against the ready threshold.">
            <Panel
                title="Clones"
                empty=Signal::derive(move || rows.with(Vec::is_empty))
                empty_text="No clones assessed yet — record an assessment below, or load the demo data from the sidebar."
                empty_testid="clones-empty"
            >
                <div class="csv-tools"><crate::components::CsvDownload table=brain_core::csv_io::Table::Clones /></div>
                <div class="table-wrap" tabindex="0">
                    <table data-testid="clones-table">
                        <thead>
                            <tr>
                                <th>"Clone"</th>
                                <th class="num">"Score"</th>
                                <th>"Status"</th>
                                <th class="num">"Gap"</th>
                                <th>"Weakest"</th>
                                <th>"Model"</th>
                                <th>"Experiment"</th>
                                <th class="num">"Assessments"</th>
                                <th>"Assessed (UTC)"</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For
                                each=move || rows.get()
                                key=|r| (r.clone_id.clone(), r.assessments, r.composite.to_bits())
                                let:row
                            >
                                <tr data-testid="clone-row" data-clone=row.clone_id.clone()>
                                    <td>{row.clone_id.clone()}</td>
                                    <td class="num">{fmt_num(row.composite, 3)}</td>
                                    <td><StatusBadge status=if row.ready { "ready" } else { "not ready" } /></td>
                                    <td class="num">{fmt_num(row.gap, 3)}</td>
                                    <td>{row.weakest}</td>
                                    <td>{row.model.clone()}</td>
                                    <td>{row.experiment.clone()}</td>
                                    <td class="num">{row.assessments}</td>
                                    <td>{row.at.clone()}</td>
                                </tr>
                            </For>
                        </tbody>
                    </table>
                </div>
            </Panel>
            <FormsBelow summary="Score factors and record an assessment">
                <div class="grid">
                    <section class="panel" data-testid="factors-panel">
                        <h2>"Factors"</h2>
                        {Factor::ALL
                            .iter()
                            .zip(values)
                            .map(|(f, v)| view! { <FactorInput factor=*f value=v /> })
                            .collect_view()}
                        <p class="muted">
                            "Weights of the current policy: "
                            {move || {
                                let w = policy.get().weights;
                                format!(
                                    "accuracy {} · confidence {} · consistency {} · robustness {}",
                                    w.accuracy, w.confidence, w.consistency, w.robustness,
                                )
                            }}
                        </p>
                    </section>
                    <section class="panel" data-testid="score-panel">
                        <h2>"Live score"</h2>
                        {move || match report.get() {
                            Ok(r) => {
                                view! {
                                    <div class="score-figure">
                                        <span class="figure" data-testid="live-score">{fmt_num(r.composite, 3)}</span>
                                        " / threshold " {fmt_num(r.threshold, 2)} " "
                                        <span data-testid="live-status">
                                            <StatusBadge status=if r.ready { "ready" } else { "not ready" } />
                                        </span>
                                    </div>
                                    <p data-testid="live-gap">
                                        {if r.ready { "Ready: no gap.".to_string() } else { format!("Gap to ready: {}", fmt_num(r.gap, 3)) }}
                                    </p>
                                    <p data-testid="live-explanation">{r.explanation.clone()}</p>
                                }
                                    .into_any()
                            }
                            Err(e) => view! { <p class="field-error" data-testid="live-error">{e}</p> }.into_any(),
                        }}
                        <div class="chart" data-testid="contribution-chart">
                            <Chart
                                aspect_ratio=AspectRatio::from_outer_ratio(520.0, 240.0)
                                left=precise_ticks()
                                bottom=TickLabels::aligned_floats().with_format(move |x: &f64, _| {
                                    let i = x.round();
                                    if (x - i).abs() > 1e-9 || i < 0.0 {
                                        return String::new();
                                    }
                                    bars.with_untracked(|b| b.get(i as usize).map(|b| b.label.clone()))
                                        .unwrap_or_default()
                                })
                                right=Legend::end()
                                inner=[
                                    AxisMarker::left_edge().into_inner(),
                                    AxisMarker::bottom_edge().into_inner(),
                                    YGridLine::default().into_inner(),
                                ]
                                series=Series::new(|b: &ContributionBar| b.x)
                                    .bar(Bar::new(|b: &ContributionBar| b.value).with_name("weight × value"))
                                    .line(Line::new(|b: &ContributionBar| b.threshold).with_name("threshold").with_interpolation(Interpolation::Linear))
                                    .with_y_range(0.0, 1.0)
                                data=bars
                            />
                        </div>
                    </section>
                </div>
                <form class="panel" on:submit=record data-testid="assess-form">
                    <h2>"Record an assessment"</h2>
                    <p class="muted">"Records the factors above for a clone (AssessClone), scored under the current policy."</p>
                    <div class="row">
                        <Field label="Clone id" id="assess-clone" value=clone_id error=clone_err list="known-clones" />
                        <Field label="Model id (optional)" id="assess-model" value=model_id list="known-models" error=unknown_signal(Known::Models, model_id) />
                        <Field label="Experiment id (optional)" id="assess-experiment" value=experiment_id list="known-experiments" error=unknown_signal(Known::Experiments, experiment_id) />
                        <IdList id="known-clones" kind=Known::Clones />
                        <IdList id="known-models" kind=Known::Models />
                        <IdList id="known-experiments" kind=Known::Experiments />
                        <button type="submit" data-testid="record-assessment">"Record assessment"</button>
                    </div>
                    <p class="field-error" data-testid="assess-error">{move || failure.get()}</p>
                </form>
            </FormsBelow>
        </PageFrame>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factors_parse_and_bars_add_up_to_the_composite() {
        assert!(parse_factors(["0.9", "x", "0.5", "0.5"]).is_err());
        assert!(parse_factors(["0.9", "1.1", "0.5", "0.5"]).is_err());
        let f = parse_factors(["0.92", "0.85", "0.80", "0.75"]).expect("valid");
        let r = readiness::score(&f, &readiness::Policy::default()).expect("scored");
        let bars = contribution_bars(&r);
        assert_eq!(bars.len(), 5);
        let sum: f64 = bars[..4].iter().map(|b| b.value).sum();
        assert!((sum - bars[4].value).abs() < 1e-9);
        assert_eq!(bars[4].label, "composite");
        assert!(bars.iter().all(|b| (b.threshold - 0.8).abs() < 1e-12));
    }
}
