//! Block 30, verification: run the engine's checks of the live state, see pass / warn / fail
//! per check with its details and the overall status, and export the report as JSON; a chart
//! of the checks by status over runs on the state as the log grew.

use brain_core::verify::{Report, Status};
use brain_core::verify_history::RunCounts;
use leptos::prelude::*;
use leptos_chartistry::*;

use crate::browser::download;
use crate::components::{category_ticks, whole_ticks, StatusBadge};
use crate::pages::{Page, PageFrame};
use crate::state::use_console;

/// A status word.
pub fn status_name(s: Status) -> &'static str {
    match s {
        Status::Pass => "pass",
        Status::Warn => "warn",
        Status::Fail => "fail",
    }
}

/// How many checks pass, warn and fail.
pub fn counts(report: &Report) -> (usize, usize, usize) {
    let n = |s: Status| report.checks.iter().filter(|c| c.status == s).count();
    (n(Status::Pass), n(Status::Warn), n(Status::Fail))
}

/// A check's name in words: `audit_chain_intact` → "audit chain intact".
pub fn readable(name: &str) -> String {
    name.replace('_', " ")
}

/// Runs the history chart shows: the checks on the state after each eighth of the log.
pub const HISTORY_RUNS: usize = 8;

/// One group of bars of the history chart.
#[derive(Clone, Debug, PartialEq)]
pub struct RunBar {
    /// The run's index, 0 = the oldest.
    pub x: f64,
    /// Checks that passed.
    pub pass: f64,
    /// Checks that warned.
    pub warn: f64,
    /// Checks that failed.
    pub fail: f64,
}

/// The history chart's labels ("after 40 commands") and bars.
pub fn run_bars(runs: &[RunCounts]) -> (Vec<String>, Vec<RunBar>) {
    let labels = runs
        .iter()
        .map(|r| format!("after {}", r.commands))
        .collect();
    let bars = runs
        .iter()
        .enumerate()
        .map(|(i, r)| RunBar {
            x: i as f64,
            pass: r.pass as f64,
            warn: r.warn as f64,
            fail: r.fail as f64,
        })
        .collect();
    (labels, bars)
}

