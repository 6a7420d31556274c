//! Block 21's lifecycle in the console: creating an experiment (with the
//! bucketing settings `brain.assign` uses), its stage, and the moves the stage
//! allows: start, stop, conclude with a decision and its reason, archive.
//! Moves that end something (stop, conclude, archive) ask first; after a
//! winner the next step, concluding, is offered with the winner chosen.

use brain_core::ab::{self, ExperimentReport, Stage, VariantKind};
use brain_core::Command;
use leptos::prelude::*;

use crate::components::{chosen_or_first, Field, FormResult, NameField};
use crate::forms::{check_name, err_of, parse_optional, required};
use crate::state::use_console;

// ---------------------------------------------------------------- logic

/// The `CreateExperiment` command for the form's text, or what is wrong.
/// Empty optional fields are left out (the engine's defaults: the id as hash
/// key and seed, hash version 2, full coverage).
pub fn create_command(
    id: &str,
    kind: &str,
    hash_key: &str,
    seed: &str,
    hash_version: &str,
    coverage: &str,
) -> Result<ab::Command, String> {
    let experiment_id = check_name("experiment id", id)?;
    let kind = match kind {
        "channel" => VariantKind::Channel,
        _ => VariantKind::Script,
    };
    let optional = |label: &str, s: &str| -> Result<Option<String>, String> {
        if s.trim().is_empty() {
            Ok(None)
        } else {
            check_name(label, s).map(Some)
        }
    };
    let hash_version = match hash_version.trim() {
        "" => None,
        "1" => Some(1),
        "2" => Some(2),
        other => return Err(format!("hash version ({other}) must be 1 or 2")),
    };
    let coverage = parse_optional("coverage", coverage)?;
    if coverage.is_some_and(|c| !(0.0..=1.0).contains(&c)) {
        return Err("coverage must be between 0 and 1".into());
    }
    Ok(ab::Command::CreateExperiment {
        experiment_id,
        kind,
        hash_key: optional("hash key", hash_key)?,
        seed: optional("seed", seed)?,
        hash_version,
        coverage,
    })
}

/// What an experiment in `stage` may do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Moves {
    pub start: bool,
    pub stop: bool,
    pub conclude: bool,
    pub archive: bool,
}

/// The moves the lifecycle allows from `stage`.
pub fn moves(stage: Stage) -> Moves {
    Moves {
        start: stage.may_move_to(Stage::Running),
        stop: stage.may_move_to(Stage::Stopped),
        conclude: stage.may_move_to(Stage::Concluded),
        archive: stage.may_move_to(Stage::Archived),
    }
}

/// The next step a report suggests: conclude, keeping the winner, once
/// there is one and the experiment can still be concluded.
pub fn next_step(r: &ExperimentReport) -> Option<String> {
    let winner = r.winner.as_ref()?;
    moves(r.stage).conclude.then(|| winner.clone())
}

/// One row of the experiments table.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusRow {
    pub name: String,
    pub kind: &'static str,
    pub stage: &'static str,
    pub variants: usize,
    pub trials: u64,
    pub outcome: String,
}

/// Every experiment with its stage and what it came to.
pub fn status_rows(reports: &[ExperimentReport]) -> Vec<StatusRow> {
    reports
        .iter()
        .map(|r| StatusRow {
            name: r.experiment.clone(),
            kind: match r.kind {
                VariantKind::Script => "script",
                VariantKind::Channel => "channel",
            },
            stage: r.stage.name(),
            variants: r.variants.len(),
            trials: r.variants.iter().map(|v| v.trials).sum(),
            outcome: match (&r.conclusion, &r.winner) {
                (Some(c), _) => format!("concluded: keep {} ({})", c.decision, c.reason),
                (None, Some(w)) => format!("winner: {w}"),
                (None, None) => "no winner yet".into(),
            },
        })
        .collect()
}

// ---------------------------------------------------------------- view

