//! The Verify page.

use leptos::prelude::*;

use crate::pages::{Page, PageFrame};

/// The page.
#[component]
pub fn VerifyPage() -> impl IntoView {
    view! {
        <PageFrame page=Page::Verify intro="End-to-end checks of the live state.">
            <div></div>
        </PageFrame>
    }
}
