//! Block 29, audit trail: a filterable, paginated table of the entries (subject, action, time
//! range), the log's status (intact, or the first altered entry), snapshots and export as JSON;
//! and the witness panel: the Merkle tree head (size, root) to copy and publish, a pasted root
//! or an exported file checked against the live log, and the inclusion proof of an entry; a
//! chart of the entries per block over time with the refusals highlighted.

use brain_core::audit::{self, Entry, Outcome, Query, TreeHead};
use brain_core::brain::Command;
use brain_core::Brain;
use leptos::prelude::*;
use leptos_chartistry::*;
use wasm_bindgen::JsCast;

use crate::browser::download;
use crate::components::{
    category_ticks, whole_ticks, Field, FormResult, FormsBelow, IdList, Known, Panel, StatusBadge,
};
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
            // Stored details are kept as written (they are hashed); shown as sentences.
            detail: e.readable_detail(),
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

/// Time windows the activity chart splits the trail into, at most.
pub const ACTIVITY_WINDOWS: usize = 10;
/// Blocks the activity chart draws a line for; the others add up in "other".
pub const ACTIVITY_BLOCKS: usize = 5;

/// An entry's block: its subject's kind (`script/warm-open` → `script`).
pub fn block_of(subject: &str) -> &str {
    subject.split('/').next().unwrap_or(subject)
}

/// One time window of the activity chart.
#[derive(Clone, Debug, PartialEq)]
pub struct ActivityPoint {
    /// The window's index (0 = the oldest).
    pub x: f64,
    /// Entries per block in the window, in `Activity::blocks` order.
    pub entries: Vec<f64>,
    /// Refused entries in the window (any block).
    pub refused: f64,
}

/// The activity chart: the blocks drawn, each window's start (its label) and its counts.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Activity {
    /// The busiest blocks, then "other" when there are more.
    pub blocks: Vec<String>,
    /// Each window's start, "MM-DD HH:MM" (UTC).
    pub labels: Vec<String>,
    /// One point per window.
    pub points: Vec<ActivityPoint>,
}

/// Entries per block and refusals in up to `windows` equal time windows from the first entry
/// to the last; the `blocks` busiest blocks get a line each.
pub fn activity(entries: &[Entry], windows: usize, blocks: usize) -> Activity {
    let (Some(first), Some(last)) = (entries.first(), entries.last()) else {
        return Activity::default();
    };
    let mut totals: std::collections::BTreeMap<&str, usize> = Default::default();
    for e in entries {
        *totals.entry(block_of(&e.subject)).or_default() += 1;
    }
    let mut busiest: Vec<(&str, usize)> = totals.into_iter().collect();
    busiest.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut names: Vec<String> = busiest
        .iter()
        .take(blocks)
        .map(|(n, _)| n.to_string())
        .collect();
    let other = busiest.len() > blocks;
    if other {
        names.push("other".into());
    }
    let span = (last.at - first.at).num_seconds().max(0);
    let windows = if span == 0 { 1 } else { windows.max(1) };
    let width = ((span + windows as i64) / windows as i64).max(1);
    let mut points: Vec<ActivityPoint> = (0..windows)
        .map(|i| ActivityPoint {
            x: i as f64,
            entries: vec![0.0; names.len()],
            refused: 0.0,
        })
        .collect();
    for e in entries {
        let w = (((e.at - first.at).num_seconds().max(0) / width) as usize).min(windows - 1);
        let block = block_of(&e.subject);
        let i = names
            .iter()
            .position(|n| n == block)
            .unwrap_or(names.len() - 1);
        points[w].entries[i] += 1.0;
        if e.outcome == Outcome::Refused {
            points[w].refused += 1.0;
        }
    }
    let labels = (0..windows)
        .map(|i| {
            (first.at + chrono::Duration::seconds(width * i as i64))
                .format("%m-%d %H:%M")
                .to_string()
        })
        .collect();
    Activity {
        blocks: names,
        labels,
        points,
    }
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

/// What the witness box holds: a tree head (`{"size":..,"root":..}`, or
/// `size root`), or an exported audit log (`{"entries": [...]}`).
#[derive(Clone, Debug, PartialEq)]
pub enum Pasted {
    /// A root kept or published earlier.
    Head(TreeHead),
    /// An exported audit log (its text, checked byte for byte).
    Export(String),
}

/// Reads the witness box.
pub fn parse_pasted(text: &str) -> Result<Pasted, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err("paste a root ({\"size\": …, \"root\": …}) or an exported audit file".into());
    }
    if trimmed.starts_with('{') {
        if let Ok(head) = serde_json::from_str::<TreeHead>(trimmed) {
            return Ok(Pasted::Head(head));
        }
        if trimmed.contains("\"entries\"") {
            return Ok(Pasted::Export(trimmed.to_string()));
        }
        return Err(
            "this JSON is neither a root {\"size\", \"root\"} nor an exported audit file".into(),
        );
    }
    let mut words = trimmed.split(|c: char| c.is_whitespace() || c == ':' || c == ',');
    let words: Vec<&str> = words.by_ref().filter(|w| !w.is_empty()).collect();
    match words.as_slice() {
        [size, root] => Ok(Pasted::Head(TreeHead {
            size: size
                .parse()
                .map_err(|_| format!("the size must be a whole number, got {size:?}"))?,
            root: (*root).to_string(),
        })),
        _ => Err("a root is its size and its hash, e.g. 42 9f86d0…".into()),
    }
}

