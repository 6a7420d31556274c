//! Commands this tab ran and has not stored yet, kept in sessionStorage.
//!
//! Why: an action runs at once, but its save waits for the Web Lock and,
//! behind the save fence ([`crate::fence`]), for an IndexedDB read: a few
//! milliseconds, or as long as another tab's save holds the lock. Until
//! then the command exists only in this tab's memory, and a reload in that
//! window would lose it. sessionStorage is written synchronously by the
//! action itself, belongs to this tab alone and survives its reload: the
//! reloaded console re-runs what the stored log does not hold yet on top of
//! it and saves it ([`crate::state::Console::restore_kept`]). Closing the
//! tab ends its session storage; that window stays (a few milliseconds
//! without another tab's save in the way).
//!
//! The record is the head the commands were run after and the commands, as
//! the head and a chunk are stored in localStorage (one line each).

use brain_core::brain::Envelope;

use crate::storage::{self, Head};

/// The sessionStorage key (the tab's own: no other tab reads it).
pub const KEY: &str = "brain.console.unsaved";

/// What a tab kept of its unsaved commands.
#[derive(Debug, Clone, PartialEq)]
pub struct Unsaved {
    /// The head this tab's engine matched when it ran them.
    pub head: Head,
    /// The commands, in the order they ran.
    pub commands: Vec<Envelope>,
}

/// The record's text.
pub fn render(head: &Head, commands: &[Envelope]) -> String {
    format!(
        "{}\n{}",
        storage::render_head(head),
        storage::render_chunk(commands)
    )
}

/// Read a record; `None` when it is not one (a record this console cannot
/// read is not restored: the stored log stays as it is).
pub fn parse(raw: &str) -> Option<Unsaved> {
    let (head, commands) = raw.split_once('\n')?;
    Some(Unsaved {
        head: storage::parse_head(head).ok()?,
        commands: storage::parse_chunk(KEY, commands).ok()?,
    })
}

/// Of `kept`, the commands the stored history (`head`, its commands after
/// the origin `stored`) does not hold: those after the ones it already has
/// in the same positions (a save that landed while its record was not yet
/// removed), or all of them when it is another history.
pub fn still_unsaved(kept: Unsaved, head: &Head, stored: &[Envelope]) -> Vec<Envelope> {
    let same_generation = head.epoch == kept.head.epoch && head.origin == kept.head.origin;
    let from = kept.head.revision as usize;
    if !same_generation || from > stored.len() {
        return kept.commands;
    }
    let landed = stored[from..]
        .iter()
        .zip(&kept.commands)
        .take_while(|(a, b)| a == b)
        .count();
    kept.commands.into_iter().skip(landed).collect()
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// Keep `commands` (run after `head`) for a reload; nothing kept when there
/// are none. A record that cannot be written is removed rather than left
/// stale (sessionStorage full after a very large import).
pub fn keep(head: &Head, commands: &[Envelope]) {
    let Some(session) = session() else {
        return;
    };
    if commands.is_empty() || session.set_item(KEY, &render(head, commands)).is_err() {
        let _ = session.remove_item(KEY);
    }
}

/// Nothing unsaved to keep (a new generation is being stored whole).
pub fn forget() {
    if let Some(session) = session() {
        let _ = session.remove_item(KEY);
    }
}

/// What this tab kept before it was reloaded, if anything.
pub fn read() -> Option<Unsaved> {
    parse(&session()?.get_item(KEY).ok()??)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn log(n: usize) -> Vec<Envelope> {
        let at = DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default();
        brain_core::Brain::demo(at).log()[..n].to_vec()
    }

    #[test]
    fn a_record_round_trips() {
        let head = Head::new(7, true, "tab-a").at(3, "tab-a");
        let commands = log(2);
        let back = parse(&render(&head, &commands)).unwrap();
        assert_eq!(back, Unsaved { head, commands });
        assert_eq!(parse("not a record"), None);
        assert_eq!(
            parse("{\"format\":2}\n[]"),
            None,
            "a head without its fields"
        );
    }

    #[test]
    fn commands_the_stored_log_holds_are_not_run_again() {
        let all = log(5);
        let head = Head::new(7, false, "tab-a").at(3, "tab-a");
        let kept = Unsaved {
            head: head.clone(),
            commands: all[3..].to_vec(),
        };
        // The save never landed: both are restored.
        assert_eq!(still_unsaved(kept.clone(), &head, &all[..3]), all[3..]);
        // It landed: none.
        let after = head.at(5, "tab-a");
        assert_eq!(still_unsaved(kept.clone(), &after, &all), []);
        // The first landed: the second is restored.
        assert_eq!(
            still_unsaved(kept.clone(), &head.at(4, "tab-a"), &all[..4]),
            all[4..]
        );
        // Another tab stored something else there: ours run on top of it.
        let mut theirs = all[..3].to_vec();
        theirs.push(all[0].clone());
        assert_eq!(
            still_unsaved(kept.clone(), &head.at(4, "tab-b"), &theirs),
            all[3..]
        );
        // Another generation (a reset or an import elsewhere): all of them.
        assert_eq!(
            still_unsaved(kept, &Head::new(9, false, "tab-b"), &[]),
            all[3..]
        );
    }
}
