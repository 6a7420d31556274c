//! Block 25, outcome evaluation: series and outcomes, the trend chart with
//! its moving average, baseline and alerts, the alerts to acknowledge or
//! resolve, and a live drift panel (PSI and KS) that can be recorded.

use brain_core::outcomes::{self, Alert, AlertKind, AlertStatus, Direction, TrendReport};
use brain_core::stats::{self, DriftBand};
use brain_core::Command;
use leptos::prelude::*;
use leptos_chartistry::*;

use crate::components::{
    chosen_or_first, fmt_num, fmt_pct, precise_ticks, whole_ticks, Field, FormResult, NameSelect,
    Panel, StatusBadge,
};
use crate::components::{CsvDownload, CsvImport};
use crate::components::{FormsBelow, IdList, Known};
use crate::forms::{check_name, parse_number, parse_optional, parse_sample};
use crate::pages::{Page, PageFrame};
use crate::state::use_console;
use brain_core::csv_io;

// ---------------------------------------------------------------- logic

/// The live drift figures of two samples.
#[derive(Clone, Debug, PartialEq)]
pub struct Drift {
    pub psi: f64,
    pub band: DriftBand,
    pub ks_statistic: f64,
    pub ks_p_value: f64,
    pub ks_drifted: bool,
    pub reference_size: usize,
    pub current_size: usize,
}

/// PSI (with `bins` bins) and its band, and the KS test at `ks_alpha`.
pub fn drift(
    reference: &[f64],
    current: &[f64],
    bins: usize,
    ks_alpha: f64,
) -> Result<Drift, String> {
    let psi = stats::psi(reference, current, bins).map_err(|e| e.to_string())?;
    let ks = stats::ks_test(reference, current).map_err(|e| e.to_string())?;
    Ok(Drift {
        psi,
        band: stats::psi_band(psi),
        ks_statistic: ks.statistic,
        ks_p_value: ks.p_value,
        ks_drifted: ks.p_value < ks_alpha,
        reference_size: reference.len(),
        current_size: current.len(),
    })
}

/// A band in words.
pub fn band_word(b: DriftBand) -> &'static str {
    match b {
        DriftBand::Stable => "stable",
        DriftBand::Moderate => "moderate",
        DriftBand::Significant => "significant",
    }
}

/// A point of the trend chart. NaN where a line has no value.
#[derive(Clone, Debug, PartialEq)]
pub struct TrendPoint {
    pub x: f64,
    pub value: f64,
    pub moving_average: f64,
    pub baseline: f64,
    pub alert: f64,
}

/// The trend chart's points: each outcome, the trailing moving average over
/// `window` outcomes, the baseline, and the value where an alert was raised.
pub fn trend_points(
    series: &outcomes::Series,
    alerts: &[Alert],
    series_id: &str,
    window: usize,
) -> Vec<TrendPoint> {
    let values: Vec<f64> = series.outcomes.iter().map(|o| o.value).collect();
    let window = window.max(1);
    series
        .outcomes
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let start = (i + 1).saturating_sub(window);
            let slice = values.get(start..=i).unwrap_or(&[]);
            let ma = outcomes::mean(slice).unwrap_or(f64::NAN);
            let alerted = alerts.iter().any(|a| {
                a.series_id == series_id && a.outcome_id.as_deref() == Some(o.outcome_id.as_str())
            });
            TrendPoint {
                x: (i + 1) as f64,
                value: o.value,
                moving_average: ma,
                baseline: series.baseline.unwrap_or(f64::NAN),
                alert: if alerted { o.value } else { f64::NAN },
            }
        })
        .collect()
}

/// An alert kind in words.
pub fn kind_word(k: AlertKind) -> &'static str {
    match k {
        AlertKind::Regression => "regression",
        AlertKind::BelowBaseline => "below baseline",
        AlertKind::Drift => "drift",
    }
}

/// An alert status in words.
pub fn alert_status_word(s: AlertStatus) -> &'static str {
    match s {
        AlertStatus::Open => "open",
        AlertStatus::Acknowledged => "acknowledged",
        AlertStatus::Resolved => "resolved",
    }
}

