//! Small shared widgets and formatting helpers.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

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
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                type=kind
                step=step
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

/// Offer `content` as a file download named `name`.
pub fn download(name: &str, content: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(content));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/json");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(a) = document.create_element("a") {
        if let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() {
            a.set_href(&url);
            a.set_download(name);
            a.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
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
