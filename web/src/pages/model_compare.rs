//! The models page's read-outs of one model: two versions compared metric by metric with the
//! engine's recommendation and its reasons (`CompareVersions`), which version was in each
//! environment when (production first: "what served on that day?"), and the model's history
//! (promotions, overrides with their reason, refusals, rollbacks).

use brain_core::models::{
    Comparison, Deployment, HistoryEntry, HistoryKind, ModelReport, Recommendation, SemVer,
};
use leptos::prelude::*;

use crate::components::fmt_num;
use crate::state::use_console;

/// The recommendation in words.
pub fn recommendation_words(c: &Comparison) -> String {
    match c.recommendation {
        Recommendation::PromoteB => format!("promote {}", c.b.version),
        Recommendation::KeepA => format!("keep {}", c.a.version),
        Recommendation::CollectEvidence => format!("collect evidence for {}", c.b.version),
    }
}

/// The pair compared by default: the champion (else the oldest version) against the
/// challenger (else the newest other version); none with fewer than two versions.
pub fn default_pair(report: &ModelReport) -> Option<(String, String)> {
    let first = report.versions.first()?;
    let a = report
        .champion
        .clone()
        .unwrap_or_else(|| first.version.clone());
    let b = report.challenger.clone().or_else(|| {
        report
            .versions
            .iter()
            .rev()
            .map(|v| v.version.clone())
            .find(|v| v != &a)
    })?;
    Some((a.to_string(), b.to_string()))
}

/// Deployments with production first, then the other environments, each oldest first.
pub fn deployments_production_first(mut all: Vec<Deployment>) -> Vec<Deployment> {
    all.sort_by_key(|d| d.environment != "production");
    all
}

/// A history entry as one line: what happened, to which version, and why.
pub fn history_line(h: &HistoryEntry) -> String {
    let what = match h.kind {
        HistoryKind::Accepted => "accepted",
        HistoryKind::UpdateRefused => "update refused",
        HistoryKind::Promoted => "promoted to champion",
        HistoryKind::PromotionRefused => "promotion refused",
        HistoryKind::RolledBack => "rolled back to",
        HistoryKind::PromotedByOverride => "promoted by override",
    };
    if h.reason.is_empty() {
        format!("{what} {}", h.version)
    } else {
        format!("{what} {}: {}", h.version, h.reason)
    }
}

/// The versions compared, A then B (none until the model has two versions).
type Pair = (Option<String>, Option<String>);

fn opt(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_string(), |v| fmt_num(v, 4))
}

