//! The Overview page.

use leptos::prelude::*;

use crate::pages::{Page, PageFrame};

/// The page.
#[component]
pub fn OverviewPage() -> impl IntoView {
    view! {
        <PageFrame page=Page::Overview intro="Where things stand: verification status, live alerts and each block at a glance.">
            <div></div>
        </PageFrame>
    }
}
