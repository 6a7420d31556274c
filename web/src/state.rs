//! The console's one context: the engine, its persistence, and the notices
//! shown to the user.
//!
//! Every change goes through [`Console::execute`]: the command is stamped
//! with the browser's time, run by the engine, and appended at once to the
//! stored log (see [`crate::storage`]: one small chunk and the head, so an
//! action costs the same at 10 commands or 10,000). Another tab's save
//! arrives as a `storage` event on the head; this tab then runs only the
//! commands it has not seen. A save that finds another tab's newer write
//! re-runs this tab's command on top of it, or shows the conflict, so neither
//! tab's work is silently overwritten.

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

/// At most this many toasts show at once: a burst of actions (or a what-if
/// run's steps) must not cover the page. The oldest go first; each still
/// disappears on its own timer.
pub const MAX_TOASTS: usize = 3;

/// Adds `toast` as the newest, dropping the oldest beyond `MAX_TOASTS`.
pub fn push_toast(list: &mut Vec<Toast>, toast: Toast) {
    list.push(toast);
    let extra = list.len().saturating_sub(MAX_TOASTS);
    list.drain(..extra);
}

/// Progress of the replay of the stored log at start-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Loading {
    /// Commands run so far.
    pub done: usize,
    /// Commands to run.
    pub total: usize,
}

/// The context: copyable handles to the engine and the notices.
#[derive(Clone, Copy)]
pub struct Console {
    brain: RwSignal<Brain>,
    /// The stored head this tab's engine matches (what it last read or wrote).
    head: StoredValue<Head>,
    /// Log entries that belong to the origin snapshot (the stored commands
    /// are `log()[base..]`).
    base: StoredValue<usize>,
    /// This tab's id, written into the heads it saves.
    tab: StoredValue<String>,
    /// Some while the stored log is being replayed at start-up.
    pub loading: RwSignal<Option<Loading>>,
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

/// How long the start-up replay may hold the page before it shows progress
/// and continues in slices: a page ready within a quarter second renders
/// straight away (the 10,000-command bench log replays in ~100 ms), a
/// longer wait shows progress instead of a frozen page.
const FIRST_SLICE_MS: f64 = 250.0;
/// One slice of a long replay: short enough to keep the page responsive.
const SLICE_MS: f64 = 40.0;
/// Commands run between two looks at the clock.
const STEP: usize = 64;

/// Why the stored state could not be read.
#[derive(Debug, Clone, PartialEq)]
enum Unreadable {
    /// The data is there but not readable: it is set aside.
    Corrupt(String),
    /// Storage itself is not available.
    Unavailable(String),
}

impl From<StorageError> for Unreadable {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::Unavailable(reason) => Unreadable::Unavailable(reason),
            other => Unreadable::Corrupt(other.to_string()),
        }
    }
}

/// What storage held at start-up.
enum Opened {
    /// Nothing: a first visit, or after a reset of the storage.
    Empty,
    /// A format-1 record, to be rewritten in the current format.
    Legacy(Brain),
    /// A stored log, to be replayed.
    Log(Head, Replay),
}

/// A brain being rebuilt from its stored origin and commands, a slice at a
/// time (so a long log does not freeze the page).
pub struct Replay {
    brain: Brain,
    base: usize,
    commands: std::vec::IntoIter<Envelope>,
    done: usize,
    total: usize,
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
            brain,
            total: commands.len(),
            commands: commands.into_iter(),
            done: 0,
        })
    }

    /// Commands run so far, and in all.
    pub fn progress(&self) -> Loading {
        Loading {
            done: self.done,
            total: self.total,
        }
    }

    /// Run up to `n` more commands; `Ok(true)` once every command has run.
    /// A command the engine refuses means the stored log is not one this
    /// engine wrote: the log is unreadable.
    pub fn step(&mut self, n: usize) -> Result<bool, String> {
        for env in self.commands.by_ref().take(n) {
            self.brain.execute(env).map_err(|e| {
                format!(
                    "stored command {} of {} is refused by the engine: {e}",
                    self.done + 1,
                    self.total
                )
            })?;
            self.done += 1;
        }
        Ok(self.done == self.total)
    }

    /// Run everything that is left.
    pub fn run(mut self) -> Result<(Brain, usize), String> {
        self.step(usize::MAX)?;
        Ok(self.finish())
    }

    /// The brain, and how many of its log entries belong to the origin.
    pub fn finish(self) -> (Brain, usize) {
        (self.brain, self.base)
    }
}

