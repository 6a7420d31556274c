//! What-if: edit an alternative policy (a form for its main fields and a raw JSON editor for
//! the whole policy, validated while typing), replay the command log under it, and see every
//! decision that would change, side by side, with counts per kind (a table and a chart).

use std::collections::BTreeMap;

use brain_core::policy::Policy;
use brain_core::whatif::{Difference, Kind, Report};
use leptos::prelude::*;
use leptos_chartistry::*;
use serde_json::Value;

use crate::components::{category_ticks, whole_ticks};
use crate::pages::{Page, PageFrame};
use crate::state::use_console;

/// Differences shown at first, and added by "show more".
pub const DIFF_PAGE: usize = 200;

/// How a form field maps to its JSON value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FieldKind {
    /// A finite number.
    Number,
    /// A non-negative whole number.
    Integer,
    /// A comma-separated list of names.
    List,
    /// One of a few words.
    Choice(&'static [&'static str]),
}

/// A policy field of the form: its group, label, input id and JSON pointer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FieldSpec {
    /// The group heading.
    pub group: &'static str,
    /// The label.
    pub label: &'static str,
    /// The input id (and test id).
    pub id: &'static str,
    /// Where the value is in the policy JSON.
    pub pointer: &'static str,
    /// Its kind.
    pub kind: FieldKind,
}

const fn spec(
    group: &'static str,
    label: &'static str,
    id: &'static str,
    pointer: &'static str,
    kind: FieldKind,
) -> FieldSpec {
    FieldSpec {
        group,
        label,
        id,
        pointer,
        kind,
    }
}

/// The main fields of the policy shown in the form.
pub const FIELDS: &[FieldSpec] = &[
    spec(
        "Readiness",
        "Accuracy weight",
        "wi-weight-accuracy",
        "/readiness/weights/accuracy",
        FieldKind::Number,
    ),
    spec(
        "Readiness",
        "Confidence weight",
        "wi-weight-confidence",
        "/readiness/weights/confidence",
        FieldKind::Number,
    ),
    spec(
        "Readiness",
        "Consistency weight",
        "wi-weight-consistency",
        "/readiness/weights/consistency",
        FieldKind::Number,
    ),
    spec(
        "Readiness",
        "Robustness weight",
        "wi-weight-robustness",
        "/readiness/weights/robustness",
        FieldKind::Number,
    ),
    spec(
        "Readiness",
        "Ready threshold",
        "wi-ready-threshold",
        "/readiness/ready_threshold",
        FieldKind::Number,
    ),
    spec(
        "Gates",
        "Minimum accuracy",
        "wi-gates-min-accuracy",
        "/gates/min_accuracy",
        FieldKind::Number,
    ),
    spec(
        "Gates",
        "Safety: max accuracy drop",
        "wi-gates-max-drop",
        "/gates/safety_max_accuracy_drop",
        FieldKind::Number,
    ),
    spec(
        "Gates",
        "SRM alpha",
        "wi-gates-srm-alpha",
        "/gates/srm_alpha",
        FieldKind::Number,
    ),
    spec(
        "Models",
        "Max accuracy drop",
        "wi-models-max-drop",
        "/models/max_accuracy_drop",
        FieldKind::Number,
    ),
    spec(
        "Script promotion",
        "Minimum sample",
        "wi-promotion-min-sample",
        "/promotion/min_sample",
        FieldKind::Integer,
    ),
    spec(
        "Script promotion",
        "Testing rate",
        "wi-promotion-testing-rate",
        "/promotion/testing_rate",
        FieldKind::Number,
    ),
    spec(
        "Script promotion",
        "Primary rate",
        "wi-promotion-primary-rate",
        "/promotion/primary_rate",
        FieldKind::Number,
    ),
    spec(
        "Script promotion",
        "Demote rate",
        "wi-promotion-demote-rate",
        "/promotion/demote_rate",
        FieldKind::Number,
    ),
    spec(
        "Script promotion",
        "Consecutive evaluations",
        "wi-promotion-consecutive",
        "/promotion/consecutive",
        FieldKind::Integer,
    ),
    spec(
        "Script promotion",
        "Estimate",
        "wi-promotion-estimate",
        "/promotion/estimate",
        FieldKind::Choice(&["point", "wilson"]),
    ),
    spec(
        "Ingestion",
        "Allowed sources (comma-separated)",
        "wi-ingest-sources",
        "/ingest/allowed_sources",
        FieldKind::List,
    ),
    spec(
        "Ingestion",
        "Max payload bytes",
        "wi-ingest-max-payload",
        "/ingest/max_payload_bytes",
        FieldKind::Integer,
    ),
    spec(
        "A/B winner rule",
        "Method",
        "wi-winner-method",
        "/ab/winner/method",
        FieldKind::Choice(&["frequentist", "sequential", "bayesian"]),
    ),
    spec(
        "A/B winner rule",
        "Alpha",
        "wi-winner-alpha",
        "/ab/winner/alpha",
        FieldKind::Number,
    ),
    spec(
        "A/B winner rule",
        "Min trials per variant",
        "wi-winner-min-sample",
        "/ab/winner/min_sample_per_variant",
        FieldKind::Integer,
    ),
];

