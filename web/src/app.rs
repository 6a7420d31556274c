//! The shell: the console context, navigation, notices, toasts and one route per page.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

use crate::components::{DataMenu, Notices, Toasts};
use crate::pages::{self, Page};
use crate::state::{provide_console, Console};

/// The console: a navigation bar and the routed page.
#[component]
pub fn App() -> impl IntoView {
    let console = provide_console();
    crate::monitor::start(console);
    let unread = Memo::new(move |_| console.with(|b| b.unread_count()));
    let loaded = move || console.loading.get().is_none();
    view! {
        <Router>
            <div class="shell">
                <nav class="sidebar" aria-label="Main" data-testid="nav">
                    <div class="brand">"brain"</div>
                    <ul>
                        {Page::ALL
                            .iter()
                            .map(|page| {
                                let badge = (*page == Page::Monitoring).then(|| {
                                    view! {
                                        <Show when=move || unread.get() != 0>
                                            " "
                                            <span class="badge badge-open" data-testid="unread-badge"
                                                aria-label=move || format!("{} unread notifications", unread.get())>
                                                {move || unread.get()}
                                            </span>
                                        </Show>
                                    }
                                });
                                view! {
                                    <li>
                                        <A href=page.path()>{page.nav_label()} {badge}</A>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                    <Show when=loaded>
                        <DataMenu />
                    </Show>
                    <div class="version">"v" {brain_core::VERSION}</div>
                </nav>
                <main class="content">
                    <Notices />
                    <Show when=loaded fallback=move || view! { <LoadingHistory console=console /> }>
                    <Routes fallback=|| view! { <pages::NotFound /> }>
                        <Route path=path!("/") view=pages::overview::OverviewPage />
                        <Route path=path!("/ab") view=pages::ab::AbPage />
                        <Route path=path!("/promotion") view=pages::promotion::PromotionPage />
                        <Route path=path!("/packets") view=pages::packets::PacketsPage />
                        <Route path=path!("/ingest") view=pages::ingest::IngestPage />
                        <Route path=path!("/outcomes") view=pages::outcomes::OutcomesPage />
                        <Route path=path!("/models") view=pages::models::ModelsPage />
                        <Route path=path!("/rollouts") view=pages::rollouts::RolloutsPage />
                        <Route path=path!("/monitoring") view=pages::monitoring::MonitoringPage />
                        <Route path=path!("/readiness") view=pages::readiness::ReadinessPage />
                        <Route path=path!("/gates") view=pages::gates::GatesPage />
                        <Route path=path!("/audit") view=pages::audit::AuditPage />
                        <Route path=path!("/verify") view=pages::verify::VerifyPage />
                        <Route path=path!("/policy") view=pages::policy::PolicyPage />
                        <Route path=path!("/what-if") view=pages::whatif::WhatIfPage />
                    </Routes>
                    </Show>
                </main>
                <Toasts />
            </div>
        </Router>
    }
}

/// Shown instead of the pages while a long stored log is replayed (the
/// pages and the data menu would otherwise act on a half-built state).
#[component]
fn LoadingHistory(console: Console) -> impl IntoView {
    let progress = move || {
        console
            .loading
            .get()
            .unwrap_or(crate::state::Loading { done: 0, total: 0 })
    };
    view! {
        <section class="loading" role="status" aria-live="polite" data-testid="loading">
            <h1>"Loading the stored history"</h1>
            <progress max=move || progress().total value=move || progress().done></progress>
            <p>{move || format!("{} of {} commands replayed", progress().done, progress().total)}</p>
        </section>
    }
}