/// How a brain is stored: its origin snapshot, if any, and how many of its
/// log entries that snapshot holds (the rest are stored as commands).
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The origin snapshot's JSON (None: the commands start from an empty brain).
    pub origin: Option<String>,
    /// Log entries inside the origin.
    pub base: usize,
}

/// Store the commands when they rebuild this exact brain from its origin
/// (what the console itself writes: demo, reset, its own history); otherwise
/// (a file from another engine version, edited storage) the whole snapshot
/// becomes the origin, so nothing is lost or silently changed.
pub fn plan(brain: &Brain) -> Plan {
    let origin = brain.origin().map(origin_only);
    let rebuilt = Replay::new(origin.as_deref(), brain.log().to_vec()).and_then(Replay::run);
    match rebuilt {
        Ok((rebuilt, 0)) if rebuilt == *brain => Plan { origin, base: 0 },
        _ => Plan {
            origin: Some(stored_snapshot(brain)),
            base: brain.log().len(),
        },
    }
}

/// The snapshot of a brain that is just `state`, with no history.
fn origin_only(state: &brain_core::BrainState) -> String {
    let snap = Snapshot {
        schema_version: brain_core::brain::SCHEMA_VERSION,
        state: state.clone(),
        origin: None,
        log: Vec::new(),
        events: Vec::new(),
    };
    serde_json::to_string(&snap).unwrap_or_default()
}

/// Read a whole stored generation (origin and commands), not yet replayed.
fn open_generation(head: &Head) -> Result<Replay, Unreadable> {
    let origin = storage::read_origin(head)?;
    let commands = storage::read_commands(head, 0..head.revision as usize)?;
    Replay::new(origin.as_deref(), commands).map_err(Unreadable::Corrupt)
}

