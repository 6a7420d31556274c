//! Pickers for the ids the brain already knows: a searchable `<datalist>`
//! under a form's text field (the browser filters it as one types), and the
//! hint under the field when the typed id is not one of them, so a typo
//! shows before the form is sent (issue 20: choose, don't type, what the
//! engine already knows). The engine still refuses unknown references
//! itself; this only says so earlier.

use brain_core::Brain;
use leptos::prelude::*;

use crate::state::use_console;

/// What kind of id a field takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    /// Registered models.
    Models,
    /// A/B experiments.
    Experiments,
    /// Registered scripts.
    Scripts,
    /// Assessed clones.
    Clones,
    /// Listed ingestion sources.
    Sources,
    /// Outcome series.
    Series,
    /// Models and scripts: the subjects of an outcome series.
    Subjects,
    /// The audit trail's subjects, whole (`model/lead-scorer`) and bare
    /// (`lead-scorer`), as the audit search matches either.
    AuditSubjects,
}

impl Known {
    /// The word for one of them, in the hint.
    pub fn noun(self) -> &'static str {
        match self {
            Known::Models => "model",
            Known::Experiments => "experiment",
            Known::Scripts => "script",
            Known::Clones => "clone",
            Known::Sources => "source",
            Known::Series => "series",
            Known::Subjects => "model or script",
            Known::AuditSubjects => "audit subject",
        }
    }
}

/// Every id of `kind` the brain knows, sorted, without repeats.
pub fn known_ids(brain: &Brain, kind: Known) -> Vec<String> {
    let mut ids: Vec<String> = match kind {
        Known::Models => brain.models().into_iter().map(|m| m.model_id).collect(),
        Known::Experiments => brain
            .experiments()
            .into_iter()
            .map(|e| e.experiment)
            .collect(),
        Known::Scripts => brain.scripts().into_iter().map(|s| s.id).collect(),
        Known::Clones => brain.clones().into_iter().map(|c| c.clone_id).collect(),
        Known::Sources => brain.sources().into_iter().map(|s| s.source).collect(),
        Known::Series => brain.state().outcomes.series.keys().cloned().collect(),
        Known::Subjects => {
            let mut all = known_ids(brain, Known::Models);
            all.extend(known_ids(brain, Known::Scripts));
            all
        }
        Known::AuditSubjects => {
            // Borrowed first: a long trail repeats few subjects.
            let subjects: std::collections::BTreeSet<&str> = brain
                .state()
                .audit
                .entries
                .iter()
                .map(|e| e.subject.as_str())
                .collect();
            subjects
                .iter()
                .flat_map(|s| [*s, s.split_once('/').map_or(*s, |(_, bare)| bare)])
                .map(str::to_string)
                .collect()
        }
    };
    ids.sort();
    ids.dedup();
    ids
}

/// The hint under a field holding `value` (trimmed): none when it is empty
/// or known, else which ids there are (or that there are none yet).
pub fn unknown_hint(kind: Known, value: &str, known: &[String]) -> Option<String> {
    not_among_hint(kind.noun(), value, known)
}

/// [`unknown_hint`] for ids that are not one of [`Known`]'s kinds (the
/// versions of the model a form has chosen): `noun` names one of them.
pub fn not_among_hint(noun: &str, value: &str, known: &[String]) -> Option<String> {
    let v = value.trim();
    if v.is_empty() || known.iter().any(|k| k == v) {
        return None;
    }
    Some(if known.is_empty() {
        format!("no {noun} is known yet: \"{v}\" will be refused")
    } else {
        format!(
            "\"{v}\" is not a known {noun}; pick one of: {}",
            known.join(", ")
        )
    })
}

/// The datalist of `kind`'s ids, for a field with `list=id`.
#[component]
pub fn IdList(
    /// The datalist's element id (the field's `list`).
    id: &'static str,
    /// Whose ids.
    kind: Known,
) -> impl IntoView {
    let console = use_console();
    let ids = Memo::new(move |_| console.with(|b| known_ids(b, kind)));
    view! { <ChoiceList id=id options=ids /> }
}

/// A datalist of any ids a page has derived (the versions of the chosen
/// model, the audit trail's subjects), for a field with `list=id`.
#[component]
pub fn ChoiceList(
    /// The datalist's element id (the field's `list`).
    id: &'static str,
    /// The choices, in the order shown.
    #[prop(into)]
    options: Signal<Vec<String>>,
) -> impl IntoView {
    view! {
        <datalist id=id data-testid=id>
            <For each=move || options.get() key=|i| i.clone() let:i>
                <option value=i></option>
            </For>
        </datalist>
    }
}

/// The hint of [`not_among_hint`] for a field's value against a page's own
/// choices, as a field's error signal.
pub fn not_among_signal(
    noun: &'static str,
    value: RwSignal<String>,
    options: Signal<Vec<String>>,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        let v = value.get();
        options.with(|o| not_among_hint(noun, &v, o))
    })
}

/// The hint of [`unknown_hint`] for a field's value, as a field's error signal.
pub fn unknown_signal(kind: Known, value: RwSignal<String>) -> Signal<Option<String>> {
    let console = use_console();
    Signal::derive(move || {
        let v = value.get();
        console.with(|b| unknown_hint(kind, &v, &known_ids(b, kind)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn demo() -> Brain {
        Brain::demo(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap())
    }

    #[test]
    fn the_demo_knows_its_models_experiments_clones_and_sources() {
        let brain = demo();
        assert!(known_ids(&brain, Known::Models).contains(&"lead-scorer".to_string()));
        assert!(known_ids(&brain, Known::Clones).contains(&"clone-beta".to_string()));
        assert!(known_ids(&brain, Known::Sources).contains(&"redfin".to_string()));
        assert!(!known_ids(&brain, Known::Experiments).is_empty());
        let subjects = known_ids(&brain, Known::Subjects);
        assert!(subjects.contains(&"lead-scorer".to_string()));
        assert!(subjects.contains(&"warm-open".to_string()));
        assert!(known_ids(&Brain::new(), Known::Models).is_empty());
        let audit = known_ids(&brain, Known::AuditSubjects);
        assert!(
            audit.contains(&"model/lead-scorer".to_string()),
            "{audit:?}"
        );
        assert!(audit.contains(&"lead-scorer".to_string()), "{audit:?}");
        assert!(audit.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
    }

    #[test]
    fn a_typo_gets_a_hint_naming_the_known_ids_and_a_known_or_empty_value_none() {
        let known = known_ids(&demo(), Known::Models);
        assert_eq!(unknown_hint(Known::Models, "lead-scorer", &known), None);
        assert_eq!(unknown_hint(Known::Models, "  ", &known), None);
        let hint = unknown_hint(Known::Models, "lead-scorr", &known).expect("a hint");
        assert!(hint.starts_with("\"lead-scorr\" is not a known model; pick one of: "));
        assert!(hint.contains("lead-scorer"), "{hint}");
        assert_eq!(
            unknown_hint(Known::Clones, "c", &[]).as_deref(),
            Some("no clone is known yet: \"c\" will be refused")
        );
        let versions = vec!["1.1.0".to_string(), "1.0.0".to_string()];
        assert_eq!(
            not_among_hint("version of lead-scorer", "1.0.0", &versions),
            None
        );
        assert_eq!(
            not_among_hint("version of lead-scorer", "1.0", &versions).as_deref(),
            Some("\"1.0\" is not a known version of lead-scorer; pick one of: 1.1.0, 1.0.0")
        );
    }
}
