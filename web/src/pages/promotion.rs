//! Block 22, script promotion: scripts with their status and evidence,
//! registering, evaluating and retiring them, each script's rate per evaluation against the
//! policy's thresholds (a chart), and each script's status timeline.

use std::collections::BTreeMap;

use brain_core::brain::ScriptReport;
use brain_core::promotion::{self, Evidence, Status};
use brain_core::{Command, Event};
use leptos::prelude::*;
use leptos_chartistry::*;

use crate::components::FormsBelow;
use crate::components::{
    fmt_pct, precise_ticks, whole_ticks, Field, FormResult, NameField, Panel, StatusBadge,
};
use crate::forms::{check_name, parse_batch, parse_number};
use crate::pages::{Page, PageFrame};
use crate::state::{use_console, Confirmation};

// ---------------------------------------------------------------- logic

/// A status in words.
pub fn status_word(s: Status) -> &'static str {
    match s {
        Status::Experimental => "Experimental",
        Status::Testing => "Testing",
        Status::Primary => "Primary",
        Status::Demoted => "Demoted",
        Status::Retired => "Retired",
    }
}

/// Evidence in words: "84/600 → 14.00% vs threshold 10.00% (min sample 100)".
/// A zero threshold means no status change was in reach at that evaluation.
pub fn evidence_text(e: &Evidence) -> String {
    let against = if e.threshold > 0.0 {
        format!("vs threshold {}", fmt_pct(e.threshold, 2))
    } else {
        "no status change in reach".to_string()
    };
    format!(
        "{}/{} → {} {against} (min sample {})",
        e.conversions,
        e.trials,
        fmt_pct(e.estimate, 2),
        e.min_sample
    )
}

/// One row of the scripts table.
#[derive(Clone, Debug, PartialEq)]
pub struct ScriptRow {
    pub id: String,
    pub status: &'static str,
    pub versions: usize,
    pub evaluations: u64,
    pub streak: String,
    pub ab_totals: String,
    pub evidence: String,
    pub retired: bool,
}

/// The scripts table's rows; `latest` is each script's last evaluated
/// evidence ([`brain_core::Brain::latest_evidence`]).
pub fn script_rows(
    scripts: &[ScriptReport],
    latest: &BTreeMap<String, Evidence>,
) -> Vec<ScriptRow> {
    scripts
        .iter()
        .map(|s| {
            let evidence = latest
                .get(&s.id)
                .or_else(|| s.history.iter().rev().find_map(|h| h.evidence.as_ref()));
            ScriptRow {
                id: s.id.clone(),
                status: status_word(s.status),
                versions: s.versions.len(),
                evaluations: s.evaluations,
                streak: s.streak.map_or("—".into(), |(to, n)| {
                    format!("{n} toward {}", status_word(to))
                }),
                ab_totals: s.ab_totals.map_or("—".into(), |(t, c)| format!("{c}/{t}")),
                evidence: evidence.map_or("not evaluated yet".into(), evidence_text),
                retired: s.status == Status::Retired,
            }
        })
        .collect()
}

/// One entry of a status timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineEntry {
    pub at: String,
    pub from: Option<&'static str>,
    pub to: &'static str,
    pub reason: String,
    pub evidence: Option<String>,
}

/// A script's status history, oldest first.
pub fn timeline(s: &ScriptReport) -> Vec<TimelineEntry> {
    s.history
        .iter()
        .map(|h| TimelineEntry {
            at: h.at.format("%Y-%m-%d %H:%M:%S").to_string(),
            from: h.from.map(status_word),
            to: status_word(h.to),
            reason: h.reason.clone(),
            evidence: h.evidence.as_ref().map(evidence_text),
        })
        .collect()
}

/// The script's versions, newest first: (number, time, body).
pub fn versions(s: &ScriptReport) -> Vec<(u32, String, String)> {
    s.versions
        .iter()
        .rev()
        .map(|v| {
            (
                v.number,
                v.at.format("%Y-%m-%d %H:%M").to_string(),
                v.body.clone(),
            )
        })
        .collect()
}

