//! Block 21's continuous metric and traffic in the console: recording a
//! batch of a metric (units, sum, sum of squares), the mean-metric results
//! (each variant's mean, its lift over control with the interval and p-value
//! of gbstats' Welch t-test, or CUPED when every batch carries a pre-period
//! covariate), and the Thompson-sampling split the engine proposes for the next
//! traffic, as a chart.

use brain_core::ab::{self, ExperimentReport};
use brain_core::Command;
use leptos::prelude::*;
use leptos_chartistry::*;

use crate::components::{chosen_or_first, fmt_num, fmt_pct, Field, FormResult, NameField};
use crate::forms::{parse_count, parse_number};
use crate::pages::ab::experiment_choice;
use crate::state::use_console;

// ---------------------------------------------------------------- logic

/// The `RecordMetric` command for the form's text, or what is wrong.
pub fn metric_command(
    experiment_id: &str,
    variant: &str,
    n: &str,
    sum: &str,
    sum_squares: &str,
    covariate: [&str; 3],
) -> Result<ab::Command, String> {
    if experiment_id.is_empty() || variant.is_empty() {
        return Err("add an experiment and a variant first".into());
    }
    let n = parse_count("units (n)", n)?;
    let sum = parse_number("sum", sum)?;
    let sum_squares = parse_number("sum of squares", sum_squares)?;
    let covariate =
        match covariate.map(str::trim) {
            ["", "", ""] => None,
            [c_sum, c_squares, products]
                if [c_sum, c_squares, products].iter().all(|t| !t.is_empty()) =>
            {
                Some(ab::Covariate {
                    sum: parse_number("pre-period sum", c_sum)?,
                    sum_squares: parse_number("pre-period sum of squares", c_squares)?,
                    sum_products: parse_number("sum of products", products)?,
                })
            }
            _ => return Err(
                "give all three pre-period totals (sum, sum of squares, sum of products) or none"
                    .into(),
            ),
        };
    Ok(ab::Command::RecordMetric {
        experiment_id: experiment_id.to_string(),
        variant: variant.to_string(),
        n,
        sum,
        sum_squares,
        covariate,
    })
}

/// One row of the mean-metric table.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricRow {
    pub name: String,
    pub control: bool,
    pub n: u64,
    pub mean: String,
    pub lift: String,
    pub interval: String,
    pub p_value: String,
    pub verdict: String,
    /// "Welch", or "CUPED" when the engine adjusted by the pre-period covariate.
    pub method: &'static str,
}

/// The mean-metric rows of a report, or none when no variant records one.
pub fn metric_rows(r: &ExperimentReport, alpha: f64) -> Vec<MetricRow> {
    r.variants
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.metric.as_ref().map(|m| (i, v, m)))
        .map(|(i, v, m)| {
            let pct =
                |x: Option<f64>| x.map_or("—".to_string(), |x| format!("{:+.1}%", x * 100.0));
            let verdict = match (i, m.p_value, m.lift) {
                (0, _, _) => "control".to_string(),
                (_, Some(p), Some(l)) if p < alpha && l > 0.0 => "yes: higher than control".into(),
                (_, Some(p), Some(_)) if p < alpha => "yes: lower than control".into(),
                (_, Some(_), _) => "no".into(),
                _ => m.reason.clone().unwrap_or_else(|| "—".into()),
            };
            MetricRow {
                name: v.name.clone(),
                control: i == 0,
                n: m.n,
                mean: fmt_num(m.mean, 2),
                lift: pct(m.lift),
                interval: match (m.ci_low, m.ci_high) {
                    (Some(lo), Some(hi)) => format!("{} to {}", pct(Some(lo)), pct(Some(hi))),
                    _ => "—".into(),
                },
                p_value: m.p_value.map_or("—".into(), |p| fmt_num(p, 4)),
                verdict,
                method: match m.method {
                    ab::MeanMethod::Welch => "Welch",
                    ab::MeanMethod::Cuped => "CUPED",
                },
            }
        })
        .collect()
}

/// A bar of the allocation chart: a variant's proposed share of traffic.
#[derive(Clone, Debug, PartialEq)]
pub struct SharePoint {
    pub x: f64,
    pub share: f64,
}

