//! `Brain.fromJSON`'s checks: a snapshot is loaded only when it is one the
//! console would import, so a JS app cannot take in a file whose state,
//! audit trail or command log was edited after the fact.
//!
//! The checks are the console's (`web/src/components/data_menu.rs`,
//! `parse_import`), in one function, so that `fromJSON` calls one thing;
//! when core has one `Brain::import` doing them, [`import`] becomes a call
//! to it.

use wasm_bindgen::JsValue;

use super::convert::js_error;
use crate::brain::Brain;
use crate::error::BrainError;

/// A snapshot whose state is not what its events give (the state or the
/// events were edited).
pub const HISTORY_MISMATCH: &str = "history_mismatch";
/// A snapshot whose command log does not give its events when executed
/// again (the log was edited).
pub const LOG_MISMATCH: &str = "log_mismatch";

/// Loads a snapshot's JSON text with every check the console's import does:
/// the format (and migration), the state against the replayed events, the
/// audit hash chain, and the command log executed again; and, beyond the
/// console, that the policy (in force and at the origin) validates. Each
/// refusal is thrown with its code: the engine's (`invalid_json`,
/// `unsupported_schema`, `invalid_policy`, `audit_*`),
/// [`HISTORY_MISMATCH`] or [`LOG_MISMATCH`].
pub fn import(text: &str) -> Result<Brain, JsValue> {
    let brain_error = |e: BrainError| js_error(e.code(), &e.to_string());
    let mut brain = Brain::from_snapshot_json(text).map_err(brain_error)?;
    // A policy no command could have set (a snapshot written with a
    // consistent but hand-made state): refused as `SetPolicy` refuses it.
    for policy in [Some(brain.policy()), brain.origin().map(|o| &o.policy)]
        .into_iter()
        .flatten()
    {
        policy.validate().map_err(|e| {
            js_error(
                e.code(),
                &format!("this snapshot's policy is not valid: {e}"),
            )
        })?;
    }
    if Brain::replay_hash(brain.origin(), brain.events()) != brain.state_hash() {
        return Err(js_error(
            HISTORY_MISMATCH,
            "this snapshot's state does not match its own history (it was edited or damaged)",
        ));
    }
    brain.verify_audit().map_err(|e| {
        js_error(
            e.code(),
            &format!("this snapshot's audit trail is broken: {e}"),
        )
    })?;
    // `confirm_log` takes an empty log as checked already; but events that
    // no command gave are a history the log cannot vouch for.
    if brain.log().is_empty() && !brain.events().is_empty() {
        return Err(js_error(
            LOG_MISMATCH,
            &format!(
                "this snapshot's command log is empty but its event log has {} events",
                brain.events().len()
            ),
        ));
    }
    brain.confirm_log().map_err(|e| {
        js_error(
            LOG_MISMATCH,
            &format!("this snapshot's command log does not give its history: {e}"),
        )
    })?;
    Ok(brain)
}
