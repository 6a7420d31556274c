//! The Promotion page.

use leptos::prelude::*;

use crate::pages::{Page, PageFrame};

/// The page.
#[component]
pub fn PromotionPage() -> impl IntoView {
    view! {
        <PageFrame page=Page::Promotion intro="Scripts move Experimental → Testing → Primary and back on evidence, never on a single good day.">
            <div></div>
        </PageFrame>
    }
}