/// The allocation chart's bars (percent), in registration order.
pub fn share_points(allocation: &[(String, f64)]) -> Vec<SharePoint> {
    allocation
        .iter()
        .enumerate()
        .map(|(i, (_, s))| SharePoint {
            x: i as f64,
            share: s * 100.0,
        })
        .collect()
}

/// The allocation chart's caption: what it shows, with each share in words.
pub fn share_caption(allocation: &[(String, f64)]) -> String {
    let parts: Vec<String> = allocation
        .iter()
        .map(|(n, s)| format!("{n} {}", fmt_pct(*s, 1)))
        .collect();
    format!(
        "Thompson sampling: the share of the next traffic each variant would get, from how likely it is to have the best conversion rate given the counts so far (every variant keeps at least the policy's floor). {}.",
        parts.join(", ")
    )
}

// ---------------------------------------------------------------- view

/// The form that records a batch of a continuous metric.
#[component]
pub fn MetricForm(
    /// The experiment the results show (the form's default).
    current: Memo<String>,
    /// Every experiment.
    names: Memo<Vec<String>>,
) -> impl IntoView {
    let console = use_console();
    let experiment = RwSignal::new(String::new());
    let variant = RwSignal::new(String::new());
    let n = RwSignal::new(String::new());
    let sum = RwSignal::new(String::new());
    let sum_squares = RwSignal::new(String::new());
    let cov_sum = RwSignal::new(String::new());
    let cov_squares = RwSignal::new(String::new());
    let cov_products = RwSignal::new(String::new());
    let result = RwSignal::new(None::<(bool, String)>);
    let (exp, variants) = experiment_choice(current, names, experiment);
    let var = chosen_or_first(variants, variant);
    let submit = move |_| {
        let cmd = metric_command(
            &exp.get_untracked(),
            &var.get_untracked(),
            &n.get_untracked(),
            &sum.get_untracked(),
            &sum_squares.get_untracked(),
            [
                &cov_sum.get_untracked(),
                &cov_squares.get_untracked(),
                &cov_products.get_untracked(),
            ],
        );
        let cmd = match cmd {
            Ok(c) => c,
            Err(e) => {
                result.set(Some((false, e)));
                return;
            }
        };
        let msg = format!(
            "recorded a metric batch of {} units for {}",
            n.get_untracked().trim(),
            var.get_untracked()
        );
        if console.submit(Command::Ab(cmd), result, msg) {
            for f in [n, sum, sum_squares, cov_sum, cov_squares, cov_products] {
                f.set(String::new());
            }
        }
    };
    view! {
        <form class="panel" data-testid="ab-metric-form" on:submit=move |ev| ev.prevent_default()>
            <h2>"Record a metric"</h2>
            <p class="muted">"A continuous value per unit (deal value, score, revenue), as a batch's totals: how many units, the sum of their values and the sum of their squares."</p>
            <NameField label="Experiment" id="ab-metric-experiment" options=names current=exp chosen=experiment />
            <NameField label="Variant" id="ab-metric-variant" options=variants current=var chosen=variant />
            <Field label="Units (n)" id="ab-metric-n" kind="number" step="1" value=n />
            <Field label="Sum of values" id="ab-metric-sum" kind="number" step="any" value=sum />
            <Field label="Sum of squared values" id="ab-metric-sum-squares" kind="number" step="any" value=sum_squares />
            <details data-testid="ab-metric-covariate">
                <summary>"Pre-period covariate (optional, for CUPED)"</summary>
                <p class="muted">"The same units' values before the experiment: with them on every batch of control and a variant, the test removes the variance the pre-period explains (CUPED) and needs fewer units. Give all three or none."</p>
                <Field label="Sum of pre-period values" id="ab-metric-cov-sum" kind="number" step="any" value=cov_sum />
                <Field label="Sum of squared pre-period values" id="ab-metric-cov-squares" kind="number" step="any" value=cov_squares />
                <Field label="Sum of value × pre-period value" id="ab-metric-cov-products" kind="number" step="any" value=cov_products />
            </details>
            <button type="submit" data-testid="ab-metric-record" disabled=move || names.get().is_empty() on:click=submit>
                "Record metric"
            </button>
            <FormResult result=result testid="ab-metric-result" />
        </form>
    }
}

