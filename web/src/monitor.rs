//! The browser owns the monitoring clock: while the console is open it sends
//! `RunDueChecks` once the stored history is loaded and then every minute, through the
//! normal command path (stamped, audited, saved), but only when a check is due, so an idle
//! console does not fill the log with refusals. An empty brain has nothing to monitor and is
//! left alone (a first visit stays empty until the user acts). Opening the console with
//! `?checks=off`, or with `window.brainChecks = "off"` set before it starts (the end-to-end
//! tests' `openPage` does that for every suite but the monitoring one), turns this off for
//! the session: whether a check is due depends on the wall clock against the demo's time, and
//! tests of persistence reload a brain and compare it byte for byte.

use brain_core::brain::Command;
use brain_core::monitoring::{self, schedule};
use brain_core::Brain;
use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::browser::now;
use crate::state::Console;

/// How often the open console looks for due checks.
pub const EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// The time a command sent now is stamped with: the clock, clamped to the last command's
/// time (commands come in time order), as [`Console::execute`] stamps it.
pub fn stamp_time(brain: &Brain, clock: DateTime<Utc>) -> DateTime<Utc> {
    match brain.log().last().map(|e| e.at) {
        Some(last) if last > clock => last,
        _ => clock,
    }
}

/// Whether `RunDueChecks` at `at` would run anything: a non-empty brain with a check due.
pub fn checks_due(brain: &Brain, at: DateTime<Utc>) -> bool {
    !brain.log().is_empty()
        && !schedule::due(
            &brain.policy().monitoring.schedule,
            &brain.state().monitoring.runs,
            at,
        )
        .is_empty()
}

/// Sends `RunDueChecks` when a check is due now; true when it ran.
pub fn run_if_due(console: Console) -> bool {
    if console.loading.get_untracked().is_some() {
        return false;
    }
    let due = console.with_untracked(|b| checks_due(b, stamp_time(b, now())));
    // Another tab may have run them first: the command is then refused (`nothing_due`),
    // which leaves the state and the log unchanged and needs no word to the user.
    due && console
        .execute(Command::Monitoring(monitoring::Command::RunDueChecks {}))
        .is_ok()
}

/// Whether a page address's query string turns the automatic checks off (`checks=off`).
pub fn turned_off(search: &str) -> bool {
    crate::clock::query_param(search, "checks") == Some("off")
}

/// Runs the due checks when the stored history has loaded, then every [`EVERY`] (unless the
/// address says `?checks=off`).
pub fn start(console: Console) {
    let global = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"brainChecks".into()).ok())
        .and_then(|v| v.as_string());
    if turned_off(&crate::clock::page_query()) || global.as_deref() == Some("off") {
        return;
    }
    // An effect talks to the outside world here: it waits for the replay to end.
    let started = StoredValue::new(false);
    Effect::new(move |_| {
        if console.loading.get().is_none() && !started.get_value() {
            started.set_value(true);
            run_if_due(console);
        }
    });
    set_interval(
        move || {
            run_if_due(console);
        },
        EVERY,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use brain_core::brain::Envelope;
    use chrono::{Duration, TimeZone};

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn checks_fall_due_an_hour_after_the_demo_ran_them_and_not_before() {
        let mut brain = Brain::demo(t0());
        let last = stamp_time(&brain, t0());
        assert!(last > t0(), "the demo's commands come after its start");
        assert!(
            !checks_due(&Brain::new(), last + Duration::days(1)),
            "empty"
        );
        let ran = brain.state().monitoring.runs[&monitoring::Check::Drift].last_run;
        assert!(!checks_due(&brain, ran + Duration::minutes(59)));
        assert!(checks_due(&brain, ran + Duration::minutes(60)));
        // Once run, nothing is due at the same time: the timer sends nothing more.
        let at = stamp_time(&brain, ran + Duration::days(1));
        let env = Envelope::new(
            at,
            Command::Monitoring(monitoring::Command::RunDueChecks {}),
        );
        brain.execute(env).unwrap_or_else(|e| panic!("{e}"));
        assert!(!checks_due(&brain, at));
    }

    #[test]
    fn only_checks_off_turns_the_automatic_checks_off() {
        assert!(turned_off("?checks=off"));
        assert!(turned_off("?now=2026-03-03T09:00:00Z&checks=off"));
        assert!(!turned_off("?checks=on"));
        assert!(!turned_off(""));
    }

    #[test]
    fn a_clock_behind_the_last_command_stamps_at_the_last_command() {
        let brain = Brain::demo(t0());
        let last = brain.log().last().map(|e| e.at).unwrap_or_default();
        assert_eq!(stamp_time(&brain, t0()), last);
        assert_eq!(
            stamp_time(&brain, last + Duration::hours(2)),
            last + Duration::hours(2)
        );
    }
}
