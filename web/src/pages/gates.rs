//! The Gates page.

use leptos::prelude::*;

use crate::pages::{Page, PageFrame};

/// The page.
#[component]
pub fn GatesPage() -> impl IntoView {
    view! {
        <PageFrame page=Page::Gates intro="Readiness, performance, safety and sample-ratio gates: PROMOTE or BLOCK, with every reason.">
            <div></div>
        </PageFrame>
    }
}
