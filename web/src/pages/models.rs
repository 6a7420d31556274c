//! Block 26, safe model updates: register models, propose versions (incremental, full retrain,
//! shadow), promote a challenger or shadow, roll back behind a confirmation, and see every
//! version's lineage, accuracy and status (refused updates with their reason); the
//! challenger's evidence and the environments are in `model_evidence`.

use brain_core::brain::Command;
use brain_core::models::{self, HistoryEntry, HistoryKind, ModelReport, SemVer, Status, Strategy};
use leptos::prelude::*;
use leptos_chartistry::*;

use crate::components::{chosen_or_first, fmt_num, Field, StatusBadge};
use crate::components::{not_among_signal, ChoiceList, FormsBelow};
use crate::forms::{
    err_of, latch, parse_optional_version, parse_required_fraction, parse_version, required,
};
use crate::pages::{Page, PageFrame};
use crate::state::{use_console, Confirmation};

/// One row of a model's lineage table.
#[derive(Clone, Debug, PartialEq)]
pub struct VersionRow {
    /// Position in proposal order (the chart's x).
    pub index: usize,
    /// The version.
    pub version: String,
    /// Its parent, or "—".
    pub parent: String,
    /// How it was produced.
    pub strategy: &'static str,
    /// Its latest accuracy.
    pub accuracy: f64,
    /// Its status name.
    pub status: &'static str,
    /// Why it was refused, or its latest refused promotion / rollback reason.
    pub reason: String,
    /// Whether a promotion may be attempted.
    pub promotable: bool,
}

/// The name of a strategy as the form and the table show it.
pub fn strategy_name(s: Strategy) -> &'static str {
    match s {
        Strategy::Incremental => "incremental",
        Strategy::FullRetrain => "full_retrain",
        Strategy::Shadow => "shadow",
    }
}

/// A proposal's numbering: a version typed by hand, or a bump (`patch`, `minor`, `major`)
/// with the version left empty, never both.
pub fn proposal_version(
    version: &str,
    bump: &str,
) -> Result<(Option<SemVer>, Option<models::Bump>), String> {
    let bump = match bump {
        "" => None,
        "patch" => Some(models::Bump::Patch),
        "minor" => Some(models::Bump::Minor),
        "major" => Some(models::Bump::Major),
        other => return Err(format!("unknown bump {other}")),
    };
    match (version.trim().is_empty(), bump) {
        (true, Some(b)) => Ok((None, Some(b))),
        (false, Some(_)) => Err("leave the version empty to bump it, or choose no bump".into()),
        (_, None) => parse_version(version).map(|v| (Some(v), None)),
    }
}

/// A strategy from its form value.
pub fn parse_strategy(s: &str) -> Option<Strategy> {
    match s {
        "incremental" => Some(Strategy::Incremental),
        "full_retrain" => Some(Strategy::FullRetrain),
        "shadow" => Some(Strategy::Shadow),
        _ => None,
    }
}

/// The rows of a model's lineage: every version in proposal order, with the reason of its
/// latest refusal (update or promotion) or rollback from the history.
pub fn version_rows(report: &ModelReport, history: &[HistoryEntry]) -> Vec<VersionRow> {
    report
        .versions
        .iter()
        .enumerate()
        .map(|(index, v)| {
            let reason = history
                .iter()
                .rev()
                .find(|h| match h.kind {
                    HistoryKind::UpdateRefused | HistoryKind::PromotionRefused => {
                        h.version == v.version
                    }
                    // A rollback entry names the version restored; the one rolled back is
                    // the champion before it.
                    HistoryKind::RolledBack => h.previous_champion.as_ref() == Some(&v.version),
                    _ => false,
                })
                .map(|h| match h.kind {
                    HistoryKind::RolledBack => format!("rolled back: {}", h.reason),
                    HistoryKind::PromotionRefused => format!("promotion refused: {}", h.reason),
                    _ => h.reason.clone(),
                })
                .unwrap_or_default();
            VersionRow {
                index,
                version: v.version.to_string(),
                parent: v
                    .parent
                    .as_ref()
                    .map_or_else(|| "—".to_string(), ToString::to_string),
                strategy: strategy_name(v.strategy),
                accuracy: v.accuracy,
                status: v.status.name(),
                reason,
                promotable: matches!(v.status, Status::Challenger | Status::Shadow),
            }
        })
        .collect()
}

