//! The shell: navigation and one route per page.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

use crate::pages::{self, Page};

/// The console: a navigation bar and the routed page.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <div class="shell">
                <nav class="sidebar" aria-label="Main" data-testid="nav">
                    <div class="brand">"brain"</div>
                    <ul>
                        {Page::ALL
                            .iter()
                            .map(|page| {
                                view! {
                                    <li>
                                        <A href=page.path()>{page.nav_label()}</A>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                    <div class="version">"v" {brain_core::VERSION}</div>
                </nav>
                <main class="content">
                    <Routes fallback=|| view! { <pages::NotFound /> }>
                        <Route path=path!("/") view=|| view! { <pages::PageView page=Page::Overview /> } />
                        <Route path=path!("/ab") view=|| view! { <pages::PageView page=Page::Ab /> } />
                        <Route path=path!("/promotion") view=|| view! { <pages::PageView page=Page::Promotion /> } />
                        <Route path=path!("/packets") view=|| view! { <pages::PageView page=Page::Packets /> } />
                        <Route path=path!("/ingest") view=|| view! { <pages::PageView page=Page::Ingest /> } />
                        <Route path=path!("/outcomes") view=|| view! { <pages::PageView page=Page::Outcomes /> } />
                        <Route path=path!("/models") view=|| view! { <pages::PageView page=Page::Models /> } />
                        <Route path=path!("/readiness") view=|| view! { <pages::PageView page=Page::Readiness /> } />
                        <Route path=path!("/gates") view=|| view! { <pages::PageView page=Page::Gates /> } />
                        <Route path=path!("/audit") view=|| view! { <pages::PageView page=Page::Audit /> } />
                        <Route path=path!("/verify") view=|| view! { <pages::PageView page=Page::Verify /> } />
                        <Route path=path!("/what-if") view=|| view! { <pages::PageView page=Page::WhatIf /> } />
                    </Routes>
                </main>
            </div>
        </Router>
    }
}
