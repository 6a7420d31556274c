//! The overview: the morning worklist first (what needs attention, with its
//! action), then verification status, live alerts, a card per block and the
//! latest audit entries.

use brain_core::audit::{Outcome, Query};
use brain_core::verify::Status;
use brain_core::Brain;
use leptos::prelude::*;

use crate::components::{FormResult, StatusBadge};
use crate::pages::worklist::{worklist, Item};
use crate::pages::{Page, PageFrame};
use crate::state::use_console;

/// Something an operations lead should look at now.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveAlert {
    /// Which kind of problem ("regression", "sample-ratio mismatch", ...).
    pub kind: &'static str,
    /// The page where it can be handled.
    pub page: Page,
    /// What happened.
    pub text: String,
}

/// A source is spiking when most of its recent attempts were blocked.
const SPIKE_MIN_BLOCKED: u64 = 3;

/// Every live alert of the state: open outcome alerts (regression, baseline,
/// drift), experiments failing the sample-ratio check, sources whose attempts
/// are mostly blocked, and refused model updates.
pub fn live_alerts(brain: &Brain) -> Vec<LiveAlert> {
    let mut alerts = Vec::new();
    for alert in brain.state().outcomes.open_alerts() {
        alerts.push(LiveAlert {
            kind: match alert.kind {
                brain_core::outcomes::AlertKind::Regression => "regression",
                brain_core::outcomes::AlertKind::BelowBaseline => "below baseline",
                brain_core::outcomes::AlertKind::Drift => "drift",
            },
            page: Page::Outcomes,
            text: alert.message.clone(),
        });
    }
    for exp in brain.experiments() {
        if exp.srm_failed {
            alerts.push(LiveAlert {
                kind: "sample-ratio mismatch",
                page: Page::Ab,
                text: format!(
                    "experiment {} has a sample-ratio mismatch (p = {:.2e}): its traffic split is broken, its results cannot be trusted",
                    exp.experiment,
                    exp.srm_p_value.unwrap_or(0.0)
                ),
            });
        }
    }
    for source in brain.sources() {
        if source.blocked >= SPIKE_MIN_BLOCKED && source.blocked > source.accepted {
            alerts.push(LiveAlert {
                kind: "blocked ingestion",
                page: Page::Ingest,
                text: format!(
                    "{}: {} attempts blocked against {} accepted; last reason: {}",
                    source.source,
                    source.blocked,
                    source.accepted,
                    source
                        .last_reasons
                        .last()
                        .map(String::as_str)
                        .unwrap_or("—")
                ),
            });
        }
    }
    for event in brain.events() {
        if let brain_core::Event::Models(brain_core::models::Event::UpdateRefused {
            model_id,
            version,
            reason,
            ..
        }) = event
        {
            alerts.push(LiveAlert {
                kind: "refused update",
                page: Page::Models,
                text: format!("model {model_id} {version}: {reason}"),
            });
        }
    }
    alerts
}

/// A block's key figure for its card.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    /// The block's page.
    pub page: Page,
    /// The figure, formatted.
    pub figure: String,
    /// What the figure counts.
    pub label: String,
}