/// Checks the witness box against the live log: a root must be extended by
/// the live log (not truncated, not rewritten); an export must verify on its
/// own, and then it and the live log must be one the extension of the other.
/// `Ok` says what was proved.
pub fn check_pasted(brain: &Brain, text: &str) -> Result<String, String> {
    let live = brain.audit_root();
    match parse_pasted(text)? {
        Pasted::Head(head) => {
            brain.check_audit_root(&head).map_err(|e| e.to_string())?;
            Ok(format!(
                "consistent: the live log ({} entries) extends this root of {} entries",
                live.size, head.size
            ))
        }
        Pasted::Export(json) => {
            let file = audit::verify_export(&json, None)
                .map_err(|e| format!("the file does not verify: {e}"))?;
            if file.size <= live.size {
                brain
                    .check_audit_root(&file)
                    .map_err(|e| format!("the live log does not extend the file: {e}"))?;
                Ok(format!(
                    "the file's {} entries verify, and the live log ({} entries) extends them",
                    file.size, live.size
                ))
            } else {
                audit::verify_export(&json, Some(&live))
                    .map_err(|e| format!("the file does not extend the live log: {e}"))?;
                Ok(format!(
                    "the file's {} entries verify and extend the live log ({} entries)",
                    file.size, live.size
                ))
            }
        }
    }
}