/// The policy as the editor shows it.
pub fn policy_json(policy: &Policy) -> String {
    serde_json::to_string_pretty(policy).unwrap_or_default()
}

/// The editor's text as a valid policy, or what is wrong with it.
pub fn parse_policy(text: &str) -> Result<Policy, String> {
    let policy: Policy =
        serde_json::from_str(text).map_err(|e| format!("not a valid policy JSON: {e}"))?;
    policy
        .validate()
        .map_err(|e| format!("invalid policy: {e}"))?;
    Ok(policy)
}

/// A JSON value as a form field shows it.
pub fn field_text(value: &Value, kind: FieldKind) -> String {
    match (kind, value) {
        (FieldKind::List, Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
            .collect::<Vec<_>>()
            .join(", "),
        (_, Value::String(s)) => s.clone(),
        (_, v) => v.to_string(),
    }
}

/// A form field's text as a JSON value, or what is wrong with it.
pub fn field_value(text: &str, kind: FieldKind) -> Result<Value, String> {
    let t = text.trim();
    match kind {
        FieldKind::Number => match t.parse::<f64>() {
            Ok(x) if x.is_finite() => serde_json::Number::from_f64(x)
                .map(Value::Number)
                .ok_or_else(|| "not a number".to_string()),
            _ => Err("must be a number".into()),
        },
        FieldKind::Integer => t
            .parse::<u64>()
            .map(|n| Value::Number(n.into()))
            .map_err(|_| "must be a whole number ≥ 0".into()),
        FieldKind::List => Ok(Value::Array(
            t.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_string()))
                .collect(),
        )),
        FieldKind::Choice(options) => {
            if options.contains(&t) {
                Ok(Value::String(t.to_string()))
            } else {
                Err(format!("must be one of {}", options.join(", ")))
            }
        }
    }
}

/// Whether a field's text already says what the JSON value says (so the form does not
/// rewrite what the user is typing, e.g. "0.40" against 0.4).
pub fn same_value(text: &str, kind: FieldKind, value: &Value) -> bool {
    match field_value(text, kind) {
        Ok(Value::Number(a)) => match value {
            Value::Number(b) => a.as_f64() == b.as_f64(),
            _ => false,
        },
        Ok(v) => &v == value,
        Err(_) => false,
    }
}

/// The editor's text with the value at `pointer` replaced.
pub fn set_at(text: &str, pointer: &str, value: Value) -> Result<String, String> {
    let mut root: Value =
        serde_json::from_str(text).map_err(|_| "fix the JSON below first".to_string())?;
    let slot = root
        .pointer_mut(pointer)
        .ok_or_else(|| format!("the JSON has no {pointer}"))?;
    *slot = value;
    serde_json::to_string_pretty(&root).map_err(|e| e.to_string())
}

