//! The console's one context: the engine, and the notices and toasts shown
//! to the user.
//!
//! Every change goes through [`Console::execute`]: the command is stamped
//! with the browser's time, run by the engine, and appended at once to the
//! stored log. The rest of the context's work lives by concept:
//! [`crate::replay`] loads the stored log at start-up (in slices when it is
//! long), [`crate::sync`] saves and follows other tabs' saves,
//! [`crate::snapshot`] holds the pure rules for whole brains (import,
//! compaction, how a brain is stored), [`crate::browser`] the clock and
//! downloads, and [`crate::storage`] is the only user of browser storage.

use brain_core::brain::{BatchRun, Brain, Command, Envelope, Event};
use leptos::prelude::*;

use crate::browser::{now, tab_id};
use crate::error::ConsoleError;
use crate::replay::{open_stored, Opened};
use crate::storage::{self, Head};
use crate::sync::empty_head;

/// What the console tells the user about their stored data.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// Stored data was unreadable; it is kept aside for download (`raw`),
    /// beside the copies kept from earlier corruptions (`earlier`, oldest first).
    Corrupt {
        reason: String,
        raw: String,
        earlier: Vec<String>,
    },
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
    /// The commands that put the state back, offered as "Undo" (see [`crate::undo`]).
    pub undo: Option<Vec<Command>>,
}

/// A question before an action that destroys or replaces something: what
/// will change, and the action to run when the user agrees.
#[derive(Clone)]
pub struct Confirmation {
    /// The dialog's heading, e.g. "Remove source zillow?".
    pub title: String,
    /// What will change, in a sentence or two.
    pub changes: String,
    /// The confirming button's label ("Remove").
    pub confirm: String,
    /// What to run on confirmation.
    pub action: Callback<()>,
    /// A second way out offered beside cancel (e.g. "Export first"), if any.
    pub alternative: Option<(String, Callback<()>)>,
    /// The buttons' test ids: `{key}-confirm`, `{key}-cancel`, `{key}-alternative`.
    pub key: &'static str,
}

/// Where the operator's name is kept: outside the console's own keys (those
/// belong to the stored log, and a reset or a new generation clears them).
pub const OPERATOR_KEY: &str = "brain.operator";

/// Who the commands say did them when no operator name is set.
pub const ANONYMOUS: &str = "console";

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
    pub(crate) brain: RwSignal<Brain>,
    /// The stored head this tab's engine matches (what it last read or wrote).
    pub(crate) head: StoredValue<Head>,
    /// Log entries that belong to the origin snapshot (the stored commands
    /// are `log()[base..]`).
    pub(crate) base: StoredValue<usize>,
    /// This tab's id, written into the heads it saves.
    pub(crate) tab: StoredValue<String>,
    /// Saves queued on the storage lock and not yet run.
    pub(crate) saves_queued: StoredValue<u32>,
    /// The engine was replaced as a whole and waits to be stored as a new generation.
    pub(crate) generation_queued: StoredValue<bool>,
    /// Whether the last save ran under a Web Lock (else it re-checks what it wrote).
    pub(crate) locked: StoredValue<bool>,
    /// What this tab had not stored before it was reloaded, until the
    /// stored state is loaded and they are re-run on it ([`crate::unsaved`]).
    pub(crate) kept: StoredValue<Option<crate::unsaved::Unsaved>>,
    /// Some while the stored log is being replayed at start-up.
    pub loading: RwSignal<Option<Loading>>,
    /// Storage notices, newest last.
    pub notices: RwSignal<Vec<Notice>>,
    /// Feedback toasts.
    pub toasts: RwSignal<Vec<Toast>>,
    next_toast: StoredValue<u64>,
    /// The operator's name, written as `actor` on every command ("" until given).
    pub operator: RwSignal<String>,
    /// The question the confirm dialog asks now, if any.
    pub confirming: RwSignal<Option<Confirmation>>,
}

/// The console's context, provided by [`provide_console`].
pub fn use_console() -> Console {
    expect_context::<Console>()
}

