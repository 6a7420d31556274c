//! Continuous monitoring: the schedule of checks (cadence, last and next run, skipped runs,
//! "run now" and "run due checks"), the safety rules and absolute thresholds in force, the
//! daily and weekly reports (read as Markdown, printed, downloaded as .md and .json) and the
//! inbox of notifications with read / unread. Every command of the monitoring block
//! (`RunDueChecks`, `RunCheck`, `MarkRead`) is sent from here; the console also sends
//! `RunDueChecks` by itself when checks fall due ([`crate::monitor`]).

use brain_core::brain::Command;
use brain_core::monitoring::inbox::{Notification, NotificationKind};
use brain_core::monitoring::{self, Check, ReportKind, ScheduleRow, Threshold};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_chartistry::*;

use crate::browser::{download, now};
use crate::components::{fmt_num, whole_ticks, StatusBadge};
use crate::monitor::stamp_time;
use crate::pages::worklist::anchor;
use crate::pages::{Page, PageFrame};
use crate::state::{use_console, Console};

/// A cadence in words ("every 6 h", "off").
pub fn cadence_words(minutes: u32) -> String {
    match minutes {
        0 => "off".into(),
        m if m % (7 * 24 * 60) == 0 => format!("every {} d", m / (24 * 60)),
        m if m % (24 * 60) == 0 && m > 24 * 60 => format!("every {} d", m / (24 * 60)),
        m if m % 60 == 0 => format!("every {} h", m / 60),
        m => format!("every {m} min"),
    }
}

/// A check as the page names it.
pub fn check_words(check: Check) -> &'static str {
    match check {
        Check::Drift => "Drift and degradation (automatic rollbacks)",
        Check::Thresholds => "Absolute thresholds",
        Check::AbEvaluation => "A/B evaluation",
        Check::Health => "Health check and daily report",
        Check::WeeklyReport => "Weekly summary",
    }
}

/// A time as the page shows it, "—" for none.
pub fn time_words(at: Option<DateTime<Utc>>) -> String {
    at.map_or_else(|| "—".into(), |t| t.format("%Y-%m-%d %H:%M").to_string())
}

/// The next run in words: a check never run runs at the next `RunDueChecks`.
pub fn next_run_words(row: &ScheduleRow) -> String {
    match (row.every_minutes, row.next_run) {
        (0, _) => "never (off)".into(),
        (_, Some(at)) => time_words(Some(at)),
        (_, None) => "at the next run of due checks".into(),
    }
}

/// A threshold's limit in words ("above 0.1", "below 1").
pub fn limit_words(t: &Threshold) -> String {
    let mut parts = Vec::new();
    if let Some(max) = t.max {
        parts.push(format!("above {max}"));
    }
    if let Some(min) = t.min {
        parts.push(format!("below {min}"));
    }
    parts.join(" or ")
}

/// A notification kind's name, as a badge shows it.
pub fn kind_name(kind: NotificationKind) -> &'static str {
    match kind {
        NotificationKind::Alert => "alert",
        NotificationKind::MonitoringAlert => "monitoring alert",
        NotificationKind::GateBlock => "gate block",
        NotificationKind::Action => "action",
        NotificationKind::Report => "report",
    }
}

/// The overview's line: the next due check and the unread count.
pub fn overview_line(brain: &brain_core::Brain) -> String {
    let next = match brain.next_due_check() {
        Some((check, at)) => format!("next check {} at {}", check.name(), time_words(Some(at))),
        None if brain.schedule().iter().all(|r| r.every_minutes == 0) => {
            "every check is off".into()
        }
        None => "checks run at the next run of due checks".into(),
    };
    let unread = brain.unread_count();
    format!(
        "Monitoring: {next}; {unread} unread notification{}.",
        if unread == 1 { "" } else { "s" }
    )
}

/// One day of the inbox chart: notifications that day, by kind.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct DayCounts {
    /// Days since the first notification's day (the chart's x).
    pub day: f64,
    /// Outcome alerts.
    pub alerts: f64,
    /// Monitoring alerts and gate BLOCKs.
    pub blocks_and_breaches: f64,
    /// Automatic actions.
    pub actions: f64,
    /// Due reports.
    pub reports: f64,
}

