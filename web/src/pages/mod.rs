//! One page per block, plus the overview, the policy and the what-if analysis.

use leptos::prelude::*;

pub mod ab;
pub mod ab_lifecycle;
pub mod ab_metric;
pub mod audit;
pub mod gates;
pub mod ingest;
pub mod model_actions;
pub mod model_compare;
pub mod model_evidence;
pub mod models;
pub mod monitoring;
pub mod outcomes;
pub mod overview;
pub mod packet_choice;
pub mod packets;
pub mod policy;
pub mod policy_tune;
pub mod prereg;
pub mod promotion;
pub mod readiness;
pub mod rollout_forms;
pub mod rollouts;
pub mod verify;
pub mod whatif;
pub mod worklist;

/// Every page of the console, in navigation order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Overview,
    Ab,
    Promotion,
    Packets,
    Ingest,
    Outcomes,
    Models,
    Rollouts,
    Monitoring,
    Readiness,
    Gates,
    Audit,
    Verify,
    Policy,
    WhatIf,
}

impl Page {
    /// Navigation order.
    pub const ALL: [Page; 15] = [
        Page::Overview,
        Page::Ab,
        Page::Promotion,
        Page::Packets,
        Page::Ingest,
        Page::Outcomes,
        Page::Models,
        Page::Rollouts,
        Page::Monitoring,
        Page::Readiness,
        Page::Gates,
        Page::Audit,
        Page::Verify,
        Page::Policy,
        Page::WhatIf,
    ];

    /// The route of the page.
    pub fn path(self) -> &'static str {
        match self {
            Page::Overview => "/",
            Page::Ab => "/ab",
            Page::Promotion => "/promotion",
            Page::Packets => "/packets",
            Page::Ingest => "/ingest",
            Page::Outcomes => "/outcomes",
            Page::Models => "/models",
            Page::Rollouts => "/rollouts",
            Page::Monitoring => "/monitoring",
            Page::Readiness => "/readiness",
            Page::Gates => "/gates",
            Page::Audit => "/audit",
            Page::Verify => "/verify",
            Page::Policy => "/policy",
            Page::WhatIf => "/what-if",
        }
    }

    /// The block number of the original system, where the page is a block.
    pub fn number(self) -> Option<u8> {
        match self {
            Page::Overview | Page::Policy | Page::WhatIf | Page::Rollouts | Page::Monitoring => {
                None
            }
            Page::Ab => Some(21),
            Page::Promotion => Some(22),
            Page::Packets => Some(23),
            Page::Ingest => Some(24),
            Page::Outcomes => Some(25),
            Page::Models => Some(26),
            Page::Readiness => Some(27),
            Page::Gates => Some(28),
            Page::Audit => Some(29),
            Page::Verify => Some(30),
        }
    }

    /// The page's name.
    pub fn title(self) -> &'static str {
        match self {
            Page::Overview => "Overview",
            Page::Ab => "A/B tracking",
            Page::Promotion => "Script promotion",
            Page::Packets => "Deal packets",
            Page::Ingest => "Learning ingestion",
            Page::Outcomes => "Outcome evaluation",
            Page::Models => "Safe model updates",
            Page::Rollouts => "Staged rollouts",
            Page::Monitoring => "Monitoring",
            Page::Readiness => "Clone readiness",
            Page::Gates => "Gate enforcement",
            Page::Audit => "Audit trail",
            Page::Verify => "Verification",
            Page::Policy => "Policy",
            Page::WhatIf => "What-if",
        }
    }

    /// The label in the navigation: the block number, then the name.
    pub fn nav_label(self) -> String {
        match self.number() {
            Some(n) => format!("{n} {}", self.title()),
            None => self.title().to_string(),
        }
    }
}

/// A page's frame: its heading, a one-line purpose, then its body.
#[component]
pub fn PageFrame(
    /// Which page this is.
    page: Page,
    /// What the page is for, in one line.
    intro: &'static str,
    /// The page's body.
    children: Children,
) -> impl IntoView {
    view! {
        <section class="page" data-testid="page">
            <header class="page-header">
                <h1 data-testid="page-title">{page.nav_label()}</h1>
                <p class="intro">{intro}</p>
            </header>
            {children()}
        </section>
    }
}

/// Shown for an unknown route.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="page" data-testid="page">
            <h1 data-testid="page-title">"Page not found"</h1>
            <p>"This address is not a page of the console. Pick one in the navigation."</p>
        </section>
    }
}
