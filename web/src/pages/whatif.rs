//! The WhatIf page.

use leptos::prelude::*;

use crate::pages::{Page, PageFrame};

/// The page.
#[component]
pub fn WhatIfPage() -> impl IntoView {
    view! {
        <PageFrame page=Page::WhatIf intro="Replay the history under another policy and see which decisions change.">
            <div></div>
        </PageFrame>
    }
}
