//! The shell: the console context, a skip link, navigation (behind a menu
//! button on narrow screens), the operator's name, notices, toasts, the
//! confirm dialog and one route per page.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

use crate::components::{ConfirmDialog, DataMenu, Notices, OperatorName, Toasts};
use crate::pages::{self, Page};
use crate::state::{provide_console, Console};

/// The console: a navigation bar and the routed page.
#[component]
pub fn App() -> impl IntoView {
    let console = provide_console();
    crate::monitor::start(console);
    let unread = Memo::new(move |_| console.with(|b| b.unread_count()));
    let loaded = move || console.loading.get().is_none();
    // Under 600 px the navigation folds behind a menu button (CSS hides
    // `.nav-body` unless open); following a link folds it again.
    let menu_open = RwSignal::new(false);
    view! {
        <Router>
            <a
                class="skip-link"
                href="#main"
                data-testid="skip-link"
                on:click=move |ev| {
                    // The router would treat the anchor as a navigation: move focus instead.
                    ev.prevent_default();
                    if let Some(main) = document()
                        .get_element_by_id("main")
                        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
                    {
                        let _ = main.focus();
                    }
                }
            >
                "Skip to the page"
            </a>
            <div class="shell">
                <nav class="sidebar" aria-label="Main" data-testid="nav">
                    <div class="brand-row">
                        <div class="brand">"brain"</div>
                        <button
                            type="button"
                            class="menu-button"
                            data-testid="menu-button"
                            aria-controls="nav-body"
                            aria-expanded=move || menu_open.get().to_string()
                            on:click=move |_| menu_open.update(|o| *o = !*o)
                        >
                            "Menu"
                        </button>
                    </div>
                    <div
                        id="nav-body"
                        class=move || if menu_open.get() { "nav-body open" } else { "nav-body" }
                        data-testid="nav-body"
                    >
                        <ul on:click=move |_| menu_open.set(false)>
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
                        <OperatorName />
                        <Show when=loaded>
                            <DataMenu />
                        </Show>
                        <div class="version">"v" {brain_core::VERSION}</div>
                    </div>
                </nav>
                <main class="content" id="main" tabindex="-1">
                    <Toasts />
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
            </div>
            <ConfirmDialog />
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