/// Notifications per day by kind, from the first notification's day to the last's (days
/// without any count zero, so the chart's lines do not skip them).
pub fn per_day(notifications: &[Notification]) -> Vec<DayCounts> {
    let day_of = |n: &Notification| n.at.date_naive();
    let (Some(first), Some(last)) = (
        notifications.iter().map(day_of).min(),
        notifications.iter().map(day_of).max(),
    ) else {
        return Vec::new();
    };
    let days = (last - first).num_days().max(0) as usize + 1;
    let mut out: Vec<DayCounts> = (0..days)
        .map(|d| DayCounts {
            day: d as f64,
            ..DayCounts::default()
        })
        .collect();
    for n in notifications {
        let d = &mut out[(day_of(n) - first).num_days() as usize];
        match n.kind {
            NotificationKind::Alert => d.alerts += 1.0,
            NotificationKind::MonitoringAlert | NotificationKind::GateBlock => {
                d.blocks_and_breaches += 1.0
            }
            NotificationKind::Action => d.actions += 1.0,
            NotificationKind::Report => d.reports += 1.0,
        }
    }
    out
}

/// The file name of a report download (`monitoring-daily-2026-03-02.md`).
pub fn report_file(kind: ReportKind, at: DateTime<Utc>, ext: &str) -> String {
    format!("monitoring-{}-{}.{ext}", kind.name(), at.format("%Y-%m-%d"))
}

fn send(console: Console, command: monitoring::Command, done: &str) {
    let _ = console.act(Command::Monitoring(command), done);
}

/// The page.
#[component]
pub fn MonitoringPage() -> impl IntoView {
    view! {
        <PageFrame
            page=Page::Monitoring
            intro="Continuous monitoring: checks run on a schedule while the console is open (drift hourly, A/B evaluation every 6 hours, health daily, a weekly summary); critical degradations roll models back; absolute thresholds raise alerts; every alert, action and report lands in the inbox."
        >
            <SchedulePanel />
            <InboxPanel />
            <ReportsPanel />
            <RulesPanel />
        </PageFrame>
    }
}

#[component]
fn SchedulePanel() -> impl IntoView {
    let console = use_console();
    let rows = Memo::new(move |_| console.with(|b| b.schedule()));
    let run_now = move |check: Check| {
        send(
            console,
            monitoring::Command::RunCheck { check },
            &format!("{} ran", check.name()),
        )
    };
    view! {
        <section class="panel" data-testid="schedule-panel">
            <h2>"Schedule"</h2>
            <p class="muted">"The browser owns the clock: the console runs the due checks when it opens and every minute while it is open. A long gap runs each check once and counts the runs it skipped."</p>
            <div class="table-wrap" tabindex="0">
                <table data-testid="schedule-table">
                    <thead>
                        <tr><th>"Check"</th><th>"Cadence"</th><th>"Last run"</th><th>"Next run"</th><th class="num">"Runs"</th><th class="num">"Skipped"</th><th></th></tr>
                    </thead>
                    <tbody>
                        <For each=move || rows.get() key=|r| (r.check, r.last_run, r.every_minutes, r.skipped) let:r>
                            <tr data-testid="schedule-row" data-check=r.check.name() id=anchor("check", r.check.name())>
                                <td>{check_words(r.check)}</td>
                                <td>{cadence_words(r.every_minutes)}</td>
                                <td data-testid="last-run">{time_words(r.last_run)}</td>
                                <td data-testid="next-run">{next_run_words(&r)}</td>
                                <td class="num">{r.runs}</td>
                                <td class="num" data-testid="skipped">{r.skipped}</td>
                                <td>
                                    <button class="secondary" data-testid=format!("run-now-{}", r.check.name())
                                        on:click=move |_| run_now(r.check)>
                                        "Run now"
                                    </button>
                                </td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
            <button data-testid="run-due-checks"
                on:click=move |_| send(console, monitoring::Command::RunDueChecks {}, "due checks ran")>
                "Run due checks"
            </button>
        </section>
    }
}

