//! The operator's name: asked once, kept in this browser, changeable.
//!
//! Every command the console sends carries it as its `actor`
//! ([`crate::state::Console::execute`]), so the audit trail says who did
//! what. Until a name is given the form stays open and commands say
//! "console", as before.

use leptos::prelude::*;

use crate::state::use_console;

/// The name, or the form that asks for it.
#[component]
pub fn OperatorName() -> impl IntoView {
    let console = use_console();
    let editing = RwSignal::new(console.operator.get_untracked().is_empty());
    let draft = RwSignal::new(console.operator.get_untracked());
    let error = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match console.set_operator(&draft.get_untracked()) {
            Ok(name) => {
                draft.set(name);
                error.set(None);
                editing.set(false);
            }
            Err(e) => error.set(Some(e)),
        }
    };
    view! {
        <div class="operator" data-testid="operator">
            <Show
                when=move || editing.get()
                fallback=move || {
                    view! {
                        <span>"You are "</span>
                        <strong data-testid="operator-name">{move || console.operator.get()}</strong>
                        " "
                        <button
                            type="button"
                            class="link-button"
                            data-testid="operator-change"
                            on:click=move |_| editing.set(true)
                        >
                            "change"
                        </button>
                    }
                }
            >
                <form on:submit=save>
                    <label for="operator-input">"Your name (shown in the audit trail)"</label>
                    <div class="row">
                        <input
                            id="operator-input"
                            data-testid="operator-input"
                            autocomplete="name"
                            prop:value=move || draft.get()
                            on:input=move |ev| draft.set(event_target_value(&ev))
                        />
                        <button type="submit" data-testid="operator-save">"Save"</button>
                    </div>
                    <div class="field-error" data-testid="operator-error" role="alert">
                        {move || error.get()}
                    </div>
                </form>
            </Show>
        </div>
    }
}