/// One card per block with its key figure.
pub fn cards(brain: &Brain) -> Vec<Card> {
    let experiments = brain.experiments();
    let winners = experiments.iter().filter(|e| e.winner.is_some()).count();
    let scripts = brain.scripts();
    let primary = scripts
        .iter()
        .filter(|s| s.status == brain_core::promotion::Status::Primary)
        .count();
    let sources = brain.sources();
    let (accepted, blocked) = sources
        .iter()
        .fold((0, 0), |(a, b), s| (a + s.accepted, b + s.blocked));
    let open_alerts = brain.state().outcomes.open_alerts().len();
    let models = brain.models();
    let champions = models.iter().filter(|m| m.champion.is_some()).count();
    let clones = brain.clones();
    let ready = clones.iter().filter(|c| c.ready).count();
    let decisions = brain.gate_decisions();
    let promoted = decisions
        .iter()
        .filter(|d| d.verdict == brain_core::gates::Verdict::Promote)
        .count();
    let audit_len = brain.state().audit.entries.len();
    let card = |page, figure: String, label: String| Card {
        page,
        figure,
        label,
    };
    vec![
        card(
            Page::Ab,
            format!("{winners}/{}", experiments.len()),
            "experiments with a winner".into(),
        ),
        card(
            Page::Promotion,
            format!("{primary}/{}", scripts.len()),
            "scripts are Primary".into(),
        ),
        card(
            Page::Packets,
            brain.packets().len().to_string(),
            "deal packets built".into(),
        ),
        card(
            Page::Ingest,
            format!("{accepted} / {blocked}"),
            "attempts accepted / blocked".into(),
        ),
        card(
            Page::Outcomes,
            open_alerts.to_string(),
            "open outcome alerts".into(),
        ),
        card(
            Page::Models,
            format!("{champions}/{}", models.len()),
            "models with a champion".into(),
        ),
        card(
            Page::Readiness,
            format!("{ready}/{}", clones.len()),
            "clones ready".into(),
        ),
        card(
            Page::Gates,
            format!("{promoted}/{}", decisions.len()),
            "gate checks promoted".into(),
        ),
        card(Page::Audit, audit_len.to_string(), "audit entries".into()),
    ]
}

fn status_word(status: Status) -> &'static str {
    match status {
        Status::Pass => "pass",
        Status::Warn => "warn",
        Status::Fail => "fail",
    }
}

