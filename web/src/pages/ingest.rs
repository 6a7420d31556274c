//! The Ingest page.

use leptos::prelude::*;

use crate::pages::{Page, PageFrame};

/// The page.
#[component]
pub fn IngestPage() -> impl IntoView {
    view! {
        <PageFrame page=Page::Ingest intro="Learning only from allowed sources; every blocked attempt is counted.">
            <div></div>
        </PageFrame>
    }
}
