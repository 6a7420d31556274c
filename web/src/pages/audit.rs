//! Block 29, audit trail: a filterable, paginated table of the hash-chained entries (subject,
//! action, time range), the chain's status (intact, or the first broken entry), snapshots and
//! export as JSON.

use brain_core::audit::{self, Entry, Outcome, Query};
use brain_core::brain::Command;
use leptos::prelude::*;

use crate::browser::download;
use crate::components::{Field, Panel, StatusBadge};
use crate::forms::parse_time;
use crate::pages::{Page, PageFrame};
use crate::state::use_console;

/// Rows per page (the trail can hold many thousands of entries).
pub const PAGE_SIZE: usize = 50;

/// One table row.
#[derive(Clone, Debug, PartialEq)]
pub struct EntryRow {
    /// Sequence number.
    pub seq: u64,
    /// When (UTC).
    pub at: String,
    /// Who.
    pub actor: String,
    /// About what.
    pub subject: String,
    /// Which command.
    pub action: String,
    /// accepted / refused.
    pub outcome: &'static str,
    /// Details.
    pub detail: String,
    /// Short hash.
    pub hash: String,
}

impl EntryRow {
    fn of(e: &Entry) -> Self {
        EntryRow {
            seq: e.seq,
            at: e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
            actor: e.actor.clone().unwrap_or_else(|| "—".into()),
            subject: e.subject.clone(),
            action: e.action.clone(),
            outcome: match e.outcome {
                Outcome::Accepted => "accepted",
                Outcome::Refused => "refused",
            },
            detail: e.detail.clone(),
            hash: e.hash.chars().take(12).collect(),
        }
    }
}

/// One page of matching entries.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct PageOf {
    /// The rows of the page.
    pub rows: Vec<EntryRow>,
    /// How many entries match.
    pub total: usize,
    /// The page shown (0-based, clamped).
    pub page: usize,
    /// How many pages.
    pub pages: usize,
}

/// The query from the filter texts.
pub fn build_query(subject: &str, action: &str, from: &str, to: &str) -> Result<Query, String> {
    let some = |s: &str| {
        let s = s.trim();
        (!s.is_empty()).then(|| s.to_string())
    };
    let from = parse_time(from)?;
    let to = parse_time(to)?;
    if let (Some(f), Some(t)) = (from, to) {
        if t <= f {
            return Err("the end of the time range must be after its start".into());
        }
    }
    Ok(Query {
        subject: some(subject),
        action: some(action),
        from,
        to,
    })
}

/// Page `page` (newest first) of the entries matching `query`; only that page is copied.
pub fn page_of(state: &audit::State, query: &Query, page: usize) -> PageOf {
    let matching = state.query(query);
    let total = matching.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = page.min(pages - 1);
    let rows = matching
        .iter()
        .rev()
        .skip(page * PAGE_SIZE)
        .take(PAGE_SIZE)
        .map(|e| EntryRow::of(e))
        .collect();
    PageOf {
        rows,
        total,
        page,
        pages,
    }
}

