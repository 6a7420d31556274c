//! Loading: reading what storage holds at start-up (or when another tab
//! writes a new generation) and rebuilding the brain by replaying its stored
//! commands, a slice at a time when the log is long.
//!
//! The engine is deterministic, so the stored commands rebuild the exact
//! state; a short log replays before the first render, a long one in 40 ms
//! slices with a progress state the shell shows instead of the pages (so the
//! page never freezes and nobody acts on a half-built state).

use brain_core::brain::{Brain, Envelope, Stepper};
use leptos::prelude::*;

use crate::browser::{clock, measure_replay, yield_to_browser};
use crate::snapshot::load_stored;
use crate::state::{Console, Loading};
use crate::storage::{self, Head, StorageError};

/// How long the start-up replay may hold the page before it shows progress
/// and continues in slices: a page ready within a quarter second renders
/// straight away (the 10,000-command bench log replays in ~100 ms), a
/// longer wait shows progress instead of a frozen page.
#[cfg(not(test))]
const FIRST_SLICE_MS: f64 = 250.0;
/// The browser unit tests open tabs synchronously and read them at once; a
/// slow or loaded test machine must not turn that into a sliced replay (the
/// sliced path has its own test, which asks for it with `replay_within`).
#[cfg(test)]
const FIRST_SLICE_MS: f64 = f64::INFINITY;
/// One slice of a long replay: short enough to keep the page responsive.
const SLICE_MS: f64 = 40.0;
/// Commands run between two looks at the clock.
const STEP: usize = 64;

/// Why the stored state could not be read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Unreadable {
    /// The data is there but not readable: it is set aside.
    Corrupt(String),
    /// Storage itself is not available.
    Unavailable(String),
    /// Part of the log is in IndexedDB and was not read yet: await
    /// [`crate::idb::fetch`] (as [`Console::load`] does) and read again.
    NotFetched,
}

impl From<StorageError> for Unreadable {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::Unavailable(reason) => Unreadable::Unavailable(reason),
            StorageError::NotFetched { .. } => Unreadable::NotFetched,
            other => Unreadable::Corrupt(other.to_string()),
        }
    }
}

/// What storage held at start-up.
pub(crate) enum Opened {
    /// Nothing: a first visit, or after a reset of the storage.
    Empty,
    /// A format-1 record, to be rewritten in the current format.
    Legacy(Brain),
    /// A stored log, to be replayed.
    Log(Head, Replay),
    /// A stored log partly in IndexedDB, to be read ([`Console::load`]).
    Cold(Head),
}

/// A brain being rebuilt from its stored origin and commands, a slice at a
/// time (so a long log does not freeze the page): core's [`Stepper`], the
/// one sliced executor that what-if and verification use too, with the
/// console's reading of a refusal (the stored log is unreadable).
pub struct Replay {
    stepper: Stepper,
    base: usize,
}

impl Replay {
    /// Start from the origin snapshot (None: an empty brain).
    pub fn new(origin: Option<&str>, commands: Vec<Envelope>) -> Result<Self, String> {
        let brain = match origin {
            Some(json) => load_stored(json).map_err(|e| format!("the origin snapshot: {e}"))?,
            None => Brain::new(),
        };
        Ok(Replay {
            base: brain.log().len(),
            stepper: Stepper::new(brain, commands),
        })
    }

    /// Commands run so far, and in all.
    pub fn progress(&self) -> Loading {
        let (done, total) = self.stepper.progress();
        Loading { done, total }
    }

    /// Run up to `n` more commands; `Ok(true)` once every command has run.
    /// A command the engine refuses means the stored log is not one this
    /// engine wrote: the log is unreadable.
    pub fn step(&mut self, n: usize) -> Result<bool, String> {
        let total = self.progress().total;
        self.stepper.step(n).map_err(|(position, e)| {
            format!(
                "stored command {} of {total} is refused by the engine: {e}",
                position + 1
            )
        })
    }

    /// Run everything that is left.
    pub fn run(mut self) -> Result<(Brain, usize), String> {
        self.step(usize::MAX)?;
        Ok(self.finish())
    }

    /// The brain, and how many of its log entries belong to the origin.
    pub fn finish(self) -> (Brain, usize) {
        (self.stepper.finish(), self.base)
    }
}

/// Read a whole stored generation (origin and commands), not yet replayed.
pub(crate) fn open_generation(head: &Head) -> Result<Replay, Unreadable> {
    let origin = storage::read_origin(head)?;
    let commands = storage::read_commands(head, 0..head.revision as usize)?;
    Replay::new(origin.as_deref(), commands).map_err(Unreadable::Corrupt)
}

