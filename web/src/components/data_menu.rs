//! Load demo data, import, export and reset the whole state (an import is
//! checked by [`crate::snapshot::import`] before it replaces anything). The
//! demo over existing work and the reset ask first, through the shared
//! confirm dialog, and offer to export.

use brain_core::Brain;
use leptos::prelude::*;

use crate::browser::now;
use crate::browser::{download, read_chosen_file};
use crate::snapshot;
use crate::state::{use_console, Confirmation};

/// What replacing the state loses, in words: "" when there is nothing to lose.
pub fn work_at_stake(commands: usize) -> String {
    match commands {
        0 => String::new(),
        1 => "the 1 recorded action".into(),
        n => format!("all {n} recorded actions"),
    }
}

/// Buttons for the whole state.
#[component]
pub fn DataMenu() -> impl IntoView {
    let console = use_console();
    let export_now = move || {
        let json = console.with_untracked(Brain::to_snapshot_json);
        download("brain-state.json", &json);
        console.toast(true, "state exported as brain-state.json");
    };
    let replace_with_demo = move || {
        let at = now() - chrono::Duration::days(3);
        console.replace(Brain::demo(at));
        console.toast(true, "demo data loaded: every page has something to show");
    };
    // Over existing work the demo asks first and offers to export it.
    let load_demo = move |_| {
        let stake = work_at_stake(console.with_untracked(|b| b.state().audit.entries.len()));
        if stake.is_empty() {
            replace_with_demo();
            return;
        }
        console.confirm(Confirmation {
            title: "Replace your work with the demo?".into(),
            changes: format!(
                "Loading the demo replaces {stake} and the audit trail in this browser; they cannot be brought back unless exported. Export first to keep a copy."
            ),
            confirm: "Replace with the demo".into(),
            action: Callback::new(move |_| replace_with_demo()),
            alternative: Some(("Export first".into(), Callback::new(move |_| export_now()))),
            key: "demo",
        });
    };
    let reset = move |_| {
        let stake = work_at_stake(console.with_untracked(|b| b.state().audit.entries.len()));
        console.confirm(Confirmation {
            title: "Erase everything?".into(),
            changes: if stake.is_empty() {
                "Nothing is recorded yet; the console starts empty again.".into()
            } else {
                format!("Reset erases {stake} and the audit trail in this browser. Export first to keep them.")
            },
            confirm: "Erase".into(),
            action: Callback::new(move |_| {
                console.replace(Brain::new());
                console.toast(true, "state reset");
            }),
            alternative: Some(("Export first".into(), Callback::new(move |_| export_now()))),
            key: "reset",
        });
    };
    let export = move |_| export_now();
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
            <button type="button" class="danger" data-testid="reset" on:click=reset>"Reset"</button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_existing_work_makes_replacing_the_state_ask() {
        assert_eq!(work_at_stake(0), "");
        assert_eq!(work_at_stake(1), "the 1 recorded action");
        assert_eq!(work_at_stake(97), "all 97 recorded actions");
    }
}