/// The rate chart's data: each script's estimate at its 1st, 2nd, ... evaluation (NaN where a
/// script has fewer evaluations), and the policy's thresholds beside it.
#[derive(Clone, Debug, PartialEq)]
pub struct RatePoint {
    /// The evaluation's number (1-based) for every script.
    pub x: f64,
    /// The estimate of each script in `RateSeries::scripts` order, as a fraction.
    pub rates: Vec<f64>,
}

/// The rate chart: script names, their points, and the thresholds (testing, primary, demote).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct RateSeries {
    /// Scripts with at least one evaluation, in id order.
    pub scripts: Vec<String>,
    /// One point per evaluation number.
    pub points: Vec<RatePoint>,
}

/// Each script's estimate per evaluation, read from the `ScriptEvaluated` events (a score
/// evaluation plots its score).
pub fn rate_series(events: &[Event]) -> RateSeries {
    let mut by_script: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for e in events {
        if let Event::Promotion(promotion::Event::ScriptEvaluated {
            script, evidence, ..
        }) = e
        {
            by_script
                .entry(script.as_str())
                .or_default()
                .push(evidence.estimate);
        }
    }
    let longest = by_script.values().map(Vec::len).max().unwrap_or(0);
    let points = (0..longest)
        .map(|i| RatePoint {
            x: (i + 1) as f64,
            rates: by_script
                .values()
                .map(|r| r.get(i).copied().unwrap_or(f64::NAN))
                .collect(),
        })
        .collect();
    RateSeries {
        scripts: by_script.keys().map(|s| s.to_string()).collect(),
        points,
    }
}

// ---------------------------------------------------------------- view

/// The page.
#[component]
pub fn PromotionPage() -> impl IntoView {
    let console = use_console();
    let rows =
        Memo::new(move |_| console.with(|b| script_rows(&b.scripts(), &b.latest_evidence())));
    let selected = RwSignal::new(String::new());
    let current = Memo::new(move |_| {
        let all = rows.get();
        let s = selected.get();
        if all.iter().any(|r| r.id == s) {
            s
        } else {
            all.first().map(|r| r.id.clone()).unwrap_or_default()
        }
    });
    let evaluate = move |id: String| {
        let _ = console.act(
            Command::Promotion(promotion::Command::EvaluateScript {
                script: id.clone(),
                trials: None,
                conversions: None,
                score: None,
            }),
            &format!("{id} evaluated on its A/B totals"),
        );
    };
    view! {
        <PageFrame page=Page::Promotion intro="Scripts move Experimental → Testing → Primary on evidence, and are demoted when they fall behind.">
            <Panel
                title="Scripts"
                id="scripts"
                testid="promo-scripts"
                empty=Signal::derive(move || rows.with(Vec::is_empty))
                empty_text="No scripts yet — register one below, or load the demo data from the sidebar."
                empty_testid="promo-empty"
            >
                <div class="csv-tools"><crate::components::CsvDownload table=brain_core::csv_io::Table::Scripts /></div>
                <div class="table-wrap" tabindex="0">
                    <table data-testid="promo-table">
                        <thead>
                            <tr>
                                <th>"Script"</th>
                                <th>"Status"</th>
                                <th>"Versions"</th>
                                <th>"Evaluations"</th>
                                <th>"Streak"</th>
                                <th>"A/B conversions/trials"</th>
                                <th>"Latest evidence"</th>
                                <th>"Actions"</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For
                                each=move || rows.get()
                                key=|r| format!("{r:?}")
                                children=move |r| {
                                    let id = r.id.clone();
                                    let id2 = r.id.clone();
                                    view! {
                                        <tr data-testid="promo-row">
                                            <td>{r.id.clone()}</td>
                                            <td data-testid="promo-status"><StatusBadge status=r.status /></td>
                                            <td class="num">{r.versions}</td>
                                            <td class="num">{r.evaluations}</td>
                                            <td>{r.streak.clone()}</td>
                                            <td class="num">{r.ab_totals.clone()}</td>
                                            <td>{r.evidence.clone()}</td>
                                            <td class="row">
                                                <button
                                                    type="button"
                                                    class="secondary"
                                                    data-testid="promo-evaluate-row"
                                                    disabled=r.retired
                                                    on:click=move |_| evaluate(id.clone())
                                                >
                                                    "Evaluate"
                                                </button>
                                                <button
                                                    type="button"
                                                    class="secondary"
                                                    data-testid="promo-timeline-row"
                                                    on:click=move |_| selected.set(id2.clone())
                                                >
                                                    "Timeline"
                                                </button>
                                            </td>
                                        </tr>
                                    }
                                }
                            />
                        </tbody>
                    </table>
                </div>
            </Panel>
            <FormsBelow summary="Register or evaluate a script">
                <div class="grid">
                    <RegisterForm />
                    <EvaluateForm rows=rows current=current />
                </div>
            </FormsBelow>
            <RateChart />
            <Timeline rows=rows current=current selected=selected />
        </PageFrame>
    }
}

