//! Storage sync: keeping this tab's engine and the stored log in step.
//!
//! An action appends its command to the stored log (one small chunk and the
//! head, see [`crate::storage`]); a reset, demo, import or compaction writes
//! a new generation. Every save runs under the exclusive Web Lock
//! [`storage::LOCK_NAME`] (`navigator.locks`): reading the head, catching up
//! with another tab and writing are then one step across tabs, where
//! without it two tabs could both read revision n and both write command n.
//! Where a browser has no Web Locks the save runs at once and reads the head
//! back after writing: if another tab's head replaced it, the commands are
//! re-run on top of that tab's state and appended again (compare and retry,
//! a few times; a narrower window, not a guarantee). Another tab's save arrives as a `storage` event on the
//! head, and this tab then runs only the commands it has not seen. Before an
//! action, and before its save, a tab reads the head (a few dozen bytes) and
//! catches up first: a save that finds another tab's newer write re-runs
//! this tab's command on top of it, or shows the conflict, so neither tab's
//! work is silently overwritten. When storage is full the history is
//! compacted into a snapshot and the user is told the sizes.

use brain_core::brain::{Brain, Envelope};
use leptos::prelude::*;

use crate::browser::random_u32;
#[cfg(not(test))]
use crate::browser::with_lock;
use crate::replay::{open_generation, Unreadable};
use crate::snapshot::{compact, plan, stored_snapshot};
use crate::state::{Console, Notice};
use crate::storage::{self, Head};

/// How many times a save without Web Locks re-checks that its head landed.
const CHECKED_TRIES: u32 = 3;

/// The head of what storage holds when it holds nothing.
pub(crate) fn empty_head() -> Head {
    Head::new(0, false, "")
}

impl Console {
    /// Follow another tab's save described by `theirs`: run only the new
    /// commands when it appended to the generation this tab has, else load
    /// its generation. `Err` when its data is unreadable (this tab's state is
    /// then unchanged).
    pub(crate) fn follow(&self, theirs: &Head) -> Result<(), Unreadable> {
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
        if let Err(reason) = crate::witness::check(&brain) {
            // Theirs is kept aside for download and this tab starts over empty:
            // the stored history is not the one this browser witnessed.
            self.set_aside(reason);
            return Ok(());
        }
        self.adopt(theirs.clone(), brain, base);
        Ok(())
    }

    /// If another tab saved since we last read or wrote, take its state
    /// first. Reads only the head unless something changed. Skipped while
    /// this tab has a save queued: that save reconciles under the lock.
    pub(crate) fn pull_if_behind(&self) {
        if self.loading.get_untracked().is_some() || self.saving() {
            return;
        }
        if let Ok(Some(theirs)) = storage::read_head() {
            if !theirs.same_data(&self.head.get_value()) {
                let _ = self.follow(&theirs);
            }
        }
    }

    /// Whether this tab has a save queued on the lock (its engine is then
    /// ahead of its head, and other tabs' saves wait for that save).
    pub(crate) fn saving(&self) -> bool {
        self.saves_queued.get_value() > 0
    }

    /// Save what this tab has not stored yet: under the Web Lock
    /// [`storage::LOCK_NAME`], so that reading the head, reconciling with
    /// another tab's save and writing are one step no other tab's save can
    /// enter. `generation`: the engine was replaced as a whole (reset, demo,
    /// import, migration) and is stored as a new generation.
    pub(crate) fn queue_save(&self, generation: bool) {
        if generation {
            self.generation_queued.set_value(true);
        }
        self.saves_queued.update_value(|n| *n += 1);
        let console = *self;
        let work = move || {
            if console.generation_queued.get_value() {
                console.generation_queued.set_value(false);
                console.write_generation();
            } else {
                console.append_unsaved(CHECKED_TRIES);
            }
            console
                .saves_queued
                .update_value(|n| *n = n.saturating_sub(1));
        };
        // The browser unit tests (state.rs) drive the console synchronously, so
        // they run the no-lock path (save at once, read back, retry); the lock
        // path is covered end to end by tests/e2e/storage.test.mjs.
        #[cfg(test)]
        let locked = {
            work();
            false
        };
        #[cfg(not(test))]
        let locked = with_lock(storage::LOCK_NAME, work);
        self.locked.set_value(locked);
    }

