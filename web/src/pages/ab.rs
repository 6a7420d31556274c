//! The Ab page.

use leptos::prelude::*;

use crate::pages::{Page, PageFrame};

/// The page.
#[component]
pub fn AbPage() -> impl IntoView {
    view! {
        <PageFrame page=Page::Ab intro="Variants of scripts and channels, their trials and conversions, and the winner the statistics support.">
            <div></div>
        </PageFrame>
    }
}