/// What storage holds, read but not replayed.
fn open_stored() -> Result<Opened, Unreadable> {
    if let Some(head) = storage::read_head()? {
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

/// The head of what storage holds when it holds nothing.
fn empty_head() -> Head {
    Head::new(0, false, "")
}

/// Milliseconds on the page's clock.
fn clock() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// Record the replay's duration as the performance measure `brain:replay`
/// (devtools' timeline and tests/bench/console-actions.mjs read it).
fn measure_replay(started: f64, commands: usize) {
    use wasm_bindgen::JsCast;
    let Some(p) = web_sys::window().and_then(|w| w.performance()) else {
        return;
    };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"start".into(), &started.into());
    let _ = js_sys::Reflect::set(&options, &"end".into(), &p.now().into());
    let _ = js_sys::Reflect::set(&options, &"detail".into(), &(commands as f64).into());
    if let Ok(measure) = js_sys::Reflect::get(&p, &"measure".into()) {
        if let Some(measure) = measure.dyn_ref::<js_sys::Function>() {
            let _ = measure.call2(&p, &"brain:replay".into(), &options);
        }
    }
}

/// Let the browser handle events and paint before the next slice.
async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Load the stored state (or start empty), and provide the context.
pub fn provide_console() -> Console {
    let console = Console {
        brain: RwSignal::new(Brain::new()),
        head: StoredValue::new(empty_head()),
        base: StoredValue::new(0),
        tab: StoredValue::new(tab_id()),
        loading: RwSignal::new(None),
        notices: RwSignal::new(Vec::new()),
        toasts: RwSignal::new(Vec::new()),
        next_toast: StoredValue::new(0),
    };
    provide_context(console);
    match open_stored() {
        Ok(Opened::Empty) => {}
        Ok(Opened::Legacy(brain)) => {
            // Existing users' data: rewritten as a log; the format-1 record is
            // removed only once the new format is stored.
            console.brain.set(brain);
            console.save_generation();
        }
        Ok(Opened::Log(head, replay)) => console.replay(head, replay),
        Err(Unreadable::Corrupt(reason)) => console.set_aside(reason),
        Err(Unreadable::Unavailable(reason)) => console.notice(Notice::Unavailable { reason }),
    }
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
        if self.loading.get_untracked().is_some() {
            // The pages are not shown while loading; this guards other callers.
            return Err(BrainError::Json(
                "the stored history is still loading; nothing was changed".into(),
            ));
        }
        self.pull_if_behind();
        let env = self.stamp(command);
        let events = self.run(env.clone())?;
        self.append_save(env);
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

    /// Replace the engine (import, demo, reset) and save it as a new generation.
    pub fn replace(&self, brain: Brain) {
        self.brain.set(brain);
        self.save_generation();
    }

    /// Show a toast that disappears after a few seconds.
    pub fn toast(&self, ok: bool, text: impl Into<String>) {
        let id = self.next_toast.get_value();
        self.next_toast.set_value(id + 1);
        self.toasts.update(|t| {
            push_toast(
                t,
                Toast {
                    id,
                    ok,
                    text: text.into(),
                },
            )
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

    /// Take a replayed generation as this tab's state.
    fn adopt(&self, head: Head, brain: Brain, base: usize) {
        self.brain.set(brain);
        self.base.set_value(base);
        self.head.set_value(head);
    }

    /// Stored data is unreadable: keep it aside for download, start empty.
    fn set_aside(&self, reason: String) {
        let raw = storage::set_aside_corrupt().unwrap_or_default();
        self.adopt(empty_head(), Brain::new(), 0);
        self.notice(Notice::Corrupt { reason, raw });
    }

    /// Replay a stored generation: at once when it is short, otherwise in
    /// slices with progress shown (the pages wait until it is done).
    fn replay(&self, head: Head, replay: Replay) {
        self.replay_within(head, replay, FIRST_SLICE_MS);
    }

    /// [`Console::replay`], holding the page at most `first_slice_ms`.
    fn replay_within(&self, head: Head, mut replay: Replay, first_slice_ms: f64) {
        let started = clock();
        let first = started;
        loop {
            match replay.step(STEP) {
                Err(reason) => return self.set_aside(reason),
                Ok(true) => {
                    measure_replay(started, replay.progress().total);
                    let (brain, base) = replay.finish();
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
                            console.adopt(head, brain, base);
                            console.loading.set(None);
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

    /// Follow another tab's save described by `theirs`: run only the new
    /// commands when it appended to the generation this tab has, else load
    /// its generation. `Err` when its data is unreadable (this tab's state is
    /// then unchanged).
    fn follow(&self, theirs: &Head) -> Result<(), Unreadable> {
        let ours = self.head.get_value();
        if theirs.epoch == ours.epoch
            && theirs.origin == ours.origin
            && theirs.revision > ours.revision
        {
            let new =
                storage::read_commands(theirs, ours.revision as usize..theirs.revision as usize)?;
            let ran = self
                .brain
                .try_update(|b| new.into_iter().all(|env| b.execute(env).is_ok()));
            if ran == Some(true) {
                self.head.set_value(theirs.clone());
                return Ok(());
            }
        }
        let (brain, base) = open_generation(theirs)?
            .run()
            .map_err(Unreadable::Corrupt)?;
        self.adopt(theirs.clone(), brain, base);
        Ok(())
    }

    /// If another tab saved since we last read or wrote, take its state
    /// first. Reads only the head unless something changed.
    fn pull_if_behind(&self) {
        if self.loading.get_untracked().is_some() {
            return;
        }
        if let Ok(Some(theirs)) = storage::read_head() {
            if !theirs.same_data(&self.head.get_value()) {
                let _ = self.follow(&theirs);
            }
        }
    }

    /// Save the command `env` just run here: append it to the stored log. If
    /// another tab wrote in between, re-run `env` on its state first; if that
    /// fails, keep the other tab's state and show the conflict.
    fn append_save(&self, env: Envelope) {
        let ours = self.head.get_value();
        match storage::read_head() {
            Ok(stored) if stored.as_ref().unwrap_or(&empty_head()).same_data(&ours) => {}
            Ok(Some(theirs)) => {
                let Ok((mut brain, base)) =
                    open_generation(&theirs).and_then(|r| r.run().map_err(Unreadable::Corrupt))
                else {
                    // Theirs is unreadable: ours replaces it (a new generation).
                    return self.save_generation();
                };
                let mut env = env;
                if let Some(last) = brain.log().last().map(|e| e.at) {
                    env.at = env.at.max(last);
                }
                let refused = brain.execute(env.clone()).err();
                self.adopt(theirs, brain, base);
                if let Some(e) = refused {
                    return self.notice(Notice::Conflict {
                        command: serde_json::to_string(&env).unwrap_or_default(),
                        reason: e.to_string(),
                    });
                }
            }
            // Storage was emptied or is unreadable under us: store ours whole.
            Ok(None) | Err(_) => return self.save_generation(),
        }
        let from = self.head.get_value();
        let tab = self.tab.get_value();
        let base = self.base.get_value();
        let result = self.brain.with_untracked(|b| {
            let log = &b.log()[base..];
            let head = from.at(log.len() as u64, &tab);
            storage::append(&head, log, from.revision as usize).map(|()| head)
        });
        match result {
            Ok(head) => self.head.set_value(head),
            Err(e) if e.is_quota() => {
                let origin = from
                    .origin
                    .then(|| {
                        storage::read_raw(&storage::origin_key(from.epoch))
                            .ok()
                            .flatten()
                    })
                    .flatten();
                self.compact_and_save(self.history_chars(origin.as_deref(), base));
            }
            Err(e) => self.notice(Notice::Full {
                reason: e.to_string(),
            }),
        }
    }

    /// Characters the history takes stored: the origin and the commands.
    fn history_chars(&self, origin: Option<&str>, base: usize) -> usize {
        let commands = self
            .brain
            .with_untracked(|b| storage::render_chunk(&b.log()[base..]).len());
        origin.map_or(0, str::len) + commands
    }

    /// The epoch for a new generation: after every one seen here or stored.
    fn next_epoch(&self) -> u64 {
        let stored = storage::read_head().ok().flatten().map_or(0, |h| h.epoch);
        stored.max(self.head.get_value().epoch) + 1
    }

    /// Store this tab's engine as a new generation (reset, demo, import,
    /// migration): as commands when they rebuild it, else with its snapshot
    /// as the origin. Compacts when it does not fit.
    fn save_generation(&self) {
        let plan = self.brain.with_untracked(plan);
        let tab = self.tab.get_value();
        let epoch = self.next_epoch();
        let result = self.brain.with_untracked(|b| {
            let log = &b.log()[plan.base..];
            let head = Head::new(epoch, plan.origin.is_some(), &tab).at(log.len() as u64, &tab);
            storage::write_generation(&head, plan.origin.as_deref(), log).map(|()| head)
        });
        match result {
            Ok(head) => {
                self.head.set_value(head);
                self.base.set_value(plan.base);
            }
            Err(e) if e.is_quota() => {
                self.compact_and_save(self.history_chars(plan.origin.as_deref(), plan.base))
            }
            Err(e) => self.notice(Notice::Full {
                reason: e.to_string(),
            }),
        }
    }

    /// Storage is full: keep the state as the new origin and drop the logs
    /// (the audit trail is part of the state and stays). Say so either way.
    fn compact_and_save(&self, before: usize) {
        let compacted = self.brain.with_untracked(compact);
        let origin = stored_snapshot(&compacted);
        let after = origin.len();
        let tab = self.tab.get_value();
        let head = Head::new(self.next_epoch(), true, &tab);
        match storage::write_generation(&head, Some(&origin), &[]) {
            Ok(()) => {
                self.adopt(head, compacted, 0);
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
                if ev.key().as_deref() != Some(storage::HEAD_KEY)
                    || console.loading.get_untracked().is_some()
                {
                    // While loading, the end of the replay looks at the head again.
                    return;
                }
                let Some(raw) = ev.new_value() else {
                    // Storage cleared in another tab.
                    return console.adopt(empty_head(), Brain::new(), 0);
                };
                let Ok(theirs) = storage::parse_head(&raw) else {
                    return;
                };
                if theirs.same_data(&console.head.get_value()) {
                    return;
                }
                let ours = console.head.get_value();
                if theirs.epoch == ours.epoch && theirs.revision > ours.revision {
                    let _ = console.follow(&theirs);
                } else if let Ok(replay) = open_generation(&theirs) {
                    // A new generation (demo, import, reset): may be long.
                    console.replay(theirs, replay);
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
    let mut brain = Brain::from_snapshot_json(json)?;
    if brain.log().is_empty() && brain.events().is_empty() && brain.origin().is_none() {
        return Ok(compact(&brain));
    }
    // Execute a stored log again once, here, so that the overview's
    // verification (run after every action) does not do it each time.
    let _ = brain.confirm_log();
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
    use brain_core::brain::Command;

    fn demo() -> Brain {
        let at = DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default();
        Brain::demo(at)
    }

    #[test]
    fn a_burst_of_toasts_keeps_the_newest_few_in_order() {
        let mut list = Vec::new();
        for id in 0..5 {
            push_toast(
                &mut list,
                Toast {
                    id,
                    ok: id % 2 == 0,
                    text: format!("action {id}"),
                },
            );
        }
        let ids: Vec<u64> = list.iter().map(|t| t.id).collect();
        assert_eq!(ids, vec![2, 3, 4]);
        assert_eq!(list.len(), MAX_TOASTS);
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

    #[test]
    fn the_demo_is_stored_as_its_commands_alone_and_replays_to_the_same_brain() {
        let brain = demo();
        let plan = plan(&brain);
        assert_eq!(plan.origin, None, "no snapshot needed");
        assert_eq!(plan.base, 0);
        let (replayed, base) = Replay::new(None, brain.log().to_vec())
            .unwrap()
            .run()
            .unwrap();
        assert_eq!(base, 0);
        assert_eq!(replayed, brain, "same state, same logs, byte for byte");
    }

    #[test]
    fn a_brain_its_commands_do_not_rebuild_keeps_its_snapshot_as_the_origin() {
        // A tampered audit entry (or a file from another engine version):
        // re-running the commands would silently repair it, so it is kept whole.
        let mut snap = demo().snapshot();
        snap.state.audit.entries[3].detail = "tampered".into();
        let brain = Brain::from_snapshot_json(&serde_json::to_string(&snap).unwrap()).unwrap();
        let plan = plan(&brain);
        assert_eq!(plan.base, brain.log().len());
        let (loaded, base) = Replay::new(plan.origin.as_deref(), Vec::new())
            .unwrap()
            .run()
            .unwrap();
        assert_eq!(base, brain.log().len());
        assert_eq!(loaded, brain);
    }

    #[test]
    fn a_compacted_brain_is_stored_as_its_origin_and_later_commands() {
        let mut brain = compact(&demo());
        let plan0 = plan(&brain);
        assert!(plan0.origin.is_some());
        assert_eq!(plan0.base, 0);
        let at = brain.state().last_at.unwrap_or_default();
        let cmd = Command::Ingest(brain_core::ingest::Command::AddSource {
            source: "after compaction".into(),
        });
        brain.execute(Envelope::new(at, cmd)).unwrap();
        let later = brain.log().to_vec();
        let (replayed, base) = Replay::new(plan0.origin.as_deref(), later.clone())
            .unwrap()
            .run()
            .unwrap();
        assert_eq!(base, 0);
        assert_eq!(replayed, brain);
        assert_eq!(
            plan(&brain),
            Plan {
                origin: plan0.origin,
                base: 0
            }
        );
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

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use brain_core::ingest;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn clear() {
        storage::console_keys()
            .iter()
            .for_each(|k| storage::remove(k));
        storage::remove(storage::CORRUPT_KEY);
    }

    fn demo() -> Brain {
        Brain::demo(now() - chrono::Duration::days(3))
    }

    fn add_source(name: &str) -> Command {
        Command::Ingest(ingest::Command::AddSource {
            source: name.into(),
        })
    }

    /// A console as a fresh page load (a tab) would create it.
    fn open_tab() -> (Owner, Console) {
        let owner = Owner::new();
        let console = owner.with(provide_console);
        (owner, console)
    }

    /// Fill storage until fewer than `room` characters are left; returns the filler keys.
    fn fill_leaving(room: usize) -> Vec<String> {
        let mut keys = Vec::new();
        let mut size = 1 << 20;
        while size >= room.max(1024) {
            let key = format!("brain-test-filler-{}", keys.len());
            if storage::write_raw(&key, &"f".repeat(size)).is_ok() {
                keys.push(key);
            } else {
                size /= 2;
            }
        }
        keys
    }

    #[wasm_bindgen_test]
    fn a_format_1_record_is_migrated_and_then_each_action_appends_one_command() {
        clear();
        let brain = demo();
        let legacy = storage::render_legacy_record(3, "tab-old", &brain.to_snapshot_json());
        storage::write_raw(storage::LEGACY_KEY, &legacy).unwrap();
        let (_owner, console) = open_tab();
        assert_eq!(console.with_untracked(Clone::clone), brain, "nothing lost");
        assert_eq!(storage::read_raw(storage::LEGACY_KEY).unwrap(), None);
        let head = storage::read_head().unwrap().unwrap();
        assert_eq!(
            (head.origin, head.revision),
            (false, brain.log().len() as u64)
        );
        console.execute(add_source("after migration")).unwrap();
        let next = storage::read_head().unwrap().unwrap();
        assert_eq!(next.revision, head.revision + 1);
        // A new tab rebuilds exactly this tab's engine.
        let (_other, reloaded) = open_tab();
        assert_eq!(
            reloaded.with_untracked(Clone::clone),
            console.with_untracked(Clone::clone)
        );
        clear();
    }

    #[wasm_bindgen_test]
    fn two_tabs_editing_at_once_keep_both_commands() {
        clear();
        let (_a, a) = open_tab();
        let (_b, b) = open_tab();
        a.replace(demo());
        // Tab B did not hear of it (no storage event within one page): its next
        // command first takes A's state, then appends.
        a.execute(add_source("alpha leads")).unwrap();
        b.execute(add_source("beta leads")).unwrap();
        let names = |c: &Console| {
            c.with_untracked(|br| {
                br.sources()
                    .iter()
                    .map(|s| s.source.clone())
                    .collect::<Vec<_>>()
            })
        };
        assert!(names(&b).contains(&"alpha leads".to_string()));
        assert!(names(&b).contains(&"beta leads".to_string()));
        // And A, at its next action, takes B's command the same way.
        a.execute(add_source("gamma leads")).unwrap();
        assert!(names(&a).contains(&"beta leads".to_string()));
        let head = storage::read_head().unwrap().unwrap();
        let (_c, c) = open_tab();
        assert_eq!(
            c.with_untracked(Clone::clone),
            a.with_untracked(Clone::clone)
        );
        assert_eq!(
            head.revision as usize,
            a.with_untracked(|br| br.log().len())
        );
        clear();
    }

    #[wasm_bindgen_test]
    fn unreadable_stored_data_starts_empty_and_is_set_aside() {
        clear();
        let (_a, a) = open_tab();
        a.replace(demo());
        let head = storage::read_head().unwrap().unwrap();
        storage::write_raw(&storage::chunk_key(head.epoch, 0), "[{\"block\":\"nope\"}]").unwrap();
        let (_b, b) = open_tab();
        assert_eq!(b.with_untracked(|br| br.log().len()), 0);
        let notices = b.notices.get_untracked();
        assert!(
            matches!(notices.as_slice(), [Notice::Corrupt { raw, .. }] if raw.contains("nope")),
            "{notices:?}"
        );
        assert!(storage::read_raw(storage::CORRUPT_KEY).unwrap().is_some());
        assert_eq!(storage::read_head().unwrap(), None);
        clear();
    }

    #[wasm_bindgen_test]
    async fn a_long_replay_runs_in_slices_behind_a_progress_state_and_ends_with_the_whole_brain() {
        clear();
        let (_a, a) = open_tab();
        let brain = demo();
        a.replace(brain.clone());
        let head = storage::read_head().unwrap().unwrap();
        let (_b, b) = open_tab();
        b.adopt(empty_head(), Brain::new(), 0);
        // No time for a first slice: everything runs after the page got control back.
        b.replay_within(head.clone(), open_generation(&head).unwrap(), 0.0);
        let first = b.loading.get_untracked();
        assert!(
            matches!(first, Some(Loading { done, total }) if done < total && total == brain.log().len()),
            "{first:?}"
        );
        assert!(
            b.execute(add_source("too early")).is_err(),
            "no action on a half-built state"
        );
        while b.loading.get_untracked().is_some() {
            yield_to_browser().await;
        }
        assert_eq!(b.with_untracked(Clone::clone), brain);
        assert_eq!(b.head.get_value(), head);
        clear();
    }

    #[wasm_bindgen_test]
    fn when_the_history_does_not_fit_it_is_compacted_and_the_sizes_are_told() {
        clear();
        // Commands that carry data the state does not keep (only its size).
        let mut brain = demo();
        let at = brain.state().last_at.unwrap_or_default();
        let source = brain.sources()[0].source.clone();
        for i in 0..40 {
            let cmd = Command::Ingest(ingest::Command::IngestData {
                source: source.clone(),
                payload: format!("{i:05}{}", "p".repeat(20_000)),
            });
            brain.execute(Envelope::new(at, cmd)).unwrap();
        }
        let compacted_size = stored_snapshot(&compact(&brain)).len();
        let fillers = fill_leaving(compacted_size + 200_000);
        let (_a, a) = open_tab();
        a.replace(brain.clone());
        let notices = a.notices.get_untracked();
        let compacted = match notices.as_slice() {
            [Notice::Compacted { before, after }] => {
                let head = storage::read_head().ok().flatten();
                let (_b, b) = open_tab();
                Ok((
                    (
                        *before > *after,
                        head.is_some_and(|h| h.origin && h.revision == 0),
                    ),
                    b.with_untracked(Brain::state_hash),
                ))
            }
            other => Err(format!("{other:?}")),
        };
        // Nothing fits at all: the banner says so and the stored data is untouched.
        clear();
        let (_c, c) = open_tab();
        c.replace(Brain::new());
        let stored = storage::read_head().unwrap();
        let more = fill_leaving(1024);
        c.replace(demo());
        let full = matches!(c.notices.get_untracked().last(), Some(Notice::Full { .. }));
        let kept = storage::read_head().unwrap() == stored;
        fillers.iter().chain(&more).for_each(|k| storage::remove(k));
        clear();
        assert!(full, "{:?}", c.notices.get_untracked());
        assert!(kept, "the stored generation is untouched");
        let (shape, hash) = compacted.unwrap();
        assert_eq!(shape, (true, true), "smaller, stored as an origin only");
        assert_eq!(hash, brain.state_hash(), "the compacted state loads back");
    }
}
