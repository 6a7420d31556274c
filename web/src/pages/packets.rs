//! The Packets page.

use leptos::prelude::*;

use crate::pages::{Page, PageFrame};

/// The page.
#[component]
pub fn PacketsPage() -> impl IntoView {
    view! {
        <PageFrame page=Page::Packets intro="Deal packets built from lead data, with the recommended scripts and channels.">
            <div></div>
        </PageFrame>
    }
}
