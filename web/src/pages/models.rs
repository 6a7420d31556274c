//! The Models page.

use leptos::prelude::*;

use crate::pages::{Page, PageFrame};

/// The page.
#[component]
pub fn ModelsPage() -> impl IntoView {
    view! {
        <PageFrame page=Page::Models intro="Model versions, champion and challenger, and a rollback that always works.">
            <div></div>
        </PageFrame>
    }
}
