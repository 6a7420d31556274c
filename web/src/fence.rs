//! The save fence: the head the last locked save stored, kept in IndexedDB,
//! so that a save never builds on a stale copy of localStorage.
//!
//! Why: every save runs under the Web Lock, but Chromium serves
//! `localStorage` from a per-process cache that another tab's writes reach
//! asynchronously, on a different channel than the lock's grant. A tab
//! granted the lock right after another tab's save can still read the head
//! as it was before that save, write the same revision, and overwrite the
//! other tab's command. IndexedDB is transactional in one place for the
//! whole origin: a value whose transaction committed before the lock was
//! released is what the next holder reads. So each locked save, before it
//! reads the head, reads the fence and waits until localStorage shows that
//! head (or a later one); after it wrote, it records its head as the fence
//! before the lock is released. Only while another tab is known to be open
//! ([`crate::peers`]): alone, the read would only hold the save back.

use crate::storage::{self, Head, PREFIX};

/// The fence's key in the console's IndexedDB store (beside the chunks,
/// whose keys are `brain.console.log.*`).
pub fn key() -> String {
    format!("{PREFIX}fence")
}

/// How long a save waits for localStorage to show the fence's head, and how
/// often it looks: another process's write normally arrives within a frame.
const WAIT_MS: i32 = 2_000;
const POLL_MS: i32 = 10;
/// Whether the head localStorage shows (`stored`) is older than the fence:
/// the copy this tab reads has not caught up with the last locked save.
/// Generations only grow (a higher epoch is a later generation, see
/// [`storage::next_epoch`]) and revisions only grow within one. No head at
/// all is not waited for: after a first save there is always one, unless
/// the stored data was reset (corrupt storage set aside, cleared by hand, an
/// earlier console's record being migrated), which no later save undoes;
/// waiting there would only hold the save back, and a save held back is
/// lost if the tab closes.
pub fn stale(stored: Option<&Head>, fence: &Head) -> bool {
    stored.is_some_and(|s| s.epoch < fence.epoch || s.behind(fence))
}

/// Before a locked save reads the head: wait until localStorage shows the
/// fence's head or a later one. Returns whether it did; when it never does
/// (storage edited by hand) the save goes on as it would without a fence,
/// after [`WAIT_MS`].
pub async fn catch_up() -> bool {
    let Some(fence) = read().await else {
        return true;
    };
    let mut waited = 0;
    loop {
        let stored = storage::read_head().ok().flatten();
        if !stale(stored.as_ref(), &fence) {
            return true;
        }
        if waited >= WAIT_MS {
            return false;
        }
        crate::browser::sleep(POLL_MS).await;
        waited += POLL_MS;
    }
}

/// After a locked save, before the lock is released: the head stored now
/// becomes the fence (nothing when storage holds none).
pub async fn record() {
    if let Ok(Some(head)) = storage::read_head() {
        let entry = [(key(), storage::render_head(&head))];
        // Best effort: without the fence the next save is no worse off than
        // before the fence existed.
        let _ = crate::idb::put(&entry).await;
    }
}

/// The fence, if one was recorded and reads as a head.
async fn read() -> Option<Head> {
    let raw = crate::idb::get(&key()).await.ok().flatten()?;
    storage::parse_head(&raw).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(epoch: u64, revision: u64, writer: &str) -> Head {
        Head::new(epoch, false, writer).at(revision, writer)
    }

    #[test]
    fn a_copy_without_the_last_save_is_stale() {
        let fence = head(5, 10, "tab-b");
        assert!(
            stale(Some(&head(5, 9, "tab-a")), &fence),
            "one command behind"
        );
        assert!(
            stale(Some(&head(4, 30, "tab-a")), &fence),
            "an older generation"
        );
    }

    #[test]
    fn the_fence_itself_or_anything_later_is_current() {
        let fence = head(5, 10, "tab-b");
        assert!(!stale(Some(&fence), &fence));
        assert!(!stale(Some(&head(5, 11, "tab-a")), &fence), "a later save");
        assert!(
            !stale(Some(&head(6, 0, "tab-a")), &fence),
            "a newer generation"
        );
        assert!(!stale(None, &fence), "storage reset: nothing to wait for");
    }
}
