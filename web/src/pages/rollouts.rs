//! Staged model rollouts: each rollout's stage and progress, its current stage's metrics
//! against their criteria (table and chart), its checkpoints, and controls (evaluate, pause,
//! resume, abort behind a confirmation with a reason). The numbers come from the engine's
//! `rollout` report, so the page shows exactly what an evaluation would decide.

use brain_core::brain::Command;
use brain_core::rollouts::{self, RolloutReport, Status};
use leptos::prelude::*;
use leptos_chartistry::*;

use crate::components::{fmt_num, Field, FormsBelow, StatusBadge};
use crate::forms::{err_of, required};
use crate::pages::{Page, PageFrame};
use crate::state::use_console;

/// One point of the criteria chart: a criterion's value over its threshold (1 = at it).
#[derive(Clone, Debug, PartialEq)]
pub struct CriterionPoint {
    /// The criterion's position (the chart's x).
    pub x: f64,
    /// value / threshold.
    pub ratio: f64,
    /// 1: the threshold.
    pub threshold: f64,
}

/// The chart's points: every measured criterion with a non-zero threshold (the alert count
/// has threshold 0 and shows in the table only).
pub fn criterion_points(report: &RolloutReport) -> Vec<CriterionPoint> {
    report
        .criteria
        .iter()
        .filter(|c| c.threshold != 0.0)
        .enumerate()
        .map(|(i, c)| CriterionPoint {
            x: i as f64,
            ratio: c.value.map_or(f64::NAN, |v| v / c.threshold),
            threshold: 1.0,
        })
        .collect()
}

/// A status as the page shows it.
pub fn status_name(s: Status) -> &'static str {
    s.name()
}

/// The rollouts page.
#[component]
pub fn RolloutsPage() -> impl IntoView {
    let console = use_console();
    let ids = Memo::new(move |_| {
        console.with(|b| {
            b.rollouts()
                .into_iter()
                .map(|r| r.rollout_id)
                .collect::<Vec<_>>()
        })
    });
    view! {
        <PageFrame
            page=Page::Rollouts
            intro="Roll a challenger out in stages (Pilot 5%, Limited 25%, Production 100%): each stage advances when its criteria hold, and a breached criterion rolls back to the previous champion."
        >
            <Show
                when=move || !ids.get().is_empty()
                fallback=|| view! { <p class="empty" data-testid="rollouts-empty">"No rollouts yet — start one below, or load the demo."</p> }
            >
                <For each=move || ids.get() key=|id| id.clone() let:id>
                    <RolloutPanel rollout_id=id />
                </For>
            </Show>
            <FormsBelow summary="Start a rollout or record its metrics">
                <div class="grid">
                    <crate::pages::rollout_forms::StartRolloutForm />
                    <crate::pages::rollout_forms::RolloutMetricsForm />
                </div>
            </FormsBelow>
        </PageFrame>
    }
}