/// What storage holds, read but not replayed.
pub(crate) fn open_stored() -> Result<Opened, Unreadable> {
    if let Some(head) = storage::read_head()? {
        if !crate::idb::fetched(&head) {
            return Ok(Opened::Cold(head));
        }
        return Ok(Opened::Log(head.clone(), open_generation(&head)?));
    }
    let Some(raw) = storage::read_raw(storage::LEGACY_KEY)? else {
        return Ok(Opened::Empty);
    };
    let record = storage::parse_legacy_record(&raw)?;
    let brain = load_stored(&record.snapshot).map_err(|e| {
        Unreadable::Corrupt(format!(
            "the stored value under {:?} is unreadable: {e}",
            storage::LEGACY_KEY
        ))
    })?;
    Ok(Opened::Legacy(brain))
}

impl Console {
    /// Read and replay the generation `head` describes: at once when it is
    /// all in localStorage; else the progress state shows while its chunks
    /// are read from IndexedDB, then it replays in slices.
    pub(crate) fn load(&self, head: Head) {
        if crate::idb::fetched(&head) {
            match open_generation(&head) {
                Ok(replay) => self.replay(head, replay),
                Err(e) => self.unreadable(e),
            }
            return;
        }
        self.loading.set(Some(Loading {
            done: 0,
            total: head.revision as usize,
        }));
        let console = *self;
        wasm_bindgen_futures::spawn_local(async move {
            let opened = match crate::idb::fetch(&head).await {
                Ok(()) => open_generation(&head),
                Err(e) => Err(e.into()),
            };
            // The commands are read: the engine holds them from here on.
            crate::idb::forget();
            match opened {
                Ok(replay) => console.replay_within(head, replay, SLICE_MS),
                Err(e) => {
                    console.loading.set(None);
                    console.unreadable(e);
                }
            }
        });
    }

    /// Stored data could not be read: set aside when corrupt, else say why.
    pub(crate) fn unreadable(&self, e: Unreadable) {
        match e {
            Unreadable::Corrupt(reason) => self.set_aside(reason),
            Unreadable::Unavailable(reason) => {
                self.notice(crate::state::Notice::Unavailable { reason })
            }
            Unreadable::NotFetched => self.notice(crate::state::Notice::Unavailable {
                reason: "IndexedDB did not return the stored log".into(),
            }),
        }
    }

    /// Replay a stored generation: at once when it is short, otherwise in
    /// slices with progress shown (the pages wait until it is done).
    pub(crate) fn replay(&self, head: Head, replay: Replay) {
        self.replay_within(head, replay, FIRST_SLICE_MS);
    }

    /// [`Console::replay`], holding the page at most `first_slice_ms`.
    pub(crate) fn replay_within(&self, head: Head, mut replay: Replay, first_slice_ms: f64) {
        let started = clock();
        let first = started;
        loop {
            match replay.step(STEP) {
                Err(reason) => {
                    self.loading.set(None);
                    return self.set_aside(reason);
                }
                Ok(true) => {
                    measure_replay(started, replay.progress().total);
                    let (brain, base) = replay.finish();
                    if self.loading.get_untracked().is_some() {
                        // Loaded from IndexedDB: the pages show again.
                        self.loading.set(None);
                    }
                    if let Err(reason) = crate::witness::check(&brain) {
                        return self.set_aside(reason);
                    }
                    return self.adopt(head, brain, base);
                }
                Ok(false) if clock() - started > first_slice_ms => break,
                Ok(false) => {}
            }
        }
        self.loading.set(Some(replay.progress()));
        let console = *self;
        wasm_bindgen_futures::spawn_local(async move {
            loop {
                yield_to_browser().await;
                let started = clock();
                loop {
                    match replay.step(STEP) {
                        Err(reason) => {
                            console.loading.set(None);
                            return console.set_aside(reason);
                        }
                        Ok(true) => {
                            measure_replay(first, replay.progress().total);
                            let (brain, base) = replay.finish();
                            console.loading.set(None);
                            if let Err(reason) = crate::witness::check(&brain) {
                                return console.set_aside(reason);
                            }
                            console.adopt(head, brain, base);
                            // Another tab may have saved meanwhile.
                            return console.pull_if_behind();
                        }
                        Ok(false) if clock() - started > SLICE_MS => break,
                        Ok(false) => {}
                    }
                }
                console.loading.set(Some(replay.progress()));
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn demo() -> Brain {
        let at = DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default();
        Brain::demo(at)
    }

    #[test]
    fn a_stored_command_the_engine_refuses_makes_the_log_unreadable() {
        let mut log = demo().log().to_vec();
        log.swap(0, 5); // out of time order
        let mut replay = Replay::new(None, log).unwrap();
        let err = (0..10).find_map(|_| replay.step(1).err()).unwrap();
        assert!(err.contains("refused by the engine"), "{err}");
    }

    #[test]
    fn a_replay_runs_in_steps_and_reports_progress() {
        let brain = demo();
        let mut replay = Replay::new(None, brain.log().to_vec()).unwrap();
        assert!(!replay.step(3).unwrap());
        assert_eq!(
            replay.progress(),
            Loading {
                done: 3,
                total: brain.log().len()
            }
        );
        while !replay.step(3).unwrap() {}
        assert_eq!(replay.finish().0, brain);
    }
}
