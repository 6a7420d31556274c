//! Choosing a deal packet's scripts and channels, and filling the lead form
//! from an ingested payload: the checkboxes of the packets page's build form
//! (the known scripts and channels, the engine's recommendation preselected,
//! sent only once the user changes them) and the link the ingestion page
//! gives each payload that is a lead.

use brain_core::ab::VariantKind;
use brain_core::packets::Lead;
use brain_core::Brain;
use leptos::prelude::*;

use crate::pages::Page;

// ---------------------------------------------------------------- logic

/// Every channel the brain knows: the variants of its channel experiments,
/// sorted.
pub fn known_channels(brain: &Brain) -> Vec<String> {
    let mut all: Vec<String> = brain
        .state()
        .ab
        .experiments
        .values()
        .filter(|e| e.kind == VariantKind::Channel)
        .flat_map(|e| e.variants.keys().cloned())
        .collect();
    all.sort();
    all.dedup();
    all
}

/// The boxes to offer: the known ids and the recommended ones, sorted, each once.
pub fn options(known: &[String], recommended: &[String]) -> Vec<String> {
    let mut all: Vec<String> = known.iter().chain(recommended).cloned().collect();
    all.sort();
    all.dedup();
    all
}

/// `current` with `item` ticked (`on`) or not, in `order`'s order.
pub fn toggled(current: &[String], item: &str, on: bool, order: &[String]) -> Vec<String> {
    order
        .iter()
        .filter(|o| {
            if o.as_str() == item {
                on
            } else {
                current.contains(o)
            }
        })
        .cloned()
        .collect()
}

/// The packets page's address with the ingested payload at log position
/// `seq` to fill its lead form from.
pub fn build_link(seq: u64) -> String {
    format!("{}?ingested={seq}", Page::Packets.path())
}

/// The lead of the ingested payload at log position `seq`, if it is one.
pub fn ingested_lead(brain: &Brain, seq: u64) -> Option<Lead> {
    brain
        .ingested(None)
        .into_iter()
        .find(|p| p.seq == seq)
        .and_then(|p| p.lead)
}

/// The lead form's texts for `lead`: name, value, terms, source and the
/// other fields as `key=value` lines.
pub fn form_texts(lead: &Lead) -> [String; 5] {
    let fields: Vec<String> = lead
        .fields
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    [
        lead.name.clone(),
        lead.value.to_string(),
        lead.terms.clone(),
        lead.source.clone(),
        fields.join("\n"),
    ]
}

// ---------------------------------------------------------------- view

/// Checkboxes of `options`, ticked from `chosen` (`None`: the recommended
/// ones); a change sets `chosen`, and "Recommended" sets it back to `None`.
#[component]
pub fn ChoiceBoxes(
    legend: &'static str,
    testid: &'static str,
    options: Signal<Vec<String>>,
    recommended: Signal<Vec<String>>,
    chosen: RwSignal<Option<Vec<String>>>,
) -> impl IntoView {
    let current = move || chosen.get().unwrap_or_else(|| recommended.get());
    view! {
        <fieldset class="field" data-testid=testid>
            <legend>{legend}</legend>
            {move || {
                let all = options.get();
                if all.is_empty() {
                    return view! { <p class="muted">"none known yet"</p> }.into_any();
                }
                all.clone()
                    .into_iter()
                    .map(|item| {
                        let checked = current().contains(&item);
                        let order = all.clone();
                        let this = item.clone();
                        view! {
                            <label class="check">
                                <input
                                    type="checkbox"
                                    value=item.clone()
                                    prop:checked=checked
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        let now = chosen
                                            .get_untracked()
                                            .unwrap_or_else(|| recommended.get_untracked());
                                        chosen.set(Some(toggled(&now, &this, on, &order)));
                                    }
                                />
                                {item}
                            </label>
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
            <button
                type="button"
                class="secondary"
                data-testid=format!("{testid}-reset")
                disabled=move || chosen.with(Option::is_none)
                on:click=move |_| chosen.set(None)
            >
                "Recommended"
            </button>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn toggling_keeps_the_offered_order() {
        let order: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let now = vec!["c".to_string()];
        assert_eq!(toggled(&now, "a", true, &order), ["a", "c"]);
        assert_eq!(toggled(&now, "c", false, &order), Vec::<String>::new());
        assert_eq!(options(&order[..2], &order[1..]), order);
    }

    #[test]
    fn the_demo_knows_its_channels_and_a_lead_fills_the_form() {
        let b = Brain::demo(
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
                .single()
                .unwrap_or_default(),
        );
        let channels = known_channels(&b);
        assert!(channels.contains(&"sms".to_string()), "{channels:?}");
        let lead = Lead {
            name: "Ann".into(),
            value: 320000.0,
            terms: String::new(),
            source: "zillow".into(),
            fields: [("city".to_string(), "Waco".to_string())].into(),
        };
        let [name, value, _, source, fields] = form_texts(&lead);
        assert_eq!((name.as_str(), value.as_str()), ("Ann", "320000"));
        assert_eq!((source.as_str(), fields.as_str()), ("zillow", "city=Waco"));
        assert_eq!(build_link(7), "/packets?ingested=7");
    }
}
