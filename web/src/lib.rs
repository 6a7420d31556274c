//! The brain admin console, a Leptos client-side app.
//!
//! `app` routes, `pages/` holds one file per block, `storage` is the only
//! user of browser storage.

pub mod app;
pub mod components;
pub mod pages;
// Determinism pins checked in the browser (tests only).
mod pins;
pub mod state;
pub mod storage;