#[component]
fn RegisterForm() -> impl IntoView {
    let console = use_console();
    let script = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let result = RwSignal::new(None::<(bool, String)>);
    let script_err = Signal::derive(move || {
        let s = script.get();
        (!s.is_empty())
            .then(|| check_name("script id", &s).err())
            .flatten()
    });
    let submit = move |_| {
        let id = match check_name("script id", &script.get_untracked()) {
            Ok(id) => id,
            Err(e) => {
                result.set(Some((false, e)));
                return;
            }
        };
        let text = body.get_untracked();
        let exists = console.with_untracked(|b| b.state().promotion.scripts.contains_key(&id));
        let (cmd, msg) = if exists {
            (
                Command::Promotion(promotion::Command::AddScriptVersion {
                    script: id.clone(),
                    body: text,
                }),
                format!("new version of {id} added"),
            )
        } else {
            (
                Command::Promotion(promotion::Command::RegisterScript {
                    script: id.clone(),
                    body: text,
                }),
                format!("script {id} registered as Experimental"),
            )
        };
        if console.submit(cmd, result, msg) {
            script.set(String::new());
            body.set(String::new());
        }
    };
    view! {
        <form class="panel" data-testid="promo-register-form" on:submit=move |ev| ev.prevent_default()>
            <h2>"Register a script or add a version"</h2>
            <p class="muted">"A new id registers the script (Experimental); an existing id adds a version. Use the id as the variant name in script experiments."</p>
            <Field label="Script id" id="promo-script" value=script error=script_err />
            <div class="field">
                <label for="promo-body">"Text"</label>
                <textarea
                    id="promo-body"
                    data-testid="promo-body"
                    rows="3"
                    prop:value=move || body.get()
                    on:input=move |ev| body.set(event_target_value(&ev))
                ></textarea>
            </div>
            <button type="submit" data-testid="promo-register" on:click=submit>"Save script"</button>
            <FormResult result=result testid="promo-register-result" />
        </form>
    }
}

