//! The console's one context: the engine, its persistence, and the notices
//! shown to the user.
//!
//! Every change goes through [`Console::execute`]: the command is stamped
//! with the browser's time, run by the engine, and saved at once. Another tab's
//! save arrives as a `storage` event and replaces this tab's engine; a save
//! that finds another tab's newer write re-runs this tab's command on top of
//! it, or shows the conflict, so neither tab's work is silently overwritten.

use brain_core::brain::{Brain, Command, Envelope, Event, Snapshot};
use brain_core::BrainError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::storage::{self, Head, StorageError};

/// What the console tells the user about their stored data.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// Stored data was unreadable; it is kept aside for download.
    Corrupt { reason: String, raw: String },
    /// Storage was full: the history was compacted into a snapshot.
    Compacted { before: usize, after: usize },
    /// Storage is full even after compaction: the state lives only in this tab.
    Full { reason: String },
    /// Another tab saved first and this tab's command could not be re-applied.
    Conflict { command: String, reason: String },
    /// Storage is not available at all.
    Unavailable { reason: String },
}

/// A short message after an action.
#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    /// Unique within the session, for keyed lists.
    pub id: u64,
    /// Success or failure.
    pub ok: bool,
    /// What happened.
    pub text: String,
}

/// The context: copyable handles to the engine and the notices.
#[derive(Clone, Copy)]
pub struct Console {
    brain: RwSignal<Brain>,
    head: StoredValue<Head>,
    /// Storage notices, newest last.
    pub notices: RwSignal<Vec<Notice>>,
    /// Feedback toasts.
    pub toasts: RwSignal<Vec<Toast>>,
    next_toast: StoredValue<u64>,
}

/// The browser's time, as the engine takes it.
pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

fn tab_id() -> String {
    format!(
        "tab-{:08x}",
        (js_sys::Math::random() * f64::from(u32::MAX)) as u32
    )
}

/// The console's context, provided by [`provide_console`].
pub fn use_console() -> Console {
    expect_context::<Console>()
}

/// Load the stored state (or start empty), and provide the context.
pub fn provide_console() -> Console {
    let mut notices = Vec::new();
    let (brain, revision) = match storage::read_record() {
        Ok(Some(rec)) => match load_stored(&rec.snapshot) {
            Ok(b) => (b, rec.head.revision),
            Err(e) => {
                let raw = storage::set_aside_corrupt().unwrap_or_default();
                notices.push(Notice::Corrupt {
                    reason: e.to_string(),
                    raw,
                });
                (Brain::new(), 0)
            }
        },
        Ok(None) => (Brain::new(), 0),
        Err(StorageError::Corrupt { reason, .. }) => {
            let raw = storage::set_aside_corrupt().unwrap_or_default();
            notices.push(Notice::Corrupt { reason, raw });
            (Brain::new(), 0)
        }
        Err(e) => {
            notices.push(Notice::Unavailable {
                reason: e.to_string(),
            });
            (Brain::new(), 0)
        }
    };
    let console = Console {
        brain: RwSignal::new(brain),
        head: StoredValue::new(Head {
            revision,
            writer: tab_id(),
        }),
        notices: RwSignal::new(notices),
        toasts: RwSignal::new(Vec::new()),
        next_toast: StoredValue::new(0),
    };
    provide_context(console);
    console.listen_to_other_tabs();
    console
}

impl Console {
    /// Read the engine reactively.
    pub fn with<R>(&self, f: impl FnOnce(&Brain) -> R) -> R {
        self.brain.with(f)
    }

    /// Read the engine without subscribing.
    pub fn with_untracked<R>(&self, f: impl FnOnce(&Brain) -> R) -> R {
        self.brain.with_untracked(f)
    }

    /// Run a command now, save, and return its events or the engine's error.
    /// On error the state is unchanged and nothing is saved.
    pub fn execute(&self, command: Command) -> Result<Vec<Event>, BrainError> {
        self.pull_if_behind();
        let env = self.stamp(command);
        let events = self.run(env.clone())?;
        self.persist(Some(env));
        Ok(events)
    }

