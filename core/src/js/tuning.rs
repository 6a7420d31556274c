//! Policy tuning and the policy's records for JS apps: `brain.tunePolicy(spec)`
//! (the ranking in one call), `brain.policyTuner(spec)` (a [`JsPolicyTuner`]
//! that runs in slices, for a page that shows progress and can cancel),
//! `brain.policyHistory()`, and the pre-registration reads
//! `registeredRule(experimentId)` and `registeredWinner(experimentId, at)`.

use wasm_bindgen::prelude::*;

use super::brain::{brain_error, read, time, JsBrain};
use super::convert::{js_error, string, to_js_json as to_js, JsResult};
use crate::tuning::{Spec, Tuner};

fn tuning_error(e: crate::tuning::Error) -> JsValue {
    js_error(e.code(), &e.to_string())
}

#[wasm_bindgen(js_class = Brain)]
impl JsBrain {
    /// Searches policies over the command log (each candidate replayed with
    /// the candidate in force) and ranks them, best first. Runs to the end:
    /// on a long history use `policyTuner(spec)` and step it.
    #[wasm_bindgen(js_name = tunePolicy, unchecked_return_type = "TuningRanking")]
    pub fn tune_policy(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TuningSpec")] spec: JsValue,
    ) -> JsResult<JsValue> {
        let spec: Spec = read(&spec, "spec")?;
        to_js(&self.inner.tune(spec).map_err(tuning_error)?)
    }

    /// The same search, run a slice at a time with `step(commands)`.
    #[wasm_bindgen(js_name = policyTuner)]
    pub fn policy_tuner(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TuningSpec")] spec: JsValue,
    ) -> JsResult<JsPolicyTuner> {
        let spec: Spec = read(&spec, "spec")?;
        Ok(JsPolicyTuner {
            inner: self.inner.tuner(spec).map_err(tuning_error)?,
        })
    }

    /// Every accepted `SetPolicy`, oldest first, with who, why and each
    /// field's value before and after.
    #[wasm_bindgen(js_name = policyHistory, unchecked_return_type = "PolicyChange[]")]
    pub fn policy_history(&self) -> JsResult<JsValue> {
        to_js(&self.inner.policy_history())
    }

    /// An experiment's pre-registration (its rule in force, hash and
    /// changes), or `undefined` when it has none.
    #[wasm_bindgen(js_name = registeredRule, unchecked_return_type = "Registration | undefined")]
    pub fn registered_rule(
        &self,
        #[wasm_bindgen(js_name = experimentId, unchecked_param_type = "string")]
        experiment_id: JsValue,
    ) -> JsResult<JsValue> {
        let id = string(&experiment_id, "experimentId")?;
        match self.inner.state().prereg.registrations.get(id.trim()) {
            Some(r) => to_js(r),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// A registered experiment's winner under its registered rule, read at
    /// `at`; throws `peeking` before the rule's minimum run time or sample.
    #[wasm_bindgen(js_name = registeredWinner, unchecked_return_type = "ExperimentReport")]
    pub fn registered_winner(
        &self,
        #[wasm_bindgen(js_name = experimentId, unchecked_param_type = "string")]
        experiment_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Date | string")] at: JsValue,
    ) -> JsResult<JsValue> {
        let id = string(&experiment_id, "experimentId")?;
        let at = time(&at, "at")?;
        to_js(
            &self
                .inner
                .registered_winner(id.trim(), at)
                .map_err(brain_error)?,
        )
    }
}

/// A policy search in progress: `step(commands)` replays up to that many
/// commands and returns the progress; `ranking()` is there once done.
/// Dropping it (or not stepping it further) cancels the search.
#[wasm_bindgen(js_name = PolicyTuner)]
pub struct JsPolicyTuner {
    inner: Tuner,
}

#[wasm_bindgen(js_class = PolicyTuner)]
impl JsPolicyTuner {
    /// Replays up to `commands` more commands (a positive whole number).
    #[wasm_bindgen(unchecked_return_type = "TuningProgress")]
    pub fn step(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] commands: JsValue,
    ) -> JsResult<JsValue> {
        let n = super::convert::count(&commands, "commands")?;
        to_js(&self.inner.step(usize::try_from(n).unwrap_or(usize::MAX)))
    }

    /// How far the search is.
    #[wasm_bindgen(unchecked_return_type = "TuningProgress")]
    pub fn progress(&self) -> JsResult<JsValue> {
        to_js(&self.inner.progress())
    }

    /// The ranking once every run is done, else `undefined`.
    #[wasm_bindgen(unchecked_return_type = "TuningRanking | undefined")]
    pub fn ranking(&self) -> JsResult<JsValue> {
        match self.inner.ranking() {
            Some(r) => to_js(&r),
            None => Ok(JsValue::UNDEFINED),
        }
    }
}