/// The page.
#[component]
pub fn OverviewPage() -> impl IntoView {
    let console = use_console();
    let report = Memo::new(move |_| console.with(|b| b.verify()));
    let empty = Memo::new(move |_| {
        console.with(|b| b.log().is_empty() && b.state().audit.entries.is_empty())
    });
    view! {
        <PageFrame page=Page::Overview intro="What needs attention first, then where things stand: verification, live alerts and each block at a glance.">
            <Show when=move || empty.get()>
                <div class="panel" data-testid="welcome">
                    <h2>"Welcome"</h2>
                    <p>
                        "Nothing is recorded yet. Press " <strong>"Load demo data"</strong>
                        " in the sidebar to explore a complete workflow (experiments, promotions, packets, ingestion, outcomes, model updates, readiness, gates), or start on any page."
                    </p>
                </div>
            </Show>
            <Worklist />
            <div class="panel" data-testid="overall-status">
                <h2>"Verification"</h2>
                {move || {
                    let r = report.get();
                    let failing: Vec<String> = r
                        .checks
                        .iter()
                        .filter(|c| c.status != Status::Pass)
                        .map(|c| format!("{} ({}): {}", c.name, status_word(c.status), c.details))
                        .collect();
                    let passed = r.checks.iter().filter(|c| c.status == Status::Pass).count();
                    view! {
                        <p>
                            <StatusBadge status=status_word(r.status) />
                            " " {format!("{passed} of {} checks pass", r.checks.len())} " · "
                            <a href="/verify">"run the full report"</a>
                        </p>
                        <ul>{failing.into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}</ul>
                    }
                }}
            </div>
            <p data-testid="overview-monitoring"><a href=Page::Monitoring.path()>{move || console.with(crate::pages::monitoring::overview_line)}</a></p>
            <div class="panel" data-testid="live-alerts">
                <h2>"Live alerts"</h2>
                {move || {
                    let alerts = console.with(live_alerts);
                    if alerts.is_empty() {
                        view! { <p class="empty">"No live alerts."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="alerts">
                                {alerts
                                    .into_iter()
                                    .map(|a| {
                                        view! {
                                            <li data-testid="alert-row">
                                                <StatusBadge status=a.kind />
                                                " " {a.text} " "
                                                <a href=a.page.path()>{format!("→ {}", a.page.title())}</a>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                }}
            </div>
            <div class="cards" data-testid="block-cards">
                {move || {
                    console
                        .with(cards)
                        .into_iter()
                        .map(|c| {
                            view! {
                                <a class="card" href=c.page.path() data-testid="block-card">
                                    <div class="label">{c.page.nav_label()}</div>
                                    <div class="figure">{c.figure}</div>
                                    <div class="label">{c.label}</div>
                                </a>
                            }
                        })
                        .collect_view()
                }}
            </div>
            <div class="panel" data-testid="latest-audit">
                <h2>"Latest audit entries"</h2>
                <div class="table-wrap" tabindex="0">
                    <table>
                        <thead>
                            <tr><th>"#"</th><th>"time"</th><th>"who"</th><th>"subject"</th><th>"action"</th><th>"outcome"</th><th>"detail"</th></tr>
                        </thead>
                        <tbody>
                            {move || {
                                let entries = console.with(|b| b.audit_query(&Query::default()));
                                entries
                                    .into_iter()
                                    .rev()
                                    .take(8)
                                    .map(|e| {
                                        let detail = e.readable_detail();
                                        let who = e.actor.clone().unwrap_or_else(|| "—".into());
                                        view! {
                                            <tr data-testid="audit-row">
                                                <td class="num">{e.seq}</td>
                                                <td>{e.at.format("%Y-%m-%d %H:%M").to_string()}</td>
                                                <td data-testid="audit-actor">{who}</td>
                                                <td>{e.subject}</td>
                                                <td>{e.action}</td>
                                                <td>
                                                    <StatusBadge status=match e.outcome {
                                                        Outcome::Accepted => "accepted",
                                                        Outcome::Refused => "refused",
                                                    } />
                                                </td>
                                                <td>{detail}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </tbody>
                    </table>
                </div>
            </div>
        </PageFrame>
    }
}

/// The worklist panel: each item with its badge, its sentence, its action
/// button and a link to the item; the action's result shows in the panel.
#[component]
fn Worklist() -> impl IntoView {
    let console = use_console();
    // Due checks depend on the clock: read when the state changes.
    let items = Memo::new(move |_| {
        console.with(|b| worklist(b, crate::monitor::stamp_time(b, crate::browser::now())))
    });
    let result = RwSignal::new(None::<(bool, String)>);
    let run = move |item: Item| {
        if let Some((label, command)) = item.action {
            let outcome = console.execute(command);
            let refusal = outcome
                .as_ref()
                .ok()
                .and_then(|events| events.iter().find_map(brain_core::Event::refusal));
            result.set(Some(match (outcome, refusal) {
                (Ok(_), None) => (true, format!("{label}: done ({})", item.text)),
                (Ok(_), Some(reason)) => (false, format!("{label} refused: {reason}")),
                (Err(e), _) => (false, format!("{label} refused: {e}")),
            }));
        }
    };
    view! {
        <section class="panel" data-testid="worklist" aria-labelledby="worklist-title">
            <h2 id="worklist-title">"Needs attention"</h2>
            <Show
                when=move || !items.with(Vec::is_empty)
                fallback=|| view! { <p class="empty" data-testid="worklist-empty">"Nothing needs attention: no open alerts, blocked clones, suspended sources or pending decisions."</p> }
            >
                <ol class="worklist">
                    <For
                        each=move || items.get()
                        key=|i| (i.kind, i.anchor.clone(), i.text.clone())
                        children=move |item| {
                            let href = item.href();
                            let page = item.page.title();
                            let label = item.action.as_ref().map(|(l, _)| *l);
                            let for_click = item.clone();
                            view! {
                                <li data-testid="worklist-item">
                                    <StatusBadge status=item.kind />
                                    <span class="what">{item.text.clone()}</span>
                                    {label.map(|l| view! {
                                        <button
                                            type="button"
                                            class="secondary"
                                            data-testid="worklist-action"
                                            on:click=move |_| run(for_click.clone())
                                        >
                                            {l}
                                        </button>
                                    })}
                                    <a href=href data-testid="worklist-link">{format!("open in {page}")}</a>
                                </li>
                            }
                        }
                    />
                </ol>
            </Show>
            <FormResult result=result testid="worklist-result" />
        </section>
    }
}