    /// Append the commands this tab ran since its head to the stored log. If
    /// another tab wrote in between, re-run them on its state first; a command
    /// its state refuses is shown as a conflict and the others are kept.
    /// Then read the head back: without Web Locks another tab may have
    /// written between our read and our write (compare and retry, `tries`).
    fn append_unsaved(&self, tries: u32) {
        let ours = self.head.get_value();
        let unsaved: Vec<Envelope> = self.brain.with_untracked(|b| {
            b.log()
                .get(self.base.get_value() + ours.revision as usize..)
                .map(<[Envelope]>::to_vec)
                .unwrap_or_default()
        });
        if unsaved.is_empty() {
            return;
        }
        match storage::read_head() {
            Ok(stored) if stored.as_ref().unwrap_or(&empty_head()).same_data(&ours) => {}
            Ok(Some(theirs)) => {
                let Ok((mut brain, base)) =
                    open_generation(&theirs).and_then(|r| r.run().map_err(Unreadable::Corrupt))
                else {
                    // Theirs is unreadable: ours replaces it (a new generation).
                    return self.write_generation();
                };
                if let Err(reason) = crate::witness::check(&brain) {
                    // Theirs rewrote the witnessed history: kept aside for download,
                    // and ours (which extends the witness) is stored instead.
                    let earlier = storage::corrupt_copies()
                        .into_iter()
                        .map(|(_, v)| v)
                        .collect();
                    let raw = storage::set_aside_corrupt().unwrap_or_default();
                    self.notice(Notice::Corrupt {
                        reason,
                        raw,
                        earlier,
                    });
                    return self.write_generation();
                }
                let mut refused = None;
                for mut env in unsaved {
                    if let Some(last) = brain.log().last().map(|e| e.at) {
                        env.at = env.at.max(last);
                    }
                    if let Err(e) = brain.execute(env.clone()) {
                        refused.get_or_insert((env, e.to_string()));
                    }
                }
                self.adopt(theirs, brain, base);
                if let Some((env, reason)) = refused {
                    self.notice(Notice::Conflict {
                        command: serde_json::to_string(&env).unwrap_or_default(),
                        reason,
                    });
                }
            }
            // Storage was emptied or is unreadable under us: store ours whole.
            Ok(None) | Err(_) => return self.write_generation(),
        }
        let from = self.head.get_value();
        let tab = self.tab.get_value();
        let base = self.base.get_value();
        // The witness first: a tab that sees the new head must find it.
        let witnessed = self.brain.with_untracked(crate::witness::accept);
        let result = self.brain.with_untracked(|b| {
            let log = &b.log()[base..];
            let head = from.at(log.len() as u64, &tab);
            storage::append(&head, log, from.revision as usize).map(|()| head)
        });
        if result.is_err() {
            crate::witness::restore(witnessed.clone());
        }
        match result {
            Ok(head) => {
                let landed = storage::read_head().ok().flatten().as_ref() == Some(&head);
                if landed || self.locked.get_value() || tries == 0 {
                    self.head.set_value(head);
                } else {
                    // Another tab wrote over us: our commands are unsaved again,
                    // and the stored history is theirs, not the one we witnessed.
                    crate::witness::restore(witnessed);
                    self.head.set_value(from);
                    self.append_unsaved(tries - 1);
                }
            }
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

    /// The epoch for a new generation: after every one seen here or stored,
    /// and unique to this tab (a random nonce in its low bits), so two tabs
    /// starting a generation at once never share keys or look identical.
    fn next_epoch(&self) -> u64 {
        let stored = storage::read_head().ok().flatten().map_or(0, |h| h.epoch);
        storage::next_epoch(stored.max(self.head.get_value().epoch), random_u32())
    }

    /// Store this tab's engine as a new generation (reset, demo, import,
    /// migration), under the lock.
    pub(crate) fn save_generation(&self) {
        self.queue_save(true);
    }

    /// Write this tab's engine as a new generation now (the caller holds the
    /// lock): as commands when they rebuild it, else with its snapshot as the
    /// origin. Compacts when it does not fit.
    fn write_generation(&self) {
        let plan = self.brain.with_untracked(plan);
        let tab = self.tab.get_value();
        let epoch = self.next_epoch();
        // The witness first: a tab that sees the new head must find it (a reset
        // here must not look like a rewrite there).
        let witnessed = self.brain.with_untracked(crate::witness::accept);
        let result = self.brain.with_untracked(|b| {
            let log = &b.log()[plan.base..];
            let head = Head::new(epoch, plan.origin.is_some(), &tab).at(log.len() as u64, &tab);
            storage::write_generation(&head, plan.origin.as_deref(), log).map(|()| head)
        });
        if result.is_err() {
            crate::witness::restore(witnessed);
        }
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
        let witnessed = crate::witness::accept(&compacted);
        match storage::write_generation(&head, Some(&origin), &[]) {
            Ok(()) => {
                self.adopt(head, compacted, 0);
                self.notice(Notice::Compacted { before, after });
            }
            Err(e) => {
                crate::witness::restore(witnessed);
                self.notice(Notice::Full {
                    reason: e.to_string(),
                })
            }
        }
    }

    pub(crate) fn listen_to_other_tabs(&self) {
        let console = *self;
        let handle =
            window_event_listener(leptos::ev::storage, move |ev: web_sys::StorageEvent| {
                if ev.key().as_deref() != Some(storage::HEAD_KEY)
                    || console.loading.get_untracked().is_some()
                    || console.saving()
                {
                    // While loading, the end of the replay looks at the head again;
                    // while a save is queued, that save reads the head under the lock.
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