/// Load the stored state (or start empty), and provide the context.
pub fn provide_console() -> Console {
    let console = Console {
        brain: RwSignal::new(Brain::new()),
        head: StoredValue::new(empty_head()),
        base: StoredValue::new(0),
        tab: StoredValue::new(tab_id()),
        saves_queued: StoredValue::new(0),
        generation_queued: StoredValue::new(false),
        locked: StoredValue::new(false),
        kept: StoredValue::new(crate::unsaved::read()),
        loading: RwSignal::new(None),
        notices: RwSignal::new(Vec::new()),
        toasts: RwSignal::new(Vec::new()),
        next_toast: StoredValue::new(0),
        operator: RwSignal::new(
            storage::load::<String>(OPERATOR_KEY)
                .ok()
                .flatten()
                .unwrap_or_default(),
        ),
        confirming: RwSignal::new(None),
    };
    provide_context(console);
    match open_stored() {
        Ok(Opened::Empty) => console.restore_kept(),
        Ok(Opened::Legacy(brain)) => {
            // A format-1 record is never saved by a tab that keeps commands.
            console.kept.set_value(None);
            // Existing users' data: rewritten as a log; the format-1 record is
            // removed only once the new format is stored.
            console.brain.set(brain);
            console.save_generation();
        }
        Ok(Opened::Log(head, replay)) => console.replay(head, replay),
        Ok(Opened::Cold(head)) => console.load(head),
        Err(e) => console.unreadable(e),
    }
    console.listen_to_other_tabs();
    crate::peers::start(&console.tab.get_value());
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
    pub fn execute(&self, command: Command) -> Result<Vec<Event>, ConsoleError> {
        let actor = self.actor();
        self.execute_by(command, &actor)
    }

    /// [`Console::execute`] on behalf of `actor` (who the audit trail and the model
    /// history record), for the forms that ask who acts.
    pub fn execute_by(&self, command: Command, actor: &str) -> Result<Vec<Event>, ConsoleError> {
        if self.loading.get_untracked().is_some() {
            // The pages are not shown while loading; this guards other callers.
            return Err(ConsoleError::StillLoading);
        }
        self.pull_if_behind();
        if self.loading.get_untracked().is_some() {
            // Catching up started a load (another tab's history in IndexedDB).
            return Err(ConsoleError::StillLoading);
        }
        let env = self.stamp(command, actor);
        let events = self.run(env)?;
        self.queue_save(false);
        Ok(events)
    }

    /// Run a batch (a planned CSV import) all or nothing, and save it: if
    /// the engine refuses any command, nothing is applied or saved.
    pub fn execute_all(&self, commands: Vec<Envelope>) -> Result<Vec<Event>, ConsoleError> {
        if self.loading.get_untracked().is_some() {
            return Err(ConsoleError::StillLoading);
        }
        self.pull_if_behind();
        if self.loading.get_untracked().is_some() {
            return Err(ConsoleError::StillLoading);
        }
        let result = self
            .brain
            .try_update_untracked(|b| b.execute_all(commands).map_err(ConsoleError::from))
            .unwrap_or(Err(ConsoleError::ShuttingDown));
        if result.is_ok() {
            self.brain.notify();
            self.queue_save(false);
        }
        result
    }

    /// A batch (a planned CSV import) to apply in slices on a copy of the
    /// engine (a large file keeps the page painting and can be cancelled);
    /// [`Console::commit_batch`] then replaces the engine and saves it in
    /// one step.
    pub fn start_batch(&self, commands: Vec<Envelope>) -> Result<BatchRun, ConsoleError> {
        if self.loading.get_untracked().is_some() {
            return Err(ConsoleError::StillLoading);
        }
        self.pull_if_behind();
        Ok(self.brain.with_untracked(|b| b.start_batch(commands)))
    }

    /// Replace the engine with a finished [`BatchRun`]'s copy and save it:
    /// refused (nothing applied or saved) when a command was refused or the
    /// engine changed after the run started (another action, another tab).
    pub fn commit_batch(&self, run: BatchRun) -> Result<Vec<Event>, ConsoleError> {
        if self.loading.get_untracked().is_some() {
            return Err(ConsoleError::StillLoading);
        }
        self.pull_if_behind();
        let result = self
            .brain
            .try_update_untracked(|b| run.commit(b).map_err(ConsoleError::from))
            .unwrap_or(Err(ConsoleError::ShuttingDown));
        if result.is_ok() {
            self.brain.notify();
            self.queue_save(false);
        }
        result
    }

    /// Run a command and show a toast with `success` or the error; when the
    /// engine has a command that puts the state back, the toast offers it.
    pub fn act(&self, command: Command, success: &str) -> Result<Vec<Event>, ConsoleError> {
        let actor = self.actor();
        self.act_as(command, &actor, success)
    }

    /// [`Console::act`] on behalf of `actor`.
    pub fn act_as(
        &self,
        command: Command,
        actor: &str,
        success: &str,
    ) -> Result<Vec<Event>, ConsoleError> {
        let undo = self
            .brain
            .with_untracked(|b| crate::undo::compensation(b, &command));
        let result = self.execute_by(command, actor);
        match &result {
            Ok(events) => match events.iter().find_map(Event::refusal) {
                Some(reason) => self.toast(false, format!("refused: {reason}")),
                None => self.push_toast(true, success.to_string(), undo),
            },
            Err(e) => self.toast(false, e.to_string()),
        }
        result
    }

    /// Run a command from a form with a result line: the line shows the
    /// outcome (success, the refusal or the error) and a toast appears only
    /// to offer Undo, so nothing is said twice. True when it went through
    /// (the form then clears its fields).
    pub fn submit(
        &self,
        command: Command,
        result: RwSignal<Option<(bool, String)>>,
        success: impl Into<String>,
    ) -> bool {
        let outcome = self.act_in_form(command);
        let (ok, words) = crate::outcome::form_line(&outcome, &success.into());
        result.set(Some((ok, words)));
        ok
    }

    /// Run a command for a form that shows its outcome itself (success and
    /// failure): no toast repeats it; one appears only to offer Undo.
    pub fn act_in_form(&self, command: Command) -> Result<Vec<Event>, ConsoleError> {
        let actor = self.actor();
        self.act_in_form_as(command, &actor)
    }

    /// [`Console::act_in_form`] on behalf of `actor` (a form that names who
    /// acts, as the models page's deploy), falling back to the operator when
    /// `actor` is blank.
    pub fn act_in_form_as(
        &self,
        command: Command,
        actor: &str,
    ) -> Result<Vec<Event>, ConsoleError> {
        let actor = match actor.trim() {
            "" => self.actor(),
            named => named.to_string(),
        };
        let undo = self
            .brain
            .with_untracked(|b| crate::undo::compensation(b, &command));
        let outcome = self.execute_by(command, &actor);
        let ok = outcome
            .as_ref()
            .is_ok_and(|events| events.iter().all(|e| e.refusal().is_none()));
        if let Some(text) = crate::outcome::toast_after_form(ok, undo.is_some()) {
            self.push_toast(true, text.to_string(), undo);
        }
        outcome
    }

    /// [`Console::act`] for a form that shows errors under its fields but
    /// not its success: the error is not repeated in a toast (success and
    /// refusals still are).
    pub fn act_form(&self, command: Command, success: &str) -> Result<Vec<Event>, ConsoleError> {
        let actor = self.actor();
        let undo = self
            .brain
            .with_untracked(|b| crate::undo::compensation(b, &command));
        let result = self.execute_by(command, &actor);
        if let Ok(events) = &result {
            match events.iter().find_map(Event::refusal) {
                Some(reason) => self.toast(false, format!("refused: {reason}")),
                None => self.push_toast(true, success.to_string(), undo),
            }
        }
        result
    }

    /// Run the commands a toast offered as "Undo", and say how it went.
    pub fn undo(&self, toast_id: u64, commands: Vec<Command>) {
        self.toasts.update(|t| t.retain(|x| x.id != toast_id));
        for command in commands {
            if let Err(e) = self.execute(command) {
                self.toast(false, format!("could not undo: {e}"));
                return;
            }
        }
        self.toast(true, "undone: the state is as it was before");
    }

    /// Ask before running `confirmation.action` (the shell's dialog shows it).
    pub fn confirm(&self, confirmation: Confirmation) {
        self.confirming.set(Some(confirmation));
    }

    /// Set the operator's name (kept in this browser); `Err` says what is wrong with it.
    pub fn set_operator(&self, name: &str) -> Result<String, String> {
        let name = crate::forms::check_name("your name", name)?;
        storage::save(OPERATOR_KEY, &name).map_err(|e| e.to_string())?;
        self.operator.set(name.clone());
        Ok(name)
    }

    /// Who acts: the operator's name, or [`ANONYMOUS`] until one is given.
    fn actor(&self) -> String {
        let operator = self.operator.get_untracked();
        if operator.is_empty() {
            ANONYMOUS.to_string()
        } else {
            operator
        }
    }

    fn stamp(&self, command: Command, actor: &str) -> Envelope {
        // Commands must come in time order; a clock that went back is clamped.
        let last = self.brain.with_untracked(|b| b.log().last().map(|e| e.at));
        let at = match last {
            Some(last) if last > now() => last,
            _ => now(),
        };
        Envelope::new(at, command).by(actor)
    }

    fn run(&self, env: Envelope) -> Result<Vec<Event>, ConsoleError> {
        let result = self
            .brain
            .try_update_untracked(|b| b.execute(env).map_err(ConsoleError::from));
        let result = result.unwrap_or(Err(ConsoleError::ShuttingDown));
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

    /// Show a toast that disappears after a few seconds (or when dismissed).
    pub fn toast(&self, ok: bool, text: impl Into<String>) {
        self.push_toast(ok, text.into(), None);
    }

    fn push_toast(&self, ok: bool, text: String, undo: Option<Vec<Command>>) {
        let id = self.next_toast.get_value();
        self.next_toast.set_value(id + 1);
        // An undo stays long enough to be read and reached with the keyboard.
        let millis = match (&undo, ok) {
            (Some(_), _) => 15_000,
            (None, true) => 5_000,
            (None, false) => 10_000,
        };
        self.toasts
            .update(|t| push_toast(t, Toast { id, ok, text, undo }));
        let toasts = self.toasts;
        set_timeout(
            move || toasts.update(|t| t.retain(|x| x.id != id)),
            std::time::Duration::from_millis(millis),
        );
    }

    /// Close a toast before its time.
    pub fn dismiss_toast(&self, id: u64) {
        self.toasts.update(|t| t.retain(|x| x.id != id));
    }

    /// Dismiss a notice.
    pub fn dismiss(&self, index: usize) {
        self.notices.update(|n| {
            if index < n.len() {
                n.remove(index);
            }
        });
    }

    pub(crate) fn notice(&self, notice: Notice) {
        self.notices.update(|n| {
            n.retain(|x| std::mem::discriminant(x) != std::mem::discriminant(&notice));
            n.push(notice);
        });
    }

    /// Take a replayed generation as this tab's state, and its audit tree head
    /// as the witness (callers check a history they did not write first:
    /// [`crate::witness::check`]).
    pub(crate) fn adopt(&self, head: Head, brain: Brain, base: usize) {
        crate::witness::accept(&brain);
        self.brain.set(brain);
        self.base.set_value(base);
        self.head.set_value(head);
        // The first state adopted is the stored one loaded at start-up: what
        // this tab had not stored before a reload is re-run on it.
        self.restore_kept();
    }

    /// Stored data is unreadable: keep it aside for download, start empty.
    pub(crate) fn set_aside(&self, reason: String) {
        // Commands run on the history set aside are not run on an empty one.
        self.kept.set_value(None);
        crate::unsaved::forget();
        let earlier = storage::corrupt_copies()
            .into_iter()
            .map(|(_, v)| v)
            .collect();
        let raw = storage::set_aside_corrupt().unwrap_or_default();
        self.adopt(empty_head(), Brain::new(), 0);
        self.notice(Notice::Corrupt {
            reason,
            raw,
            earlier,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
                    undo: None,
                },
            );
        }
        let ids: Vec<u64> = list.iter().map(|t| t.id).collect();
        assert_eq!(ids, vec![2, 3, 4]);
        assert_eq!(list.len(), MAX_TOASTS);
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use crate::browser::{now, yield_to_browser};
    use crate::replay::open_generation;
    use crate::snapshot::{compact, stored_snapshot};
    use crate::storage;
    use crate::sync::empty_head;
    use brain_core::brain::Envelope;
    use brain_core::ingest;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn clear() {
        storage::console_keys()
            .iter()
            .for_each(|k| storage::remove(k));
        storage::corrupt_copies()
            .iter()
            .for_each(|(k, _)| storage::remove(k));
        storage::remove(storage::WITNESS_KEY);
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
        assert_eq!(
            b.execute(add_source("too early")).map_err(|e| e.code()),
            Err("still_loading"),
            "no action on a half-built state, and it says why"
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
