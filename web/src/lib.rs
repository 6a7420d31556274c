//! The brain admin console, a Leptos client-side app.
//!
//! `app` routes, `pages/` holds one file per block, `components/` the shared
//! widgets, `forms` the parsers and validators of every form. The context is
//! split by concept: `state` (the context and its actions), `replay`
//! (loading the stored log), `sync` (saving, and following other tabs),
//! `snapshot` (whole brains: import, compaction, how a brain is stored),
//! `browser` (clock, downloads), `error` (the console's error codes);
//! `storage` is the only user of browser storage.

pub mod app;
pub mod browser;
pub mod components;
pub mod error;
pub mod forms;
pub mod pages;
// Determinism pins checked in the browser (tests only).
mod pins;
pub mod replay;
pub mod snapshot;
pub mod state;
pub mod storage;
pub mod sync;
pub mod undo;
