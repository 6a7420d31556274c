//! Load demo data, import, export and reset the whole state.

use brain_core::Brain;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::download;
use crate::state::{now, use_console};

/// The state's import and export as the user sees them: a check of an
/// imported file before it replaces anything.
pub fn parse_import(text: &str) -> Result<Brain, String> {
    let mut brain = Brain::from_snapshot_json(text)
        .map_err(|e| format!("this file is not a brain state: {e}"))?;
    // A file whose logs do not rebuild its state was edited or damaged.
    let replayed = Brain::replay_from(brain.origin(), brain.events());
    if replayed.state_hash() != brain.state_hash() {
        return Err(
            "this file's state does not match its own history (it was edited or damaged)".into(),
        );
    }
    brain
        .verify_audit()
        .map_err(|e| format!("this file's audit trail is broken: {e}"))?;
    // What-if and the next export use the command log: it must give the same history.
    brain
        .confirm_log()
        .map_err(|e| format!("this file's command log does not give its history: {e}"))?;
    Ok(brain)
}

/// Buttons for the whole state.
#[component]
pub fn DataMenu() -> impl IntoView {
    let console = use_console();
    let confirming_reset = RwSignal::new(false);
    let load_demo = move |_| {
        let at = now() - chrono::Duration::days(3);
        console.replace(Brain::demo(at));
        console.toast(true, "demo data loaded: every page has something to show");
    };
    let export = move |_| {
        let json = console.with_untracked(Brain::to_snapshot_json);
        download("brain-state.json", &json);
        console.toast(true, "state exported as brain-state.json");
    };
    let import = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        wasm_bindgen_futures::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
            match text.ok().and_then(|t| t.as_string()) {
                None => console.toast(false, "import refused: the file could not be read as text"),
                Some(text) => match parse_import(&text) {
                    Ok(brain) => {
                        console.replace(brain);
                        console.toast(true, "state imported");
                    }
                    Err(reason) => console.toast(
                        false,
                        format!("import refused, current state kept: {reason}"),
                    ),
                },
            }
        });
    };
    view! {
        <div class="data-menu" data-testid="data-menu">
            <button type="button" data-testid="load-demo" on:click=load_demo>"Load demo data"</button>
            <button type="button" data-testid="export-state" on:click=export>"Export state"</button>
            <label class="button" for="import-state">"Import state"</label>
            <input id="import-state" data-testid="import-state" class="visually-hidden" type="file" accept="application/json,.json" on:change=import />
            <Show
                when=move || confirming_reset.get()
                fallback=move || view! {
                    <button type="button" class="danger" data-testid="reset" on:click=move |_| confirming_reset.set(true)>"Reset"</button>
                }
            >
                <div class="confirm" role="alertdialog" aria-label="Confirm reset">
                    <span>"Erase everything? Export first to keep it."</span>
                    <button type="button" class="danger" data-testid="reset-confirm" on:click=move |_| {
                        console.replace(Brain::new());
                        confirming_reset.set(false);
                        console.toast(true, "state reset");
                    }>"Erase"</button>
                    <button type="button" data-testid="reset-cancel" on:click=move |_| confirming_reset.set(false)>"Cancel"</button>
                </div>
            </Show>
        </div>
    }
}
