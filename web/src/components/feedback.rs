//! Toasts after actions and banners about stored data.

use leptos::prelude::*;

use crate::browser::download;
use crate::state::{use_console, Notice};

/// Feedback toasts, newest last, announced to screen readers. They sit in
/// the page's flow above its content (never over a control), each with a
/// close button and, when the engine can put the state back, "Undo".
#[component]
pub fn Toasts() -> impl IntoView {
    let console = use_console();
    view! {
        <div class="toasts" role="status" aria-live="polite" data-testid="toasts">
            <For each=move || console.toasts.get() key=|t| t.id let:toast>
                <div class=if toast.ok { "toast ok" } else { "toast fail" } data-testid="toast">
                    <span class="toast-text">{toast.text}</span>
                    {toast.undo.map(|commands| {
                        let id = toast.id;
                        view! {
                            <button
                                type="button"
                                class="toast-button"
                                data-testid="toast-undo"
                                on:click=move |_| console.undo(id, commands.clone())
                            >
                                "Undo"
                            </button>
                        }
                    })}
                    <button
                        type="button"
                        class="toast-button"
                        aria-label="Dismiss"
                        data-testid="toast-dismiss"
                        on:click=move |_| console.dismiss_toast(toast.id)
                    >
                        "×"
                    </button>
                </div>
            </For>
        </div>
    }
}

/// Banners about stored data: corrupt data kept aside, compaction, full storage, conflicts.
#[component]
pub fn Notices() -> impl IntoView {
    let console = use_console();
    view! {
        <div class="notices" data-testid="notices">
            {move || {
                console
                    .notices
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(i, notice)| view! { <NoticeBanner index=i notice=notice /> })
                    .collect_view()
            }}
        </div>
    }
}

/// One banner.
#[component]
fn NoticeBanner(
    /// Its position, to dismiss it.
    index: usize,
    /// What to say.
    notice: Notice,
) -> impl IntoView {
    let console = use_console();
    let mut earlier = Vec::new();
    let (kind, text, raw) = match notice {
        Notice::Corrupt {
            reason,
            raw,
            earlier: kept,
        } => {
            earlier = kept;
            (
                "corrupt",
                format!(
                    "The stored state could not be read ({reason}). The console started empty; the unreadable data is kept aside — download it before you reset."
                ),
                Some(raw),
            )
        }
        Notice::Compacted { before, after } => (
            "compacted",
            format!(
                "Browser storage was full: the command history was compacted into a snapshot ({} KB → {} KB). The state and the audit trail are kept; what-if can only replay commands from now on.",
                before / 1024,
                after / 1024
            ),
            None,
        ),
        Notice::Full { reason } => (
            "full",
            format!("Your latest changes are not saved in this browser: {reason}. What was stored before is kept as it was; export the state to keep the rest."),
            None,
        ),
        Notice::Conflict { command, reason } => (
            "conflict",
            format!(
                "Another tab changed the state at the same time; your command could not be applied on top of it ({reason}). The other tab's state is kept. Your command: {command}"
            ),
            None,
        ),
        Notice::Unavailable { reason } => (
            "unavailable",
            format!("Browser storage is not available ({reason}): changes will be lost on reload. Export to keep them."),
            None,
        ),
    };
    let testid = format!("notice-{kind}");
    view! {
        <div class="notice" role="alert" data-testid=testid>
            <span>{text}</span>
            {raw.map(|raw| {
                view! {
                    <button
                        type="button"
                        data-testid="download-corrupt"
                        on:click=move |_| download("brain-corrupt-state.json", &raw)
                    >
                        "Download the unreadable data"
                    </button>
                }
            })}
            // Copies kept from earlier corruptions, newest first: each is offered too.
            {earlier
                .into_iter()
                .enumerate()
                .rev()
                .map(|(i, raw)| {
                    let name = format!("brain-corrupt-state-earlier-{}.json", i + 1);
                    view! {
                        <button
                            type="button"
                            data-testid="download-corrupt-earlier"
                            on:click=move |_| download(&name, &raw)
                        >
                            {format!("Download earlier unreadable data ({})", i + 1)}
                        </button>
                    }
                })
                .collect_view()}
            <button type="button" class="secondary" on:click=move |_| console.dismiss(index)>
                "Dismiss"
            </button>
        </div>
    }
}