#[component]
fn InboxPanel() -> impl IntoView {
    let console = use_console();
    let all = Memo::new(move |_| console.with(|b| b.notifications(None)));
    let unread_ids = Memo::new(move |_| {
        all.with(|n| {
            n.iter()
                .filter(|n| !n.read)
                .map(|n| n.notification_id.clone())
                .collect::<Vec<_>>()
        })
    });
    let newest_first = move || all.get().into_iter().rev().collect::<Vec<_>>();
    let points = Memo::new(move |_| all.with(|n| per_day(n)));
    let first_day = Memo::new(move |_| all.with(|n| n.iter().map(|n| n.at.date_naive()).min()));
    let mark = move |ids: Vec<String>| {
        send(
            console,
            monitoring::Command::MarkRead {
                notification_ids: ids,
            },
            "marked read",
        )
    };
    view! {
        <section class="panel" data-testid="inbox-panel" id="inbox">
            <h2>"Inbox"</h2>
            <p>
                <strong data-testid="inbox-unread">{move || unread_ids.with(Vec::len)}</strong>
                " unread of " {move || all.with(Vec::len)} " notifications. "
                <button class="secondary" data-testid="mark-all-read"
                    disabled=move || unread_ids.with(Vec::is_empty)
                    on:click=move |_| mark(unread_ids.get_untracked())>
                    "Mark all read"
                </button>
            </p>
            <Show when=move || !points.with(Vec::is_empty)>
                <div class="chart" data-testid="inbox-chart">
                    <Chart
                        aspect_ratio=AspectRatio::from_outer_ratio(600.0, 200.0)
                        left=whole_ticks()
                        bottom=TickLabels::aligned_floats().with_format(move |x: &f64, _| {
                            let i = x.round();
                            if (x - i).abs() > 1e-9 || i < 0.0 {
                                return String::new();
                            }
                            first_day
                                .get_untracked()
                                .map(|d| (d + chrono::Duration::days(i as i64)).format("%m-%d").to_string())
                                .unwrap_or_default()
                        })
                        inner=[
                            AxisMarker::left_edge().into_inner(),
                            AxisMarker::bottom_edge().into_inner(),
                            YGridLine::default().into_inner(),
                        ]
                        right=Legend::end()
                        series=Series::new(|p: &DayCounts| p.day)
                            .line(Line::new(|p: &DayCounts| p.alerts).with_name("outcome alerts").with_marker(MarkerShape::Circle))
                            .line(Line::new(|p: &DayCounts| p.blocks_and_breaches).with_name("breaches and gate blocks").with_marker(MarkerShape::Square))
                            .line(Line::new(|p: &DayCounts| p.actions).with_name("automatic actions").with_marker(MarkerShape::Triangle))
                            .line(Line::new(|p: &DayCounts| p.reports).with_name("reports due").with_marker(MarkerShape::Diamond))
                        data=points
                    />
                    <p class="muted">"Notifications per day, by kind: a day with many breaches or automatic actions is the day to read first."</p>
                </div>
            </Show>
            <Show
                when=move || !all.with(Vec::is_empty)
                fallback=|| view! { <p class="empty" data-testid="inbox-empty">"No notifications yet: alerts, gate BLOCKs, automatic actions and due reports appear here."</p> }
            >
                <div class="table-wrap" tabindex="0">
                    <table data-testid="inbox-table">
                        <thead>
                            <tr><th>"Time"</th><th>"Kind"</th><th>"What"</th><th>"Details"</th><th></th></tr>
                        </thead>
                        <tbody>
                            <For each=newest_first key=|n| (n.notification_id.clone(), n.read) let:n>
                                <tr data-testid="notification-row" data-id=n.notification_id.clone() id=anchor("notification", &n.notification_id)
                                    data-read=n.read.to_string() class:unread=!n.read>
                                    <td>{time_words(Some(n.at))}</td>
                                    <td><StatusBadge status=kind_name(n.kind) /></td>
                                    <td>{if n.read { view! { <span>{n.title.clone()}</span> }.into_any() } else { view! { <strong>{n.title.clone()}</strong> }.into_any() }}</td>
                                    <td class="detail">{n.detail.clone()}</td>
                                    <td>
                                        {(!n.read).then(|| {
                                            let id = n.notification_id.clone();
                                            view! {
                                                <button class="secondary" data-testid="mark-read"
                                                    on:click=move |_| mark(vec![id.clone()])>
                                                    "Mark read"
                                                </button>
                                            }
                                        })}
                                    </td>
                                </tr>
                            </For>
                        </tbody>
                    </table>
                </div>
            </Show>
        </section>
    }
}

