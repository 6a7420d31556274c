//! One place for an action's result: a form with a result line shows the
//! outcome there, and a toast only adds what the line cannot (the Undo
//! button), so the same words never show twice (issue 20: toasts only for
//! what happened elsewhere). Pure, tested natively; [`crate::state::Console::submit`]
//! and [`crate::state::Console::act_form`] use it.

use brain_core::brain::Event;

use crate::error::ConsoleError;

/// The words a form's result line shows after an action: `success` when it
/// went through, the engine's reason when it refused (an error, or a guarded
/// action's refusal event), as `(went through, words)`.
pub fn form_line(outcome: &Result<Vec<Event>, ConsoleError>, success: &str) -> (bool, String) {
    match outcome {
        Ok(events) => match events.iter().find_map(Event::refusal) {
            Some(reason) => (false, format!("refused: {reason}")),
            None => (true, success.to_string()),
        },
        Err(e) => (false, e.to_string()),
    }
}

/// The toast after an action whose result a form shows already: none, unless
/// it went through and can be undone; then it says only that, beside its
/// Undo button.
pub fn toast_after_form(went_through: bool, can_undo: bool) -> Option<&'static str> {
    (went_through && can_undo).then_some("the action above can be undone")
}

#[cfg(test)]
mod tests {
    use super::*;
    use brain_core::brain::{Command, Envelope};
    use brain_core::{ingest, Brain};
    use chrono::{TimeZone, Utc};

    fn run(brain: &mut Brain, command: ingest::Command) -> Result<Vec<Event>, ConsoleError> {
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        brain
            .execute(Envelope::new(at, Command::Ingest(command)))
            .map_err(ConsoleError::from)
    }

    #[test]
    fn the_line_says_success_or_the_engines_reason() {
        let mut brain = Brain::new();
        let added = run(
            &mut brain,
            ingest::Command::AddSource {
                source: "crm".into(),
            },
        );
        assert_eq!(form_line(&added, "crm added"), (true, "crm added".into()));
        let unknown = run(
            &mut brain,
            ingest::Command::SuspendSource {
                source: "nowhere".into(),
            },
        );
        let (ok, words) = form_line(&unknown, "nowhere suspended");
        assert!(!ok, "{words}");
        assert_eq!(
            words,
            unknown.err().map(|e| e.to_string()).unwrap_or_default()
        );
    }

    #[test]
    fn a_toast_after_a_form_never_repeats_its_line_and_only_offers_undo() {
        assert_eq!(toast_after_form(true, false), None);
        assert_eq!(toast_after_form(false, true), None);
        assert_eq!(toast_after_form(false, false), None);
        let text = toast_after_form(true, true).expect("undo offered");
        assert!(!text.contains("crm added"));
    }
}
