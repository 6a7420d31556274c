//! The checks every models command runs on its input before any rule: ids and
//! names present and well formed, the model known, an accuracy a probability.
//! One place, so that every command refuses bad input with the same error.

use super::{Error, Model, State};

pub(super) fn require(field: &'static str, value: &str) -> Result<(), Error> {
    if value.trim().is_empty() {
        Err(Error::Empty { field })
    } else {
        Ok(())
    }
}

/// Checks a new id or name: not empty (`Empty`), and within the naming rule
/// every block shares (`crate::clean_name`: at most 200 characters, no
/// control characters).
pub(super) fn require_name(field: &'static str, value: &str) -> Result<(), Error> {
    require(field, value)?;
    if crate::clean_name(value).is_none() {
        return Err(Error::InvalidName { field });
    }
    Ok(())
}

pub(super) fn model<'a>(state: &'a State, model_id: &str) -> Result<&'a Model, Error> {
    require("model_id", model_id)?;
    state.model(model_id).ok_or_else(|| Error::UnknownModel {
        model_id: model_id.to_string(),
    })
}

pub(super) fn check_accuracy(value: f64) -> Result<(), Error> {
    if !value.is_finite() {
        return Err(Error::AccuracyNotFinite);
    }
    if !(0.0..=1.0).contains(&value) {
        return Err(Error::AccuracyOutOfRange { value });
    }
    Ok(())
}
