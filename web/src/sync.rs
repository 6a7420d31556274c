//! Storage sync: keeping this tab's engine and the stored log in step.
//!
//! An action appends its command to the stored log (one small chunk and the
//! head, see [`crate::storage`]); a reset, demo, import or compaction writes
//! a new generation. Every save runs under the exclusive Web Lock
//! [`storage::LOCK_NAME`] (`navigator.locks`): reading the head, catching up
//! with another tab and writing are then one step across tabs, where
//! without it two tabs could both read revision n and both write command n.
//! The lock alone is not enough in Chromium, whose localStorage copy in a tab
//! can lag behind another tab's save that came before the lock's grant: each
//! locked save first waits for the head the last one recorded in IndexedDB
//! ([`crate::fence`]).
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

#[cfg(test)]
use crate::browser::run_now;
#[cfg(not(test))]
use crate::browser::with_lock;
use crate::browser::{random_u32, Later};
use crate::replay::{open_generation, Unreadable};
use crate::snapshot::{compact, plan, stored_snapshot};
use crate::state::{Console, Notice};
use crate::storage::{self, Head};

/// How many times a save without Web Locks re-checks that its head landed.
const CHECKED_TRIES: u32 = 3;
/// How many times a save reads another tab's IndexedDB chunks before it
/// gives up (each read is followed by a new look at the head).
const FETCH_TRIES: u32 = 3;