#[component]
fn EvaluateForm(rows: Memo<Vec<ScriptRow>>, current: Memo<String>) -> impl IntoView {
    let console = use_console();
    let script = RwSignal::new(String::new());
    let trials = RwSignal::new(String::new());
    let conversions = RwSignal::new(String::new());
    let score = RwSignal::new(String::new());
    let retire_reason = RwSignal::new(String::new());
    let result = RwSignal::new(None::<(bool, String)>);
    let chosen = Memo::new(move |_| {
        let s = script.get();
        if rows.get().iter().any(|r| r.id == s) {
            s
        } else {
            current.get()
        }
    });
    let script_ids =
        Signal::derive(move || rows.get().into_iter().map(|r| r.id).collect::<Vec<_>>());
    let counts_err = Signal::derive(move || {
        let (t, c) = (trials.get(), conversions.get());
        if t.is_empty() && c.is_empty() {
            None
        } else {
            parse_batch(&t, &c).err()
        }
    });
    let evaluate = move |_| {
        let id = chosen.get_untracked();
        if id.is_empty() {
            result.set(Some((false, "register a script first".into())));
            return;
        }
        let (t, c) = (trials.get_untracked(), conversions.get_untracked());
        // A performance score (the original system's `evaluate(script, score)`) is compared
        // with the thresholds in place of a rate; the engine checks its range.
        let score_value = match score.get_untracked().trim() {
            "" => None,
            text => match parse_number("score", text) {
                Ok(x) => Some(x),
                Err(e) => {
                    result.set(Some((false, e)));
                    return;
                }
            },
        };
        if score_value.is_some() && !(t.trim().is_empty() && c.trim().is_empty()) {
            result.set(Some((
                false,
                "give either counts or a performance score, not both".into(),
            )));
            return;
        }
        let counts = if t.trim().is_empty() && c.trim().is_empty() {
            None
        } else {
            match parse_batch(&t, &c) {
                Ok(x) => Some(x),
                Err(e) => {
                    result.set(Some((false, e)));
                    return;
                }
            }
        };
        let before = console.with_untracked(|b| {
            b.scripts()
                .into_iter()
                .find(|s| s.id == id)
                .map(|s| s.status)
        });
        let cmd = Command::Promotion(promotion::Command::EvaluateScript {
            script: id.clone(),
            trials: counts.map(|x| x.0),
            conversions: counts.map(|x| x.1),
            score: score_value,
        });
        match console.act_in_form(cmd) {
            Ok(events) => {
                let change = events.iter().find_map(|e| match e {
                    Event::Promotion(promotion::Event::ScriptStatusChanged { change, .. }) => {
                        Some(change.clone())
                    }
                    _ => None,
                });
                let evidence = events.iter().find_map(|e| match e {
                    Event::Promotion(promotion::Event::ScriptEvaluated { evidence, .. }) => {
                        Some(evidence_text(evidence))
                    }
                    _ => None,
                });
                let msg = match change {
                    Some(c) => format!(
                        "{id}: {} → {} ({})",
                        before.map_or("—", status_word),
                        status_word(c.to),
                        c.reason
                    ),
                    None => format!(
                        "{id} stays {}; evidence {}",
                        before.map_or("—", status_word),
                        evidence.unwrap_or_default()
                    ),
                };
                result.set(Some((true, msg)));
            }
            Err(e) => result.set(Some((false, e.to_string()))),
        }
    };
    let retire = move |_| {
        let id = chosen.get_untracked();
        let reason = retire_reason.get_untracked();
        if reason.trim().is_empty() {
            result.set(Some((false, "give a reason to retire the script".into())));
            return;
        }
        // Retiring cannot be undone: ask first, saying what it changes.
        let only_primary = console.with_untracked(|b| {
            let primary: Vec<String> = b
                .scripts()
                .into_iter()
                .filter(|s| s.status == promotion::Status::Primary)
                .map(|s| s.id)
                .collect();
            primary == [id.clone()]
        });
        let changes = format!(
            "{id} is retired for good: it is no longer evaluated and new packets no longer get it.{}",
            if only_primary {
                " It is the only Primary script: new packets will get no script until another becomes Primary."
            } else {
                ""
            }
        );
        console.confirm(Confirmation {
            title: format!("Retire {id}?"),
            changes,
            confirm: "Retire".into(),
            action: Callback::new(move |_| {
                let cmd = Command::Promotion(promotion::Command::RetireScript {
                    script: id.clone(),
                    reason: reason.clone(),
                });
                let msg = format!("{id} retired");
                if console.submit(cmd, result, msg) {
                    retire_reason.set(String::new());
                }
            }),
            alternative: None,
            key: "promo-retire",
        });
    };
    view! {
        <form class="panel" data-testid="promo-evaluate-form" on:submit=move |ev| ev.prevent_default()>
            <h2>"Evaluate"</h2>
            <p class="muted">"Leave the counts empty to use the script's totals in the script experiments (A/B page), or give a performance score from 0 to 1 (under the performance_score policy preset one evaluation decides: 0.87 promotes, 0.62 demotes)."</p>
            <NameField label="Script" id="promo-eval-script" options=script_ids current=chosen chosen=script />
            <div class="grid">
                <Field label="Trials (optional)" id="promo-trials" kind="number" step="1" value=trials />
                <Field label="Conversions (optional)" id="promo-conversions" kind="number" step="1" value=conversions error=counts_err />
            </div>
            <Field label="Performance score (optional, instead of counts)" id="promo-score" kind="number" step="any" value=score />
            <div class="row">
                <button type="submit" data-testid="promo-evaluate" disabled=move || rows.get().is_empty() on:click=evaluate>"Evaluate"</button>
            </div>
            <Field label="Reason to retire" id="promo-retire-reason" value=retire_reason />
            <button type="button" class="danger" data-testid="promo-retire" disabled=move || rows.get().is_empty() on:click=retire>"Retire"</button>
            <FormResult result=result testid="promo-evaluate-result" />
        </form>
    }
}