/// Proves entry `seq` included in the live log and checks the proof as an
/// outside verifier would: the leaf re-hashed from the entry's content, the
/// audit path folded up to the root.
pub fn check_inclusion(brain: &Brain, seq: &str) -> Result<String, String> {
    let index: u64 = seq.trim().parse().map_err(|_| {
        format!(
            "the entry number must be a whole number, got {:?}",
            seq.trim()
        )
    })?;
    let proof = brain.prove_entry(index).map_err(|e| e.to_string())?;
    let entry = usize::try_from(index)
        .ok()
        .and_then(|i| brain.state().audit.entries.get(i))
        .ok_or_else(|| format!("there is no entry {index}"))?;
    let head = brain.audit_root();
    audit::verify_inclusion(&audit::entry_hash(entry), index, &proof.path, &head)
        .map_err(|e| e.to_string())?;
    Ok(format!(
        "entry {index} ({}) is in the log of {} entries: its {}-hash audit path leads to the root",
        entry.action,
        head.size,
        proof.path.len()
    ))
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
    // The matching entries, each with its inclusion proof against the live tree head: a
    // reader holding the published root checks them without the entries left out.
    let export_filtered = move |_| {
        let Ok(q) = query.get_untracked() else {
            return;
        };
        let export = console.with_untracked(|b| b.audit_export_filtered(&q));
        let n = export.entries.len();
        download(
            "audit-trail-filtered.json",
            &serde_json::to_string_pretty(&export).unwrap_or_default(),
        );
        console.toast(
            true,
            format!("{n} matching entries exported with their proofs as audit-trail-filtered.json"),
        );
    };
    let rows = Signal::derive(move || result.get().ok().map(|r| r.rows).unwrap_or_default());
    view! {
        <PageFrame page=Page::Audit intro="Every accepted command and refused action, in a Merkle tree whose root you can publish.">
            <div class="grid">
                <section class="panel" data-testid="chain-panel">
                    <h2>"Chain"</h2>
                    {move || {
                        let (status, n) = chain.get();
                        match status {
                            Ok(()) => view! {
                                <p data-testid="chain-status">
                                    <StatusBadge status="intact" /> " " {n} " entries, every leaf hash and tree head checks out."
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
            <ActivityChart />
            <TreeHeadPanel />
            <section class="panel" data-testid="audit-filters">
                <h2>"Entries"</h2>
                <div class="row">
                    <Field label="Subject (e.g. lead-scorer, model or model/lead-scorer)" id="audit-subject" value=subject list="known-audit-subjects" />
                    <IdList id="known-audit-subjects" kind=Known::AuditSubjects />
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
                    <button
                        class="secondary"
                        data-testid="audit-export-filtered"
                        disabled=move || query.with(Result::is_err)
                        on:click=export_filtered
                    >
                        "Export matching (with proofs)"
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
                    <div class="csv-tools"><crate::components::CsvDownload table=brain_core::csv_io::Table::Audit /></div>
                    <div class="table-wrap" tabindex="0">
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
            <FormsBelow summary="Record an outside action">
                <LogActionForm />
            </FormsBelow>
        </PageFrame>
    }
}

/// Records an action taken outside the engine (a deployment, a manual decision): its entry
/// has the subject and action given, and the status and details as its detail.
#[component]
fn LogActionForm() -> impl IntoView {
    let console = use_console();
    let subject = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let status = RwSignal::new("success".to_string());
    let details = RwSignal::new(String::new());
    let result = RwSignal::new(None::<(bool, String)>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (s, a) = (subject.get_untracked(), action.get_untracked());
        let cmd = Command::Audit(audit::Command::LogAction {
            subject: s.clone(),
            action: a.clone(),
            status: status.get_untracked(),
            details: details.get_untracked(),
        });
        let msg = format!("{} on {} recorded in the trail", a.trim(), s.trim());
        if console.submit(cmd, result, msg) {
            action.set(String::new());
            details.set(String::new());
        }
    };
    view! {
        <form class="panel" data-testid="log-action-form" on:submit=submit>
            <h2>"Record an outside action"</h2>
            <p class="muted">"A deployment, a manual decision or anything done outside the engine: it becomes an entry of the trail like any command."</p>
            <div class="row">
                <Field label="Subject (e.g. model/lead-scorer)" id="log-subject" value=subject list="known-audit-subjects" />
                <Field label="Action (e.g. deploy)" id="log-action" value=action />
                <Field label="Status (e.g. success, failed)" id="log-status" value=status />
                <Field label="Details (optional)" id="log-details" value=details />
            </div>
            <button type="submit" data-testid="log-submit">"Record"</button>
            <FormResult result=result testid="log-result" />
        </form>
    }
}

#[component]
fn ActivityChart() -> impl IntoView {
    let console = use_console();
    let chart = Memo::new(move |_| {
        console.with(|b| activity(&b.state().audit.entries, ACTIVITY_WINDOWS, ACTIVITY_BLOCKS))
    });
    let body = move || {
        let Activity {
            blocks,
            labels,
            points,
        } = chart.get();
        if points.is_empty() {
            return view! {
                <p class="empty" data-testid="audit-chart-empty">"No entries yet — every command adds one."</p>
            }
            .into_any();
        }
        let lines: Vec<Line<ActivityPoint, f64>> = blocks
            .iter()
            .enumerate()
            .map(|(i, n)| {
                Line::new(move |p: &ActivityPoint| p.entries.get(i).copied().unwrap_or(0.0))
                    .with_name(n.clone())
                    .with_marker(MarkerShape::Circle)
                    .with_interpolation(Interpolation::Linear)
            })
            .collect();
        let data = Signal::derive(move || points.clone());
        view! {
            <Chart
                aspect_ratio=AspectRatio::from_env_width(260.0)
                left=whole_ticks()
                bottom=category_ticks(labels)
                top=Legend::middle()
                inner=[AxisMarker::left_edge().into_inner(), YGridLine::default().into_inner()]
                series=Series::new(|p: &ActivityPoint| p.x)
                    .with_min_y(0.0)
                    .bar(
                        Bar::new(|p: &ActivityPoint| p.refused)
                            .with_name("refused")
                            .with_colour(Colour::from_rgb(220, 38, 38))
                            .with_gap(0.6),
                    )
                    .lines(lines)
                data=data
            />
            <p class="muted" data-testid="audit-chart-caption">
                "Entries in the trail per block (what the entry is about: script, experiment, source, …), in equal time windows from the first entry to the last, each labelled with its start (UTC). The red bars count the refused actions in each window, whatever their block; the quieter blocks add up in \"other\"."
            </p>
        }
        .into_any()
    };
    view! {
        <section class="panel">
            <h2>"Entries per block over time, refusals in red"</h2>
            <div class="chart" data-testid="audit-chart">{body}</div>
        </section>
    }
}

/// The log's identity and its witness checks: the current root to copy and
/// publish, a pasted root or an exported file checked against the live log,
/// and the inclusion of one entry.
#[component]
fn TreeHeadPanel() -> impl IntoView {
    let console = use_console();
    let head = Memo::new(move |_| console.with(|b| b.audit_root()));
    let pasted = RwSignal::new(String::new());
    let verdict = RwSignal::new(None::<Result<String, String>>);
    let entry = RwSignal::new(String::new());
    let included = RwSignal::new(None::<Result<String, String>>);
    let check = move |_| {
        let text = pasted.get_untracked();
        verdict.set(Some(console.with_untracked(|b| check_pasted(b, &text))));
    };
    let choose = move |ev: leptos::ev::Event| {
        crate::browser::read_chosen_file(&ev, move |text| match text {
            None => verdict.set(Some(Err("the file could not be read as text".into()))),
            Some(text) => {
                verdict.set(Some(console.with_untracked(|b| check_pasted(b, &text))));
                pasted.set(text);
            }
        });
    };
    let prove = move |_| {
        let seq = entry.get_untracked();
        included.set(Some(console.with_untracked(|b| check_inclusion(b, &seq))));
    };
    let shown = |r: Option<Result<String, String>>| match r {
        None => ().into_any(),
        Some(Ok(text)) => view! { <StatusBadge status="ok" /> " " {text} }.into_any(),
        Some(Err(text)) => view! { <StatusBadge status="fail" /> " " {text} }.into_any(),
    };
    view! {
        <section class="panel" data-testid="tree-head-panel">
            <h2>"Tree head"</h2>
            <p>
                "The log is a Merkle tree (RFC 6962). Its head, size and root, is its identity: keep or publish it, and any later log or export can be checked against it."
            </p>
            <p>
                "Size " <strong data-testid="audit-size">{move || head.get().size}</strong> " · root "
                <code data-testid="audit-root">{move || head.get().root}</code>
            </p>
            <input
                readonly
                aria-label="tree head as JSON"
                data-testid="audit-root-json"
                prop:value=move || serde_json::to_string(&head.get()).unwrap_or_default()
                on:focus=move |ev| {
                    if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                        input.select();
                    }
                }
            />
            <div class="field">
                <label for="witness-text">"A root kept earlier, or an exported audit file"</label>
                <textarea
                    id="witness-text"
                    data-testid="witness-text"
                    rows="3"
                    prop:value=move || pasted.get()
                    on:input=move |ev| pasted.set(event_target_value(&ev))
                ></textarea>
            </div>
            <div class="row">
                <button data-testid="witness-check" on:click=check>"Check against the live log"</button>
                <label class="button secondary" for="witness-file">"Choose an exported file"</label>
                <input id="witness-file" data-testid="witness-file" class="visually-hidden" type="file" accept="application/json,.json" on:change=choose />
            </div>
            <p data-testid="witness-result" role="status">{move || shown(verdict.get())}</p>
            <div class="row">
                <Field label="Entry #" id="inclusion-seq" value=entry />
                <button data-testid="inclusion-check" on:click=prove>"Prove inclusion"</button>
            </div>
            <p data-testid="inclusion-result" role="status">{move || shown(included.get())}</p>
        </section>
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

    fn demo() -> Brain {
        Brain::demo(
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
                .single()
                .unwrap_or_default(),
        )
    }

    #[test]
    fn a_pasted_root_is_checked_against_the_live_log_in_either_form() {
        let brain = demo();
        let head = brain.audit_root();
        let json = serde_json::to_string(&head).unwrap_or_default();
        assert!(check_pasted(&brain, &json).is_ok_and(|t| t.starts_with("consistent")));
        let plain = format!(
            "{} {}",
            head.size - 3,
            brain
                .consistency_proof(head.size - 3)
                .map(|p| p.old.root)
                .unwrap_or_default()
        );
        assert!(check_pasted(&brain, &plain).is_ok(), "{plain}");
        let rewritten = format!("{} {}", head.size - 3, head.root);
        assert!(check_pasted(&brain, &rewritten).is_err_and(|e| e.contains("rewritten")));
        let ahead = format!("{} {}", head.size + 1, head.root);
        assert!(check_pasted(&brain, &ahead).is_err_and(|e| e.contains("cut off")));
        assert!(check_pasted(&brain, "").is_err());
        assert!(check_pasted(&brain, "12").is_err());
        assert!(check_pasted(&brain, "{\"x\": 1}").is_err());
    }

    #[test]
    fn an_export_is_checked_against_the_live_log_and_an_edited_one_is_refused() {
        let brain = demo();
        let export = brain.audit_export();
        assert!(check_pasted(&brain, &export).is_ok_and(|t| t.contains("verify")));
        // An older export: the live log extends it.
        let older = audit::export_entries(&brain.state().audit.entries[..10]);
        assert!(
            check_pasted(&brain, &older).is_ok_and(|t| t.contains("extends them")),
            "{older:.80}"
        );
        // An edited entry: the file does not verify.
        let edited = export.replacen("\"detail\":\"\"", "\"detail\":\"x\"", 1);
        assert_ne!(edited, export);
        assert!(check_pasted(&brain, &edited).is_err_and(|e| e.contains("altered")));
    }

    #[test]
    fn an_entry_is_proved_included_and_one_beyond_the_log_is_not() {
        let brain = demo();
        let n = brain.audit_root().size;
        assert!(check_inclusion(&brain, "0").is_ok_and(|t| t.contains("audit path")));
        assert!(check_inclusion(&brain, &(n - 1).to_string()).is_ok());
        assert!(check_inclusion(&brain, &n.to_string()).is_err());
        assert!(check_inclusion(&brain, "x").is_err());
    }

    #[test]
    fn the_activity_chart_counts_every_entry_once_and_every_refusal() {
        let at = Utc
            .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .unwrap_or_default();
        let b = Brain::demo(at);
        let entries = &b.state().audit.entries;
        let a = activity(entries, ACTIVITY_WINDOWS, 2);
        assert_eq!(a.blocks.len(), 3, "two busiest blocks and other");
        assert_eq!(a.blocks[2], "other");
        assert_eq!(a.labels.len(), a.points.len());
        let counted: f64 = a.points.iter().flat_map(|p| p.entries.iter()).sum();
        assert_eq!(counted as usize, entries.len());
        let refused = entries
            .iter()
            .filter(|e| e.outcome == Outcome::Refused)
            .count();
        assert!(refused > 0, "the demo has refusals");
        let shown: f64 = a.points.iter().map(|p| p.refused).sum();
        assert_eq!(shown as usize, refused);
        assert_eq!(block_of("script/warm-open"), "script");
        assert_eq!(activity(&[], 10, 5), Activity::default());
    }
}
