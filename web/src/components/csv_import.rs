//! `<CsvImport>`: a CSV file (picked or dropped) planned against the brain
//! in slices, with a progress bar and cancel; what was detected (delimiter,
//! header, column mapping), a preview of the first rows and of the commands
//! it would run, every refused row with its line, column and the engine's
//! message; applied only after a confirm, as one batch (all rows or none).
//! `<CsvDownload>`: a table as a CSV file. Pages mount them with one line;
//! the rules are the core's `csv_io`.

use brain_core::csv_io::{self, Kind, Options, Plan, Planner, Table};
use leptos::prelude::*;

use crate::browser::{download, now, read_chosen_file, yield_to_browser};
use crate::state::use_console;

/// Rows planned, or commands applied, between two paints.
const SLICE: usize = 2_000;
/// What the progress bar counts while rows are planned.
const CHECKED: &str = "rows checked";
/// What the progress bar counts while the batch is applied.
const APPLIED: &str = "commands applied";

/// One line a reader understands for what applying would do.
pub fn summary_line(plan: &Plan) -> String {
    let commands: Vec<String> = plan
        .summary
        .commands
        .iter()
        .map(|(name, n)| format!("{n} × {name}"))
        .collect();
    let mut line = format!(
        "{} rows → {} commands ({})",
        plan.summary.rows,
        plan.commands.len(),
        if commands.is_empty() {
            "none".to_string()
        } else {
            commands.join(", ")
        }
    );
    if !plan.summary.subjects.is_empty() {
        line.push_str(&format!("; names {}", plan.summary.subjects.join(", ")));
    }
    if !plan.summary.new_subjects.is_empty() {
        line.push_str(&format!("; new: {}", plan.summary.new_subjects.join(", ")));
    }
    line
}

/// What the import found in the file's layout.
pub fn detected_line(plan: &Plan) -> String {
    let delimiter = match plan.delimiter.as_str() {
        "\t" => "tab",
        "," => "comma",
        ";" => "semicolon",
        other => other,
    };
    format!(
        "Delimiter: {delimiter}; header: {}",
        if plan.header {
            "yes"
        } else {
            "no (columns by position)"
        }
    )
}