    /// Run a command and show a toast with `success` or the error.
    pub fn act(&self, command: Command, success: &str) -> Result<Vec<Event>, BrainError> {
        let result = self.execute(command);
        match &result {
            Ok(events) => match events.iter().find_map(Event::refusal) {
                Some(reason) => self.toast(false, format!("refused: {reason}")),
                None => self.toast(true, success.to_string()),
            },
            Err(e) => self.toast(false, e.to_string()),
        }
        result
    }

    fn stamp(&self, command: Command) -> Envelope {
        // Commands must come in time order; a clock that went back is clamped.
        let last = self.brain.with_untracked(|b| b.log().last().map(|e| e.at));
        let at = match last {
            Some(last) if last > now() => last,
            _ => now(),
        };
        Envelope::new(at, command).by("console")
    }

    fn run(&self, env: Envelope) -> Result<Vec<Event>, BrainError> {
        let result = self.brain.try_update_untracked(|b| b.execute(env));
        let result =
            result.unwrap_or_else(|| Err(BrainError::Json("the console is shutting down".into())));
        if result.is_ok() {
            self.brain.notify();
        }
        result
    }

    /// Replace the engine (import, demo, reset) and save.
    pub fn replace(&self, brain: Brain) {
        self.brain.set(brain);
        self.persist(None);
    }

    /// Show a toast that disappears after a few seconds.
    pub fn toast(&self, ok: bool, text: impl Into<String>) {
        let id = self.next_toast.get_value();
        self.next_toast.set_value(id + 1);
        self.toasts.update(|t| {
            t.push(Toast {
                id,
                ok,
                text: text.into(),
            })
        });
        let toasts = self.toasts;
        set_timeout(
            move || toasts.update(|t| t.retain(|x| x.id != id)),
            std::time::Duration::from_millis(if ok { 3500 } else { 8000 }),
        );
    }

    /// Dismiss a notice.
    pub fn dismiss(&self, index: usize) {
        self.notices.update(|n| {
            if index < n.len() {
                n.remove(index);
            }
        });
    }

    fn notice(&self, notice: Notice) {
        self.notices.update(|n| {
            n.retain(|x| std::mem::discriminant(x) != std::mem::discriminant(&notice));
            n.push(notice);
        });
    }

    /// If another tab saved since we last read or wrote, take its state first.
    fn pull_if_behind(&self) {
        let ours = self.head.get_value();
        if let Ok(Some(rec)) = storage::read_record() {
            if rec.head.revision > ours.revision && rec.head.writer != ours.writer {
                if let Ok(b) = load_stored(&rec.snapshot) {
                    self.brain.set(b);
                    self.head.update_value(|h| h.revision = rec.head.revision);
                }
            }
        }
    }

    /// Save, after `pending` (just run here) if any. If another tab wrote in
    /// between, re-run `pending` on its state; if that fails, keep the other
    /// tab's state and show the conflict.
    fn persist(&self, pending: Option<Envelope>) {
        let ours = self.head.get_value();
        if let (Ok(Some(rec)), Some(env)) = (storage::read_record(), pending.as_ref()) {
            if rec.head.revision > ours.revision && rec.head.writer != ours.writer {
                if let Ok(mut theirs) = load_stored(&rec.snapshot) {
                    let mut env = env.clone();
                    if let Some(last) = theirs.log().last().map(|e| e.at) {
                        env.at = env.at.max(last);
                    }
                    if let Err(e) = theirs.execute(env.clone()) {
                        self.notice(Notice::Conflict {
                            command: serde_json::to_string(&env).unwrap_or_default(),
                            reason: e.to_string(),
                        });
                    }
                    self.brain.set(theirs);
                    self.head.update_value(|h| h.revision = rec.head.revision);
                }
            }
        }
        let revision = self
            .head
            .get_value()
            .revision
            .max(storage::read_head().map_or(0, |h| h.revision))
            + 1;
        let head = Head {
            revision,
            writer: ours.writer.clone(),
        };
        let snapshot = self.brain.with_untracked(stored_snapshot);
        match storage::write_record(&head, &snapshot) {
            Ok(()) => self.head.set_value(head),
            Err(e) if e.is_quota() => self.compact_and_save(head, snapshot.len()),
            Err(e) => self.notice(Notice::Full {
                reason: e.to_string(),
            }),
        }
    }

