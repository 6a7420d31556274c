//! Small shared widgets and formatting helpers.

use leptos::prelude::*;
use leptos_chartistry::TickLabels;

/// A labelled input with the error of its last validation under it.
#[component]
pub fn Field(
    /// The label text.
    label: &'static str,
    /// The input's id (the label points at it).
    id: &'static str,
    /// The current value.
    value: RwSignal<String>,
    /// Input type ("text", "number", ...).
    #[prop(default = "text")]
    kind: &'static str,
    /// Validation message for the current value, if any.
    #[prop(into, optional)]
    error: Option<Signal<Option<String>>>,
    /// Step for number inputs.
    #[prop(optional)]
    step: Option<&'static str>,
    /// The id of a `<datalist>` of choices ([`crate::components::IdList`]).
    #[prop(optional)]
    list: Option<&'static str>,
    /// A prefix that makes the DOM id unique when a form is repeated on a page (one per
    /// model): the id becomes `{scope}-{id}`; the test id stays `id`.
    #[prop(optional, into)]
    scope: Option<String>,
) -> impl IntoView {
    let dom_id = scope.map_or_else(|| id.to_string(), |s| format!("{s}-{id}"));
    let error_id = format!("{dom_id}-error");
    let described = error_id.clone();
    view! {
        <div class="field">
            <label for=dom_id.clone()>{label}</label>
            <input
                id=dom_id
                type=kind
                step=step
                list=list
                data-testid=id
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-describedby=described
                aria-invalid=move || error.and_then(|e| e.get()).is_some().to_string()
            />
            <div class="field-error" id=error_id data-testid=format!("{id}-error")>
                {move || error.and_then(|e| e.get())}
            </div>
        </div>
    }
}

/// A coloured status word.
#[component]
pub fn StatusBadge(
    /// The status text; its lower-case form picks the colour.
    #[prop(into)]
    status: String,
) -> impl IntoView {
    let class = format!("badge badge-{}", status.to_lowercase().replace(' ', "-"));
    view! { <span class=class>{status}</span> }
}

/// A number with `digits` decimals, or "—" when not finite.
pub fn fmt_num(x: f64, digits: usize) -> String {
    if x.is_finite() {
        format!("{x:.digits$}")
    } else {
        "—".into()
    }
}

/// A fraction as a percentage with `digits` decimals.
pub fn fmt_pct(x: f64, digits: usize) -> String {
    if x.is_finite() {
        format!("{:.digits$}%", x * 100.0)
    } else {
        "—".into()
    }
}

/// The chosen option while it still exists, else the first option ("" when there is none):
/// a select keeps pointing at something real when the list changes under it.
pub fn chosen_or_first(options: Memo<Vec<String>>, chosen: RwSignal<String>) -> Memo<String> {
    Memo::new(move |_| {
        let all = options.get();
        let c = chosen.get();
        if all.contains(&c) {
            c
        } else {
            all.first().cloned().unwrap_or_default()
        }
    })
}

/// The outcome of the last action of a form: the success message, or the
/// engine's error, announced to screen readers.
#[component]
pub fn FormResult(
    /// The last action's outcome: (went through, words).
    result: RwSignal<Option<(bool, String)>>,
    /// The line's test id.
    #[prop(into)]
    testid: String,
) -> impl IntoView {
    view! {
        <p
            class=move || match result.get() {
                Some((true, _)) => "form-result ok",
                Some((false, _)) => "form-result error",
                None => "form-result",
            }
            data-testid=testid
            role="status"
        >
            {move || result.get().map(|(_, m)| m)}
        </p>
    }
}

/// A select over names (experiments, variants, scripts, series). `current`
/// is the name the form acts on (usually `chosen_or_first(options, chosen)`);
/// picking one writes `chosen`. The select's id is also its test id.
#[component]
pub fn NameSelect(
    id: &'static str,
    #[prop(into)] options: Signal<Vec<String>>,
    #[prop(into)] current: Signal<String>,
    chosen: RwSignal<String>,
) -> impl IntoView {
    view! {
        <select
            id=id
            data-testid=id
            on:change=move |ev| chosen.set(event_target_value(&ev))
            prop:value=move || current.get()
        >
            <For
                each=move || options.get()
                key=|n| n.clone()
                children=move |n| {
                    let s = n.clone();
                    let v = n.clone();
                    view! { <option value=v selected=move || current.get() == s>{n}</option> }
                }
            />
        </select>
    }
}

/// `NameSelect` with its label, as a form field.
#[component]
pub fn NameField(
    label: &'static str,
    id: &'static str,
    #[prop(into)] options: Signal<Vec<String>>,
    #[prop(into)] current: Signal<String>,
    chosen: RwSignal<String>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <NameSelect id=id options=options current=current chosen=chosen />
        </div>
    }
}

/// Tick labels that show only whole numbers (counts, batch numbers).
pub fn whole_ticks() -> TickLabels<f64> {
    TickLabels::aligned_floats().with_format(|x: &f64, _| {
        if x.fract() == 0.0 {
            format!("{x:.0}")
        } else {
            String::new()
        }
    })
}