#[component]
fn RolloutPanel(
    /// The rollout shown.
    rollout_id: String,
) -> impl IntoView {
    let console = use_console();
    let id = StoredValue::new(rollout_id.clone());
    let report = Memo::new(move |_| console.with(|b| b.rollout(&id.get_value())));
    let criteria = Signal::derive(move || report.get().map(|r| r.criteria).unwrap_or_default());
    let checkpoints =
        Signal::derive(move || report.get().map(|r| r.checkpoints).unwrap_or_default());
    let points =
        Memo::new(move |_| report.with(|r| r.as_ref().map(criterion_points).unwrap_or_default()));
    let status = move || report.get().map(|r| r.status);
    let active = move || status().is_some_and(Status::is_active);
    let confirming = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let reason_err = Signal::derive(move || err_of(required("reason", &reason.get())));
    let act = move |cmd: rollouts::Command, done: &str| {
        let _ = console.act(Command::Rollouts(cmd), done);
    };
    let rid = move || id.get_value();
    let abort = move |_| {
        let Ok(r) = required("reason", &reason.get_untracked()) else {
            return;
        };
        act(
            rollouts::Command::AbortRollout {
                rollout_id: rid(),
                reason: r,
            },
            "rollout aborted",
        );
        confirming.set(false);
        reason.set(String::new());
    };
    let heading = move || {
        report
            .get()
            .map(|r| {
                format!(
                    "{} · {} {} against {}",
                    r.rollout_id, r.model_id, r.version, r.baseline
                )
            })
            .unwrap_or_default()
    };
    let stage_line = move || {
        report
            .get()
            .map(|r| {
                format!(
                    "Stage {} of {}: {} ({}% traffic)",
                    r.stage_index + 1,
                    r.stages.len(),
                    r.stage,
                    fmt_num(r.traffic * 100.0, 0)
                )
            })
            .unwrap_or_default()
    };
    let progress = move || report.get().map_or(0.0, |r| r.progress);
    view! {
        <section class="panel" data-testid="rollout-panel" data-rollout=rollout_id.clone() id=crate::pages::worklist::anchor("rollout", &rollout_id)>
            <h2>{heading}</h2>
            <p>
                <span data-testid="rollout-status">{move || status().map(status_name).map(|s| view! { <StatusBadge status=s /> })}</span>
                " " <span data-testid="rollout-stage">{stage_line}</span>
            </p>
            <progress data-testid="rollout-progress" max="1" value=progress></progress>
            <span class="muted">{move || format!(" {}%", fmt_num(progress() * 100.0, 0))}</span>
            <p>"Next decision: " <strong data-testid="rollout-next">{move || report.get().map(|r| r.next_decision).unwrap_or_default()}</strong></p>
            <p class="reason" data-testid="rollout-reason">{move || report.get().map(|r| r.reason).unwrap_or_default()}</p>
            <Show when=move || !criteria.get().is_empty()>
                <div class="table-wrap" tabindex="0">
                    <table data-testid="criteria-table">
                        <thead>
                            <tr><th>"Criterion"</th><th class="num">"Value"</th><th>"Met"</th></tr>
                        </thead>
                        <tbody>
                            <For each=move || criteria.get() key=|c| (c.criterion.clone(), c.value.map(f64::to_bits)) let:c>
                                <tr data-testid="criterion-row">
                                    <td>{c.criterion.clone()}</td>
                                    <td class="num">{c.value.map_or_else(|| "not measured".to_string(), |v| fmt_num(v, 4))}</td>
                                    <td>{match c.met { Some(true) => "yes", Some(false) => "BREACHED", None => "—" }}</td>
                                </tr>
                            </For>
                        </tbody>
                    </table>
                </div>
                <div class="chart" data-testid="criteria-chart">
                    <Chart
                        aspect_ratio=AspectRatio::from_outer_ratio(600.0, 220.0)
                        left=crate::components::precise_ticks()
                        bottom=TickLabels::aligned_floats().with_format(move |x: &f64, _| {
                            let i = x.round();
                            if (x - i).abs() > 1e-9 || i < 0.0 {
                                return String::new();
                            }
                            criteria
                                .with_untracked(|c| {
                                    c.iter().filter(|c| c.threshold != 0.0).nth(i as usize).map(|c| c.criterion.clone())
                                })
                                .unwrap_or_default()
                        })
                        inner=[
                            AxisMarker::left_edge().into_inner(),
                            AxisMarker::bottom_edge().into_inner(),
                            YGridLine::default().into_inner(),
                        ]
                        right=Legend::end()
                        series=Series::new(|p: &CriterionPoint| p.x)
                            .line(
                                Line::new(|p: &CriterionPoint| p.ratio)
                                    .with_name("value / threshold")
                                    .with_marker(MarkerShape::Circle),
                            )
                            .line(Line::new(|p: &CriterionPoint| p.threshold).with_name("threshold"))
                        data=points
                    />
                </div>
            </Show>
            <Show when=move || !checkpoints.get().is_empty()>
                <table data-testid="checkpoints-table">
                    <thead>
                        <tr><th>"Stage"</th><th class="num">"Samples"</th><th class="num">"Errors"</th><th>"Decision"</th></tr>
                    </thead>
                    <tbody>
                        <For each=move || checkpoints.get() key=|c| (c.stage.clone(), c.at) let:c>
                            <tr data-testid="checkpoint-row">
                                <td>{c.stage.clone()}</td>
                                <td class="num">{c.measures.samples}</td>
                                <td class="num">{c.measures.errors}</td>
                                <td>{c.decision.clone()}</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </Show>
            <Show when=active>
                <div class="row">
                    <button data-testid="rollout-evaluate" disabled=move || status() != Some(Status::Running)
                        on:click=move |_| act(rollouts::Command::EvaluateRollout { rollout_id: rid() }, "rollout evaluated")>
                        "Evaluate"
                    </button>
                    <Show
                        when=move || status() == Some(Status::Paused)
                        fallback=move || view! {
                            <button class="secondary" data-testid="rollout-pause"
                                on:click=move |_| act(rollouts::Command::PauseRollout { rollout_id: rid() }, "rollout paused")>
                                "Pause"
                            </button>
                        }
                    >
                        <button class="secondary" data-testid="rollout-resume"
                            on:click=move |_| act(rollouts::Command::ResumeRollout { rollout_id: rid() }, "rollout resumed")>
                            "Resume"
                        </button>
                    </Show>
                    <button class="danger" data-testid="rollout-abort" on:click=move |_| confirming.set(true)>"Abort…"</button>
                </div>
                <Show when=move || confirming.get()>
                    <div class="confirm-box" data-testid="abort-confirm-box">
                        <p>"Abort this rollout? The previous champion serves again; this is recorded in the audit trail."</p>
                        <div class="row">
                            <Field label="Reason" id="abort-reason" value=reason error=reason_err />
                            <button class="danger" data-testid="abort-confirm" disabled=move || reason_err.get().is_some() on:click=abort>
                                "Confirm abort"
                            </button>
                            <button class="secondary" data-testid="abort-cancel" on:click=move |_| confirming.set(false)>"Cancel"</button>
                        </div>
                    </div>
                </Show>
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brain_core::Brain;
    use chrono::{TimeZone, Utc};

    #[test]
    fn the_demo_chart_puts_each_measured_criterion_against_its_threshold() {
        let brain = Brain::demo(
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
                .single()
                .unwrap_or_default(),
        );
        let churn = brain.rollout("churn-1.1.0").expect("churn");
        let points = criterion_points(&churn);
        // accuracy, error rate, latency (the alert count has threshold 0).
        assert_eq!(points.len(), 3);
        assert!(
            (points[0].ratio - 0.88 / 0.85).abs() < 1e-9,
            "{:?}",
            points[0]
        );
        assert!(
            (points[2].ratio - 220.0 / 500.0).abs() < 1e-9,
            "{:?}",
            points[2]
        );
        assert!(points.iter().all(|p| p.threshold == 1.0));
    }
}
