//! `<Panel>`: the section every page repeats, a heading over a body (usually
//! a table) that an empty state replaces while there is nothing to show.
//!
//! One component so that every empty state looks and reads alike (it says
//! what would fill the panel), and a page says only what differs.

use leptos::prelude::*;

/// A panel with a heading, a body, and an empty state shown instead of the
/// body while `empty` holds.
#[component]
pub fn Panel(
    /// The heading.
    title: &'static str,
    /// The heading's level: 2 for a section of the page, 3 inside a group.
    #[prop(default = 2)]
    level: u8,
    /// The panel's test id.
    #[prop(optional)]
    testid: Option<&'static str>,
    /// The panel's element id, for links that land on it.
    #[prop(optional)]
    id: Option<&'static str>,
    /// True while there is nothing to show.
    #[prop(into)]
    empty: Signal<bool>,
    /// What the empty state says: why it is empty and what would fill it.
    empty_text: &'static str,
    /// The empty state's test id.
    #[prop(optional)]
    empty_testid: Option<&'static str>,
    /// A muted line under the body or the empty state.
    #[prop(optional)]
    note: Option<&'static str>,
    /// The body.
    children: ChildrenFn,
) -> impl IntoView {
    let heading = if level >= 3 {
        view! { <h3>{title}</h3> }.into_any()
    } else {
        view! { <h2>{title}</h2> }.into_any()
    };
    view! {
        <section class="panel" data-testid=testid id=id>
            {heading}
            <Show
                when=move || !empty.get()
                fallback=move || view! { <p class="empty" data-testid=empty_testid>{empty_text}</p> }
            >
                {children()}
            </Show>
            {note.map(|n| view! { <p class="muted">{n}</p> })}
        </section>
    }
}
