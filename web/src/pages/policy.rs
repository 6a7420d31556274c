//! The policy page: every threshold of the engine in the operator's hands. Each policy field
//! is an input with a plain-language label and its documented range; the edit is shown as a
//! difference from the policy in force, can be previewed as a what-if over the whole history,
//! and is applied as a `SetPolicy` with a reason; the history lists every change with its
//! reason and difference; the seed has its own form.
//!
//! The page is generic over the policy: it walks the policy's fields
//! (`brain_core::policy_fields::leaves`), so a block that adds a policy field gets an input
//! here without a page edit (one line in `policy_fields::FIELDS` gives it a label and range).
//! An edit is merged with the core's own rule (`policy::merge`), so the page refuses exactly
//! what the engine refuses, with its message.

use std::collections::BTreeMap;

use brain_core::brain::Command;
use brain_core::policy::{self, Policy};
use brain_core::policy_fields::{self, FieldDoc};
use brain_core::policy_history::{self, FieldChange, PolicyChange};
use brain_core::whatif::Report;
use leptos::prelude::*;
use serde_json::Value;

use crate::components::FormsBelow;
use crate::pages::whatif::{self, FieldKind, WhatIfResults, DIFF_PAGE};
use crate::pages::{Page, PageFrame};
use crate::state::use_console;

/// How many policy changes the history shows (newest first).
pub const HISTORY_LIMIT: usize = 100;

/// How an input reads and writes one field.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Input {
    /// Number, whole number, comma-separated list or one of a few words (as on What-if).
    Field(FieldKind),
    /// One of a few words, where the empty word means "none" (`null`).
    Optional(&'static [&'static str]),
    /// True or false.
    Flag,
    /// Any text.
    Text,
}

/// One policy field as the page shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Its block (the first part of the path).
    pub block: String,
    /// Dotted path (`gates.min_accuracy`).
    pub path: String,
    /// Plain-language label (the path when the field has no line in the table).
    pub label: String,
    /// Documented range ("" when unknown).
    pub range: &'static str,
    /// How its input reads.
    pub input: Input,
    /// Its value in the policy in force, as the input shows it.
    pub text: String,
}

/// The input for a field, from its documentation and its current JSON value.
pub fn input_of(doc: Option<&FieldDoc>, value: &Value) -> Input {
    match (doc.map(|d| d.choices), value) {
        (Some(c), _) if c.contains(&"") => Input::Optional(c),
        (Some(c), _) if !c.is_empty() => Input::Field(FieldKind::Choice(c)),
        (_, Value::Array(_)) => Input::Field(FieldKind::List),
        (_, Value::Number(n)) if n.is_u64() => Input::Field(FieldKind::Integer),
        (_, Value::Number(_)) => Input::Field(FieldKind::Number),
        (_, Value::Bool(_)) => Input::Flag,
        _ => Input::Text,
    }
}

/// A value as its input shows it.
pub fn text_of(value: &Value, input: Input) -> String {
    match (input, value) {
        (Input::Field(kind), v) => whatif::field_text(v, kind),
        (_, Value::Null) => String::new(),
        (_, Value::String(s)) => s.clone(),
        (_, v) => v.to_string(),
    }
}

/// An input's text as a JSON value, or what is wrong with it.
pub fn value_of(text: &str, input: Input) -> Result<Value, String> {
    match input {
        Input::Field(kind) => whatif::field_value(text, kind),
        Input::Optional(choices) => match text.trim() {
            "" => Ok(Value::Null),
            t if choices.contains(&t) => Ok(Value::String(t.to_string())),
            _ => Err(format!("must be one of {}", choices.join(", "))),
        },
        Input::Flag => match text.trim() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err("must be true or false".into()),
        },
        Input::Text => Ok(Value::String(text.to_string())),
    }
}

/// Every field of `policy`, grouped by block, each block's fields in the table's order
/// (fields without a line last).
pub fn rows(policy: &Policy) -> Vec<Row> {
    let order = |path: &str| {
        policy_fields::FIELDS
            .iter()
            .position(|f| f.path == path)
            .unwrap_or(usize::MAX)
    };
    let mut rows: Vec<Row> = policy_fields::leaves(policy)
        .into_iter()
        .map(|(path, value)| {
            let doc = policy_fields::doc(&path);
            let input = input_of(doc, &value);
            Row {
                block: path.split('.').next().unwrap_or_default().to_string(),
                label: doc.map_or_else(|| path.clone(), |d| d.label.to_string()),
                range: doc.map_or("", |d| d.range),
                input,
                text: text_of(&value, input),
                path,
            }
        })
        .collect();
    rows.sort_by_key(|r| (order(&r.path), r.path.clone()));
    rows
}