    /// Storage is full: keep the state as the new origin and drop the logs
    /// (the audit trail is part of the state and stays). Say so either way.
    fn compact_and_save(&self, head: Head, before: usize) {
        let compacted = self.brain.with_untracked(compact);
        let snapshot = stored_snapshot(&compacted);
        let after = snapshot.len();
        match storage::write_record(&head, &snapshot) {
            Ok(()) => {
                self.brain.set(compacted);
                self.head.set_value(head);
                self.notice(Notice::Compacted { before, after });
            }
            Err(e) => self.notice(Notice::Full {
                reason: e.to_string(),
            }),
        }
    }

    fn listen_to_other_tabs(&self) {
        let console = *self;
        let handle =
            window_event_listener(leptos::ev::storage, move |ev: web_sys::StorageEvent| {
                if ev.key().as_deref() != Some(storage::STATE_KEY) {
                    return;
                }
                let Some(raw) = ev.new_value() else {
                    // Reset in another tab.
                    console.brain.set(Brain::new());
                    console.head.update_value(|h| h.revision = 0);
                    return;
                };
                if let Ok(rec) = storage::parse_record(&raw) {
                    if rec.head.revision > console.head.get_value().revision {
                        if let Ok(b) = load_stored(&rec.snapshot) {
                            console.brain.set(b);
                            console
                                .head
                                .update_value(|h| h.revision = rec.head.revision);
                        }
                    }
                }
            });
        on_cleanup(move || handle.remove());
    }
}

/// The snapshot as stored. Without logs the origin equals the state, so it is
/// left out, which halves a compacted snapshot; [`load_stored`] puts it back.
pub fn stored_snapshot(brain: &Brain) -> String {
    if brain.log().is_empty() && brain.events().is_empty() {
        let mut snap = brain.snapshot();
        snap.origin = None;
        if let Ok(json) = serde_json::to_string(&snap) {
            return json;
        }
    }
    brain.to_snapshot_json()
}

/// Load a snapshot written by [`stored_snapshot`] (or any engine snapshot).
pub fn load_stored(json: &str) -> Result<Brain, BrainError> {
    let brain = Brain::from_snapshot_json(json)?;
    if brain.log().is_empty() && brain.events().is_empty() && brain.origin().is_none() {
        return Ok(compact(&brain));
    }
    Ok(brain)
}

/// The brain with its logs folded into its origin: same state, no history.
pub fn compact(brain: &Brain) -> Brain {
    let snap = Snapshot {
        schema_version: brain_core::brain::SCHEMA_VERSION,
        state: brain.state().clone(),
        origin: Some(brain.state().clone()),
        log: Vec::new(),
        events: Vec::new(),
    };
    serde_json::to_string(&snap)
        .ok()
        .and_then(|json| Brain::from_snapshot_json(&json).ok())
        .unwrap_or_else(|| brain.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> Brain {
        let at = DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default();
        Brain::demo(at)
    }

    #[test]
    fn a_compacted_brain_is_stored_without_its_duplicate_origin_and_loads_back_whole() {
        let brain = demo();
        let compacted = compact(&brain);
        assert_eq!(compacted.state_hash(), brain.state_hash());
        assert!(compacted.log().is_empty());
        let stored = stored_snapshot(&compacted);
        assert!(
            stored.len() * 3 < compacted.to_snapshot_json().len() * 2,
            "the origin is left out"
        );
        let loaded = load_stored(&stored).unwrap();
        assert_eq!(loaded.state_hash(), brain.state_hash());
        assert_eq!(loaded.origin(), Some(loaded.state()));
        assert_ne!(
            loaded.verify().status,
            brain_core::verify::Status::Fail,
            "replay from the origin reproduces the state"
        );
    }

    #[test]
    fn a_brain_with_history_is_stored_as_the_engine_writes_it() {
        let brain = demo();
        assert_eq!(stored_snapshot(&brain), brain.to_snapshot_json());
        assert_eq!(
            load_stored(&stored_snapshot(&brain)).unwrap().state_hash(),
            brain.state_hash()
        );
    }

    #[test]
    fn a_corrupt_stored_snapshot_is_an_error() {
        assert!(load_stored("{\"schema_version\":1,\"state\":42}").is_err());
    }
}
