//! The Audit page.

use leptos::prelude::*;

use crate::pages::{Page, PageFrame};

/// The page.
#[component]
pub fn AuditPage() -> impl IntoView {
    view! {
        <PageFrame page=Page::Audit intro="Every accepted command and refused action, hash-chained.">
            <div></div>
        </PageFrame>
    }
}