/// The mean-metric results of the experiment shown.
#[component]
pub fn MetricTable(
    /// The report of the experiment shown.
    report: Memo<Option<ExperimentReport>>,
) -> impl IntoView {
    let console = use_console();
    let rows = Memo::new(move |_| {
        let alpha = console.with(|b| b.policy().ab.winner.alpha);
        report
            .get()
            .map(|r| metric_rows(&r, alpha))
            .unwrap_or_default()
    });
    view! {
        <div class="panel" data-testid="ab-metric-results">
            <h3>"Continuous metric: mean per variant"</h3>
            <Show
                when=move || !rows.get().is_empty()
                fallback=|| view! { <p class="empty" data-testid="ab-metric-empty">"No metric recorded for this experiment yet — record one below."</p> }
            >
                <div class="table-wrap" tabindex="0">
                    <table data-testid="ab-metric-table">
                        <caption class="muted">"Method: Welch t-test on the relative lift of the mean over control (gbstats); CUPED when every batch of both arms carries a pre-period covariate; not adjusted for several variants."</caption>
                        <thead>
                            <tr>
                                <th>"Variant"</th><th class="num">"Units"</th><th class="num">"Mean"</th>
                                <th class="num">"Lift vs control"</th><th class="num">"Lift interval"</th>
                                <th class="num">"p-value"</th><th>"Significant"</th><th>"Method"</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For each=move || rows.get() key=|r| format!("{r:?}") let:r>
                                <tr data-testid="ab-metric-row">
                                    <td>{r.name.clone()}{r.control.then(|| view! { <span class="muted">" (control)"</span> })}</td>
                                    <td class="num">{r.n}</td>
                                    <td class="num">{r.mean.clone()}</td>
                                    <td class="num">{r.lift.clone()}</td>
                                    <td class="num">{r.interval.clone()}</td>
                                    <td class="num">{r.p_value.clone()}</td>
                                    <td>{r.verdict.clone()}</td>
                                    <td>{r.method}</td>
                                </tr>
                            </For>
                        </tbody>
                    </table>
                </div>
            </Show>
        </div>
    }
}