/// A kind's name as the page shows it (the core's words, so a kind a block adds needs no
/// page edit).
pub fn kind_name(kind: Kind) -> &'static str {
    kind.label()
}

/// A bar's width in the counts chart: `n` against the largest count, in whole percent.
pub fn bar_percent(n: usize, most: usize) -> usize {
    n.saturating_mul(100).checked_div(most).unwrap_or(0)
}

/// How many differences of each kind, by kind name.
pub fn counts_by_kind(differences: &[Difference]) -> Vec<(&'static str, usize)> {
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for d in differences {
        *counts.entry(kind_name(d.kind)).or_default() += 1;
    }
    counts.into_iter().collect()
}

/// One bar of the changed-decisions chart: a kind at x, how many of its decisions change.
#[derive(Clone, Debug, PartialEq)]
pub struct KindBar {
    /// The kind's place, 0-based, in `counts_by_kind` order.
    pub x: f64,
    /// Decisions of the kind that would change.
    pub changed: f64,
}

/// The chart's kind names and bars, from the counts per kind.
pub fn kind_bars(counts: &[(&'static str, usize)]) -> (Vec<String>, Vec<KindBar>) {
    let names = counts.iter().map(|(k, _)| k.to_string()).collect();
    let bars = counts
        .iter()
        .enumerate()
        .map(|(i, (_, n))| KindBar {
            x: i as f64,
            changed: *n as f64,
        })
        .collect();
    (names, bars)
}

/// The text a form field shows for the editor's `json`, given what was last
/// typed into it and the JSON text that typing left (`typed`): the typed
/// text while the JSON is unchanged since, or still holds the same value (so
/// "0.50" is not rewritten to "0.5", nor a half-typed number replaced);
/// otherwise the JSON's value. An unreadable JSON leaves the field as typed.
pub fn shown_text(spec: FieldSpec, json: &str, typed: &(String, Option<String>)) -> String {
    let (text, after) = typed;
    if after.as_deref() == Some(json) {
        return text.clone();
    }
    let Ok(root) = serde_json::from_str::<Value>(json) else {
        return text.clone();
    };
    match root.pointer(spec.pointer) {
        Some(v) if !same_value(text, spec.kind, v) => field_text(v, spec.kind),
        _ => text.clone(),
    }
}

/// The page.
#[component]
pub fn WhatIfPage() -> impl IntoView {
    let console = use_console();
    let current = Memo::new(move |_| console.with(|b| policy_json(b.policy())));
    let json = RwSignal::new(current.get_untracked());
    let parsed = Memo::new(move |_| parse_policy(&json.get()));
    let running = RwSignal::new(false);
    // Commands replayed so far and in all, while a run is going.
    let progress = RwSignal::new((0usize, 0usize));
    // Bumped to cancel the run in flight (its steps check it).
    let generation = StoredValue::new(0u64);
    let result = RwSignal::new(None::<Result<Report, String>>);
    let shown = RwSignal::new(DIFF_PAGE);
    let run = move |_| {
        let Ok(policy) = parsed.get_untracked() else {
            return;
        };
        result.set(None);
        shown.set(DIFF_PAGE);
        let started = console.with_untracked(|b| b.what_if_run(&policy));
        let replay = match started {
            Ok(r) => r,
            Err(e) => {
                result.set(Some(Err(e.to_string())));
                return;
            }
        };
        generation.update_value(|g| *g += 1);
        progress.set(replay.progress());
        running.set(true);
        let mine = generation.get_value();
        step_what_if(console, replay, mine, generation, progress, running, result);
    };
    let cancel = move |_| {
        generation.update_value(|g| *g += 1);
        running.set(false);
        console.toast(true, "what-if cancelled");
    };
    let log_len = Memo::new(move |_| console.with(|b| b.log().len()));
    let differs = move || parsed.get().ok().as_ref() != Some(&console.with(|b| b.policy().clone()));
    let groups: Vec<&'static str> = {
        let mut g: Vec<&'static str> = Vec::new();
        for f in FIELDS {
            if !g.contains(&f.group) {
                g.push(f.group);
            }
        }
        g
    };
    view! {
        <PageFrame page=Page::WhatIf intro="Replay the whole history under another policy and see which decisions would change.">
            <section class="panel" data-testid="whatif-form">
                <h2>"Alternative policy"</h2>
                <p class="muted">
                    "Starts from the current policy. Edit the main fields here or any value in the JSON below; both stay in step."
                </p>
                <div class="whatif-groups">
                    {groups
                        .into_iter()
                        .map(|group| {
                            view! {
                                <fieldset class="whatif-group">
                                    <legend>{group}</legend>
                                    <div class="row">
                                        {FIELDS
                                            .iter()
                                            .copied()
                                            .filter(|s| s.group == group)
                                            .map(|s| view! { <PolicyField spec=s json=json /> })
                                            .collect_view()}
                                    </div>
                                </fieldset>
                            }
                        })
                        .collect_view()}
                </div>
                <div class="field">
                    <label for="whatif-json">"Whole policy (JSON)"</label>
                    <textarea
                        id="whatif-json"
                        data-testid="whatif-json"
                        rows="16"
                        spellcheck="false"
                        aria-invalid=move || parsed.get().is_err().to_string()
                        prop:value=move || json.get()
                        on:input=move |ev| json.set(event_target_value(&ev))
                    ></textarea>
                    <div class="field-error" data-testid="whatif-json-error">{move || parsed.get().err()}</div>
                </div>
                <div class="row">
                    <button
                        data-testid="run-whatif"
                        disabled=move || parsed.get().is_err() || running.get()
                        on:click=run
                    >
                        {move || if running.get() { "Running…" } else { "Run what-if" }}
                    </button>
                    <button
                        class="secondary"
                        data-testid="whatif-reset"
                        on:click=move |_| json.set(current.get_untracked())
                    >
                        "Reset to the current policy"
                    </button>
                    <span class="muted" data-testid="whatif-draft-status">
                        {move || {
                            if parsed.get().is_err() {
                                "fix the policy to run"
                            } else if differs() {
                                "differs from the current policy"
                            } else {
                                "same as the current policy"
                            }
                        }}
                    </span>
                </div>
            </section>
            <Show when=move || running.get()>
                <section class="panel" data-testid="whatif-running">
                    <p>
                        {move || {
                            let (done, total) = progress.get();
                            format!("Running… replayed {done} of {total} command(s), under both policies.")
                        }}
                    </p>
                    <div
                        class="progress"
                        role="progressbar"
                        aria-label="what-if progress"
                        aria-valuemin="0"
                        aria-valuemax="100"
                        aria-valuenow=move || percent(progress.get()).to_string()
                    >
                        <div style:width=move || format!("{}%", percent(progress.get()))></div>
                    </div>
                    <button type="button" data-testid="whatif-cancel" on:click=cancel>"Cancel"</button>
                </section>
            </Show>
            {move || {
                result
                    .get()
                    .map(|r| match r {
                        Err(e) => view! { <p class="panel field-error" data-testid="whatif-error">{e}</p> }.into_any(),
                        Ok(rep) => view! { <WhatIfResults report=rep shown=shown /> }.into_any(),
                    })
            }}
            <Show when=move || log_len.get() == 0 && result.get().is_none()>
                <p class="empty panel" data-testid="whatif-empty">
                    "The history is empty, so no decision can change — run some commands, or load the demo data from the sidebar."
                </p>
            </Show>
        </PageFrame>
    }
}

/// One form field bound to a JSON pointer of the editor's text.
/// Whole percent of a run's progress.
fn percent((done, total): (usize, usize)) -> usize {
    done.saturating_mul(100).checked_div(total).unwrap_or(100)
}

/// Milliseconds of replay per step: short enough that the page keeps
/// painting and answering clicks (one frame is ~16 ms).
const STEP_MS: f64 = 12.0;

/// At most this many commands per step as well: a replay fast enough to
/// finish a long history within one [`STEP_MS`] still shows its progress.
const STEP_COMMANDS: usize = 1024;

/// Commands per call of `Run::step`.
const CHUNK: usize = 16;

/// Runs `replay` in steps of about [`STEP_MS`], each in its own task so that
/// the browser paints the progress between them; stops when `generation`
/// moves on (cancelled, or a new run started).
pub fn step_what_if(
    console: crate::state::Console,
    mut replay: brain_core::whatif::Run,
    mine: u64,
    generation: StoredValue<u64>,
    progress: RwSignal<(usize, usize)>,
    running: RwSignal<bool>,
    result: RwSignal<Option<Result<Report, String>>>,
) {
    set_timeout(
        move || {
            if generation.try_get_value() != Some(mine) {
                return;
            }
            let start = js_sys::Date::now();
            let (mut done, mut stepped) = (false, 0);
            while !done && stepped < STEP_COMMANDS && js_sys::Date::now() - start < STEP_MS {
                done = replay.step(CHUNK);
                stepped += CHUNK;
            }
            progress.set(replay.progress());
            if !done {
                step_what_if(console, replay, mine, generation, progress, running, result);
                return;
            }
            let report = replay.report();
            console.toast(
                true,
                format!(
                    "what-if done: {} decision(s) would change",
                    report.differences.len()
                ),
            );
            result.set(Some(Ok(report)));
            running.set(false);
        },
        std::time::Duration::from_millis(0),
    );
}

#[component]
fn PolicyField(spec: FieldSpec, json: RwSignal<String>) -> impl IntoView {
    // What the user last typed here, and the JSON text it left behind.
    let typed = RwSignal::new((String::new(), None::<String>));
    // The JSON is the source of truth: the field shows what was typed here
    // while the JSON still says the same, else the JSON's value.
    let text = Memo::new(move |_| json.with(|j| shown_text(spec, j, &typed.get())));
    let error = RwSignal::new(None::<String>);
    let on_input = move |value: String| match field_value(&value, spec.kind)
        .and_then(|v| set_at(&json.get_untracked(), spec.pointer, v))
    {
        Ok(new_json) => {
            error.set(None);
            typed.set((value, Some(new_json.clone())));
            json.set(new_json);
        }
        Err(e) => {
            error.set(Some(e));
            typed.set((value, Some(json.get_untracked())));
        }
    };
    let input = match spec.kind {
        FieldKind::Choice(options) => view! {
            <select
                id=spec.id
                data-testid=spec.id
                prop:value=move || text.get()
                on:change=move |ev| on_input(event_target_value(&ev))
            >
                {options.iter().map(|o| view! { <option value=*o>{*o}</option> }).collect_view()}
            </select>
        }
        .into_any(),
        FieldKind::Number | FieldKind::Integer => view! {
            <input
                id=spec.id
                data-testid=spec.id
                type="number"
                step=if spec.kind == FieldKind::Integer { "1" } else { "any" }
                aria-invalid=move || error.get().is_some().to_string()
                prop:value=move || text.get()
                on:input=move |ev| on_input(event_target_value(&ev))
            />
        }
        .into_any(),
        FieldKind::List => view! {
            <input
                id=spec.id
                data-testid=spec.id
                type="text"
                aria-invalid=move || error.get().is_some().to_string()
                prop:value=move || text.get()
                on:input=move |ev| on_input(event_target_value(&ev))
            />
        }
        .into_any(),
    };
    view! {
        <div class="field">
            <label for=spec.id>{spec.label}</label>
            {input}
            <div class="field-error" data-testid=format!("{}-error", spec.id)>{move || error.get()}</div>
        </div>
    }
}

/// The report: totals, counts per kind, and every difference side by side (also the
/// policy page's preview).
#[component]
pub fn WhatIfResults(report: Report, shown: RwSignal<usize>) -> impl IntoView {
    let counts = counts_by_kind(&report.differences);
    let most = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let (kind_names, bars) = kind_bars(&counts);
    let bars = Signal::derive(move || bars.clone());
    let total = report.differences.len();
    let csv = brain_core::csv_io::export_what_if(&report);
    let diffs = StoredValue::new(report.differences);
    let visible =
        move || diffs.with_value(|d| d.iter().take(shown.get()).cloned().collect::<Vec<_>>());
    view! {
        <section class="panel" data-testid="whatif-results">
            <h2>"Decisions that would change"</h2>
            <div class="cards">
                <div class="card">
                    <div class="figure" data-testid="whatif-total">{total}</div>
                    <div class="label">"differences"</div>
                </div>
                <div class="card">
                    <div class="figure" data-testid="whatif-commands">{report.commands}</div>
                    <div class="label">"commands replayed"</div>
                </div>
                <div class="card">
                    <div class="figure">{report.skipped_policy_changes}</div>
                    <div class="label">"policy changes skipped (the alternative stays in force)"</div>
                </div>
            </div>
            {if total == 0 {
                view! {
                    <p class="empty" data-testid="whatif-no-diff">
                        "No decision would change under this policy — try a stricter or looser threshold."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <table class="whatif-counts" data-testid="whatif-counts">
                        <thead><tr><th>"Kind"</th><th class="num">"Changed"</th><th>"Share"</th></tr></thead>
                        <tbody>
                            {counts
                                .into_iter()
                                .map(|(k, n)| {
                                    let width = bar_percent(n, most);
                                    view! {
                                        <tr data-testid="whatif-count-row" data-kind=k>
                                            <td>{k}</td>
                                            <td class="num">{n}</td>
                                            <td class="bar-cell" aria-hidden="true">
                                                <div class="count-bar" style:width=format!("{width}%")></div>
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                    <div class="chart" data-testid="whatif-chart">
                        <Chart
                            aspect_ratio=AspectRatio::from_env_width(260.0)
                            left=whole_ticks()
                            bottom=category_ticks(kind_names)
                            top=Legend::middle()
                            inner=[AxisMarker::left_edge().into_inner(), YGridLine::default().into_inner()]
                            series=Series::new(|d: &KindBar| d.x)
                                .with_min_y(0.0)
                                .bar(Bar::new(|d: &KindBar| d.changed).with_name("decisions that would change").with_gap(0.3))
                            data=bars
                        />
                        <p class="muted" data-testid="whatif-chart-caption">
                            "How many decisions of each kind (a script promotion, a gate, an ingestion, …) would come out differently if the log were replayed under the alternative policy."
                        </p>
                    </div>
                    <div class="csv-tools"><crate::components::CsvDownloadText name="what_if" text=csv.clone() /></div>
                    <div class="table-wrap" tabindex="0">
                        <table data-testid="whatif-table">
                            <thead>
                                <tr>
                                    <th class="num">"#"</th>
                                    <th>"Kind"</th>
                                    <th>"Command"</th>
                                    <th>"Current outcome"</th>
                                    <th>"Current reason"</th>
                                    <th>"Alternative outcome"</th>
                                    <th>"Alternative reason"</th>
                                </tr>
                            </thead>
                            <tbody>
                                <For
                                    each=move || visible().into_iter().enumerate()
                                    key=|(i, _)| *i
                                    children=|(_, d)| view! {
                                        <tr data-testid="whatif-row" data-kind=kind_name(d.kind)>
                                            <td class="num">{d.position}</td>
                                            <td>{kind_name(d.kind)}</td>
                                            <td>{d.action.clone()}</td>
                                            <td class="was"><strong>{d.original.outcome.clone()}</strong></td>
                                            <td class="was">{d.original.reason.clone()}</td>
                                            <td class="would"><strong>{d.alternative.outcome.clone()}</strong></td>
                                            <td class="would">{d.alternative.reason.clone()}</td>
                                        </tr>
                                    }
                                />
                            </tbody>
                        </table>
                    </div>
                    <Show when=move || { shown.get() < total }>
                        <button class="secondary" data-testid="whatif-more" on:click=move |_| shown.update(|s| *s += DIFF_PAGE)>
                            {move || format!("Show more ({} of {total} shown)", shown.get().min(total))}
                        </button>
                    </Show>
                }
                    .into_any()
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brain_core::Brain;
    use chrono::{TimeZone, Utc};

    #[test]
    fn a_field_keeps_what_was_typed_until_the_json_says_otherwise() {
        let Some(spec) = FIELDS.iter().copied().find(|f| f.kind == FieldKind::Number) else {
            panic!("a number field");
        };
        let json = policy_json(&Policy::default());
        let root: Value = serde_json::from_str(&json).expect("json");
        let value = root.pointer(spec.pointer).cloned().expect("pointer");
        let from_json = field_text(&value, spec.kind);
        // Nothing typed yet: the JSON's value.
        assert_eq!(shown_text(spec, &json, &(String::new(), None)), from_json);
        // A half-typed number leaves the JSON as it was: it stays as typed.
        let half = ("1e".to_string(), Some(json.clone()));
        assert_eq!(shown_text(spec, &json, &half), "1e");
        // The JSON edited elsewhere to another value: the field follows it.
        let edited = set_at(&json, spec.pointer, serde_json::json!(0.125)).expect("set");
        assert_eq!(shown_text(spec, &edited, &half), "0.125");
        // Another field edited: a typed spelling of the same value is kept.
        let mut same = from_json.clone();
        same.push('0');
        if !same.contains('.') {
            same = format!("{from_json}.0");
        }
        let typed = (same.clone(), Some(json.clone()));
        assert_eq!(shown_text(spec, &format!("{json} "), &typed), same);
        // An unreadable JSON leaves the field as typed.
        assert_eq!(shown_text(spec, "{", &half), "1e");
    }

    #[test]
    fn every_form_pointer_exists_and_round_trips() {
        let text = policy_json(&Policy::default());
        let root: Value = serde_json::from_str(&text).expect("json");
        for f in FIELDS {
            let v = root
                .pointer(f.pointer)
                .unwrap_or_else(|| panic!("{}", f.pointer));
            let shown = field_text(v, f.kind);
            assert!(same_value(&shown, f.kind, v), "{} {shown}", f.pointer);
        }
        assert!(same_value(
            "0.40",
            FieldKind::Number,
            &serde_json::json!(0.4)
        ));
        assert!(field_value("x", FieldKind::Number).is_err());
        assert!(field_value("sms", FieldKind::Choice(&["point"])).is_err());
    }

    #[test]
    fn editing_a_field_changes_the_policy_and_what_if_finds_differences() {
        let at = Utc
            .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .unwrap_or_default();
        let brain = Brain::demo(at);
        let text = policy_json(brain.policy());
        let text = set_at(
            &text,
            "/ingest/allowed_sources",
            field_value(
                "zillow, realtor, redfin, mls, referral, craigslist",
                FieldKind::List,
            )
            .expect("list"),
        )
        .expect("set");
        let policy = parse_policy(&text).expect("valid");
        let report = brain.what_if(&policy).expect("report");
        assert!(report
            .differences
            .iter()
            .any(|d| d.kind == Kind::Ingestion && d.alternative.outcome == "accepted"));
        let counts = counts_by_kind(&report.differences);
        assert!(counts.iter().any(|(k, n)| *k == "ingestion" && *n >= 1));
        let (names, bars) = kind_bars(&counts);
        let ingestion = names.iter().position(|k| k == "ingestion");
        assert_eq!(
            ingestion.map(|i| bars[i].changed as usize),
            counts
                .iter()
                .find(|(k, _)| *k == "ingestion")
                .map(|(_, n)| *n)
        );
        assert_eq!(bars.len(), counts.len());
        assert!(parse_policy("{").is_err());
        assert!(set_at("{", "/a", Value::Null).is_err());
    }
}