#[component]
fn RateChart() -> impl IntoView {
    let console = use_console();
    let chart = Memo::new(move |_| {
        console.with(|b| {
            let p = &b.policy().promotion;
            (
                rate_series(b.events()),
                (p.testing_rate, p.primary_rate, p.demote_rate),
            )
        })
    });
    let body = move || {
        let (series, (testing, primary, demote)) = chart.get();
        if series.points.is_empty() {
            return view! {
                <p class="empty" data-testid="promo-chart-empty">"No evaluations yet — evaluate a script to see its rate against the thresholds."</p>
            }
            .into_any();
        }
        let mut lines: Vec<Line<RatePoint, f64>> = series
            .scripts
            .iter()
            .enumerate()
            .map(|(i, name)| {
                Line::new(move |p: &RatePoint| p.rates.get(i).copied().unwrap_or(f64::NAN) * 100.0)
                    .with_name(name.clone())
                    .with_marker(MarkerShape::Circle)
                    .with_interpolation(Interpolation::Linear)
            })
            .collect();
        for (name, rate, colour) in [
            ("primary", primary, Colour::from_rgb(22, 163, 74)),
            ("testing", testing, Colour::from_rgb(37, 99, 235)),
            ("demote", demote, Colour::from_rgb(220, 38, 38)),
        ] {
            lines.push(
                Line::new(move |_: &RatePoint| rate * 100.0)
                    .with_name(format!("{name} {}", fmt_pct(rate, 1)))
                    .with_colour(colour)
                    .with_width(1.0)
                    .with_interpolation(Interpolation::Linear),
            );
        }
        let caption = format!(
            "Each script's conversion rate in percent (the estimate the policy compares) at its 1st, 2nd, … evaluation. \
             A script moves to Testing at or above {}, to Primary at or above {}, and is demoted below {}, \
             after {} qualifying evaluations in a row.",
            fmt_pct(testing, 1),
            fmt_pct(primary, 1),
            fmt_pct(demote, 1),
            console.with(|b| b.policy().promotion.consecutive),
        );
        let top = series
            .points
            .iter()
            .flat_map(|p| p.rates.iter().copied())
            .chain([primary])
            .filter(|r| r.is_finite())
            .fold(0.0_f64, f64::max);
        // A round top (a multiple of 5 points) so that the ticks fall on round percentages.
        let top = (((top * 115.0) / 5.0).ceil().max(1.0) * 5.0).min(100.0);
        let data = Signal::derive(move || series.points.clone());
        view! {
            <Chart
                aspect_ratio=AspectRatio::from_env_width(260.0)
                left=precise_ticks()
                bottom=whole_ticks()
                top=Legend::middle()
                inner=[AxisMarker::left_edge().into_inner(), YGridLine::default().into_inner()]
                series=Series::new(|p: &RatePoint| p.x)
                    .with_y_range(0.0, top)
                    .lines(lines)
                data=data
            />
            <p class="muted" data-testid="promo-chart-caption">{caption}</p>
        }
        .into_any()
    };
    view! {
        <section class="panel">
            <h2>"Rate per evaluation against the thresholds (%)"</h2>
            <div class="chart" data-testid="promo-chart">{body}</div>
        </section>
    }
}