#[component]
fn ReportsPanel() -> impl IntoView {
    let console = use_console();
    let weekly = RwSignal::new(false);
    let kind = move || {
        if weekly.get() {
            ReportKind::Weekly
        } else {
            ReportKind::Daily
        }
    };
    // The report for the period ending now (the console's clock, never before the last
    // command); it follows the state as commands run.
    let report = Memo::new(move |_| {
        let kind = kind();
        console.with(|b| b.report(kind, stamp_time(b, now())))
    });
    let markdown = Memo::new(move |_| report.with(|r| r.to_markdown()));
    let download_md = move |_| {
        let r = report.get_untracked();
        download(&report_file(r.kind, r.to, "md"), &markdown.get_untracked());
    };
    let download_json = move |_| {
        let r = report.get_untracked();
        let json = serde_json::to_string_pretty(&r).unwrap_or_default();
        download(&report_file(r.kind, r.to, "json"), &json);
    };
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <section class="panel report-panel" data-testid="reports-panel">
            <h2>"Reports"</h2>
            <div class="row">
                <label>
                    <input type="radio" name="report-kind" data-testid="report-daily"
                        prop:checked=move || !weekly.get() on:change=move |_| weekly.set(false) />
                    " Daily health report (last 24 hours)"
                </label>
                <label>
                    <input type="radio" name="report-kind" data-testid="report-weekly"
                        prop:checked=move || weekly.get() on:change=move |_| weekly.set(true) />
                    " Weekly summary (last 7 days)"
                </label>
            </div>
            <div class="row">
                <button class="secondary" data-testid="download-report-md" on:click=download_md>"Download .md"</button>
                <button class="secondary" data-testid="download-report-json" on:click=download_json>"Download .json"</button>
                <button class="secondary" data-testid="print-report" on:click=print>"Print"</button>
            </div>
            <pre class="report" data-testid="report-markdown" tabindex="0">{move || markdown.get()}</pre>
        </section>
    }
}