/// The form that creates an experiment in draft.
#[component]
pub fn CreateExperimentForm() -> impl IntoView {
    let console = use_console();
    let id = RwSignal::new(String::new());
    let kind = RwSignal::new("script".to_string());
    let hash_key = RwSignal::new(String::new());
    let seed = RwSignal::new(String::new());
    let version = RwSignal::new(String::new());
    let coverage = RwSignal::new(String::new());
    let result = RwSignal::new(None::<(bool, String)>);
    let coverage_err = Signal::derive(move || {
        let c = coverage.get();
        parse_optional("coverage", &c)
            .and_then(|c| match c {
                Some(c) if !(0.0..=1.0).contains(&c) => {
                    Err("coverage must be between 0 and 1".to_string())
                }
                _ => Ok(()),
            })
            .err()
    });
    let submit = move |_| {
        let cmd = create_command(
            &id.get_untracked(),
            &kind.get_untracked(),
            &hash_key.get_untracked(),
            &seed.get_untracked(),
            &version.get_untracked(),
            &coverage.get_untracked(),
        );
        let cmd = match cmd {
            Ok(c) => c,
            Err(e) => {
                result.set(Some((false, e)));
                return;
            }
        };
        let msg = format!(
            "experiment {} created in draft: add its variants, then start it",
            id.get_untracked().trim()
        );
        if console.submit(Command::Ab(cmd), result, msg) {
            for f in [id, hash_key, seed, version, coverage] {
                f.set(String::new());
            }
        }
    };
    view! {
        <form class="panel" data-testid="ab-create-form" on:submit=move |ev| ev.prevent_default()>
            <h2>"Create an experiment"</h2>
            <p class="muted">"It starts in draft: add variants (below), then start it. Units are bucketed as GrowthBook's SDK does, with these settings and the variants' weights (brain.assign in the JS package)."</p>
            <Field label="Experiment id" id="ab-create-id" value=id />
            <div class="field">
                <label for="ab-create-kind">"Kind"</label>
                <select id="ab-create-kind" data-testid="ab-create-kind"
                    on:change=move |ev| kind.set(event_target_value(&ev)) prop:value=move || kind.get()>
                    <option value="script">"script"</option>
                    <option value="channel">"channel"</option>
                </select>
            </div>
            <details>
                <summary>"Bucketing (optional)"</summary>
                <Field label="Hash key (default: the id)" id="ab-create-hash-key" value=hash_key />
                <Field label="Seed (default: the hash key)" id="ab-create-seed" value=seed />
                <div class="field">
                    <label for="ab-create-version">"Hash version"</label>
                    <select id="ab-create-version" data-testid="ab-create-version"
                        on:change=move |ev| version.set(event_target_value(&ev)) prop:value=move || version.get()>
                        <option value="">"2 (default)"</option>
                        <option value="2">"2"</option>
                        <option value="1">"1"</option>
                    </select>
                </div>
                <Field label="Coverage, 0–1 (default 1)" id="ab-create-coverage" kind="number" step="any" value=coverage error=coverage_err />
            </details>
            <button type="submit" data-testid="ab-create" on:click=submit>"Create experiment"</button>
            <FormResult result=result testid="ab-create-result" />
        </form>
    }
}

/// Every experiment with its stage, size and outcome.
#[component]
pub fn ExperimentStatus() -> impl IntoView {
    let console = use_console();
    let rows = Memo::new(move |_| console.with(|b| status_rows(&b.experiments())));
    view! {
        <div class="table-wrap" tabindex="0">
            <table data-testid="ab-status-table">
                <caption class="muted">"Every experiment and where it is in its life: draft, running, stopped, concluded, archived."</caption>
                <thead>
                    <tr><th>"Experiment"</th><th>"Kind"</th><th>"Stage"</th><th class="num">"Variants"</th><th class="num">"Trials"</th><th>"Outcome"</th></tr>
                </thead>
                <tbody>
                    <For each=move || rows.get() key=|r| format!("{r:?}") let:r>
                        <tr data-testid="ab-status-row" data-experiment=r.name.clone()>
                            <td>{r.name.clone()}</td>
                            <td>{r.kind}</td>
                            <td><span class=format!("badge badge-{}", r.stage) data-testid="ab-stage">{r.stage}</span></td>
                            <td class="num">{r.variants}</td>
                            <td class="num">{r.trials}</td>
                            <td>{r.outcome.clone()}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </div>
    }
}

/// Which confirmation is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Asking {
    Nothing,
    Stop,
    Conclude,
    Archive,
}