/// One row of the alerts table.
#[derive(Clone, Debug, PartialEq)]
pub struct AlertRow {
    pub id: String,
    pub kind: &'static str,
    pub series: String,
    pub message: String,
    pub status: &'static str,
    pub raised: String,
    pub can_ack: bool,
    pub can_resolve: bool,
    pub notes: String,
}

/// Alerts, open ones first, newest first within each group.
pub fn alert_rows(alerts: &[Alert]) -> Vec<AlertRow> {
    let mut rows: Vec<(bool, AlertRow)> = alerts
        .iter()
        .rev()
        .map(|a| {
            (
                a.is_open(),
                AlertRow {
                    id: a.alert_id.clone(),
                    kind: kind_word(a.kind),
                    series: a.series_id.clone(),
                    message: a.message.clone(),
                    status: alert_status_word(a.status),
                    raised: a.raised_at.format("%Y-%m-%d %H:%M").to_string(),
                    can_ack: a.status == AlertStatus::Open,
                    can_resolve: a.is_open(),
                    notes: a.notes.join("; "),
                },
            )
        })
        .collect();
    rows.sort_by_key(|(open, _)| !*open);
    rows.into_iter().map(|(_, r)| r).collect()
}

fn opt(x: Option<f64>, digits: usize) -> String {
    x.map_or("—".into(), |v| fmt_num(v, digits))
}

// ---------------------------------------------------------------- view

/// The page.
#[component]
pub fn OutcomesPage() -> impl IntoView {
    let console = use_console();
    let trends =
        Memo::new(move |_| console.with(|b| b.state().outcomes.trends(&b.policy().outcomes)));
    let ids = Memo::new(move |_| {
        trends
            .get()
            .into_iter()
            .map(|t| t.series_id)
            .collect::<Vec<_>>()
    });
    let selected = RwSignal::new(String::new());
    let current = chosen_or_first(ids, selected);
    view! {
        <PageFrame page=Page::Outcomes intro="Outcome series against their baseline: trends, regressions, drift, and the alerts they raise.">
            <Panel
                title="Series"
                testid="series"
                empty=Signal::derive(move || ids.with(Vec::is_empty))
                empty_text="No series yet — define one below, or load the demo data from the sidebar."
                empty_testid="series-empty"
            >
                <SeriesTable trends=trends selected=selected />
                <div class="field">
                    <label for="series-select">"Series shown in the chart"</label>
                    <NameSelect id="series-select" options=ids current=current chosen=selected />
                </div>
                <p data-testid="trend-summary">
                    {move || {
                        let id = current.get();
                        trends.with(|ts| ts.iter().find(|t| t.series_id == id).map(|t| t.summary.clone()))
                    }}
                </p>
                <TrendChart current=current />
            </Panel>
            <FormsBelow summary="Define a series, record an outcome or set a baseline">
                <div class="grid">
                    <DefineForm />
                    <RecordForm ids=ids current=current />
                    <BaselineForm ids=ids current=current />
                </div>
            </FormsBelow>
            <AlertsPanel />
            <DriftPanel ids=ids current=current />
            <div class="csv-tools"><CsvDownload table=csv_io::Table::Series /><CsvDownload table=csv_io::Table::Alerts /></div><CsvImport kind=csv_io::Kind::Outcomes title="Import outcomes from CSV" /><CsvImport kind=csv_io::Kind::Drift title="Import drift samples from CSV" />
        </PageFrame>
    }
}