/// What a save needs before it can go on (IndexedDB is asynchronous).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Needs {
    /// Another tab's generation, whose full chunks are in IndexedDB, must
    /// be read first (to re-run this tab's commands on top of it).
    Fetch(Head),
    /// localStorage is full: move the full chunks to IndexedDB.
    Spill,
}

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
                storage::read_commands(theirs, ours.revision as usize..theirs.revision as usize)
                    .map_err(Unreadable::from);
            if new == Err(Unreadable::NotFetched) {
                // The other tab moved them to IndexedDB: read, then follow.
                self.load(theirs.clone());
                return Ok(());
            }
            let new = new?;
            let ran = self
                .brain
                .try_update(|b| new.into_iter().all(|env| b.execute(env).is_ok()));
            if ran == Some(true) {
                self.head.set_value(theirs.clone());
                return Ok(());
            }
        }
        if !crate::idb::fetched(theirs) {
            self.load(theirs.clone());
            return Ok(());
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
        // Until the save below runs, what it will store lives only in this
        // tab's memory: kept in sessionStorage for a reload meanwhile.
        self.keep_unsaved();
        self.saves_queued.update_value(|n| *n += 1);
        let console = *self;
        let work = move || -> Option<Later> {
            let generation = console.generation_queued.get_value();
            console.generation_queued.set_value(false);
            let done = move || {
                console
                    .saves_queued
                    .update_value(|n| *n = n.saturating_sub(1));
                // Stored: nothing left to keep (or what a failed save left).
                console.keep_unsaved();
            };
            // The synchronous browser unit tests keep the compaction path; the
            // move to IndexedDB is covered end to end by tests/e2e/idb.test.mjs.
            let may_spill = cfg!(not(test)) && crate::idb::available();
            match console.save_step(generation, may_spill) {
                Ok(()) => {
                    done();
                    None
                }
                Err(needs) => Some(Box::pin(async move {
                    console.save_later(generation, needs).await;
                    done();
                })),
            }
        };
        // The browser unit tests (state.rs) drive the console synchronously, so
        // they run the no-lock path (save at once, read back, retry); the lock
        // path is covered end to end by tests/e2e/storage.test.mjs.
        #[cfg(test)]
        let locked = {
            run_now(work);
            false
        };
        #[cfg(not(test))]
        let locked = with_lock(storage::LOCK_NAME, move || fenced(work));
        self.locked.set_value(locked);
    }

    /// One synchronous attempt at the save (localStorage only); `Err` says
    /// what it needs from IndexedDB first.
    fn save_step(&self, generation: bool, may_spill: bool) -> Result<(), Needs> {
        if generation {
            self.write_generation(may_spill)
        } else {
            self.append_unsaved(CHECKED_TRIES, may_spill)
        }
    }

    /// The rest of a save that needed IndexedDB (still under the lock).
    async fn save_later(self, generation: bool, mut needs: Needs) {
        let mut fetches = 0;
        loop {
            match needs {
                Needs::Spill => return self.spill(generation).await,
                Needs::Fetch(_) if fetches == FETCH_TRIES => break,
                Needs::Fetch(theirs) => {
                    fetches += 1;
                    let fetched = crate::idb::fetch(&theirs).await;
                    if let Err(e) = fetched {
                        // Theirs cannot be read back: kept aside, ours stored.
                        self.keep_theirs_aside(format!(
                            "another tab's stored history cannot be read: {e}"
                        ));
                        let _ = self.write_generation(false);
                        return;
                    }
                    let step = self.save_step(generation, true);
                    crate::idb::forget();
                    match step {
                        Ok(()) => return,
                        Err(next) => needs = next,
                    }
                }
            }
        }
        self.notice(Notice::Full {
            reason: "another tab kept writing while this one read its history; \
                     this tab's change is not stored yet"
                .into(),
        });
    }

    /// The stored history is not one this tab can build on: keep it aside
    /// for download (and say why) before this tab's replaces it.
    fn keep_theirs_aside(&self, reason: String) {
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
    }

    /// localStorage is full: move every full chunk of this tab's log to
    /// IndexedDB, then store the rest (the last chunk, the head) as usual.
    /// Compacts only when IndexedDB refuses too.
    async fn spill(self, generation: bool) {
        let tab = self.tab.get_value();
        let replaced = storage::read_head().ok().flatten();
        let (head, origin, base, from) = if generation {
            let plan = self.brain.with_untracked(plan);
            let len = self.brain.with_untracked(|b| b.log().len()) - plan.base;
            let head =
                Head::new(self.next_epoch(), plan.origin.is_some(), &tab).at(len as u64, &tab);
            (head.all_full_chunks_cold(), plan.origin, plan.base, None)
        } else {
            let from = self.head.get_value();
            let base = self.base.get_value();
            let len = self.brain.with_untracked(|b| b.log().len()) - base;
            (
                from.at(len as u64, &tab).all_full_chunks_cold(),
                None,
                base,
                Some(from),
            )
        };
        let end = base + head.revision as usize;
        let chunks = self.brain.with_untracked(|b| {
            storage::cold_chunks(
                &head,
                &b.log()[base..end],
                from.as_ref().map_or(0, |f| f.cold),
            )
        });
        let moved = crate::idb::put(&chunks).await;
        drop(chunks);
        if moved.is_ok() {
            let witnessed = self.brain.with_untracked(crate::witness::accept);
            let written = self.brain.with_untracked(|b| {
                let log = &b.log()[base..end];
                match &from {
                    None => storage::write_generation(&head, origin.as_deref(), log),
                    Some(from) => {
                        // Chunks a failed attempt wrote past the stored head: unread, in the way.
                        (from.chunks..head.chunks).for_each(|n| {
                            storage::remove(&storage::chunk_key(head.epoch, n as usize))
                        });
                        // First the chunks stored here already: a head that keeps them in
                        // IndexedDB, then their copies here go, which makes room.
                        let stored = Head {
                            cold: from.revision / storage::CHUNK as u64,
                            ..from.clone()
                        };
                        let drop_here = |chunks: std::ops::Range<u64>| {
                            chunks.for_each(|n| {
                                storage::remove(&storage::chunk_key(head.epoch, n as usize))
                            })
                        };
                        storage::write_raw(storage::HEAD_KEY, &storage::render_head(&stored))?;
                        drop_here(from.cold..stored.cold);
                        storage::append(&head, log, from.revision as usize)?;
                        drop_here(stored.cold..head.cold);
                        Ok(())
                    }
                }
            });
            match written {
                Ok(()) => {
                    self.head.set_value(head.clone());
                    self.base.set_value(base);
                    if from.is_none() {
                        forget_replaced(replaced, head.epoch);
                    }
                    return;
                }
                Err(_) => crate::witness::restore(witnessed),
            }
        }
        if from.is_none() {
            crate::idb::remove_generation(head.epoch).await;
        }
        self.compact_and_save(self.history_chars(origin.as_deref(), base));
    }

    /// Append the commands this tab ran since its head to the stored log. If
    /// another tab wrote in between, re-run them on its state first; a command
    /// its state refuses is shown as a conflict and the others are kept.
    /// Then read the head back: without Web Locks another tab may have
    /// written between our read and our write (compare and retry, `tries`).
    fn append_unsaved(&self, tries: u32, may_spill: bool) -> Result<(), Needs> {
        let ours = self.head.get_value();
        let unsaved: Vec<Envelope> = self.brain.with_untracked(|b| {
            b.log()
                .get(self.base.get_value() + ours.revision as usize..)
                .map(<[Envelope]>::to_vec)
                .unwrap_or_default()
        });
        if unsaved.is_empty() {
            return Ok(());
        }
        match storage::read_head() {
            Ok(stored) if stored.as_ref().unwrap_or(&empty_head()).same_data(&ours) => {}
            Ok(Some(theirs)) => {
                let opened =
                    open_generation(&theirs).and_then(|r| r.run().map_err(Unreadable::Corrupt));
                if opened.as_ref().err() == Some(&Unreadable::NotFetched) {
                    return Err(Needs::Fetch(theirs));
                }
                let Ok((mut brain, base)) = opened else {
                    // Theirs is unreadable: ours replaces it (a new generation).
                    return self.write_generation(may_spill);
                };
                if let Err(reason) = crate::witness::check(&brain) {
                    // Theirs rewrote the witnessed history: kept aside for download,
                    // and ours (which extends the witness) is stored instead.
                    self.keep_theirs_aside(reason);
                    return self.write_generation(may_spill);
                }
                let refused = rerun(&mut brain, unsaved);
                self.adopt(theirs, brain, base);
                self.conflict(refused);
            }
            // Storage was emptied or is unreadable under us: store ours whole.
            Ok(None) | Err(_) => return self.write_generation(may_spill),
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
                    return self.append_unsaved(tries - 1, may_spill);
                }
            }
            Err(e) if e.is_quota() && may_spill => return Err(Needs::Spill),
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
        Ok(())
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
    /// origin. When it does not fit: `Err(Needs::Spill)` if `may_spill`,
    /// else compacts.
    fn write_generation(&self, may_spill: bool) -> Result<(), Needs> {
        let plan = self.brain.with_untracked(plan);
        let tab = self.tab.get_value();
        let replaced = storage::read_head().ok().flatten();
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
                forget_replaced(replaced, head.epoch);
                self.head.set_value(head);
                self.base.set_value(plan.base);
            }
            Err(e) if e.is_quota() && may_spill => return Err(Needs::Spill),
            Err(e) if e.is_quota() => {
                self.compact_and_save(self.history_chars(plan.origin.as_deref(), plan.base))
            }
            Err(e) => self.notice(Notice::Full {
                reason: e.to_string(),
            }),
        }
        Ok(())
    }

    /// Storage is full: keep the state as the new origin and drop the logs
    /// (the audit trail is part of the state and stays). Say so either way.
    fn compact_and_save(&self, before: usize) {
        let compacted = self.brain.with_untracked(compact);
        let origin = stored_snapshot(&compacted);
        let after = origin.len();
        let tab = self.tab.get_value();
        let head = Head::new(self.next_epoch(), true, &tab);
        let replaced = storage::read_head().ok().flatten();
        let witnessed = crate::witness::accept(&compacted);
        match storage::write_generation(&head, Some(&origin), &[]) {
            Ok(()) => {
                forget_replaced(replaced, head.epoch);
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

    /// Keep the commands this tab ran after its head in sessionStorage
    /// ([`crate::unsaved`]), or nothing when there are none. A whole new
    /// generation waiting to be stored is not kept (its commands are not an
    /// append to the stored head).
    pub(crate) fn keep_unsaved(&self) {
        if self.generation_queued.get_value() {
            return crate::unsaved::forget();
        }
        let head = self.head.get_value();
        let from = self.base.get_value() + head.revision as usize;
        self.brain.with_untracked(|b| {
            crate::unsaved::keep(&head, b.log().get(from..).unwrap_or_default())
        });
    }

    /// After a reload, once the stored state is loaded: re-run the commands
    /// the tab had not stored before it (read at start-up into `kept`), those
    /// the stored log does not already hold, and save them; once only. A
    /// command the state refuses is shown as a conflict, as when another
    /// tab's save came first.
    pub(crate) fn restore_kept(&self) {
        let Some(kept) = self.kept.try_update_value(Option::take).flatten() else {
            return;
        };
        let head = self.head.get_value();
        let base = self.base.get_value();
        let commands = self.brain.with_untracked(|b| {
            crate::unsaved::still_unsaved(kept, &head, b.log().get(base..).unwrap_or_default())
        });
        if commands.is_empty() {
            return crate::unsaved::forget();
        }
        let refused = self.brain.try_update(|b| rerun(b, commands)).flatten();
        self.conflict(refused);
        self.queue_save(false);
    }

    /// Say that a command could not be re-run on the stored state.
    fn conflict(&self, refused: Option<(Envelope, String)>) {
        if let Some((env, reason)) = refused {
            self.notice(Notice::Conflict {
                command: serde_json::to_string(&env).unwrap_or_default(),
                reason,
            });
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
                // The head stored now, not the event's value: an event can
                // arrive late, after this tab's own locked save took the other
                // tab's commands in and moved the head past it.
                let theirs = match storage::read_head() {
                    Ok(Some(head)) => head,
                    // Storage cleared in another tab.
                    Ok(None) => return console.adopt(empty_head(), Brain::new(), 0),
                    Err(_) => return,
                };
                let ours = console.head.get_value();
                if theirs.same_data(&ours) || theirs.behind(&ours) {
                    return;
                }
                if theirs.epoch == ours.epoch && theirs.revision > ours.revision {
                    let _ = console.follow(&theirs);
                } else if !crate::idb::fetched(&theirs) {
                    // A new generation partly in IndexedDB: read, then replay.
                    console.load(theirs);
                } else if let Ok(replay) = open_generation(&theirs) {
                    // A new generation (demo, import, reset): may be long.
                    console.replay(theirs, replay);
                }
            });
        on_cleanup(move || handle.remove());
    }
}

/// `work` (a save, under the lock) behind the save fence: first wait until
/// localStorage shows the head the last locked save stored, then save, then
/// record this save's head as the fence, all before the lock is released
/// (see [`crate::fence`]: another tab's write can reach this tab's copy of
/// localStorage after this tab was granted the lock).
#[cfg(not(test))]
fn fenced(work: impl FnOnce() -> Option<Later> + 'static) -> Option<Later> {
    // Alone, no other tab's save can be on its way (and the wait would
    // only hold this save back: see crate::peers).
    if !crate::idb::available() || crate::peers::alone() {
        return work();
    }
    Some(Box::pin(async move {
        crate::fence::catch_up().await;
        if let Some(later) = work() {
            later.await;
        }
        crate::fence::record().await;
    }))
}

/// Run this tab's unsaved commands on `brain` (another tab's state, or the
/// stored one after a reload), each no earlier than the last command there;
/// the first one refused and why (the others still run).
fn rerun(brain: &mut Brain, unsaved: Vec<Envelope>) -> Option<(Envelope, String)> {
    let mut refused = None;
    for mut env in unsaved {
        if let Some(last) = brain.log().last().map(|e| e.at) {
            env.at = env.at.max(last);
        }
        if let Err(e) = brain.execute(env.clone()) {
            refused.get_or_insert((env, e.to_string()));
        }
    }
    refused
}

/// A new generation replaced `replaced`: its chunks in IndexedDB, if any,
/// are no longer read (removed in the background, best effort).
fn forget_replaced(replaced: Option<Head>, epoch: u64) {
    if let Some(old) = replaced.filter(|h| h.cold > 0 && h.epoch != epoch) {
        wasm_bindgen_futures::spawn_local(crate::idb::remove_generation(old.epoch));
    }
}
