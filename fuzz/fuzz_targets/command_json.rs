//! Command JSON: up to eight lines of text, each read as a command envelope and executed, in
//! order, on the demo brain. A refused command (any `Err`) leaves the brain exactly as it was
//! and names a code; an accepted one gives what `decide` said, ends with its audit entry and
//! grows the logs by one command; a brain that accepted anything stays consistent (replay,
//! audit chain, snapshot round trip).
#![no_main]

use brain_core::brain::{Brain, Envelope, Event};
use brain_fuzz::{assert_consistent, demo, query_everything};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut brain: Brain = demo().clone();
    let mut accepted = 0;
    for line in text.lines().take(8) {
        let before = brain.clone();
        let decided = serde_json::from_str::<Envelope>(line)
            .ok()
            .map(|env| brain.decide(&env));
        match brain.execute_json(line) {
            Ok(events) => {
                accepted += 1;
                assert!(
                    matches!(events.last(), Some(Event::Audit(_))),
                    "an accepted command ends with its audit entry: {events:?}"
                );
                assert_eq!(brain.log().len(), before.log().len() + 1);
                assert_eq!(brain.events().len(), before.events().len() + events.len());
                assert_eq!(
                    brain.state().audit.entries.len(),
                    before.state().audit.entries.len() + 1
                );
                match decided {
                    Some(Ok(d)) => assert_eq!(d, events, "decide and execute agree"),
                    other => panic!("execute accepted what decide did not: {other:?}"),
                }
            }
            Err(e) => {
                assert!(!e.code().is_empty() && !e.to_string().is_empty());
                assert!(brain == before, "a refused command changed the brain: {e}");
                assert_eq!(brain.state_hash(), before.state_hash());
                if let Some(d) = decided {
                    assert!(d.is_err(), "decide accepted what execute refused: {e}");
                }
            }
        }
    }
    if accepted > 0 {
        query_everything(&brain);
        assert_consistent(&brain, "after the fuzzed commands");
    }
});