/// A block's heading.
pub fn block_name(block: &str) -> String {
    match block {
        "ab" => "A/B tracking".into(),
        "promotion" => "Script promotion".into(),
        "packets" => "Deal packets".into(),
        "ingest" => "Learning ingestion".into(),
        "outcomes" => "Outcome evaluation".into(),
        "models" => "Safe model updates".into(),
        "readiness" => "Clone readiness".into(),
        "gates" => "Gate enforcement".into(),
        other => other.replace('_', " "),
    }
}

/// The edited policy: every edited field read by its input and merged over `current` with
/// the engine's rule. Errors: per field (text that does not read), or the engine's message.
pub fn draft(
    current: &Policy,
    rows: &[Row],
    edits: &BTreeMap<String, String>,
) -> Result<Policy, String> {
    let mut changes = Vec::new();
    for (path, text) in edits {
        let Some(row) = rows.iter().find(|r| &r.path == path) else {
            continue;
        };
        let after = value_of(text, row.input).map_err(|e| format!("{}: {e}", row.label))?;
        changes.push(FieldChange {
            field: path.clone(),
            before: Value::Null,
            after,
        });
    }
    policy::merge(current, &policy_history::patch_of(&changes)).map_err(|e| e.to_string())
}

/// A value as the difference and the history show it.
pub fn shown(value: &Value) -> String {
    match value {
        Value::Null => "none".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
            .collect::<Vec<_>>()
            .join(", "),
        v => v.to_string(),
    }
}

/// One change as a line: "label: before → after".
pub fn change_line(change: &FieldChange) -> String {
    let label = policy_fields::doc(&change.field).map_or(change.field.as_str(), |d| d.label);
    format!(
        "{label} ({}): {} → {}",
        change.field,
        shown(&change.before),
        shown(&change.after)
    )
}

/// The command the page records for an edit.
pub fn set_policy(changes: &[FieldChange], reason: &str) -> Command {
    Command::Policy(policy::Command::SetPolicy {
        policy: policy_history::patch_of(changes),
        reason: Some(reason.trim().to_string()),
    })
}

