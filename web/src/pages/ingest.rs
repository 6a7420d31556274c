//! Block 24, learning ingestion: the source whitelist (add, remove, suspend,
//! resume), payload submission, accepted and blocked counts per source, and
//! the last blocked attempts with their reasons, and the accepted payloads
//! kept (per the policy's `ingest.retain_payloads`) with a JSON download and,
//! for a payload that is a lead, a link that builds a packet from it.

use brain_core::ingest::{self, SourceReport, SourceStatus};
use brain_core::{Command, Event};
use leptos::prelude::*;
use leptos_chartistry::*;

use crate::browser::download;
use crate::components::{whole_ticks, Field, FormResult, Panel, StatusBadge};
use crate::components::{CsvDownload, CsvImport};
use crate::components::{FormsBelow, IdList, Known};
use crate::forms::check_payload;
use crate::pages::packet_choice::build_link;
use crate::pages::{Page, PageFrame};
use crate::state::{use_console, Confirmation};
use brain_core::csv_io;

// ---------------------------------------------------------------- logic

/// A source status in words.
pub fn status_word(s: SourceStatus) -> &'static str {
    match s {
        SourceStatus::Active => "active",
        SourceStatus::Suspended => "suspended",
        SourceStatus::Removed => "removed",
        SourceStatus::Unlisted => "unlisted",
    }
}

/// The actions a source offers in its status: (label, test id, command).
pub fn actions(s: &SourceReport) -> Vec<(&'static str, &'static str, Command)> {
    let src = || s.source.clone();
    let add = Command::Ingest(ingest::Command::AddSource { source: src() });
    let suspend = Command::Ingest(ingest::Command::SuspendSource { source: src() });
    let remove = Command::Ingest(ingest::Command::RemoveSource { source: src() });
    match s.status {
        SourceStatus::Active => vec![
            ("Suspend", "source-suspend", suspend),
            ("Remove", "source-remove", remove),
        ],
        SourceStatus::Suspended => vec![
            ("Resume", "source-resume", add),
            ("Remove", "source-remove", remove),
        ],
        SourceStatus::Removed | SourceStatus::Unlisted => vec![("Allow", "source-allow", add)],
    }
}

/// What a source field says of its text: none while empty or when it
/// names a source, else that it normalizes to nothing (blank, or only
/// characters the engine strips). Both forms of the page take a source.
pub fn source_error(typed: &str) -> Option<String> {
    (!typed.is_empty() && ingest::normalize(typed).is_empty())
        .then(|| "source name is empty".to_string())
}

/// The start of a payload for a table cell: at most `max` characters, an
/// ellipsis when cut.
pub fn payload_preview(payload: &str, max: usize) -> String {
    let mut out: String = payload.chars().take(max).collect();
    if payload.chars().nth(max).is_some() {
        out.push('\u{2026}');
    }
    out
}

/// A bar of the chart: a source's accepted and blocked counts.
#[derive(Clone, Debug, PartialEq)]
pub struct CountBar {
    pub x: f64,
    pub accepted: f64,
    pub blocked: f64,
}

/// The chart's bars and the source name of each.
pub fn count_bars(sources: &[SourceReport]) -> (Vec<String>, Vec<CountBar>) {
    let shown: Vec<&SourceReport> = sources
        .iter()
        .filter(|s| s.accepted + s.blocked > 0)
        .collect();
    (
        shown.iter().map(|s| s.source.clone()).collect(),
        shown
            .iter()
            .enumerate()
            .map(|(i, s)| CountBar {
                x: i as f64,
                accepted: s.accepted as f64,
                blocked: s.blocked as f64,
            })
            .collect(),
    )
}

// ---------------------------------------------------------------- view

