//! The confirm dialog: the one place an action that removes, retires,
//! promotes, rolls back, replaces or resets asks first, saying what will
//! change.
//!
//! A page asks through [`crate::state::Console::confirm`]; the shell shows
//! this dialog. It is modal and keyboard-complete: focus moves into it (to
//! Cancel, the safe choice), Tab stays inside it, Esc cancels, and focus
//! goes back to the control that opened it when it closes.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::{use_console, Confirmation};

/// The dialog, shown while the console has a question.
#[component]
pub fn ConfirmDialog() -> impl IntoView {
    let console = use_console();
    move || {
        console
            .confirming
            .get()
            .map(|c| view! { <DialogBox confirmation=c /> })
    }
}

/// The dialog's box for one question.
#[component]
fn DialogBox(
    /// The question.
    confirmation: Confirmation,
) -> impl IntoView {
    let console = use_console();
    // The control focused when the question came (the box is built before
    // it takes focus), to give focus back to.
    let opener = StoredValue::new_local(
        document()
            .active_element()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()),
    );
    let close = Callback::new(move |_: ()| {
        console.confirming.set(None);
        if let Some(el) = opener.get_value() {
            let _ = el.focus();
        }
    });
    let first = NodeRef::<html::Button>::new();
    let cancel = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if let Some(b) = cancel.get() {
            let _ = b.focus();
        }
    });
    let Confirmation {
        title,
        changes,
        confirm,
        action,
        alternative,
        key,
    } = confirmation;
    let on_key = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Escape" => {
            ev.prevent_default();
            close.run(());
        }
        "Tab" => {
            // Keep focus inside: from the last control to the first and back.
            let active = document().active_element();
            let (Some(f), Some(l)) = (first.get_untracked(), cancel.get_untracked()) else {
                return;
            };
            let is = |el: &web_sys::HtmlButtonElement| {
                active
                    .as_ref()
                    .is_some_and(|a| a == el.unchecked_ref::<web_sys::Element>())
            };
            if ev.shift_key() && is(&f) {
                ev.prevent_default();
                let _ = l.focus();
            } else if !ev.shift_key() && is(&l) {
                ev.prevent_default();
                let _ = f.focus();
            }
        }
        _ => {}
    };
    view! {
        <div class="dialog-backdrop" data-testid="confirm-backdrop">
            <div
                class="dialog"
                role="alertdialog"
                aria-modal="true"
                aria-labelledby="confirm-title"
                aria-describedby="confirm-changes"
                data-testid="confirm-dialog"
                on:keydown=on_key
            >
                <h2 id="confirm-title">{title}</h2>
                <p id="confirm-changes" data-testid="confirm-changes">{changes}</p>
                <div class="row">
                    <button
                        type="button"
                        class="danger"
                        node_ref=first
                        data-testid=format!("{key}-confirm")
                        on:click=move |_| {
                            action.run(());
                            close.run(());
                        }
                    >
                        {confirm}
                    </button>
                    {alternative
                        .map(|(label, run)| {
                            view! {
                                <button
                                    type="button"
                                    data-testid=format!("{key}-alternative")
                                    on:click=move |_| run.run(())
                                >
                                    {label}
                                </button>
                            }
                        })}
                    <button
                        type="button"
                        class="secondary"
                        node_ref=cancel
                        data-testid=format!("{key}-cancel")
                        on:click=move |_| close.run(())
                    >
                        "Cancel"
                    </button>
                </div>
            </div>
        </div>
    }
}
