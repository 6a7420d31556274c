//! A page's forms, below the state they act on and collapsible: the reader
//! first sees what exists, then how to change it, and can fold the forms
//! away when only reading (issue 20: state before the form).

use leptos::prelude::*;

/// The forms of a page, open until the reader folds them.
#[component]
pub fn FormsBelow(
    /// What the summary line says ("Add or change sources").
    summary: &'static str,
    /// The forms.
    children: Children,
) -> impl IntoView {
    view! {
        <details class="forms-below" open data-testid="forms-below">
            <summary data-testid="forms-below-summary">{summary}</summary>
            {children()}
        </details>
    }
}