/// One point of the accuracy chart: a version's accuracy beside the champion's accuracy and
/// the refusal floor (champion − the policy's max accuracy drop).
#[derive(Clone, Debug, PartialEq)]
pub struct ChartPoint {
    /// Position in proposal order.
    pub x: f64,
    /// The version's accuracy.
    pub accuracy: f64,
    /// The current champion's accuracy.
    pub champion: f64,
    /// Below this an incremental or full-retrain update is refused.
    pub floor: f64,
}

/// The chart's points; without a champion the reference lines follow the best accuracy.
pub fn chart_points(rows: &[VersionRow], champion: Option<f64>, max_drop: f64) -> Vec<ChartPoint> {
    let reference = champion.unwrap_or_else(|| rows.iter().map(|r| r.accuracy).fold(0.0, f64::max));
    rows.iter()
        .map(|r| ChartPoint {
            x: r.index as f64,
            accuracy: r.accuracy,
            champion: reference,
            floor: (reference - max_drop).max(0.0),
        })
        .collect()
}

/// The page.
#[component]
pub fn ModelsPage() -> impl IntoView {
    let console = use_console();
    let model_ids = Memo::new(move |_| {
        console.with(|b| b.state().models.models.keys().cloned().collect::<Vec<_>>())
    });
    view! {
        <PageFrame page=Page::Models intro="Model versions, champion and challenger, and a rollback that always works.">
            <Show
                when=move || !model_ids.get().is_empty()
                fallback=|| {
                    view! {
                        <p class="empty panel" data-testid="models-empty">
                            "No models yet — register one below, or load the demo data from the sidebar."
                        </p>
                    }
                }
            >
                <div class="csv-tools"><crate::components::CsvDownload table=brain_core::csv_io::Table::Models /></div>
                <For each=move || model_ids.get() key=|id| id.clone() let:id>
                    <ModelPanel model_id=id />
                </For>
            </Show>
            <FormsBelow summary="Register a model, propose or act on a version">
                <div class="grid">
                    <RegisterForm />
                    <UpdateForm model_ids=model_ids />
                </div>
                <Show when=move || !model_ids.get().is_empty()>
                    <crate::pages::model_actions::ModelActions model_ids=model_ids />
                </Show>
            </FormsBelow>
        </PageFrame>
    }
}

