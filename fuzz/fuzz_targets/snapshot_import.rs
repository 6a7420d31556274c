//! Snapshot import: any text given to the import either is refused with a reason or loads into
//! a brain that is sound (replay, audit chain, re-export loads to the same state and the same
//! text, no verification check fails), answers every query, and keeps the state unchanged when
//! a command on top of it is refused.
#![no_main]

use brain_core::ab;
use brain_core::brain::{Brain, Command, Envelope};
use brain_fuzz::{assert_sound, demo_start, import, query_everything};
use chrono::Duration;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut brain = match import(text) {
        Ok(brain) => brain,
        Err(reason) => {
            assert!(!reason.is_empty());
            return;
        }
    };
    assert_sound(&brain, "an imported snapshot");
    query_everything(&brain);
    let at = brain.state().last_at.unwrap_or_else(demo_start) + Duration::minutes(1);
    let command = Command::Ab(ab::Command::RecordCounts {
        experiment: "opening-script".into(),
        variant: "warm-open".into(),
        trials: 10,
        conversions: 3,
    });
    let before: Brain = brain.clone();
    match brain.execute(Envelope::new(at, command)) {
        Ok(_) => assert_sound(&brain, "an imported snapshot after a command"),
        Err(e) => assert!(brain == before, "a refused command changed the brain: {e}"),
    }
});