/// The selected experiment's stage and the moves it allows.
#[component]
pub fn LifecycleControls(
    /// The experiment shown.
    current: Memo<String>,
) -> impl IntoView {
    let console = use_console();
    let report = Memo::new(move |_| {
        let e = current.get();
        console.with(|b| b.experiment(&e))
    });
    let stage = Memo::new(move |_| report.get().map(|r| r.stage));
    let allowed = Memo::new(move |_| stage.get().map(moves));
    let asking = RwSignal::new(Asking::Nothing);
    let result = RwSignal::new(None::<(bool, String)>);
    let reason = RwSignal::new(String::new());
    let decision = RwSignal::new(String::new());
    let variants = Memo::new(move |_| {
        report
            .get()
            .map(|r| r.variants.into_iter().map(|v| v.name).collect::<Vec<_>>())
            .unwrap_or_default()
    });
    let chosen = chosen_or_first(variants, decision);
    let reason_err = Signal::derive(move || err_of(required("reason", &reason.get())));
    let next = Memo::new(move |_| report.get().and_then(|r| next_step(&r)));
    let run = move |cmd: ab::Command, done: String| {
        if console.submit(Command::Ab(cmd), result, done) {
            asking.set(Asking::Nothing);
            reason.set(String::new());
        }
    };
    let id = move || current.get_untracked();
    let start = move |_| {
        let experiment_id = id();
        let done = format!("experiment {experiment_id} is running: counts are recorded");
        run(ab::Command::StartExperiment { experiment_id }, done);
    };
    let stop = move |_| {
        let experiment_id = id();
        let done =
            format!("experiment {experiment_id} stopped: counts are refused until it starts again");
        run(ab::Command::StopExperiment { experiment_id }, done);
    };
    let archive = move |_| {
        let experiment_id = id();
        let done = format!("experiment {experiment_id} archived");
        run(ab::Command::ArchiveExperiment { experiment_id }, done);
    };
    let conclude = move |_| {
        let Ok(why) = required("reason", &reason.get_untracked()) else {
            result.set(Some((false, "a conclusion needs a reason".into())));
            return;
        };
        let experiment_id = id();
        let keep = chosen.get_untracked();
        let done = format!("experiment {experiment_id} concluded: keep {keep}");
        run(
            ab::Command::ConcludeExperiment {
                experiment_id,
                decision: keep,
                reason: why,
            },
            done,
        );
    };
    let can = move |f: fn(Moves) -> bool| allowed.get().is_some_and(f);
    view! {
        <div class="lifecycle" data-testid="ab-lifecycle">
            <p>
                "Stage: "
                <strong data-testid="ab-current-stage">{move || stage.get().map(Stage::name).unwrap_or("—")}</strong>
                {move || report.get().and_then(|r| r.conclusion).map(|c| view! {
                    <span data-testid="ab-conclusion">{format!(" · kept {} — {}", c.decision, c.reason)}</span>
                })}
            </p>
            {move || next.get().map(|w| view! {
                <div class="callout" data-testid="ab-next-step" role="note">
                    <strong>{format!("{w} won.")}</strong>
                    " Next step: conclude the experiment keeping it (the decision and your reason go to the audit trail)"
                    {report.get().filter(|r| r.kind == VariantKind::Script && r.variants.first().map(|v| &v.name) != Some(&w)).map(|_| view! {
                        ", then promote the script on "
                        <a href="/promotion">"Script promotion"</a>
                    })}
                    ". "
                    <button type="button" data-testid="ab-next-conclude" on:click=move |_| {
                        decision.set(w.clone());
                        asking.set(Asking::Conclude);
                    }>"Conclude…"</button>
                </div>
            })}
            <div class="row">
                <Show when=move || can(|m| m.start)>
                    <button type="button" data-testid="ab-start" on:click=start>
                        {move || if stage.get() == Some(Stage::Stopped) { "Resume" } else { "Start" }}
                    </button>
                </Show>
                <Show when=move || can(|m| m.stop)>
                    <button type="button" class="secondary" data-testid="ab-stop" on:click=move |_| asking.set(Asking::Stop)>"Stop…"</button>
                </Show>
                <Show when=move || can(|m| m.conclude)>
                    <button type="button" data-testid="ab-conclude" on:click=move |_| asking.set(Asking::Conclude)>"Conclude…"</button>
                </Show>
                <Show when=move || can(|m| m.archive)>
                    <button type="button" class="secondary" data-testid="ab-archive" on:click=move |_| asking.set(Asking::Archive)>"Archive…"</button>
                </Show>
            </div>
            <Show when=move || asking.get() == Asking::Stop>
                <div class="confirm-box" data-testid="ab-stop-confirm-box">
                    <p>"Stop this experiment? Counts and metrics are refused until it is started again."</p>
                    <div class="row">
                        <button class="danger" data-testid="ab-stop-confirm" on:click=stop>"Confirm stop"</button>
                        <button class="secondary" data-testid="ab-stop-cancel" on:click=move |_| asking.set(Asking::Nothing)>"Cancel"</button>
                    </div>
                </div>
            </Show>
            <Show when=move || asking.get() == Asking::Archive>
                <div class="confirm-box" data-testid="ab-archive-confirm-box">
                    <p>"Archive this experiment? Nothing about it can change afterwards."</p>
                    <div class="row">
                        <button class="danger" data-testid="ab-archive-confirm" on:click=archive>"Confirm archive"</button>
                        <button class="secondary" data-testid="ab-archive-cancel" on:click=move |_| asking.set(Asking::Nothing)>"Cancel"</button>
                    </div>
                </div>
            </Show>
            <Show when=move || asking.get() == Asking::Conclude>
                <div class="confirm-box" data-testid="ab-conclude-box">
                    <p>"Conclude this experiment? It takes no more counts; the variant kept and your reason are recorded in the audit trail."</p>
                    <NameField label="Keep variant" id="ab-conclude-decision" options=variants current=chosen chosen=decision />
                    <Field label="Reason" id="ab-conclude-reason" value=reason error=reason_err />
                    <div class="row">
                        <button class="danger" data-testid="ab-conclude-confirm" disabled=move || reason_err.get().is_some() on:click=conclude>"Confirm conclusion"</button>
                        <button class="secondary" data-testid="ab-conclude-cancel" on:click=move |_| asking.set(Asking::Nothing)>"Cancel"</button>
                    </div>
                </div>
            </Show>
            <FormResult result=result testid="ab-lifecycle-result" />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brain_core::Brain;
    use chrono::{TimeZone, Utc};

    #[test]
    fn the_create_form_leaves_out_empty_settings_and_refuses_bad_ones() {
        assert_eq!(
            create_command(" e1 ", "channel", "", "", "", ""),
            Ok(ab::Command::CreateExperiment {
                experiment_id: "e1".into(),
                kind: VariantKind::Channel,
                hash_key: None,
                seed: None,
                hash_version: None,
                coverage: None,
            })
        );
        assert_eq!(
            create_command("e1", "script", "home", "s", "1", "0.5"),
            Ok(ab::Command::CreateExperiment {
                experiment_id: "e1".into(),
                kind: VariantKind::Script,
                hash_key: Some("home".into()),
                seed: Some("s".into()),
                hash_version: Some(1),
                coverage: Some(0.5),
            })
        );
        assert!(create_command("", "script", "", "", "", "").is_err());
        assert!(create_command("e", "script", "", "", "3", "").is_err());
        assert!(create_command("e", "script", "", "", "", "1.2").is_err());
    }

    #[test]
    fn each_stage_offers_only_the_moves_the_lifecycle_allows() {
        let m = |s| moves(s);
        assert_eq!(
            m(Stage::Draft),
            Moves {
                start: true,
                stop: false,
                conclude: false,
                archive: true
            }
        );
        assert_eq!(
            m(Stage::Running),
            Moves {
                start: false,
                stop: true,
                conclude: true,
                archive: false
            }
        );
        assert_eq!(
            m(Stage::Stopped),
            Moves {
                start: true,
                stop: false,
                conclude: true,
                archive: true
            }
        );
        assert_eq!(
            m(Stage::Archived),
            Moves {
                start: false,
                stop: false,
                conclude: false,
                archive: false
            }
        );
    }

    #[test]
    fn a_winner_offers_concluding_until_the_experiment_is_concluded() {
        let b = Brain::demo(
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
                .single()
                .unwrap_or_default(),
        );
        let rows = status_rows(&b.experiments());
        let timing = rows.iter().find(|r| r.name == "follow-up-timing");
        assert_eq!(timing.map(|r| r.stage), Some("concluded"));
        assert!(timing.is_some_and(|r| r.outcome.starts_with("concluded: keep same-day")));
        let channel = b.experiment("contact-channel");
        let winner = channel.as_ref().and_then(|r| r.winner.clone());
        assert!(winner.is_some());
        assert_eq!(channel.as_ref().and_then(next_step), winner);
        assert_eq!(
            b.experiment("follow-up-timing")
                .as_ref()
                .and_then(next_step),
            None
        );
    }
}
