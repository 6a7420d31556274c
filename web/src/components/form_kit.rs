//! What the small number forms repeat, in one place (issue 20: fold
//! repeated form code): the parse error shown once any field is filled (an
//! empty form says nothing yet), a run that says its result on the form's
//! own line and clears the fields when it went through, and the form's tail
//! (submit button, error line, result line) with test ids from one prefix.
//! The models page's two evidence forms use all three.

use brain_core::brain::Command;
use leptos::prelude::*;

use crate::components::FormResult;
use crate::state::Console;

/// The error a form shows for its `values`: none while every one is empty,
/// else the parse error, if any.
pub fn shown_error<T>(values: &[String], parsed: Result<T, String>) -> Option<String> {
    if values.iter().all(String::is_empty) {
        return None;
    }
    parsed.err()
}

/// [`shown_error`] of `fields` as a signal, `parse` reading them.
pub fn error_once_filled<const N: usize, T>(
    fields: [RwSignal<String>; N],
    parse: impl Fn() -> Result<T, String> + Send + Sync + 'static,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        let values = fields.map(|f| f.get());
        shown_error(&values, parse())
    })
}

/// Send the command built from a form's parsed fields: a parse error, the
/// engine's error or refusal, or the success words land on `result` (the
/// form's line, no toast repeats it); the fields clear when it went through.
pub fn run_and_clear<const N: usize, T>(
    console: Console,
    result: RwSignal<Option<(bool, String)>>,
    fields: [RwSignal<String>; N],
    parsed: Result<T, String>,
    command: impl FnOnce(T) -> (Command, String),
) {
    let (cmd, done) = match parsed {
        Ok(value) => command(value),
        Err(e) => return result.set(Some((false, e))),
    };
    if console.submit(cmd, result, done) {
        fields.iter().for_each(|f| f.set(String::new()));
    }
}

/// The end of a number form: the submit button (disabled while the fields
/// do not parse), the parse error and the result line; their test ids are
/// `{prefix}-submit`, `{prefix}-error` and `{prefix}-result`.
#[component]
pub fn FormTail(
    /// The start of the three test ids.
    prefix: &'static str,
    /// The button's words.
    button: &'static str,
    /// The fields' parse error.
    error: Signal<Option<String>>,
    /// The last run's result.
    result: RwSignal<Option<(bool, String)>>,
) -> impl IntoView {
    view! {
        <button type="submit" data-testid=format!("{prefix}-submit") disabled=move || error.get().is_some()>
            {button}
        </button>
        <p class="field-error" data-testid=format!("{prefix}-error")>{move || error.get()}</p>
        <FormResult result=result testid=format!("{prefix}-result") />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(v: &str) -> Result<u32, String> {
        v.parse().map_err(|_| format!("{v} is not a count"))
    }

    #[test]
    fn an_empty_form_says_nothing_and_a_filled_one_its_parse_error() {
        let empty = vec![String::new(), String::new()];
        assert_eq!(shown_error(&empty, parse("")), None);
        let filled = vec!["x".to_string(), String::new()];
        assert_eq!(
            shown_error(&filled, parse("x")).as_deref(),
            Some("x is not a count")
        );
        let good = vec!["3".to_string(), "4".to_string()];
        assert_eq!(shown_error(&good, parse("3")), None);
    }
}