/// The Thompson-sampling allocation of the experiment shown, as bars.
#[component]
pub fn AllocationChart(
    /// The experiment shown.
    current: Memo<String>,
) -> impl IntoView {
    let console = use_console();
    let allocation = Memo::new(move |_| {
        let e = current.get();
        console.with(|b| b.allocation(&e)).unwrap_or_default()
    });
    let body = move || {
        let a = allocation.get();
        if a.len() < 2 {
            return view! {
                <p class="empty" data-testid="ab-allocation-empty">"No allocation yet — it needs at least two variants."</p>
            }
            .into_any();
        }
        let labels: Vec<String> = a.iter().map(|(n, _)| n.clone()).collect();
        let caption = share_caption(&a);
        let data = Signal::derive(move || share_points(&allocation.get()));
        let ticks = TickLabels::aligned_floats().with_format(move |x: &f64, _| {
            let i = x.round();
            if (x - i).abs() < 1e-9 && i >= 0.0 {
                labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        });
        view! {
            <Chart
                aspect_ratio=AspectRatio::from_env_width(220.0)
                font_height=Signal::stored(13.0)
                font_width=Signal::stored(8.0)
                left=crate::components::precise_ticks()
                bottom=ticks
                top=Legend::middle()
                inner=[AxisMarker::left_edge().into_inner(), YGridLine::default().into_inner()]
                series=Series::new(|d: &SharePoint| d.x)
                    .with_min_y(0.0)
                    .with_max_y(100.0)
                    .bar(Bar::new(|d: &SharePoint| d.share).with_name("share of traffic (%)").with_gap(0.3))
                data=data
            />
            <p class="muted" data-testid="ab-allocation-caption">{caption}</p>
        }
        .into_any()
    };
    view! {
        <div class="panel">
            <h3>"Proposed traffic split (Thompson sampling)"</h3>
            <div class="chart" data-testid="ab-allocation-chart">{body}</div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brain_core::Brain;
    use chrono::{TimeZone, Utc};

    fn demo() -> Brain {
        Brain::demo(
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
                .single()
                .unwrap_or_default(),
        )
    }

    #[test]
    fn the_metric_rows_show_each_mean_and_the_lift_test_of_each_variant() {
        let b = demo();
        let r = b.experiment("opening-script");
        let rows = r.as_ref().map(|r| metric_rows(r, 0.05)).unwrap_or_default();
        // The demo's deal values: means 12.5, 11 and 13.5 (thousands).
        let means: Vec<&str> = rows.iter().map(|r| r.mean.as_str()).collect();
        assert_eq!(means, ["12.50", "11.00", "13.50"]);
        assert_eq!(rows[0].verdict, "control");
        assert_eq!(rows[2].lift, "+8.0%");
        assert!(rows[2].interval.contains(" to "), "{:?}", rows[2]);
        assert!(rows[1].verdict.starts_with("yes: lower") || rows[1].verdict == "no");
        // The channel experiment's deal values carry a pre-period covariate: CUPED.
        let channel = b.experiment("contact-channel");
        let methods: Vec<&str> = channel
            .map(|r| metric_rows(&r, 0.05))
            .unwrap_or_default()
            .iter()
            .map(|r| r.method)
            .collect();
        assert_eq!(methods, ["CUPED", "CUPED", "CUPED"]);
        // An experiment without a metric has no rows.
        let timing = b.experiment("follow-up-timing");
        assert!(timing
            .map(|r| metric_rows(&r, 0.05))
            .unwrap_or_default()
            .is_empty());
    }

    #[test]
    fn the_covariate_is_all_three_totals_or_none_and_makes_the_test_cuped() {
        let cmd = |cov: [&str; 3]| {
            metric_command("opening-script", "story-led", "100", "1300", "18000", cov)
        };
        assert!(matches!(
            cmd(["", " ", ""]),
            Ok(ab::Command::RecordMetric {
                covariate: None,
                ..
            })
        ));
        let err = cmd(["1200", "", "15000"]).unwrap_err();
        assert!(err.contains("all three"), "{err}");
        let err = cmd(["1200", "x", "15000"]).unwrap_err();
        assert!(err.contains("pre-period sum of squares"), "{err}");
        // Control and a variant with a covariate on every batch: the table says CUPED.
        let mut b = demo();
        let at = b.log().last().map(|e| e.at).unwrap_or_default();
        let mut send = |mut c: serde_json::Value| {
            c["at"] = serde_json::json!(at);
            c["block"] = serde_json::json!("ab");
            let env: brain_core::brain::Envelope =
                serde_json::from_value(c).unwrap_or_else(|e| panic!("{e}"));
            b.execute(env).unwrap_or_else(|e| panic!("{e}"));
        };
        for variant in ["control", "treated"] {
            send(
                serde_json::json!({ "type": "RegisterVariant", "experiment_id": "cuped", "variant": variant, "kind": "script" }),
            );
        }
        for (variant, sum, products) in [("control", 1000.0, 9000.0), ("treated", 1150.0, 9900.0)] {
            send(serde_json::json!({
                "type": "RecordMetric", "experiment_id": "cuped", "variant": variant,
                "n": 100, "sum": sum, "sum_squares": sum * sum / 100.0 + 900.0,
                "covariate": { "sum": 800.0, "sum_squares": 7200.0, "sum_products": products },
            }));
        }
        let r = b.experiment("cuped");
        let rows = r.as_ref().map(|r| metric_rows(r, 0.05)).unwrap_or_default();
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert!(rows.iter().all(|r| r.method == "CUPED"), "{rows:?}");
    }

    #[test]
    fn the_allocation_is_a_share_per_variant_that_adds_to_all_traffic() {
        let b = demo();
        let a = b.allocation("contact-channel").unwrap_or_default();
        let points = share_points(&a);
        assert_eq!(points.len(), 3);
        let total: f64 = points.iter().map(|p| p.share).sum();
        assert!((total - 100.0).abs() < 1e-6, "{total}");
        let caption = share_caption(&a);
        assert!(
            a.iter().all(|(n, _)| caption.contains(n.as_str())),
            "{caption}"
        );
    }
}