#[component]
fn SeriesTable(trends: Memo<Vec<TrendReport>>, selected: RwSignal<String>) -> impl IntoView {
    view! {
        <div class="table-wrap" tabindex="0">
            <table data-testid="series-table">
                <thead>
                    <tr>
                        <th>"Series"</th>
                        <th>"Metric"</th>
                        <th>"Subject"</th>
                        <th>"Outcomes"</th>
                        <th>"Latest"</th>
                        <th>"Moving average"</th>
                        <th>"Baseline"</th>
                        <th>"Trend"</th>
                        <th>"Improvement"</th>
                        <th>"Slope"</th>
                        <th>"Open alerts"</th>
                    </tr>
                </thead>
                <tbody>
                    <For
                        each=move || trends.get()
                        key=|t| format!("{t:?}")
                        children=move |t| {
                            let id = t.series_id.clone();
                            view! {
                                <tr data-testid="series-row" on:click=move |_| selected.set(id.clone())>
                                    <td>{t.series_id.clone()}</td>
                                    <td>{t.metric.clone()}</td>
                                    <td>{t.subject.clone().unwrap_or_else(|| "—".into())}</td>
                                    <td class="num">{t.count}</td>
                                    <td class="num">{opt(t.latest, 3)}</td>
                                    <td class="num">{opt(t.moving_average, 3)}</td>
                                    <td class="num">{opt(t.baseline, 3)}</td>
                                    <td data-testid="series-verdict" title=t.summary.clone()>
                                        {t.verdict.map_or("—", |v| v.word())}
                                    </td>
                                    <td class="num">{t.improvement_rate.map_or("—".into(), |r| fmt_pct(r, 1))}</td>
                                    <td class="num">{opt(t.slope, 4)}</td>
                                    <td class="num">{t.open_alerts}</td>
                                </tr>
                            }
                        }
                    />
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn DefineForm() -> impl IntoView {
    let console = use_console();
    let id = RwSignal::new(String::new());
    let metric = RwSignal::new(String::new());
    let subject = RwSignal::new(String::new());
    let direction = RwSignal::new("higher".to_string());
    let baseline = RwSignal::new(String::new());
    let result = RwSignal::new(None::<(bool, String)>);
    let baseline_err = Signal::derive(move || parse_optional("baseline", &baseline.get()).err());
    let id_err = Signal::derive(move || {
        let s = id.get();
        (!s.is_empty())
            .then(|| check_name("series id", &s).err())
            .flatten()
    });
    let submit = move |_| {
        let (sid, m, b) = match (
            check_name("series id", &id.get_untracked()),
            check_name("metric", &metric.get_untracked()),
            parse_optional("baseline", &baseline.get_untracked()),
        ) {
            (Ok(s), Ok(m), Ok(b)) => (s, m, b),
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                result.set(Some((false, e)));
                return;
            }
        };
        let subj = subject.get_untracked().trim().to_string();
        let cmd = Command::Outcomes(outcomes::Command::DefineSeries {
            series_id: sid.clone(),
            metric: m,
            subject: (!subj.is_empty()).then_some(subj),
            direction: if direction.get_untracked() == "lower" {
                Direction::LowerIsBetter
            } else {
                Direction::HigherIsBetter
            },
            baseline: b,
        });
        let msg = format!("series {sid} defined");
        if console.submit(cmd, result, msg) {
            id.set(String::new());
        }
    };
    view! {
        <form class="panel" data-testid="series-form" on:submit=move |ev| ev.prevent_default()>
            <h2>"Define a series"</h2>
            <Field label="Series id" id="series-id" value=id error=id_err />
            <Field label="Metric" id="series-metric" value=metric />
            <Field label="Subject (optional: a model or script)" id="series-subject" value=subject list="known-subjects" />
            <IdList id="known-subjects" kind=Known::Subjects />
            <div class="field">
                <label for="series-direction">"Direction"</label>
                <select
                    id="series-direction"
                    data-testid="series-direction"
                    on:change=move |ev| direction.set(event_target_value(&ev))
                    prop:value=move || direction.get()
                >
                    <option value="higher">"higher is better"</option>
                    <option value="lower">"lower is better"</option>
                </select>
            </div>
            <Field label="Baseline (optional)" id="series-baseline" kind="number" step="any" value=baseline error=baseline_err />
            <button type="submit" data-testid="series-define" on:click=submit>"Define series"</button>
            <FormResult result=result testid="series-result" />
        </form>
    }
}

#[component]
fn RecordForm(ids: Memo<Vec<String>>, current: Memo<String>) -> impl IntoView {
    let console = use_console();
    let series = RwSignal::new(String::new());
    let outcome_id = RwSignal::new(String::new());
    let value = RwSignal::new(String::new());
    let label = RwSignal::new(String::new());
    let result = RwSignal::new(None::<(bool, String)>);
    let chosen = chosen_series(ids, series, current);
    let value_err = number_error("value", value);
    let submit = move |_| {
        let sid = chosen.get_untracked();
        if sid.is_empty() {
            result.set(Some((false, "define a series first".into())));
            return;
        }
        let (oid, v) = match (
            check_name("outcome id", &outcome_id.get_untracked()),
            parse_number("value", &value.get_untracked()),
        ) {
            (Ok(o), Ok(v)) => (o, v),
            (Err(e), _) | (_, Err(e)) => {
                result.set(Some((false, e)));
                return;
            }
        };
        let l = label.get_untracked().trim().to_string();
        let cmd = Command::Outcomes(outcomes::Command::RecordOutcome {
            series_id: sid.clone(),
            outcome_id: oid.clone(),
            value: v,
            label: (!l.is_empty()).then_some(l),
        });
        match console.act_in_form(cmd) {
            Ok(events) => {
                let alerts: Vec<String> = events
                    .iter()
                    .filter_map(|e| match e {
                        brain_core::Event::Outcomes(outcomes::Event::AlertRaised { alert }) => {
                            Some(alert.message.clone())
                        }
                        _ => None,
                    })
                    .collect();
                if alerts.is_empty() {
                    result.set(Some((true, format!("outcome {oid} recorded in {sid}"))));
                } else {
                    result.set(Some((
                        false,
                        format!("recorded; alert raised: {}", alerts.join("; ")),
                    )));
                }
                outcome_id.set(String::new());
                value.set(String::new());
            }
            Err(e) => result.set(Some((false, e.to_string()))),
        }
    };
    view! {
        <form class="panel" data-testid="outcome-form" on:submit=move |ev| ev.prevent_default()>
            <h2>"Record an outcome"</h2>
            <div class="field">
                <label for="outcome-series">"Series"</label>
                <NameSelect id="outcome-series" options=ids current=chosen chosen=series />
            </div>
            <Field label="Outcome id (unique in the series)" id="outcome-id" value=outcome_id />
            <Field label="Value" id="outcome-value" kind="number" step="any" value=value error=value_err />
            <Field label="Label (optional)" id="outcome-label" value=label />
            <button type="submit" data-testid="outcome-record" disabled=move || ids.get().is_empty() on:click=submit>"Record outcome"</button>
            <FormResult result=result testid="outcome-result" />
        </form>
    }
}

/// The series a form acts on: the one picked in its own select while it
/// exists, else the page's current series.
fn chosen_series(
    ids: Memo<Vec<String>>,
    picked: RwSignal<String>,
    current: Memo<String>,
) -> Memo<String> {
    Memo::new(move |_| {
        let s = picked.get();
        if ids.get().contains(&s) {
            s
        } else {
            current.get()
        }
    })
}

/// The error to show next to a number field while typing (none while empty:
/// "required" is said on submit).
fn number_error(label: &'static str, text: RwSignal<String>) -> Signal<Option<String>> {
    Signal::derive(move || {
        let v = text.get();
        (!v.is_empty())
            .then(|| parse_number(label, &v).err())
            .flatten()
    })
}

/// Moves a series' baseline (the reference its improvement and
/// below-baseline alerts are measured against), e.g. after a deliberate
/// change of script or model.
#[component]
fn BaselineForm(ids: Memo<Vec<String>>, current: Memo<String>) -> impl IntoView {
    let console = use_console();
    let series = RwSignal::new(String::new());
    let baseline = RwSignal::new(String::new());
    let result = RwSignal::new(None::<(bool, String)>);
    let chosen = chosen_series(ids, series, current);
    let now = Memo::new(move |_| {
        let sid = chosen.get();
        console.with(|b| b.state().outcomes.series.get(&sid).and_then(|s| s.baseline))
    });
    let baseline_err = number_error("baseline", baseline);
    let submit = move |_| {
        let sid = chosen.get_untracked();
        if sid.is_empty() {
            result.set(Some((false, "define a series first".into())));
            return;
        }
        let value = match parse_number("baseline", &baseline.get_untracked()) {
            Ok(v) => v,
            Err(e) => {
                result.set(Some((false, e)));
                return;
            }
        };
        let cmd = Command::Outcomes(outcomes::Command::SetBaseline {
            series_id: sid.clone(),
            baseline: value,
        });
        let text = format!("baseline of {sid} set to {value}");
        if console.submit(cmd, result, text) {
            baseline.set(String::new());
        }
    };
    view! {
        <form class="panel" data-testid="baseline-form" on:submit=move |ev| ev.prevent_default()>
            <h2>"Set a baseline"</h2>
            <div class="field">
                <label for="baseline-series">"Series"</label>
                <NameSelect id="baseline-series" options=ids current=chosen chosen=series />
            </div>
            <p class="muted" data-testid="baseline-current">
                {move || match now.get() {
                    Some(b) => format!("Current baseline: {b}"),
                    None => "No baseline yet.".to_string(),
                }}
            </p>
            <Field label="New baseline" id="baseline-value" kind="number" step="any" value=baseline error=baseline_err />
            <button type="submit" data-testid="baseline-set" disabled=move || ids.get().is_empty() on:click=submit>"Set baseline"</button>
            <FormResult result=result testid="baseline-result" />
        </form>
    }
}

#[component]
fn TrendChart(current: Memo<String>) -> impl IntoView {
    let console = use_console();
    let points = Memo::new(move |_| {
        let id = current.get();
        console.with(|b| {
            let s = &b.state().outcomes;
            s.series(&id)
                .map(|series| {
                    trend_points(
                        series,
                        &s.alerts,
                        &id,
                        b.policy().outcomes.moving_average_window,
                    )
                })
                .unwrap_or_default()
        })
    });
    let body = move || {
        let pts = points.get();
        if pts.is_empty() {
            return view! {
                <p class="empty" data-testid="trend-empty">"No outcomes in this series yet — record one below."</p>
            }
            .into_any();
        }
        let data = Signal::derive(move || pts.clone());
        view! {
            <Chart
                aspect_ratio=AspectRatio::from_env_width(280.0)
                left=precise_ticks()
                bottom=whole_ticks()
                top=Legend::middle()
                inner=[AxisMarker::left_edge().into_inner(), YGridLine::default().into_inner()]
                series=Series::new(|p: &TrendPoint| p.x)
                    .line(Line::new(|p: &TrendPoint| p.value).with_name("value").with_interpolation(Interpolation::Linear).with_marker(MarkerShape::Circle))
                    .line(Line::new(|p: &TrendPoint| p.moving_average).with_name("moving average").with_interpolation(Interpolation::Linear))
                    .line(Line::new(|p: &TrendPoint| p.baseline).with_name("baseline").with_interpolation(Interpolation::Linear))
                    .line(
                        Line::new(|p: &TrendPoint| p.alert)
                            .with_name("alert")
                            .with_interpolation(Interpolation::Linear)
                            .with_colour(Colour::from_rgb(220, 38, 38))
                            .with_marker(Marker::from_shape(MarkerShape::Diamond).with_scale(3.0)),
                    )
                data=data
            />
        }
        .into_any()
    };
    view! {
        <h3>"Trend"</h3>
        <div class="chart" data-testid="trend-chart">{body}</div>
    }
}

#[component]
fn AlertsPanel() -> impl IntoView {
    let console = use_console();
    let rows = Memo::new(move |_| console.with(|b| alert_rows(&b.state().outcomes.alerts)));
    let note = RwSignal::new(String::new());
    let result = RwSignal::new(None::<(bool, String)>);
    let ack = move |id: String| {
        let n = note.get_untracked().trim().to_string();
        let cmd = Command::Outcomes(outcomes::Command::AcknowledgeAlert {
            alert_id: id.clone(),
            note: (!n.is_empty()).then_some(n),
        });
        console.submit(cmd, result, "alert acknowledged");
    };
    let resolve = move |id: String| {
        let n = note.get_untracked().trim().to_string();
        if n.is_empty() {
            result.set(Some((false, "write a note to resolve an alert".into())));
            return;
        }
        let cmd = Command::Outcomes(outcomes::Command::ResolveAlert {
            alert_id: id.clone(),
            note: n,
        });
        if console.submit(cmd, result, "alert resolved") {
            note.set(String::new());
        }
    };
    view! {
        <section class="panel" data-testid="alerts">
            <h2>"Alerts"</h2>
            <Show
                when=move || !rows.get().is_empty()
                fallback=|| view! { <p class="empty" data-testid="alerts-empty">"No alerts — they are raised when outcomes regress, fall below the baseline or drift."</p> }
            >
                <Field label="Note (required to resolve)" id="alert-note" value=note />
                <div class="table-wrap" tabindex="0">
                    <table data-testid="alerts-table">
                        <thead>
                            <tr>
                                <th>"Raised"</th>
                                <th>"Kind"</th>
                                <th>"Series"</th>
                                <th>"Message"</th>
                                <th>"Status"</th>
                                <th>"Notes"</th>
                                <th>"Actions"</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For
                                each=move || rows.get()
                                key=|r| format!("{r:?}")
                                children=move |r| {
                                    let (id1, id2) = (r.id.clone(), r.id.clone());
                                    view! {
                                        <tr data-testid="alert-row" id=crate::pages::worklist::anchor("alert", &r.id)>
                                            <td>{r.raised.clone()}</td>
                                            <td>{r.kind}</td>
                                            <td>{r.series.clone()}</td>
                                            <td>{r.message.clone()}</td>
                                            <td data-testid="alert-status"><StatusBadge status=r.status /></td>
                                            <td class="muted">{r.notes.clone()}</td>
                                            <td class="row">
                                                {r.can_ack.then(|| view! {
                                                    <button type="button" class="secondary" data-testid="alert-ack" on:click=move |_| ack(id1.clone())>"Acknowledge"</button>
                                                })}
                                                {r.can_resolve.then(|| view! {
                                                    <button type="button" data-testid="alert-resolve" on:click=move |_| resolve(id2.clone())>"Resolve"</button>
                                                })}
                                            </td>
                                        </tr>
                                    }
                                }
                            />
                        </tbody>
                    </table>
                </div>
            </Show>
            <FormResult result=result testid="alert-result" />
        </section>
    }
}

#[component]
fn DriftPanel(ids: Memo<Vec<String>>, current: Memo<String>) -> impl IntoView {
    let console = use_console();
    let reference = RwSignal::new(String::new());
    let sample = RwSignal::new(String::new());
    let series = RwSignal::new(String::new());
    let result = RwSignal::new(None::<(bool, String)>);
    let chosen = chosen_series(ids, series, current);
    let samples = Memo::new(move |_| {
        let r = parse_sample("reference", &reference.get())?;
        let c = parse_sample("current", &sample.get())?;
        Ok::<_, String>((r, c))
    });
    let figures = Memo::new(move |_| {
        let (bins, alpha) =
            console.with(|b| (b.policy().outcomes.psi_bins, b.policy().outcomes.ks_alpha));
        samples.get().and_then(|(r, c)| drift(&r, &c, bins, alpha))
    });
    let record = move |_| {
        let sid = chosen.get_untracked();
        if sid.is_empty() {
            result.set(Some((
                false,
                "define a series to record the drift on".into(),
            )));
            return;
        }
        let (r, c) = match samples.get_untracked() {
            Ok(x) => x,
            Err(e) => {
                result.set(Some((false, e)));
                return;
            }
        };
        let cmd = Command::Outcomes(outcomes::Command::AssessDrift {
            series_id: sid.clone(),
            reference: r,
            current: c,
        });
        let msg = format!("drift recorded on {sid}");
        console.submit(cmd, result, msg);
    };
    view! {
        <section class="panel" data-testid="drift">
            <h2>"Drift"</h2>
            <p class="muted">"Paste a reference and a current sample (numbers separated by commas or spaces): PSI and Kolmogorov–Smirnov are computed as you type."</p>
            <div class="grid">
                <div class="field">
                    <label for="drift-reference">"Reference sample"</label>
                    <textarea
                        id="drift-reference"
                        data-testid="drift-reference"
                        rows="4"
                        prop:value=move || reference.get()
                        on:input=move |ev| reference.set(event_target_value(&ev))
                    ></textarea>
                </div>
                <div class="field">
                    <label for="drift-current">"Current sample"</label>
                    <textarea
                        id="drift-current"
                        data-testid="drift-current"
                        rows="4"
                        prop:value=move || sample.get()
                        on:input=move |ev| sample.set(event_target_value(&ev))
                    ></textarea>
                </div>
            </div>
            <div data-testid="drift-result" role="status">
                {move || {
                    if reference.get().trim().is_empty() && sample.get().trim().is_empty() {
                        return view! { <p class="empty">"Paste two samples to see their drift."</p> }.into_any();
                    }
                    match figures.get() {
                        Ok(d) => view! {
                            <div class="cards">
                                <div class="card">
                                    <div class="muted">"PSI"</div>
                                    <strong data-testid="drift-psi">{fmt_num(d.psi, 4)}</strong>
                                    " "<StatusBadge status=band_word(d.band) />
                                </div>
                                <div class="card">
                                    <div class="muted">"KS statistic"</div>
                                    <strong data-testid="drift-ks">{fmt_num(d.ks_statistic, 4)}</strong>
                                </div>
                                <div class="card">
                                    <div class="muted">"KS p-value"</div>
                                    <strong data-testid="drift-ks-p">{fmt_num(d.ks_p_value, 4)}</strong>
                                    " "<StatusBadge status=if d.ks_drifted { "drifted" } else { "stable" } />
                                </div>
                                <div class="card">
                                    <div class="muted">"Sizes"</div>
                                    <strong>{d.reference_size}" / "{d.current_size}</strong>
                                </div>
                            </div>
                        }
                        .into_any(),
                        Err(e) => view! { <p class="field-error" data-testid="drift-error">{e}</p> }.into_any(),
                    }
                }}
            </div>
            <div class="row">
                <div class="field">
                    <label for="drift-series">"Record on series"</label>
                    <NameSelect id="drift-series" options=ids current=chosen chosen=series />
                </div>
                <button type="button" data-testid="drift-record" disabled=move || ids.get().is_empty() || figures.get().is_err() on:click=record>
                    "Record assessment"
                </button>
            </div>
            <FormResult result=result testid="drift-record-result" />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brain_core::Brain;
    use chrono::{TimeZone, Utc};

    #[test]
    fn drift_is_computed() {
        let r: Vec<f64> = (0..100).map(f64::from).collect();
        let c: Vec<f64> = (50..150).map(f64::from).collect();
        let d = drift(&r, &c, 10, 0.05);
        let Ok(d) = d else { panic!("drift") };
        assert_eq!(d.band, DriftBand::Significant);
        assert!((d.ks_statistic - 0.5).abs() < 1e-12);
        assert!(d.ks_drifted);
    }

    #[test]
    fn demo_trend_marks_the_regression() {
        let b = Brain::demo(
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
                .single()
                .unwrap_or_default(),
        );
        let s = &b.state().outcomes;
        let id = "close_rate/story-led";
        let series = s.series(id);
        let Some(series) = series else {
            panic!("series")
        };
        let pts = trend_points(series, &s.alerts, id, 7);
        assert_eq!(pts.len(), 14);
        assert!(pts.iter().any(|p| p.alert.is_finite()));
        let rows = alert_rows(&s.alerts);
        assert!(rows.iter().any(|r| r.kind == "regression" && r.can_ack));
    }
}