#[component]
fn Timeline(
    rows: Memo<Vec<ScriptRow>>,
    current: Memo<String>,
    selected: RwSignal<String>,
) -> impl IntoView {
    let console = use_console();
    let report = Memo::new(move |_| {
        let id = current.get();
        console.with(|b| b.scripts().into_iter().find(|s| s.id == id))
    });
    let entries = Memo::new(move |_| report.get().map(|s| timeline(&s)).unwrap_or_default());
    let vers = Memo::new(move |_| report.get().map(|s| versions(&s)).unwrap_or_default());
    let script_ids =
        Signal::derive(move || rows.get().into_iter().map(|r| r.id).collect::<Vec<_>>());
    view! {
        <section class="panel" data-testid="promo-timeline">
            <h2>"Status timeline"</h2>
            <Show when=move || !rows.get().is_empty() fallback=|| view! { <p class="empty">"Register a script to see its timeline."</p> }>
                <NameField label="Script" id="promo-timeline-script" options=script_ids current=current chosen=selected />
                <ol class="timeline">
                    <For
                        each=move || { entries.get().into_iter().enumerate().collect::<Vec<_>>() }
                        key=|(i, e)| format!("{i}{e:?}")
                        children=move |(_, e)| {
                            view! {
                                <li data-testid="promo-timeline-entry">
                                    <span class="muted">{e.at.clone()}</span>" "
                                    {e.from.map(|f| view! { <StatusBadge status=f />" → " })}
                                    <StatusBadge status=e.to />
                                    <div>{e.reason.clone()}</div>
                                    {e.evidence.clone().map(|ev| view! { <div class="muted">"evidence: "{ev}</div> })}
                                </li>
                            }
                        }
                    />
                </ol>
                <h3>"Versions"</h3>
                <ul class="versions">
                    <For
                        each=move || vers.get()
                        key=|v| format!("{v:?}")
                        children=move |(n, at, body)| {
                            view! {
                                <li data-testid="promo-version">
                                    <strong>"v"{n}</strong>" "<span class="muted">{at}</span>
                                    <pre>{body}</pre>
                                </li>
                            }
                        }
                    />
                </ul>
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
    fn rows_and_timeline_follow_the_demo() {
        let b = Brain::demo(
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
                .single()
                .unwrap_or_default(),
        );
        let rows = script_rows(&b.scripts(), &b.latest_evidence());
        assert_eq!(rows.len(), 3);
        let warm = rows.iter().find(|r| r.id == "warm-open");
        assert_eq!(warm.map(|r| r.status), Some("Primary"));
        assert_eq!(warm.map(|r| r.versions), Some(2));
        assert!(warm.is_some_and(|r| r.evidence.contains("168/1200")));
        let s = b.scripts().into_iter().find(|s| s.id == "warm-open");
        let t = s.as_ref().map(timeline).unwrap_or_default();
        assert!(t.len() >= 3);
        assert_eq!(t[0].from, None);
        assert_eq!(t.last().map(|e| e.to), Some("Primary"));
    }

    #[test]
    fn the_rate_chart_has_a_point_per_evaluation_of_each_script() {
        let b = Brain::demo(
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
                .single()
                .unwrap_or_default(),
        );
        let series = rate_series(b.events());
        let scripts = b.scripts();
        assert_eq!(
            series.scripts.len(),
            scripts.iter().filter(|s| s.evaluations > 0).count()
        );
        for (i, name) in series.scripts.iter().enumerate() {
            let evaluations = scripts
                .iter()
                .find(|s| &s.id == name)
                .map(|s| s.evaluations);
            let plotted = series
                .points
                .iter()
                .filter(|p| p.rates[i].is_finite())
                .count() as u64;
            assert_eq!(Some(plotted), evaluations, "{name}");
        }
        let last_warm = series
            .scripts
            .iter()
            .position(|s| s == "warm-open")
            .and_then(|i| {
                series
                    .points
                    .iter()
                    .rev()
                    .find_map(|p| p.rates[i].is_finite().then_some(p.rates[i]))
            });
        assert_eq!(
            last_warm,
            b.latest_evidence().get("warm-open").map(|e| e.estimate)
        );
    }
}