/// The page.
#[component]
pub fn IngestPage() -> impl IntoView {
    let console = use_console();
    let sources = Memo::new(move |_| console.with(|b| b.sources()));
    view! {
        <PageFrame page=Page::Ingest intro="Only whitelisted sources feed learning: manage the whitelist, submit payloads, and see what was blocked and why.">
            <Panel
                title="Sources"
                testid="sources"
                empty=Signal::derive(move || sources.with(Vec::is_empty))
                empty_text="No sources yet — add one below, or load the demo data from the sidebar."
                empty_testid="sources-empty"
            >
                <div class="table-wrap" tabindex="0">
                    <table data-testid="sources-table">
                        <thead>
                            <tr>
                                <th>"Source"</th>
                                <th>"Status"</th>
                                <th>"Accepted"</th>
                                <th>"Blocked"</th>
                                <th>"Last reasons"</th>
                                <th>"Actions"</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For
                                each=move || sources.get()
                                key=|s| format!("{s:?}")
                                children=move |s| {
                                    let acts = actions(&s);
                                    let reasons = s.last_reasons.join("; ");
                                    view! {
                                        <tr data-testid="source-row" id=crate::pages::worklist::anchor("source", &s.source)>
                                            <td data-testid="source-cell">{s.source.clone()}</td>
                                            <td><StatusBadge status=status_word(s.status) /></td>
                                            <td class="num" data-testid="source-accepted">{s.accepted}</td>
                                            <td class="num" data-testid="source-blocked">{s.blocked}</td>
                                            <td class="muted">{reasons}</td>
                                            <td class="row">
                                                {acts
                                                    .into_iter()
                                                    .map(|(label, testid, cmd)| {
                                                        let msg = format!("{} {}", label.to_lowercase(), s.source);
                                                        let class = if label == "Remove" { "danger" } else { "secondary" };
                                                        view! {
                                                            <button
                                                                type="button"
                                                                class=class
                                                                data-testid=testid
                                                                on:click={
                                                                    let source = s.source.clone();
                                                                    move |_| {
                                                                        let (cmd, msg) = (cmd.clone(), msg.clone());
                                                                        if label != "Remove" {
                                                                            let _ = console.act(cmd, &msg);
                                                                            return;
                                                                        }
                                                                        // Removing asks first (the toast then offers undo).
                                                                        console.confirm(Confirmation {
                                                                            title: format!("Remove source {source}?"),
                                                                            changes: format!("{source} is taken off the whitelist: everything it sends is blocked until it is allowed again. Counts and reasons so far are kept."),
                                                                            confirm: "Remove".into(),
                                                                            action: Callback::new(move |_| {
                                                                                let _ = console.act(cmd.clone(), &msg);
                                                                            }),
                                                                            alternative: None,
                                                                            key: "source-remove",
                                                                        });
                                                                    }
                                                                }
                                                            >
                                                                {label}
                                                            </button>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </td>
                                        </tr>
                                    }
                                }
                            />
                        </tbody>
                    </table>
                </div>
            </Panel>
            <FormsBelow summary="Add a source or submit a payload">
                <div class="grid">
                    <AddSourceForm />
                    <SubmitForm />
                </div>
            </FormsBelow>
            <IngestedList />
            <div class="grid">
                <CountsChart sources=sources />
                <BlockedList />
            </div>
            <div class="csv-tools"><CsvDownload table=csv_io::Table::Sources /></div><CsvImport kind=csv_io::Kind::Sources title="Import allowed sources from CSV" />
        </PageFrame>
    }
}

#[component]
fn AddSourceForm() -> impl IntoView {
    let console = use_console();
    let name = RwSignal::new(String::new());
    let result = RwSignal::new(None::<(bool, String)>);
    let normalized = Signal::derive(move || ingest::normalize(&name.get()));
    let name_err = Signal::derive(move || source_error(&name.get()));
    let submit = move |_| {
        let n = normalized.get_untracked();
        if n.is_empty() {
            result.set(Some((false, "type a source name".into())));
            return;
        }
        let cmd = Command::Ingest(ingest::Command::AddSource { source: n.clone() });
        let msg = format!("source {n} added to the whitelist");
        if console.submit(cmd, result, msg) {
            name.set(String::new());
        }
    };
    view! {
        <form class="panel" data-testid="source-form" on:submit=move |ev| ev.prevent_default()>
            <h2>"Add a source"</h2>
            <Field label="Source name" id="source-name" value=name error=name_err />
            <p class="muted" data-testid="source-normalized">
                {move || {
                    let n = normalized.get();
                    (!n.is_empty()).then(|| format!("stored as \u{201c}{n}\u{201d} (trimmed, case-folded, NFKC)"))
                }}
            </p>
            <button type="submit" data-testid="source-add" on:click=submit>"Add source"</button>
            <FormResult result=result testid="source-result" />
        </form>
    }
}

#[component]
fn SubmitForm() -> impl IntoView {
    let console = use_console();
    let source = RwSignal::new(String::new());
    let payload = RwSignal::new(String::new());
    let result = RwSignal::new(None::<(bool, String)>);
    let payload_err = Signal::derive(move || {
        let p = payload.get();
        (!p.is_empty()).then(|| check_payload(&p).err()).flatten()
    });
    let source_err = Signal::derive(move || source_error(&source.get()));
    let submit = move |_| {
        let s = source.get_untracked();
        if ingest::normalize(&s).is_empty() {
            result.set(Some((false, "type the source of the payload".into())));
            return;
        }
        let p = payload.get_untracked();
        if let Err(e) = check_payload(&p) {
            result.set(Some((false, e)));
            return;
        }
        let bytes = p.len();
        let cmd = Command::Ingest(ingest::Command::IngestData {
            source: s.clone(),
            payload: p,
        });
        match console.act_in_form(cmd) {
            Ok(events) => {
                let blocked = events.iter().find_map(|e| match e {
                    Event::Ingest(ingest::Event::IngestBlocked { reason, .. }) => {
                        Some(reason.clone())
                    }
                    _ => None,
                });
                match blocked {
                    Some(reason) => result.set(Some((false, format!("blocked: {reason}")))),
                    None => {
                        result.set(Some((true, format!("accepted: {bytes} bytes from {s}"))));
                        payload.set(String::new());
                    }
                }
            }
            Err(e) => result.set(Some((false, e.to_string()))),
        }
    };
    view! {
        <form class="panel" data-testid="ingest-form" on:submit=move |ev| ev.prevent_default()>
            <h2>"Submit a payload"</h2>
            <Field label="Source" id="ingest-source" value=source error=source_err list="known-sources" />
            <IdList id="known-sources" kind=Known::Sources />
            <div class="field">
                <label for="ingest-payload">"Payload (JSON)"</label>
                <textarea
                    id="ingest-payload"
                    data-testid="ingest-payload"
                    rows="4"
                    placeholder="{\"lead\": \"Ann Lee\", \"value\": 320000}"
                    prop:value=move || payload.get()
                    on:input=move |ev| payload.set(event_target_value(&ev))
                ></textarea>
                <div class="field-error" data-testid="ingest-payload-error">{move || payload_err.get()}</div>
            </div>
            <button type="submit" data-testid="ingest-submit" on:click=submit>"Submit"</button>
            <FormResult result=result testid="ingest-result" />
        </form>
    }
}

#[component]
fn CountsChart(sources: Memo<Vec<SourceReport>>) -> impl IntoView {
    let body = move || {
        let (names, bars) = count_bars(&sources.get());
        if bars.is_empty() {
            return view! {
                <p class="empty" data-testid="ingest-chart-empty">"No attempts yet — submit a payload to see the counts."</p>
            }
            .into_any();
        }
        let order = format!("Left to right: {}.", names.join(", "));
        let data = Signal::derive(move || bars.clone());
        let ticks = TickLabels::aligned_floats().with_format(move |x: &f64, _| {
            let i = x.round();
            if (x - i).abs() < 1e-9 && i >= 0.0 {
                names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        });
        view! {
            <Chart
                aspect_ratio=AspectRatio::from_env_width(260.0)
                left=whole_ticks()
                bottom=ticks
                top=Legend::middle()
                inner=[AxisMarker::left_edge().into_inner(), YGridLine::default().into_inner()]
                series=Series::new(|d: &CountBar| d.x)
                    .with_min_y(0.0)
                    .bar(Bar::new(|d: &CountBar| d.accepted).with_name("accepted").with_gap(0.35))
                    .bar(Bar::new(|d: &CountBar| d.blocked).with_name("blocked").with_gap(0.35))
                data=data
            />
            <p class="muted" data-testid="ingest-chart-order">{order}</p>
        }
        .into_any()
    };
    view! {
        <section class="panel">
            <h3>"Accepted and blocked per source"</h3>
            <div class="chart" data-testid="ingest-chart">{body}</div>
        </section>
    }
}

#[component]
fn IngestedList() -> impl IntoView {
    let console = use_console();
    let kept = Memo::new(move |_| console.with(|b| b.ingested(None)));
    let save = move |_| {
        let json = kept.with(|k| serde_json::to_string_pretty(k).unwrap_or_default());
        download("ingested-payloads.json", &json);
    };
    view! {
        <Panel
            title="Accepted payloads"
            level=3
            testid="ingested"
            empty=Signal::derive(move || kept.with(Vec::is_empty))
            empty_text="No payload accepted yet — submit one above."
            empty_testid="ingested-empty"
            note="Newest first; the policy's ingest.retain_payloads sets how many each source keeps, and those are kept when a full storage folds the history into a snapshot."
        >
            <button type="button" class="secondary" data-testid="ingested-download" on:click=save>"Download JSON"</button>
            <div class="table-wrap" tabindex="0">
                <table data-testid="ingested-table">
                    <thead>
                        <tr>
                            <th>"Source"</th>
                            <th>"When"</th>
                            <th>"Who"</th>
                            <th>"Bytes"</th>
                            <th>"Payload"</th>
                            <th>"Packet"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=move || kept.get()
                            key=|p| p.seq
                            children=move |p| {
                                let link = p.lead.as_ref().map(|_| build_link(p.seq));
                                view! {
                                    <tr data-testid="ingested-row">
                                        <td>{p.source.clone()}</td>
                                        <td>{p.at.format("%Y-%m-%d %H:%M:%S").to_string()}</td>
                                        <td>{p.actor.clone().unwrap_or_default()}</td>
                                        <td class="num">{p.bytes}</td>
                                        <td><code title=p.payload.clone()>{payload_preview(&p.payload, 60)}</code></td>
                                        <td>
                                            {link.map(|href| view! {
                                                <a href=href data-testid="ingested-build">"Build packet"</a>
                                            })}
                                        </td>
                                    </tr>
                                }
                            }
                        />
                    </tbody>
                </table>
            </div>
        </Panel>
    }
}

#[component]
fn BlockedList() -> impl IntoView {
    let console = use_console();
    let blocked = Memo::new(move |_| console.with(|b| b.blocked_attempts(10)));
    view! {
        <Panel
            title="Last blocked attempts"
            level=3
            testid="blocked"
            empty=Signal::derive(move || blocked.with(Vec::is_empty))
            empty_text="Nothing blocked so far."
            empty_testid="blocked-empty"
            note="From the history in this browser; after a compaction only the counters remain."
        >
            <div class="table-wrap" tabindex="0">
                <table data-testid="blocked-table">
                    <thead>
                        <tr>
                            <th>"When"</th>
                            <th>"Source"</th>
                            <th>"Reason"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=move || blocked.get()
                            key=|b| b.seq
                            children=move |b| {
                                view! {
                                    <tr data-testid="blocked-row">
                                        <td>{b.at.format("%Y-%m-%d %H:%M:%S").to_string()}</td>
                                        <td>{b.source}</td>
                                        <td>{b.reason}</td>
                                    </tr>
                                }
                            }
                        />
                    </tbody>
                </table>
            </div>
        </Panel>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brain_core::Brain;
    use chrono::{TimeZone, Utc};

    #[test]
    fn the_chart_has_a_bar_per_source_with_attempts() {
        let b = Brain::demo(
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
                .single()
                .unwrap_or_default(),
        );
        let (names, bars) = count_bars(&b.sources());
        assert_eq!(names.len(), bars.len());
        let z = names.iter().position(|n| n == "zillow");
        assert_eq!(z.map(|i| bars[i].accepted), Some(3.0));
    }

    #[test]
    fn a_long_payload_is_cut_with_an_ellipsis() {
        assert_eq!(payload_preview("abc", 3), "abc");
        assert_eq!(payload_preview("abcd", 3), "abc\u{2026}");
    }

    #[test]
    fn a_source_field_names_a_blank_source_but_not_an_empty_field() {
        assert_eq!(source_error(""), None);
        assert_eq!(source_error(" Zillow "), None);
        assert_eq!(source_error("   ").as_deref(), Some("source name is empty"));
    }

    #[test]
    fn actions_follow_the_status() {
        let s = SourceReport {
            source: "x".into(),
            status: SourceStatus::Suspended,
            accepted: 0,
            blocked: 0,
            last_reasons: vec![],
        };
        let labels: Vec<&str> = actions(&s).iter().map(|a| a.0).collect();
        assert_eq!(labels, vec!["Resume", "Remove"]);
    }
}