#[component]
fn RegisterForm() -> impl IntoView {
    let console = use_console();
    let id = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let cleared = RwSignal::new(0u64);
    let (id_dirty, name_dirty) = (latch(id, cleared), latch(name, cleared));
    let id_err = Signal::derive(move || {
        (touched.get() || id_dirty.get())
            .then(|| err_of(required("model id", &id.get())))
            .flatten()
    });
    let name_err = Signal::derive(move || {
        (touched.get() || name_dirty.get())
            .then(|| err_of(required("name", &name.get())))
            .flatten()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        let (Ok(model_id), Ok(n)) = (
            required("model id", &id.get_untracked()),
            required("name", &name.get_untracked()),
        ) else {
            return;
        };
        let cmd = Command::Models(models::Command::RegisterModel {
            model_id: model_id.clone(),
            name: n,
        });
        match console.act_form(cmd, &format!("model {model_id} registered")) {
            Ok(_) => {
                failure.set(None);
                id.set(String::new());
                name.set(String::new());
                touched.set(false);
                cleared.update(|c| *c += 1);
            }
            Err(e) => failure.set(Some(e.to_string())),
        }
    };
    view! {
        <form class="panel" on:submit=submit data-testid="register-model-form">
            <h2>"Register a model"</h2>
            <div class="row">
                <Field label="Model id" id="model-id" value=id error=id_err />
                <Field label="Name" id="model-name" value=name error=name_err />
                <button type="submit" data-testid="register-model">"Register"</button>
            </div>
            <p class="field-error" data-testid="register-model-error">{move || failure.get()}</p>
        </form>
    }
}

#[component]
fn UpdateForm(model_ids: Memo<Vec<String>>) -> impl IntoView {
    let console = use_console();
    // The model picked, while it exists; else the first one.
    let chosen = RwSignal::new(String::new());
    let model = chosen_or_first(model_ids, chosen);
    // The versions that may be a parent (every one but a refused one), to pick from.
    let parents = Memo::new(move |_| {
        let id = model.get();
        console.with(|b| {
            b.models()
                .into_iter()
                .find(|m| m.model_id == id)
                .map(|r| crate::pages::model_actions::actionable_versions(&r))
                .unwrap_or_default()
        })
    });
    let version = RwSignal::new(String::new());
    let parent = RwSignal::new(String::new());
    let strategy = RwSignal::new("incremental".to_string());
    let accuracy = RwSignal::new(String::new());
    // "" numbers the version by hand; patch/minor/major bump it from the parent.
    let bump = RwSignal::new(String::new());
    let created_by = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let result = RwSignal::new(None::<(bool, String)>);
    let cleared = RwSignal::new(0u64);
    let (version_dirty, accuracy_dirty) = (latch(version, cleared), latch(accuracy, cleared));
    let version_err = Signal::derive(move || {
        (touched.get() || version_dirty.get())
            .then(|| err_of(proposal_version(&version.get(), &bump.get())))
            .flatten()
    });
    let parent_unknown = not_among_signal("version of this model", parent, parents.into());
    let parent_err = Signal::derive(move || {
        err_of(parse_optional_version(&parent.get())).or_else(|| parent_unknown.get())
    });
    let accuracy_err = Signal::derive(move || {
        (touched.get() || accuracy_dirty.get())
            .then(|| err_of(parse_required_fraction("accuracy", &accuracy.get())))
            .flatten()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        let model_id = model.get_untracked();
        if model_id.is_empty() {
            failure.set(Some("register a model first".into()));
            return;
        }
        let (Ok((v, b)), Ok(p), Ok(a), Some(s)) = (
            proposal_version(&version.get_untracked(), &bump.get_untracked()),
            parse_optional_version(&parent.get_untracked()),
            parse_required_fraction("accuracy", &accuracy.get_untracked()),
            parse_strategy(&strategy.get_untracked()),
        ) else {
            return;
        };
        let who = created_by.get_untracked().trim().to_string();
        let cmd = Command::Models(models::Command::ProposeUpdate {
            model_id: model_id.clone(),
            version: v,
            bump: b,
            parent: p,
            strategy: s,
            accuracy: a,
            created_by: (!who.is_empty()).then_some(who),
        });
        match console.act_in_form(cmd) {
            Ok(events) => {
                failure.set(None);
                // The version as numbered (a bump's is known only from the event).
                let label = events
                    .iter()
                    .find_map(|e| match e {
                        brain_core::brain::Event::Models(
                            models::Event::UpdateAccepted { version, .. }
                            | models::Event::UpdateRefused { version, .. },
                        ) => Some(version.to_string()),
                        _ => None,
                    })
                    .unwrap_or_default();
                let refusal = events.iter().find_map(|e| e.refusal());
                result.set(Some(match refusal {
                    Some(r) => (false, format!("{label} refused: {r}")),
                    None => (true, format!("{label} accepted")),
                }));
                version.set(String::new());
                parent.set(String::new());
                accuracy.set(String::new());
                touched.set(false);
                cleared.update(|c| *c += 1);
            }
            Err(e) => {
                result.set(None);
                failure.set(Some(e.to_string()));
            }
        }
    };
    view! {
        <form class="panel" on:submit=submit data-testid="update-form">
            <h2>"Propose an update"</h2>
            <div class="row">
                <div class="field">
                    <label for="update-model">"Model"</label>
                    <select
                        id="update-model"
                        data-testid="update-model"
                        prop:value=move || model.get()
                        on:change=move |ev| chosen.set(event_target_value(&ev))
                    >
                        <For each=move || model_ids.get() key=|id| id.clone() let:id>
                            <option value=id.clone()>{id.clone()}</option>
                        </For>
                    </select>
                    <div class="field-error"></div>
                </div>
                <Field label="Version (or a bump)" id="update-version" value=version error=version_err />
                <div class="field">
                    <label for="update-bump">"Bump from parent"</label>
                    <select
                        id="update-bump"
                        data-testid="update-bump"
                        prop:value=move || bump.get()
                        on:change=move |ev| bump.set(event_target_value(&ev))
                    >
                        <option value="">"none: the version given"</option>
                        <option value="patch">"patch (1.2.3 → 1.2.4)"</option>
                        <option value="minor">"minor (1.2.3 → 1.3.0)"</option>
                        <option value="major">"major (1.2.3 → 2.0.0)"</option>
                    </select>
                    <div class="field-error"></div>
                </div>
                <Field label="Parent (empty: champion)" id="update-parent" value=parent error=parent_err list="model-parents" />
                <ChoiceList id="model-parents" options=parents />
                <div class="field">
                    <label for="update-strategy">"Strategy"</label>
                    <select
                        id="update-strategy"
                        data-testid="update-strategy"
                        prop:value=move || strategy.get()
                        on:change=move |ev| strategy.set(event_target_value(&ev))
                    >
                        <option value="incremental">"incremental"</option>
                        <option value="full_retrain">"full retrain"</option>
                        <option value="shadow">"shadow"</option>
                    </select>
                    <div class="field-error"></div>
                </div>
                <Field label="Accuracy (0–1)" id="update-accuracy" value=accuracy kind="number" step="0.001" error=accuracy_err />
                <Field label="Created by (optional)" id="update-created-by" value=created_by />
                <button type="submit" data-testid="propose-update">"Propose"</button>
            </div>
            <p class="field-error" data-testid="update-error">{move || failure.get()}</p>
            {move || {
                result
                    .get()
                    .map(|(ok, text)| {
                        view! {
                            <p data-testid="update-result" class=if ok { "muted" } else { "field-error" }>
                                {text}
                            </p>
                        }
                    })
            }}
        </form>
    }
}

#[derive(Clone, Debug, PartialEq)]
struct ModelView {
    report: ModelReport,
    rows: Vec<VersionRow>,
}

#[component]
fn ModelPanel(model_id: String) -> impl IntoView {
    let console = use_console();
    let id = StoredValue::new(model_id.clone());
    let data = Memo::new(move |_| {
        let id = id.get_value();
        console.with(|b| {
            b.models()
                .into_iter()
                .find(|m| m.model_id == id)
                .map(|report| {
                    let rows = version_rows(&report, b.state().models.history(&id));
                    ModelView { report, rows }
                })
        })
    });
    let rows = Signal::derive(move || data.get().map(|d| d.rows).unwrap_or_default());
    let points = Memo::new(move |_| {
        let max_drop = console.with(|b| b.policy().models.max_accuracy_drop);
        data.with(|d| {
            d.as_ref().map_or_else(Vec::new, |d| {
                let champion = d
                    .report
                    .champion
                    .as_ref()
                    .and_then(|c| d.report.versions.iter().find(|v| &v.version == c))
                    .map(|v| v.accuracy);
                chart_points(&d.rows, champion, max_drop)
            })
        })
    });
    let confirming = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let reason_err = Signal::derive(move || err_of(required("reason", &reason.get())));
    let rollback_failure = RwSignal::new(None::<String>);
    let promote = move |version: String| {
        let Ok(v) = SemVer::parse(&version) else {
            return;
        };
        // Promoting changes what serves traffic: ask first, saying what changes.
        let model_id = id.get_value();
        let current = data
            .get_untracked()
            .and_then(|d| d.report.champion.map(|c| c.to_string()))
            .unwrap_or_else(|| "none".into());
        console.confirm(Confirmation {
            title: format!("Promote {model_id} {version}?"),
            changes: format!(
                "{version} becomes the champion of {model_id} and serves its traffic in place of {current} (if the evidence allows; otherwise the engine refuses and says why)."
            ),
            confirm: "Promote".into(),
            action: Callback::new(move |_| {
                let cmd = Command::Models(models::Command::PromoteVersion {
                    model_id: model_id.clone(),
                    version: v.clone(),
                });
                let _ = console.act(cmd, &format!("{version} promoted to champion"));
            }),
            alternative: None,
            key: "promote",
        });
    };
    let rollback = move |_| {
        let Ok(r) = required("reason", &reason.get_untracked()) else {
            return;
        };
        let cmd = Command::Models(models::Command::RollBack {
            model_id: id.get_value(),
            reason: r,
        });
        match console.act_form(cmd, "rolled back to the previous champion") {
            Ok(_) => {
                confirming.set(false);
                reason.set(String::new());
                rollback_failure.set(None);
            }
            Err(e) => rollback_failure.set(Some(e.to_string())),
        }
    };
    let title = move || {
        data.get()
            .map(|d| format!("{} ({})", d.report.name, d.report.model_id))
            .unwrap_or_default()
    };
    let champion = move || {
        data.get()
            .and_then(|d| d.report.champion.map(|c| c.to_string()))
            .unwrap_or_else(|| "none".into())
    };
    let challenger = move || {
        data.get()
            .and_then(|d| d.report.challenger.map(|c| c.to_string()))
            .unwrap_or_else(|| "none".into())
    };
    let target = move || {
        data.get()
            .and_then(|d| d.report.rollback_target.map(|c| c.to_string()))
    };
    view! {
        <section class="panel model-panel" data-testid="model-panel" data-model=model_id.clone() id=crate::pages::worklist::anchor("model", &model_id)>
            <h2>{title}</h2>
            <p class="muted">
                "Champion " <strong data-testid="model-champion">{champion}</strong>
                " · challenger " <strong data-testid="model-challenger">{challenger}</strong>
                " · rollback restores " <strong>{move || target().unwrap_or_else(|| "nothing".into())}</strong>
            </p>
            <Show
                when=move || !rows.get().is_empty()
                fallback=|| view! { <p class="empty">"No versions yet — propose one with the form above."</p> }
            >
                <div class="table-wrap" tabindex="0">
                    <table data-testid="versions-table">
                        <thead>
                            <tr>
                                <th>"Version"</th>
                                <th>"Parent"</th>
                                <th>"Strategy"</th>
                                <th class="num">"Accuracy"</th>
                                <th>"Status"</th>
                                <th>"Reason"</th>
                                <th>"Action"</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For
                                each=move || rows.get()
                                key=|r| (r.version.clone(), r.status, r.accuracy.to_bits(), r.reason.clone())
                                let:row
                            >
                                <tr data-testid="version-row" data-version=row.version.clone() data-status=row.status>
                                    <td>{row.version.clone()}</td>
                                    <td>{row.parent.clone()}</td>
                                    <td>{row.strategy}</td>
                                    <td class="num">{fmt_num(row.accuracy, 3)}</td>
                                    <td><StatusBadge status=row.status /></td>
                                    <td class="reason" data-testid="version-reason">{row.reason.clone()}</td>
                                    <td>
                                        {row.promotable.then(|| {
                                            let v = row.version.clone();
                                            view! {
                                                <button class="secondary" data-testid="promote" on:click=move |_| promote(v.clone())>
                                                    "Promote"
                                                </button>
                                            }
                                        })}
                                    </td>
                                </tr>
                            </For>
                        </tbody>
                    </table>
                </div>
                <div class="chart" data-testid="accuracy-chart">
                    <Chart
                        aspect_ratio=AspectRatio::from_outer_ratio(600.0, 240.0)
                        left=crate::components::precise_ticks()
                        bottom=TickLabels::aligned_floats().with_format(move |x: &f64, _| {
                            let i = x.round();
                            if (x - i).abs() > 1e-9 || i < 0.0 {
                                return String::new();
                            }
                            rows.with_untracked(|r| r.get(i as usize).map(|r| r.version.clone()))
                                .unwrap_or_default()
                        })
                        inner=[
                            AxisMarker::left_edge().into_inner(),
                            AxisMarker::bottom_edge().into_inner(),
                            YGridLine::default().into_inner(),
                        ]
                        right=Legend::end()
                        series=Series::new(|p: &ChartPoint| p.x)
                            .line(
                                Line::new(|p: &ChartPoint| p.accuracy)
                                    .with_name("accuracy")
                                    .with_interpolation(Interpolation::Linear)
                                    .with_marker(MarkerShape::Circle),
                            )
                            .line(
                                Line::new(|p: &ChartPoint| p.champion)
                                    .with_name("champion")
                                    .with_interpolation(Interpolation::Linear),
                            )
                            .line(
                                Line::new(|p: &ChartPoint| p.floor)
                                    .with_name("refusal floor")
                                    .with_interpolation(Interpolation::Linear),
                            )
                        data=points
                    />
                </div>
            </Show>
            <crate::pages::model_evidence::EvidencePanel model_id=id.get_value() />
            <crate::pages::model_compare::ModelCompare model_id=id.get_value() />
            <div class="rollback" data-testid="rollback-area">
                <Show
                    when=move || confirming.get()
                    fallback=move || {
                        view! {
                            <button
                                class="danger"
                                data-testid="rollback"
                                disabled=move || target().is_none()
                                title=move || if target().is_none() { "no previous champion to roll back to" } else { "" }
                                on:click=move |_| confirming.set(true)
                            >
                                "Roll back…"
                            </button>
                        }
                    }
                >
                    <div class="confirm-box" data-testid="rollback-confirm-box">
                        <p>
                            "Roll back the champion " <strong>{champion}</strong> " to "
                            <strong>{move || target().unwrap_or_default()}</strong> "? This is recorded in the audit trail."
                        </p>
                        <div class="row">
                            <Field label="Reason" id="rollback-reason" value=reason error=reason_err />
                            <button
                                class="danger"
                                data-testid="rollback-confirm"
                                disabled=move || reason_err.get().is_some()
                                on:click=rollback
                            >
                                "Confirm rollback"
                            </button>
                            <button class="secondary" data-testid="rollback-cancel" on:click=move |_| confirming.set(false)>
                                "Cancel"
                            </button>
                        </div>
                    </div>
                </Show>
                <p class="field-error" data-testid="rollback-error">{move || rollback_failure.get()}</p>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brain_core::Brain;
    use chrono::{TimeZone, Utc};

    #[test]
    fn a_proposal_is_numbered_by_hand_or_by_a_bump_never_both() {
        let v = |s: &str| SemVer::parse(s).ok();
        assert_eq!(proposal_version(" 1.2.0 ", ""), Ok((v("1.2.0"), None)));
        assert_eq!(
            proposal_version("", "minor"),
            Ok((None, Some(models::Bump::Minor)))
        );
        assert!(proposal_version("1.2.0", "patch")
            .is_err_and(|e| e.contains("leave the version empty")));
        assert!(proposal_version("", "").is_err_and(|e| e.contains("version is required")));
    }

    #[test]
    fn demo_rows_show_lineage_and_the_refusal_reason() {
        let at = Utc
            .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .unwrap_or_default();
        let brain = Brain::demo(at);
        let report = brain
            .models()
            .into_iter()
            .find(|m| m.model_id == "lead-scorer")
            .expect("the lead scorer");
        let rows = version_rows(&report, brain.state().models.history(&report.model_id));
        let refused = rows.iter().find(|r| r.version == "1.2.0").expect("1.2.0");
        assert_eq!(refused.status, "refused");
        assert!(
            refused.reason.contains("below champion"),
            "{}",
            refused.reason
        );
        assert!(!refused.promotable);
        let shadow = rows.iter().find(|r| r.version == "2.0.0").expect("2.0.0");
        assert!(shadow.promotable);
        assert_eq!(rows[0].index, 0);
        let points = chart_points(&rows, Some(0.88), 0.02);
        assert_eq!(points.len(), rows.len());
        assert!((points[2].floor - 0.86).abs() < 1e-9);
        assert!(
            points[2].accuracy < points[2].floor,
            "1.2.0 is under the floor"
        );
    }

    #[test]
    fn strategies_are_read_by_their_wire_names() {
        assert_eq!(parse_strategy("full_retrain"), Some(Strategy::FullRetrain));
    }
}
