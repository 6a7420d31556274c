//! The Readiness page.

use leptos::prelude::*;

use crate::pages::{Page, PageFrame};

/// The page.
#[component]
pub fn ReadinessPage() -> impl IntoView {
    view! {
        <PageFrame page=Page::Readiness intro="Whether a clone is ready to deploy, and why.">
            <div></div>
        </PageFrame>
    }
}