/// Comparison, environments over time and history of one model.
#[component]
pub fn ModelCompare(
    /// The model.
    model_id: String,
) -> impl IntoView {
    let console = use_console();
    let id = StoredValue::new(model_id);
    let report = Memo::new(move |_| {
        let id = id.get_value();
        console.with(|b| b.models().into_iter().find(|m| m.model_id == id))
    });
    let versions = Memo::new(move |_| {
        report.with(|r| {
            r.as_ref()
                .map(|r| {
                    r.versions
                        .iter()
                        .map(|v| v.version.to_string())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let picked_a = RwSignal::new(None::<String>);
    let picked_b = RwSignal::new(None::<String>);
    let pair = Memo::new(move |_| {
        let default = report.with(|r| r.as_ref().and_then(default_pair));
        let all = versions.get();
        let pick = |p: Option<String>, d: Option<String>| p.filter(|v| all.contains(v)).or(d);
        (
            pick(picked_a.get(), default.as_ref().map(|d| d.0.clone())),
            pick(picked_b.get(), default.map(|d| d.1)),
        )
    });
    let comparison = Memo::new(move |_| {
        let (Some(a), Some(b)) = pair.get() else {
            return None;
        };
        let (Ok(a), Ok(b)) = (SemVer::parse(&a), SemVer::parse(&b)) else {
            return None;
        };
        Some(console.with(|brain| {
            brain
                .compare_versions(&id.get_value(), &a, &b)
                .map_err(|e| e.to_string())
        }))
    });
    let history = Memo::new(move |_| console.with(|b| b.model_history(&id.get_value()).ok()));
    let deployments = Signal::derive(move || {
        history
            .get()
            .map(|h| deployments_production_first(h.deployments))
            .unwrap_or_default()
    });
    let entries = Signal::derive(move || history.get().map(|h| h.entries).unwrap_or_default());
    let select = move |testid: &'static str,
                       side: RwSignal<Option<String>>,
                       current: fn(&Pair) -> Option<String>| {
        view! {
            <select
                data-testid=testid
                on:change=move |ev| side.set(Some(event_target_value(&ev)))
                prop:value=move || current(&pair.get()).unwrap_or_default()
            >
                <For each=move || versions.get() key=|v| v.clone() let:v>
                    <option value=v.clone() selected={let s = v.clone(); move || current(&pair.get()).as_ref() == Some(&s)}>{v.clone()}</option>
                </For>
            </select>
        }
    };
    view! {
        <div class="model-compare" data-testid="model-compare">
            <Show when=move || { let n = versions.with(Vec::len); n > 1 }>
                <h3>"Compare two versions"</h3>
                <div class="row">
                    <label>"A (reference) " {select("compare-a", picked_a, |p| p.0.clone())}</label>
                    <label>"B " {select("compare-b", picked_b, |p| p.1.clone())}</label>
                </div>
                {move || match comparison.get() {
                    None => None,
                    Some(Err(e)) => Some(view! { <p class="field-error" data-testid="compare-error">{e}</p> }.into_any()),
                    Some(Ok(c)) => Some(view! {
                        <div class="table-wrap" tabindex="0">
                            <table data-testid="compare-table">
                                <thead>
                                    <tr><th>"Metric"</th><th class="num">"A"</th><th class="num">"B"</th><th class="num">"B − A"</th><th>"Better"</th></tr>
                                </thead>
                                <tbody>
                                    {c.metrics.iter().map(|m| view! {
                                        <tr data-testid="compare-row" data-metric=m.metric.clone()>
                                            <td>{m.metric.clone()}{if m.lower_is_better { " (lower is better)" } else { "" }}</td>
                                            <td class="num">{opt(m.a)}</td>
                                            <td class="num">{opt(m.b)}</td>
                                            <td class="num">{opt(m.delta)}</td>
                                            <td>{m.better.clone().unwrap_or_else(|| "—".into())}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <p>"Recommendation: " <strong data-testid="compare-recommendation">{recommendation_words(&c)}</strong></p>
                        <ul class="reasons" data-testid="compare-reasons">
                            {c.reasons.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}
                        </ul>
                    }.into_any()),
                }}
            </Show>
            <Show when=move || !deployments.get().is_empty()>
                <h3>"Environments over time"</h3>
                <div class="table-wrap" tabindex="0">
                    <table data-testid="deployments-table">
                        <thead>
                            <tr><th>"Environment"</th><th>"Version"</th><th>"From"</th><th>"Until"</th><th>"By"</th><th>"Reason"</th></tr>
                        </thead>
                        <tbody>
                            <For each=move || deployments.get() key=|d| (d.environment.clone(), d.from, d.until) let:d>
                                <tr data-testid="deployment-row" data-environment=d.environment.clone()>
                                    <td>{d.environment.clone()}</td>
                                    <td>{d.version.to_string()}</td>
                                    <td>{d.from.format("%Y-%m-%d %H:%M").to_string()}</td>
                                    <td>{d.until.map_or_else(|| "now".to_string(), |u| u.format("%Y-%m-%d %H:%M").to_string())}</td>
                                    <td>{d.actor.clone().unwrap_or_else(|| "—".into())}</td>
                                    <td>{d.reason.clone()}</td>
                                </tr>
                            </For>
                        </tbody>
                    </table>
                </div>
            </Show>
            <Show when=move || !entries.get().is_empty()>
                <details>
                    <summary>"History"</summary>
                    <ol class="model-history" data-testid="model-history">
                        <For each=move || entries.get() key=|h| (h.at, h.version.clone(), history_line(h)) let:h>
                            <li data-kind=format!("{:?}", h.kind)>{h.at.format("%Y-%m-%d %H:%M").to_string()} " · " {history_line(&h)}</li>
                        </For>
                    </ol>
                </details>
            </Show>
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
    fn the_demo_compares_its_champion_with_its_challenger_by_default() {
        let brain = demo();
        let report = brain
            .models()
            .into_iter()
            .find(|m| m.model_id == "lead-scorer")
            .expect("the lead scorer");
        let (a, b) = default_pair(&report).expect("two versions");
        assert_eq!(Some(a.clone()), report.champion.map(|c| c.to_string()));
        assert_eq!(Some(b.clone()), report.challenger.map(|c| c.to_string()));
        let c = brain
            .compare_versions(
                "lead-scorer",
                &SemVer::parse(&a).expect("a"),
                &SemVer::parse(&b).expect("b"),
            )
            .expect("both exist");
        // The demo's challenger has too little evidence: collect it, or keep the champion.
        assert_ne!(c.recommendation, Recommendation::PromoteB, "{c:?}");
        assert!(recommendation_words(&c).ends_with(&a) || recommendation_words(&c).ends_with(&b));
    }

    #[test]
    fn production_comes_first_and_an_override_shows_its_reason() {
        let brain = demo();
        let history = brain.model_history("lead-scorer").expect("known");
        let ordered = deployments_production_first(history.deployments.clone());
        assert_eq!(ordered.len(), history.deployments.len());
        if let Some(first_other) = ordered.iter().position(|d| d.environment != "production") {
            assert!(ordered[first_other..]
                .iter()
                .all(|d| d.environment != "production"));
        }
        let entry = HistoryEntry {
            kind: HistoryKind::PromotedByOverride,
            version: SemVer::new(2, 0, 0),
            previous_champion: None,
            reason: "regulator-mandated".into(),
            at: Utc
                .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
                .single()
                .unwrap_or_default(),
        };
        assert_eq!(
            history_line(&entry),
            "promoted by override 2.0.0: regulator-mandated"
        );
    }
}
