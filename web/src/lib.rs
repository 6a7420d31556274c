//! The brain admin console, a Leptos client-side app.
//!
//! `app` routes, `pages/` holds one file per block, `components/` the shared
//! widgets, `forms` the parsers and validators of every form. The context is
//! split by concept: `state` (the context and its actions), `replay`
//! (loading the stored log), `sync` (saving, and following other tabs),
//! `snapshot` (whole brains: import, compaction, how a brain is stored),
//! `browser` (downloads, locks), `clock` (the browser's time, time-travelled by
//! `?now=`), `monitor` (the due checks the browser's clock runs), `error` (the console's error codes);
//! `witness` (the audit tree head this browser accepted, checked against every
//! stored history it loads); `storage` is the only user of localStorage, `idb` of IndexedDB (where a
//! log too long for localStorage keeps its full chunks), `fence` (the head the last locked save
//! stored, in IndexedDB, so no save builds on a stale copy of localStorage; used when `peers`, the
//! other open tabs, are known), `unsaved` (the
//! commands a tab has not stored yet, in sessionStorage, so a reload before its save loses none).

pub mod app;
pub mod browser;
pub mod clock;
pub mod components;
pub mod error;
pub mod fence;
pub mod forms;
pub mod idb;
pub mod monitor;
pub mod outcome;
pub mod pages;
pub mod peers;
// Determinism pins checked in the browser (tests only).
mod pins;
pub mod replay;
pub mod snapshot;
pub mod state;
pub mod storage;
pub mod sync;
pub mod undo;
pub mod unsaved;
pub mod witness;