/// Imports a CSV file of `kind` into the brain.
#[component]
pub fn CsvImport(
    /// What the file holds.
    kind: Kind,
    /// The panel's heading.
    title: &'static str,
) -> impl IntoView {
    let console = use_console();
    let plan = RwSignal::new(None::<Plan>);
    let progress = RwSignal::new(None::<(&'static str, usize, usize)>);
    let run = StoredValue::new(0u64);
    let confirming = RwSignal::new(false);
    let message = RwSignal::new(None::<(bool, String)>);
    let start = move |text: Option<String>| {
        let Some(text) = text else {
            message.set(Some((false, "the file cannot be read as text".into())));
            return;
        };
        plan.set(None);
        confirming.set(false);
        message.set(None);
        let at = console.with_untracked(|b| match b.log().last() {
            Some(last) if last.at > now() => last.at,
            _ => now(),
        });
        let options = Options {
            at: Some(at),
            actor: Some("console".into()),
            ..Options::default()
        };
        let planner = console.with_untracked(|b| Planner::new(b, kind, &text, &options));
        let mut planner = match planner {
            Ok(p) => p,
            Err(e) => {
                message.set(Some((false, e.to_string())));
                return;
            }
        };
        let id = run.get_value() + 1;
        run.set_value(id);
        let (done, total) = planner.progress();
        progress.set(Some((CHECKED, done, total)));
        wasm_bindgen_futures::spawn_local(async move {
            loop {
                let done = planner.step(SLICE);
                if run.try_get_value() != Some(id) {
                    return; // cancelled, or another file chosen
                }
                let (n, total) = planner.progress();
                progress.set(Some((CHECKED, n, total)));
                if done {
                    break;
                }
                yield_to_browser().await;
            }
            progress.set(None);
            plan.set(Some(planner.finish()));
        });
    };
    let cancel = move |_| {
        run.set_value(run.get_value() + 1);
        let applying = matches!(progress.get_untracked(), Some((APPLIED, ..)));
        progress.set(None);
        message.set(Some((
            false,
            if applying {
                "apply cancelled; nothing was changed".into()
            } else {
                "import cancelled; nothing was changed".into()
            },
        )));
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        let Some(file) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        else {
            return;
        };
        wasm_bindgen_futures::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
            start(text.ok().and_then(|t| t.as_string()));
        });
    };
    let apply = move |_| {
        confirming.set(false);
        let Some(p) = plan.get_untracked() else {
            return;
        };
        let mut batch = match console.start_batch(p.commands) {
            Ok(b) => b,
            Err(e) => {
                message.set(Some((false, format!("nothing was applied: {e}"))));
                return;
            }
        };
        let id = run.get_value() + 1;
        run.set_value(id);
        let (_, total) = batch.progress();
        progress.set(Some((APPLIED, 0, total)));
        wasm_bindgen_futures::spawn_local(async move {
            let started = now();
            loop {
                let done = batch.step(SLICE);
                if run.try_get_value() != Some(id) {
                    return; // cancelled: the copy is dropped, nothing changed
                }
                let (n, total) = batch.progress();
                progress.set(Some((APPLIED, n, total)));
                if done {
                    break;
                }
                yield_to_browser().await;
            }
            progress.set(None);
            let n = batch.progress().1;
            match console.commit_batch(batch) {
                Ok(_) => {
                    let ms = (now() - started).num_milliseconds();
                    message.set(Some((
                        true,
                        format!("applied {n} commands as one batch in {ms} ms"),
                    )));
                    console.toast(true, format!("CSV import: {n} commands applied"));
                    plan.set(None);
                }
                Err(e) => message.set(Some((false, format!("nothing was applied: {e}")))),
            }
        });
    };
    let fields: Vec<&'static str> = kind_columns(kind);
    view! {
        <section class="panel csv-import" data-testid=format!("csv-import-{}", kind.name())>
            <h2>{title}</h2>
            <p class="muted">{format!("Columns: {} (a header names them; without one they are read in this order).", fields.join(", "))}</p>
            <div
                class="dropzone"
                data-testid="csv-drop"
                on:dragover=move |ev: leptos::ev::DragEvent| ev.prevent_default()
                on:drop=on_drop
            >
                <label>
                    "Choose a CSV file, or drop one here: "
                    <input
                        type="file"
                        accept=".csv,.tsv,.txt,text/csv,text/plain"
                        data-testid="csv-file"
                        on:change=move |ev| read_chosen_file(&ev, start)
                    />
                </label>
            </div>
            // Rendered once per run, its figures updated in place: a Cancel
            // button rebuilt every slice could not be clicked.
            <Show when=move || progress.with(Option::is_some)>
                <div class="csv-progress">
                    <progress
                        data-testid="csv-progress"
                        max=move || progress.get().map_or(1, |(_, _, total)| total.max(1))
                        value=move || progress.get().map_or(0, |(_, done, _)| done)
                    ></progress>
                    <span>{move || progress.get().map(|(what, done, total)| format!(" {done} of {total} {what} ")).unwrap_or_default()}</span>
                    <button type="button" data-testid="csv-cancel" on:click=cancel>"Cancel"</button>
                </div>
            </Show>
            {move || message.get().map(|(ok, text)| view! {
                <p class=if ok { "ok" } else { "error" } data-testid="csv-message" role="status">{text}</p>
            })}
            {move || plan.get().map(|p| {
                let errors = p.row_errors.clone();
                let has_errors = !errors.is_empty();
                let n = p.commands.len();
                view! {
                    <div data-testid="csv-plan">
                        <p data-testid="csv-detected">{detected_line(&p)}</p>
                        <table class="csv-mapping" data-testid="csv-mapping">
                            <thead><tr><th>"Column"</th><th>"Read as"</th></tr></thead>
                            <tbody>
                                {p.columns.iter().map(|c| view! {
                                    <tr><td>{c.header.clone()}</td><td>{c.field.clone().unwrap_or_else(|| "ignored".into())}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <table class="csv-preview" data-testid="csv-preview">
                            <caption>{format!("The first {} rows", p.preview.len())}</caption>
                            <tbody>
                                {p.preview.iter().map(|row| view! {
                                    <tr>{row.iter().map(|c| view! { <td>{c.clone()}</td> }).collect_view()}</tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <p data-testid="csv-summary">{summary_line(&p)}</p>
                        {has_errors.then(|| view! {
                            <div class="error" role="alert">
                                <p>{format!("{} rows would be refused; nothing is applied until every row is accepted. Fix them in the file and choose it again.", errors.len())}</p>
                                <ul data-testid="csv-errors">
                                    {errors.iter().take(200).map(|e| view! {
                                        <li>{format!("line {}{}: {} — {}", e.line, e.column.as_ref().map(|c| format!(", column {c}")).unwrap_or_default(), e.code, e.message)}</li>
                                    }).collect_view()}
                                </ul>
                            </div>
                        })}
                        {(!has_errors && n > 0).then(|| view! {
                            <Show when=move || progress.get().is_none()>
                            <Show
                                when=move || confirming.get()
                                fallback=move || view! {
                                    <button type="button" data-testid="csv-apply" on:click=move |_| confirming.set(true)>
                                        {format!("Apply {n} commands")}
                                    </button>
                                }
                            >
                                <p>{format!("Apply {n} commands as one batch? All are applied, or none.")}</p>
                                <button type="button" data-testid="csv-confirm" on:click=apply>"Confirm"</button>
                                <button type="button" on:click=move |_| confirming.set(false)>"Back"</button>
                            </Show>
                            </Show>
                        })}
                    </div>
                }
            })}
        </section>
    }
}

/// The columns a kind reads, for the hint under the heading.
fn kind_columns(kind: Kind) -> Vec<&'static str> {
    match kind {
        Kind::Counts => vec![
            "experiment",
            "variant",
            "trials",
            "conversions",
            "date (optional)",
        ],
        Kind::Outcomes => vec![
            "series_id",
            "value",
            "outcome_id",
            "label",
            "date",
            "metric/subject/direction/baseline (to define a new series)",
        ],
        Kind::Drift => vec!["series_id", "sample (reference or current)", "value"],
        Kind::Leads => vec![
            "name",
            "value",
            "terms",
            "source",
            "any other column as a field",
        ],
        Kind::Sources => vec!["source"],
        Kind::ModelMetrics => vec!["model_id", "version", "any other column as a metric"],
        Kind::RolloutMetrics => vec![
            "rollout_id",
            "samples",
            "errors",
            "any other column as a metric",
        ],
    }
}

/// A button that downloads `table` as CSV.
#[component]
pub fn CsvDownload(
    /// The table.
    table: Table,
) -> impl IntoView {
    let console = use_console();
    let name = format!(
        "{}.csv",
        serde_json::to_value(table)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    );
    let testid = format!("csv-download-{}", name.trim_end_matches(".csv"));
    view! {
        <button
            type="button"
            class="secondary csv-download"
            data-testid=testid
            on:click=move |_| download(&name, &console.with_untracked(|b| csv_io::export(b, table)))
        >
            "Download CSV"
        </button>
    }
}

/// A button that downloads `text`, a CSV the page made (a what-if
/// report's differences, which are not one of the brain's tables), as
/// `<name>.csv`.
#[component]
pub fn CsvDownloadText(
    /// The file's name without `.csv`.
    name: &'static str,
    /// The CSV text.
    text: String,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="secondary csv-download"
            data-testid=format!("csv-download-{name}")
            on:click=move |_| download(&format!("{name}.csv"), &text)
        >
            "Download CSV"
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brain_core::brain::Brain;

    #[test]
    fn the_summary_says_how_many_commands_of_which_kind_and_what_is_new() {
        let plan = csv_io::plan(
            &Brain::new(),
            Kind::Sources,
            "source\nCRM export\n",
            &Options::default(),
        )
        .unwrap();
        assert_eq!(
            summary_line(&plan),
            "1 rows → 1 commands (1 × ingest.AddSource); names CRM export; new: CRM export"
        );
        assert_eq!(detected_line(&plan), "Delimiter: comma; header: yes");
    }
}