/// The page.
#[component]
pub fn PolicyPage() -> impl IntoView {
    let console = use_console();
    let current = Memo::new(move |_| console.with(|b| b.policy().clone()));
    let rows = Memo::new(move |_| rows(&current.get()));
    // What was typed, per field path; a field not here shows the policy in force.
    let edits = RwSignal::new(BTreeMap::<String, String>::new());
    let drafted = Memo::new(move |_| edits.with(|e| draft(&current.get(), &rows.get(), e)));
    let changes = Memo::new(move |_| match drafted.get() {
        Ok(p) => policy_history::diff(&current.get(), &p),
        Err(_) => Vec::new(),
    });
    let reason = RwSignal::new(String::new());
    let blocks = Memo::new(move |_| {
        let mut b: Vec<String> = Vec::new();
        for r in rows.get() {
            if !b.contains(&r.block) {
                b.push(r.block);
            }
        }
        b
    });
    let apply = move |_| {
        let list = changes.get_untracked();
        let why = reason.get_untracked();
        if list.is_empty() || why.trim().is_empty() {
            return;
        }
        let n = list.len();
        if console
            .act(
                set_policy(&list, &why),
                &format!("policy changed: {n} field(s)"),
            )
            .is_ok()
        {
            edits.set(BTreeMap::new());
            reason.set(String::new());
        }
    };
    // The preview: a what-if over the whole history, in steps.
    let running = RwSignal::new(false);
    let progress = RwSignal::new((0usize, 0usize));
    let generation = StoredValue::new(0u64);
    let result = RwSignal::new(None::<Result<Report, String>>);
    let more = RwSignal::new(DIFF_PAGE);
    let preview = move |_| {
        let Ok(policy) = drafted.get_untracked() else {
            return;
        };
        result.set(None);
        more.set(DIFF_PAGE);
        let replay = match console.with_untracked(|b| b.what_if_run(&policy)) {
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
        whatif::step_what_if(console, replay, mine, generation, progress, running, result);
    };
    let cancel = move |_| {
        generation.update_value(|g| *g += 1);
        running.set(false);
    };
    view! {
        <PageFrame page=Page::Policy intro="Every threshold of the engine: edit it, see the difference and its effect on past decisions, then apply it with a reason.">
            <section class="panel" data-testid="policy-form">
                <h2>"Policy"</h2>
                <p class="muted">"Each field shows the value in force; change any of them. Nothing changes until you apply."</p>
                <div class="whatif-groups">
                    <For each=move || blocks.get() key=|b| b.clone() let:block>
                        <fieldset class="whatif-group" data-testid=format!("policy-block-{block}")>
                            <legend>{block_name(&block)}</legend>
                            <div class="row">
                                {
                                    let block = block.clone();
                                    move || {
                                        rows.get()
                                            .into_iter()
                                            .filter(|r| r.block == block)
                                            .map(|r| view! { <PolicyInput row=r edits=edits /> })
                                            .collect_view()
                                    }
                                }
                            </div>
                        </fieldset>
                    </For>
                </div>
                <div class="field-error" data-testid="policy-error">{move || drafted.get().err()}</div>
            </section>
            <section class="panel" data-testid="policy-diff">
                <h2>"Difference from the policy in force"</h2>
                {move || {
                    let list = changes.get();
                    if list.is_empty() {
                        view! { <p class="muted" data-testid="policy-no-diff">"No change yet."</p> }.into_any()
                    } else {
                        view! {
                            <ul>
                                {list.iter().map(|c| view! { <li data-testid="policy-diff-row" data-field=c.field.clone()>{change_line(c)}</li> }).collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                }}
                <div class="row">
                    <button
                        type="button"
                        class="secondary"
                        data-testid="policy-preview"
                        disabled=move || drafted.get().is_err() || running.get()
                        on:click=preview
                    >
                        {move || if running.get() { "Previewing…" } else { "Preview on the history (what-if)" }}
                    </button>
                    <button type="button" class="secondary" data-testid="policy-discard" on:click=move |_| edits.set(BTreeMap::new())>
                        "Discard the edit"
                    </button>
                </div>
                <div class="row">
                    <div class="field">
                        <label for="policy-reason">"Reason for the change (kept in the history)"</label>
                        <input
                            id="policy-reason"
                            data-testid="policy-reason"
                            type="text"
                            maxlength=policy::MAX_REASON_LEN.to_string()
                            prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev))
                        />
                    </div>
                    <button
                        type="button"
                        data-testid="policy-apply"
                        disabled=move || changes.get().is_empty() || reason.get().trim().is_empty()
                        on:click=apply
                    >
                        "Apply"
                    </button>
                </div>
            </section>
            <Show when=move || running.get()>
                <section class="panel" data-testid="policy-preview-running">
                    <p>
                        {move || {
                            let (done, total) = progress.get();
                            format!("Previewing… replayed {done} of {total} command(s), under both policies.")
                        }}
                    </p>
                    <button type="button" data-testid="policy-preview-cancel" on:click=cancel>"Cancel"</button>
                </section>
            </Show>
            {move || {
                result
                    .get()
                    .map(|r| match r {
                        Err(e) => view! { <p class="panel field-error">{e}</p> }.into_any(),
                        Ok(rep) => view! { <WhatIfResults report=rep shown=more /> }.into_any(),
                    })
            }}
            <PolicyHistory />
            <FormsBelow summary="Tune a threshold, pre-register a decision rule or set the seed">
                <crate::pages::policy_tune::PolicyTune />
                <crate::pages::prereg::PreregSection />
                <SeedForm />
            </FormsBelow>
        </PageFrame>
    }
}

/// One policy field's input.
#[component]
fn PolicyInput(
    /// The field.
    row: Row,
    /// The page's edits, by path.
    edits: RwSignal<BTreeMap<String, String>>,
) -> impl IntoView {
    let id = format!("policy-{}", row.path.replace('.', "-"));
    let path = StoredValue::new(row.path.clone());
    let current = row.text.clone();
    let text = move || {
        edits.with(|e| {
            path.with_value(|p| e.get(p).cloned())
                .unwrap_or_else(|| current.clone())
        })
    };
    let input = row.input;
    let error = move || {
        edits.with(|e| path.with_value(|p| e.get(p).and_then(|t| value_of(t, input).err())))
    };
    let set = move |value: String| {
        edits.update(|e| {
            e.insert(path.get_value(), value);
        })
    };
    let control = match row.input {
        Input::Field(FieldKind::Choice(options)) | Input::Optional(options) => view! {
            <select id=id.clone() data-testid=id.clone() prop:value=text on:change=move |ev| set(event_target_value(&ev))>
                {options
                    .iter()
                    .map(|o| view! { <option value=*o>{if o.is_empty() { "none" } else { *o }}</option> })
                    .collect_view()}
            </select>
        }
        .into_any(),
        Input::Flag => view! {
            <select id=id.clone() data-testid=id.clone() prop:value=text on:change=move |ev| set(event_target_value(&ev))>
                <option value="true">"true"</option>
                <option value="false">"false"</option>
            </select>
        }
        .into_any(),
        Input::Field(FieldKind::Number) | Input::Field(FieldKind::Integer) => view! {
            <input
                id=id.clone()
                data-testid=id.clone()
                type="number"
                step=if row.input == Input::Field(FieldKind::Integer) { "1" } else { "any" }
                aria-invalid=move || error().is_some().to_string()
                prop:value=text
                on:input=move |ev| set(event_target_value(&ev))
            />
        }
        .into_any(),
        Input::Field(FieldKind::List) | Input::Text => view! {
            <input
                id=id.clone()
                data-testid=id.clone()
                type="text"
                aria-invalid=move || error().is_some().to_string()
                prop:value=text
                on:input=move |ev| set(event_target_value(&ev))
            />
        }
        .into_any(),
    };
    view! {
        <div class="field">
            <label for=id.clone()>{row.label.clone()}</label>
            {control}
            <div class="muted hint">{if row.range.is_empty() { String::new() } else { format!("range: {}", row.range) }}</div>
            <div class="field-error">{error}</div>
        </div>
    }
}

/// The seed of the generator kept in state, and a form to set it.
#[component]
fn SeedForm() -> impl IntoView {
    let console = use_console();
    let seed = Memo::new(move |_| console.with(|b| b.state().rng_seed));
    let text = RwSignal::new(String::new());
    let parsed = move || {
        text.with(|t| {
            t.trim()
                .parse::<u64>()
                .map_err(|_| "the seed must be a whole number ≥ 0".to_string())
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Ok(s) = parsed() {
            let cmd = Command::Policy(policy::Command::SetSeed { seed: s });
            if console.act(cmd, &format!("seed set to {s}")).is_ok() {
                text.set(String::new());
            }
        }
    };
    view! {
        <form class="panel" data-testid="seed-form" on:submit=submit>
            <h2>"Seed"</h2>
            <p class="muted">
                "Seeds the generator kept in state (bandit allocations, simulations), so a replay gives the same draws. In force: "
                <strong data-testid="seed-current">{move || seed.get()}</strong>
            </p>
            <div class="row">
                <div class="field">
                    <label for="seed-value">"New seed"</label>
                    <input id="seed-value" data-testid="seed-value" type="number" step="1" min="0"
                        prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev)) />
                    <div class="field-error">{move || (!text.get().is_empty()).then(|| parsed().err()).flatten()}</div>
                </div>
                <button type="submit" data-testid="seed-set" disabled=move || parsed().is_err()>"Set seed"</button>
            </div>
        </form>
    }
}

/// Every policy change of the log, newest first, with its reason and difference.
#[component]
fn PolicyHistory() -> impl IntoView {
    let console = use_console();
    let history = Memo::new(move |_| console.with(|b| b.policy_history()));
    let newest = move || {
        history
            .get()
            .into_iter()
            .rev()
            .take(HISTORY_LIMIT)
            .collect::<Vec<PolicyChange>>()
    };
    view! {
        <section class="panel" data-testid="policy-history">
            <h2>"Policy history"</h2>
            <Show
                when=move || !history.get().is_empty()
                fallback=|| view! { <p class="empty" data-testid="policy-history-empty">"The policy has not changed: the defaults are in force."</p> }
            >
                <div class="table-wrap" tabindex="0">
                    <table>
                        <thead>
                            <tr>
                                <th class="num">"#"</th>
                                <th>"When (UTC)"</th>
                                <th>"Who"</th>
                                <th>"Reason"</th>
                                <th>"What changed"</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For each=newest key=|h| h.position let:h>
                                <tr data-testid="policy-history-row">
                                    <td class="num">{h.position}</td>
                                    <td>{h.at.format("%Y-%m-%d %H:%M:%S").to_string()}</td>
                                    <td>{h.actor.clone().unwrap_or_default()}</td>
                                    <td data-testid="policy-history-reason">{h.reason.clone().unwrap_or_else(|| "(none given)".into())}</td>
                                    <td>
                                        {if h.changes.is_empty() {
                                            view! { <span class="muted">"no value changed"</span> }.into_any()
                                        } else {
                                            view! {
                                                <ul>{h.changes.iter().map(|c| view! { <li>{change_line(c)}</li> }).collect_view()}</ul>
                                            }
                                                .into_any()
                                        }}
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row<'a>(rows: &'a [Row], path: &str) -> &'a Row {
        rows.iter()
            .find(|r| r.path == path)
            .unwrap_or_else(|| panic!("no row {path}"))
    }

    #[test]
    fn every_policy_field_has_an_input_that_reads_back_its_own_value() {
        let policy = Policy::default();
        let rows = rows(&policy);
        assert_eq!(rows.len(), policy_fields::leaves(&policy).len());
        for r in &rows {
            // Unedited text reads back to the value in force: an empty edit is no change.
            let mut edits = BTreeMap::new();
            edits.insert(r.path.clone(), r.text.clone());
            assert_eq!(
                draft(&policy, &rows, &edits),
                Ok(policy.clone()),
                "{}",
                r.path
            );
            assert!(!r.range.is_empty(), "{} has no documented range", r.path);
        }
        assert_eq!(
            row(&rows, "ab.winner.correction").input,
            Input::Optional(&["holm", "bh", ""])
        );
        assert_eq!(
            row(&rows, "promotion.min_sample").input,
            Input::Field(FieldKind::Integer)
        );
    }

    #[test]
    fn an_edit_becomes_a_difference_and_a_patch_of_only_what_changed() {
        let policy = Policy::default();
        let rows = rows(&policy);
        let mut edits = BTreeMap::new();
        edits.insert("gates.min_accuracy".to_string(), "0.9".to_string());
        edits.insert("ab.winner.correction".to_string(), String::new());
        edits.insert("promotion.consecutive".to_string(), "3".to_string());
        let edited = draft(&policy, &rows, &edits).expect("valid");
        let changes = policy_history::diff(&policy, &edited);
        let lines: Vec<String> = changes.iter().map(change_line).collect();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].ends_with("holm → none"), "{lines:?}");
        assert!(lines[1].ends_with("0.85 → 0.9"), "{lines:?}");
        let Command::Policy(policy::Command::SetPolicy {
            policy: patch,
            reason,
        }) = set_policy(&changes, " stricter ")
        else {
            panic!("a SetPolicy");
        };
        assert_eq!(
            serde_json::to_value(&patch).ok(),
            Some(json!({"ab": {"winner": {"correction": null}}, "gates": {"min_accuracy": 0.9}}))
        );
        assert_eq!(reason.as_deref(), Some("stricter"));
    }

    #[test]
    fn an_edit_the_engine_refuses_shows_its_message() {
        let policy = Policy::default();
        let rows = rows(&policy);
        let cases = [
            ("gates.min_accuracy", "1.5", "min_accuracy"),
            ("gates.min_accuracy", "x", "must be a number"),
            ("promotion.min_sample", "-1", "whole number"),
            ("readiness.weights.accuracy", "0.9", "sum"),
        ];
        for (path, text, says) in cases {
            let mut edits = BTreeMap::new();
            edits.insert(path.to_string(), text.to_string());
            let got = draft(&policy, &rows, &edits);
            assert!(
                got.as_ref().err().is_some_and(|e| e.contains(says)),
                "{path}={text}: {got:?}"
            );
        }
    }
}
