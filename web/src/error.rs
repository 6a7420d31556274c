//! The console's own errors: what can go wrong around the engine (the
//! history is still loading, the page is closing, an imported file is
//! refused), each with a code of its own, beside the engine's errors passed
//! on unchanged.
//!
//! Before this enum, "still loading" was reported as the engine's
//! `invalid_json`, which sent a reader looking for bad JSON.

use brain_core::BrainError;

/// Why an action of the console did not go through.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum ConsoleError {
    /// The stored history is being replayed: acting now would act on a
    /// half-built state.
    #[error("the stored history is still loading; nothing was changed")]
    StillLoading,
    /// The console's context is gone (the page is closing).
    #[error("the console is shutting down")]
    ShuttingDown,
    /// An imported file was refused; the reason says why.
    #[error("{0}")]
    ImportRefused(String),
    /// The engine refused the command (bad input); the state is unchanged.
    #[error(transparent)]
    Engine(#[from] BrainError),
    /// A batch (a CSV import) was refused at one command; nothing was applied.
    #[error(transparent)]
    Batch(#[from] brain_core::brain::BatchError),
    /// A batch applied in slices could not be committed; nothing was applied.
    #[error(transparent)]
    BatchRun(#[from] brain_core::brain::BatchRunError),
}

impl ConsoleError {
    /// A stable code for tests and logs: the console's own codes, or the
    /// engine's code for an engine error.
    pub fn code(&self) -> &'static str {
        match self {
            ConsoleError::StillLoading => "still_loading",
            ConsoleError::ShuttingDown => "shutting_down",
            ConsoleError::ImportRefused(_) => "import_refused",
            ConsoleError::Engine(e) => e.code(),
            ConsoleError::Batch(e) => e.code(),
            ConsoleError::BatchRun(e) => e.code(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_consoles_errors_have_their_own_codes_and_the_engines_keep_theirs() {
        assert_eq!(ConsoleError::StillLoading.code(), "still_loading");
        assert_ne!(
            ConsoleError::StillLoading.code(),
            ConsoleError::from(BrainError::Json("x".into())).code()
        );
        assert_eq!(ConsoleError::ShuttingDown.code(), "shutting_down");
        assert_eq!(
            ConsoleError::ImportRefused("no".into()).code(),
            "import_refused"
        );
        let engine = BrainError::Json("bad".into());
        assert_eq!(ConsoleError::from(engine.clone()).code(), engine.code());
        assert_eq!(
            ConsoleError::from(engine.clone()).to_string(),
            engine.to_string()
        );
        assert_eq!(
            ConsoleError::StillLoading.to_string(),
            "the stored history is still loading; nothing was changed"
        );
    }
}