#[component]
fn RulesPanel() -> impl IntoView {
    let console = use_console();
    let policy = Memo::new(move |_| console.with(|b| b.policy().monitoring.clone()));
    let on_off = |b: bool| if b { "on" } else { "off" };
    view! {
        <section class="panel" data-testid="rules-panel">
            <h2>"Safety rules and absolute thresholds"</h2>
            <p class="muted">"Policy data: change them on the Policy page (an audited SetPolicy); the What-if page shows what a looser rule would have done."</p>
            <ul data-testid="safety-rules">
                <li>{move || { let p = policy.get(); format!("Roll back on a critical degradation (worse than {}x the regression tolerance): {}", fmt_num(p.critical_factor, 2), on_off(p.rollback_on_critical_degradation)) }}</li>
                <li>{move || { let p = policy.get(); format!("Roll back on a major drift (PSI at or above {}): {}", fmt_num(p.major_drift_psi, 2), on_off(p.rollback_on_major_drift)) }}</li>
                <li>{move || format!("The safety gate counts open drift alerts: {}", on_off(policy.get().safety_gate_counts_drift))}</li>
                <li>{move || format!("The safety gate counts open below-baseline alerts: {}", on_off(policy.get().safety_gate_counts_below_baseline))}</li>
            </ul>
            <div class="table-wrap" tabindex="0">
                <table data-testid="thresholds-table">
                    <thead>
                        <tr><th>"Rule"</th><th>"Metric"</th><th>"Statistic"</th><th>"Window"</th><th>"Breach when"</th><th>"Enabled"</th></tr>
                    </thead>
                    <tbody>
                        <For each=move || policy.get().thresholds key=|t| format!("{t:?}") let:t>
                            <tr data-testid="threshold-row">
                                <td>{t.rule.clone()}</td>
                                <td>{t.metric.clone()}</td>
                                <td>{t.statistic.name()}</td>
                                <td>{cadence_words(t.window_minutes).replace("every ", "")}</td>
                                <td>{limit_words(&t)}</td>
                                <td>{on_off(t.enabled)}</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brain_core::brain::Envelope;
    use brain_core::Brain;
    use chrono::{Duration, TimeZone};

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn cadences_read_in_the_largest_whole_unit() {
        for (minutes, words) in [
            (0, "off"),
            (45, "every 45 min"),
            (60, "every 1 h"),
            (360, "every 6 h"),
            (1440, "every 24 h"),
            (2880, "every 2 d"),
            (10080, "every 7 d"),
        ] {
            assert_eq!(cadence_words(minutes), words, "{minutes}");
        }
    }

    #[test]
    fn the_inbox_chart_counts_each_days_notifications_by_kind_with_empty_days_at_zero() {
        let mut brain = Brain::demo(t0());
        let at = brain.log().last().map(|e| e.at).unwrap_or_default() + Duration::days(2);
        let env = Envelope::new(
            at,
            Command::Monitoring(monitoring::Command::RunDueChecks {}),
        );
        brain.execute(env).unwrap_or_else(|e| panic!("{e}"));
        let all = brain.notifications(None);
        let days = per_day(&all);
        let total: f64 = days
            .iter()
            .map(|d| d.alerts + d.blocks_and_breaches + d.actions + d.reports)
            .sum();
        assert_eq!(total, all.len() as f64, "every notification counted once");
        let first = all
            .iter()
            .map(|n| n.at.date_naive())
            .min()
            .unwrap_or_default();
        assert_eq!(days.len() as i64, (at.date_naive() - first).num_days() + 1);
        let reports_on_last_day = all
            .iter()
            .filter(|n| n.kind == NotificationKind::Report && n.at.date_naive() == at.date_naive())
            .count();
        assert!(reports_on_last_day > 0, "the late run's health report");
        assert_eq!(
            days.last().map(|d| d.reports),
            Some(reports_on_last_day as f64)
        );
        assert!(per_day(&[]).is_empty());
    }

    #[test]
    fn the_overview_line_names_the_next_due_check_and_the_unread_count() {
        assert_eq!(
            overview_line(&Brain::new()),
            "Monitoring: checks run at the next run of due checks; 0 unread notifications."
        );
        let brain = Brain::demo(t0());
        let (check, at) = brain.next_due_check().unwrap_or_else(|| panic!("demo ran"));
        let unread = brain.unread_count();
        assert!(unread > 1, "the demo's alerts are unread");
        assert_eq!(
            overview_line(&brain),
            format!(
                "Monitoring: next check {} at {}; {unread} unread notifications.",
                check.name(),
                time_words(Some(at))
            )
        );
    }

    #[test]
    fn the_next_run_says_when_a_check_never_ran_or_is_off() {
        let brain = Brain::new();
        let rows = brain.schedule();
        assert_eq!(next_run_words(&rows[0]), "at the next run of due checks");
        let off = ScheduleRow {
            every_minutes: 0,
            ..rows[0].clone()
        };
        assert_eq!(next_run_words(&off), "never (off)");
        let defaults = Threshold::defaults();
        assert_eq!(limit_words(&defaults[0]), "above 0.1");
        assert_eq!(limit_words(&defaults[2]), "below 1");
        assert_eq!(
            report_file(ReportKind::Weekly, t0(), "md"),
            "monitoring-weekly-2026-03-02.md"
        );
    }
}
