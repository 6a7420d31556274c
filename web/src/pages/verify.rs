//! Block 30, verification: run the engine's checks of the live state, see pass / warn / fail
//! per check with its details and the overall status, and export the report as JSON.

use brain_core::verify::{Report, Status};
use leptos::prelude::*;

use crate::browser::download;
use crate::components::StatusBadge;
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

/// The page.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let console = use_console();
    let report = RwSignal::new(None::<Report>);
    let run = move |_| {
        let r = console.with_untracked(|b| b.verify());
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
        </PageFrame>
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
}
