//! The Outcomes page.

use leptos::prelude::*;

use crate::pages::{Page, PageFrame};

/// The page.
#[component]
pub fn OutcomesPage() -> impl IntoView {
    view! {
        <PageFrame page=Page::Outcomes intro="Outcomes against their baseline: trend, regressions and drift.">
            <div></div>
        </PageFrame>
    }
}