/// The page.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let console = use_console();
    let report = RwSignal::new(None::<Report>);
    let history = RwSignal::new(Vec::<RunCounts>::new());
    let run = move |_| {
        let r = console.with_untracked(|b| b.verify());
        history.set(console.with_untracked(|b| b.verification_history(HISTORY_RUNS)));
        let (p, w, f) = counts(&r);
        console.toast(
            r.status != Status::Fail,
            format!(
                "verification: {} ({p} pass, {w} warn, {f} fail)",
                status_name(r.status)
            ),
        );
        report.set(Some(r));
    };
    let export = move |_| {
        if let Some(r) = report.get_untracked() {
            download("verification-report.json", &r.to_json());
            console.toast(true, "report exported as verification-report.json");
        }
    };
    // Only hashed while a report is shown.
    let stale = move || {
        report.with(|r| {
            r.as_ref()
                .is_some_and(|r| r.state_hash != console.with(|b| b.state_hash()))
        })
    };
    view! {
        <PageFrame page=Page::Verify intro="Checks of the live state: the audit chain, replay, policies, counters and every promotion's evidence.">
            <section class="panel">
                <div class="row">
                    <button data-testid="run-verify" on:click=run>"Run verification"</button>
                    <button class="secondary" data-testid="export-verify" disabled=move || report.get().is_none() on:click=export>
                        "Export JSON"
                    </button>
                </div>
                <Show when=stale>
                    <p class="muted" data-testid="verify-stale">"The state changed since this report: run it again."</p>
                </Show>
            </section>
            {move || match report.get() {
                None => view! {
                    <p class="empty panel" data-testid="verify-empty">
                        "No report yet — run the verification. With no data every check passes trivially; load the demo data from the sidebar for a realistic state."
                    </p>
                }
                    .into_any(),
                Some(r) => {
                    let (p, w, f) = counts(&r);
                    view! {
                        <section class="panel" data-testid="verify-report">
                            <h2>
                                "Overall: "
                                <span data-testid="verify-overall"><StatusBadge status=status_name(r.status) /></span>
                            </h2>
                            <p class="muted" data-testid="verify-summary">
                                {format!(
                                    "{} checks: {p} pass, {w} warn, {f} fail · position {} · state hash {}",
                                    r.checks.len(),
                                    r.position,
                                    r.state_hash.chars().take(16).collect::<String>(),
                                )}
                            </p>
                            <div class="table-wrap" tabindex="0">
                                <table data-testid="verify-table">
                                    <thead>
                                        <tr><th>"Check"</th><th>"Status"</th><th>"Details"</th></tr>
                                    </thead>
                                    <tbody>
                                        {r
                                            .checks
                                            .iter()
                                            .map(|c| {
                                                view! {
                                                    <tr data-testid="check-row" data-check=c.name.clone() data-status=status_name(c.status)>
                                                        <td title=c.name.clone()>{readable(&c.name)}</td>
                                                        <td><StatusBadge status=status_name(c.status) /></td>
                                                        <td>{c.details.clone()}</td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        </section>
                    }
                        .into_any()
                }
            }}
            <Show when=move || !history.with(Vec::is_empty)>
                <HistoryChart history=history />
            </Show>
        </PageFrame>
    }
}

#[component]
fn HistoryChart(history: RwSignal<Vec<RunCounts>>) -> impl IntoView {
    let body = move || {
        let (labels, bars) = run_bars(&history.get());
        let data = Signal::derive(move || bars.clone());
        view! {
            <Chart
                aspect_ratio=AspectRatio::from_env_width(260.0)
                left=whole_ticks()
                bottom=category_ticks(labels)
                top=Legend::middle()
                inner=[AxisMarker::left_edge().into_inner(), YGridLine::default().into_inner()]
                series=Series::new(|d: &RunBar| d.x)
                    .with_min_y(0.0)
                    .bar(Bar::new(|d: &RunBar| d.pass).with_name("pass").with_colour(Colour::from_rgb(22, 163, 74)).with_gap(0.25))
                    .bar(Bar::new(|d: &RunBar| d.warn).with_name("warn").with_colour(Colour::from_rgb(217, 119, 6)).with_gap(0.25))
                    .bar(Bar::new(|d: &RunBar| d.fail).with_name("fail").with_colour(Colour::from_rgb(220, 38, 38)).with_gap(0.25))
                data=data
            />
        }
    };
    view! {
        <section class="panel">
            <h2>"Checks by status over verification runs"</h2>
            <div class="chart" data-testid="verify-chart">{body}</div>
            <p class="muted" data-testid="verify-chart-caption">
                "The same checks run again on the state after each eighth of the command log (\"after 40\": once its first 40 commands had run), the last group being the live state. Each group counts the checks that passed, warned and failed then: a check that starts failing shows when it did."
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
    fn the_demo_report_counts_every_check() {
        let at = Utc
            .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .unwrap_or_default();
        let r = Brain::demo(at).verify();
        let (p, w, f) = counts(&r);
        assert_eq!(p + w + f, r.checks.len());
        assert_eq!(f, 0);
        assert_eq!(readable("audit_chain_intact"), "audit chain intact");
    }

    #[test]
    fn the_history_chart_has_a_group_per_run_named_by_its_commands() {
        let runs = [
            RunCounts {
                commands: 10,
                pass: 20,
                warn: 2,
                fail: 1,
            },
            RunCounts {
                commands: 20,
                pass: 23,
                warn: 0,
                fail: 0,
            },
        ];
        let (labels, bars) = run_bars(&runs);
        assert_eq!(labels, vec!["after 10", "after 20"]);
        assert_eq!((bars[0].pass, bars[0].warn, bars[0].fail), (20.0, 2.0, 1.0));
        assert_eq!(bars[1].x, 1.0);
    }
}