/// The page.
#[component]
pub fn AuditPage() -> impl IntoView {
    let console = use_console();
    let subject = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let query =
        Memo::new(move |_| build_query(&subject.get(), &action.get(), &from.get(), &to.get()));
    // The page chosen and the filter it was chosen under: a new filter starts from the first page.
    let chosen_page = RwSignal::new((query.get_untracked(), 0usize));
    let page = Memo::new(move |_| {
        let q = query.get();
        chosen_page.with(|(under, p)| if *under == q { *p } else { 0 })
    });
    let time_err = move |s: RwSignal<String>| Signal::derive(move || parse_time(&s.get()).err());
    let actions = Memo::new(move |_| {
        console.with(|b| {
            let mut a: Vec<String> = b
                .state()
                .audit
                .entries
                .iter()
                .map(|e| e.action.clone())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            a.dedup();
            a
        })
    });
    let result = Memo::new(move |_| {
        let q = query.get();
        let p = page.get();
        q.map(|q| console.with(|b| page_of(&b.state().audit, &q, p)))
    });
    let chain = Memo::new(move |_| {
        console.with(|b| {
            (
                b.verify_audit().map_err(|e| e.to_string()),
                b.state().audit.entries.len(),
            )
        })
    });
    let snapshots = Memo::new(move |_| console.with(|b| b.state().audit.snapshots.clone()));
    let snapshot = move |_| {
        let _ = console.act(
            Command::Audit(audit::Command::TakeSnapshot),
            "snapshot taken",
        );
    };
    let export = move |_| {
        let json = console.with_untracked(|b| b.audit_export());
        download("audit-trail.json", &json);
        console.toast(true, "audit trail exported as audit-trail.json");
    };
    let rows = Signal::derive(move || result.get().ok().map(|r| r.rows).unwrap_or_default());
    view! {
        <PageFrame page=Page::Audit intro="Every accepted command and refused action, hash-chained.">
            <div class="grid">
                <section class="panel" data-testid="chain-panel">
                    <h2>"Chain"</h2>
                    {move || {
                        let (status, n) = chain.get();
                        match status {
                            Ok(()) => view! {
                                <p data-testid="chain-status">
                                    <StatusBadge status="intact" /> " " {n} " entries, every hash checks out."
                                </p>
                            }
                                .into_any(),
                            Err(e) => view! {
                                <p data-testid="chain-status">
                                    <StatusBadge status="broken" /> " " {e}
                                </p>
                            }
                                .into_any(),
                        }
                    }}
                    <div class="row">
                        <button data-testid="take-snapshot" on:click=snapshot>"Take snapshot"</button>
                        <button class="secondary" data-testid="export-audit" on:click=export>"Export JSON"</button>
                    </div>
                </section>
                <Panel
                    title="Snapshots"
                    testid="snapshots-panel"
                    empty=Signal::derive(move || snapshots.with(Vec::is_empty))
                    empty_text="No snapshots yet — take one to record the state hash at this point."
                >
                    <ul class="snapshots" data-testid="snapshots">
                        <For each=move || snapshots.get() key=|s| (s.position, s.state_hash.clone()) let:s>
                            <li data-testid="snapshot-row">
                                "position " {s.position} " · " {s.at.format("%Y-%m-%d %H:%M:%S").to_string()} " · "
                                <code>{s.state_hash.chars().take(16).collect::<String>()}</code>
                            </li>
                        </For>
                    </ul>
                </Panel>
            </div>
            <section class="panel" data-testid="audit-filters">
                <h2>"Entries"</h2>
                <div class="row">
                    <Field label="Subject (e.g. model or model/lead-scorer)" id="audit-subject" value=subject />
                    <div class="field">
                        <label for="audit-action">"Action"</label>
                        <select
                            id="audit-action"
                            data-testid="audit-action"
                            prop:value=move || action.get()
                            on:change=move |ev| action.set(event_target_value(&ev))
                        >
                            <option value="">"any"</option>
                            <For each=move || actions.get() key=|a| a.clone() let:a>
                                <option value=a.clone()>{a.clone()}</option>
                            </For>
                        </select>
                        <div class="field-error"></div>
                    </div>
                    <Field label="From (UTC)" id="audit-from" kind="datetime-local" value=from error=time_err(from) />
                    <Field label="To (UTC, exclusive)" id="audit-to" kind="datetime-local" value=to error=time_err(to) />
                    <button
                        class="secondary"
                        data-testid="audit-clear"
                        on:click=move |_| {
                            subject.set(String::new());
                            action.set(String::new());
                            from.set(String::new());
                            to.set(String::new());
                        }
                    >
                        "Clear filters"
                    </button>
                </div>
                {move || match result.get() {
                    Err(e) => view! { <p class="field-error" data-testid="audit-query-error">{e}</p> }.into_any(),
                    Ok(r) => {
                        let first = if r.total == 0 { 0 } else { r.page * PAGE_SIZE + 1 };
                        let last = (r.page * PAGE_SIZE + r.rows.len()).min(r.total);
                        view! {
                            <div class="row pager">
                                <span data-testid="audit-count">
                                    {format!("{first}–{last} of {} matching entries (newest first)", r.total)}
                                </span>
                                <button
                                    class="secondary"
                                    data-testid="audit-prev"
                                    disabled={r.page == 0}
                                    on:click=move |_| chosen_page.set((query.get_untracked(), r.page.saturating_sub(1)))
                                >
                                    "← Newer"
                                </button>
                                <span data-testid="audit-page">{format!("page {} of {}", r.page + 1, r.pages)}</span>
                                <button
                                    class="secondary"
                                    data-testid="audit-next"
                                    disabled={r.page + 1 >= r.pages}
                                    on:click=move |_| chosen_page.set((query.get_untracked(), r.page + 1))
                                >
                                    "Older →"
                                </button>
                            </div>
                        }
                            .into_any()
                    }
                }}
                <Show
                    when=move || !rows.get().is_empty()
                    fallback=move || {
                        view! {
                            <p class="empty" data-testid="audit-empty">
                                {move || {
                                    if chain.get().1 == 0 {
                                        "The trail is empty — every command you run is recorded here; or load the demo data from the sidebar."
                                    } else {
                                        "No entry matches these filters — widen or clear them."
                                    }
                                }}
                            </p>
                        }
                    }
                >
                    <div class="table-wrap">
                        <table data-testid="audit-table">
                            <thead>
                                <tr>
                                    <th class="num">"#"</th>
                                    <th>"When (UTC)"</th>
                                    <th>"Actor"</th>
                                    <th>"Subject"</th>
                                    <th>"Action"</th>
                                    <th>"Outcome"</th>
                                    <th>"Detail"</th>
                                    <th>"Hash"</th>
                                </tr>
                            </thead>
                            <tbody>
                                <For each=move || rows.get() key=|r| (r.seq, r.hash.clone()) let:row>
                                    <tr data-testid="audit-row" data-outcome=row.outcome>
                                        <td class="num">{row.seq}</td>
                                        <td>{row.at.clone()}</td>
                                        <td>{row.actor.clone()}</td>
                                        <td>{row.subject.clone()}</td>
                                        <td>{row.action.clone()}</td>
                                        <td><StatusBadge status=row.outcome /></td>
                                        <td class="detail">{row.detail.clone()}</td>
                                        <td><code>{row.hash.clone()}</code></td>
                                    </tr>
                                </For>
                            </tbody>
                        </table>
                    </div>
                </Show>
            </section>
        </PageFrame>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brain_core::Brain;
    use chrono::{TimeZone, Utc};

    #[test]
    fn pages_filters_and_times() {
        let at = Utc
            .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .unwrap_or_default();
        let brain = Brain::demo(at);
        let all = page_of(&brain.state().audit, &Query::default(), 0);
        assert_eq!(all.total, brain.state().audit.entries.len());
        assert_eq!(all.rows.len(), PAGE_SIZE.min(all.total));
        assert_eq!(all.rows[0].seq as usize, all.total - 1);
        let last = page_of(&brain.state().audit, &Query::default(), 999);
        assert_eq!(last.page, last.pages - 1);
        let q = build_query("model", "", "", "").expect("query");
        let models = page_of(&brain.state().audit, &q, 0);
        assert!(models.total > 0 && models.rows.iter().all(|r| r.subject.starts_with("model/")));
        assert!(build_query("", "", "2026-03-02T10:00", "2026-03-02T09:00").is_err());
    }
}
