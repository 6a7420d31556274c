//! Load demo data, import, export and reset the whole state (an import is
//! checked by [`crate::snapshot::import`] before it replaces anything).

use brain_core::Brain;
use leptos::prelude::*;

use crate::browser::now;
use crate::browser::{download, read_chosen_file};
use crate::snapshot;
use crate::state::use_console;

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
        read_chosen_file(&ev, move |text| match text {
            None => console.toast(false, "import refused: the file could not be read as text"),
            Some(text) => match snapshot::import(&text) {
                Ok(brain) => {
                    console.replace(brain);
                    console.toast(true, "state imported");
                }
                Err(reason) => console.toast(
                    false,
                    format!("import refused, current state kept: {reason}"),
                ),
            },
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
