//! The `Brain` class: commands in, events out, queries for every block,
//! snapshots, verification and what-if.

use chrono::{DateTime, Utc};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::commands::{read_command, read_commands, with_index};
use super::convert::{
    invalid, is_missing, js_error, string, to_js_json as to_js, to_js_json_sized, to_json, wrong,
    JsResult,
};
use crate::audit;
use crate::brain::{Brain, Envelope};
use crate::error::BrainError;
use crate::policy::{self, Policy, PolicyPatch};

/// A brain error, thrown with its stable code.
/// A semantic version given as a string.
fn semver_arg(v: &JsValue, what: &str) -> JsResult<crate::models::SemVer> {
    let text = string(v, what)?;
    crate::models::SemVer::parse(text.trim())
        .map_err(|e| invalid(&format!("{what} ({text:?}) is not a semantic version: {e}")))
}

/// The error for an experiment id the brain does not hold.
fn unknown_experiment(id: &str) -> JsValue {
    js_error(
        "unknown_experiment",
        &format!("unknown experiment {id}; create it or register a variant first"),
    )
}

pub(super) fn brain_error(e: BrainError) -> JsValue {
    js_error(e.code(), &e.to_string())
}

/// Reads a JSON-shaped input (a plain object, or its JSON text) into `T`;
/// a shape that does not fit `T` is `invalid_json` with serde's reason.
pub(super) fn read<T: serde::de::DeserializeOwned>(v: &JsValue, what: &str) -> JsResult<T> {
    serde_json::from_value(read_value(v, what)?)
        .map_err(|e| js_error("invalid_json", &format!("{what}: {e}")))
}

/// A JSON-shaped input (a plain object, or its JSON text) as a `Value`.
pub(super) fn read_value(v: &JsValue, what: &str) -> JsResult<serde_json::Value> {
    // Text is parsed to a `Value` first: one deserializer (`Value`) for
    // every engine type keeps the wasm small.
    Ok(match v.as_string() {
        Some(text) => serde_json::from_str::<serde_json::Value>(&text)
            .map_err(|e| js_error("invalid_json", &format!("{what}: {e}")))?,
        None => {
            if !v.is_object() {
                return Err(wrong(what, "an object or its JSON text", v));
            }
            to_json(v, what)?
        }
    })
}

/// Reads a partial policy and merges it over `current` with the engine's one
/// rule (`policy::merge`, as `SetPolicy` does): unknown fields, wrong types
/// and invalid results are refused with the field named.
pub(super) fn read_policy(v: &JsValue, current: &Policy) -> JsResult<Policy> {
    let patch = PolicyPatch::from_value(read_value(v, "policy")?)
        .map_err(|e| js_error(e.code(), &format!("policy: {e}")))?;
    policy::merge(current, &patch).map_err(|e| js_error(e.code(), &format!("policy: {e}")))
}

/// Reads a time: a `Date`, or an RFC 3339 string.
pub(super) fn time(v: &JsValue, what: &str) -> JsResult<DateTime<Utc>> {
    let text = match v.dyn_ref::<js_sys::Date>() {
        Some(d) if !d.get_time().is_nan() => String::from(d.to_iso_string()),
        _ => string(v, what).map_err(|_| wrong(what, "a Date or an RFC 3339 string", v))?,
    };
    DateTime::parse_from_rfc3339(&text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| invalid(&format!("{what} ({text:?}) is not an RFC 3339 time: {e}")))
}

/// The engine: state plus command and event logs. Every command is
/// validated; a refused command throws and leaves the state unchanged.
#[wasm_bindgen(js_name = Brain)]
pub struct JsBrain {
    pub(super) inner: Brain,
}

#[wasm_bindgen(js_class = Brain)]
impl JsBrain {
    /// An empty brain under the default policy, or under `policy` merged
    /// over the defaults (missing blocks and fields keep their defaults).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "PolicyInput | undefined")] policy: JsValue,
    ) -> JsResult<JsBrain> {
        let inner = if is_missing(&policy) {
            Brain::new()
        } else {
            Brain::with_policy(read_policy(&policy, &Policy::default())?).map_err(brain_error)?
        };
        Ok(JsBrain { inner })
    }

    /// Loads a snapshot (from `toJSON()`, as an object or JSON text);
    /// older schema versions are migrated. Refuses, with a code, exactly what
    /// the console's import refuses (both call the engine's `Brain::import`):
    /// an invalid origin (`import_origin_invalid`) or policy
    /// (`import_policy_invalid`), a state that its events do not give
    /// (`import_state_mismatch`), a broken audit trail (`import_audit_broken`),
    /// a command log that does not give its events (`import_log_mismatch`), a
    /// failed verification (`import_verification_failed`).
    #[wasm_bindgen(js_name = fromJSON)]
    pub fn from_json(
        #[wasm_bindgen(unchecked_param_type = "Snapshot | string")] snapshot: JsValue,
    ) -> JsResult<JsBrain> {
        let text = match super::convert::text(&snapshot) {
            Some(text) => text,
            None => {
                if !snapshot.is_object() {
                    return Err(wrong("snapshot", "an object or its JSON text", &snapshot));
                }
                to_json(&snapshot, "snapshot")?.to_string()
            }
        };
        Ok(JsBrain {
            inner: Brain::import(&text).map_err(brain_error)?,
        })
    }

    /// A brain with the demo workflow (every block) run from `at`.
    pub fn demo(
        #[wasm_bindgen(unchecked_param_type = "Date | string")] at: JsValue,
    ) -> JsResult<JsBrain> {
        Ok(JsBrain {
            inner: Brain::demo(time(&at, "at")?),
        })
    }

    /// The versioned snapshot (state, command log, event log); what
    /// `JSON.stringify(brain)` writes.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "Snapshot")]
    pub fn to_json(&self) -> JsResult<JsValue> {
        to_js(&self.inner.snapshot())
    }

    /// Validates and applies a command (`{ at, actor?, block, type, ... }`,
    /// `at` a Date or RFC 3339 string); returns its events, the audit entry
    /// last. A refused command throws its code and changes nothing.
    #[wasm_bindgen(unchecked_return_type = "BrainEvent[]")]
    pub fn execute(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Command | string")] command: JsValue,
    ) -> JsResult<JsValue> {
        let env = read_command(&command, "command")?;
        to_js(&self.inner.execute(env).map_err(brain_error)?)
    }

    /// Executes commands in order as one batch, returning the events of all
    /// of them; if any command is unreadable or refused, nothing is applied
    /// (state, logs and audit trail stay as they were) and its error is
    /// thrown with `index` set to its position.
    #[wasm_bindgen(js_name = executeAll, unchecked_return_type = "BrainEvent[]")]
    pub fn execute_all(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "readonly Command[]")] commands: JsValue,
    ) -> JsResult<JsValue> {
        let list = super::convert::array(&commands, "commands")?;
        let envelopes = read_commands(list)?;
        match self.inner.execute_batch(envelopes) {
            // About 350 bytes of JSON an event (an audit entry holds four hashes).
            Ok(events) => to_js_json_sized(events, events.len().saturating_mul(384)),
            Err(e) => Err(with_index(brain_error(e.error), e.index)),
        }
    }

    /// The events a command would produce, without applying them.
    #[wasm_bindgen(unchecked_return_type = "BrainEvent[]")]
    pub fn decide(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Command | string")] command: JsValue,
    ) -> JsResult<JsValue> {
        let env = read_command(&command, "command")?;
        to_js(&self.inner.decide(&env).map_err(brain_error)?)
    }

    /// SHA-256 of the canonical state (same commands, same hash).
    #[wasm_bindgen(js_name = stateHash)]
    pub fn state_hash(&self) -> String {
        self.inner.state_hash()
    }

    /// The policy in force.
    #[wasm_bindgen(unchecked_return_type = "Policy")]
    pub fn policy(&self) -> JsResult<JsValue> {
        to_js(self.inner.policy())
    }

    /// Accepted commands, in order.
    #[wasm_bindgen(unchecked_return_type = "Command[]")]
    pub fn log(&self) -> JsResult<JsValue> {
        to_js(self.inner.log())
    }

    /// Every event, in order.
    #[wasm_bindgen(unchecked_return_type = "BrainEvent[]")]
    pub fn events(&self) -> JsResult<JsValue> {
        to_js(self.inner.events())
    }

    /// Number of accepted commands.
    #[wasm_bindgen(getter)]
    pub fn position(&self) -> f64 {
        self.inner.state().position as f64
    }

    // --- Block 21: A/B experiments -------------------------------------

    /// Every experiment with rates, intervals, SRM and winner.
    #[wasm_bindgen(unchecked_return_type = "ExperimentReport[]")]
    pub fn experiments(&self) -> JsResult<JsValue> {
        to_js(&self.inner.experiments())
    }

    /// One experiment, or `undefined`.
    #[wasm_bindgen(unchecked_return_type = "ExperimentReport | undefined")]
    pub fn experiment(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    ) -> JsResult<JsValue> {
        let name = string(&name, "name")?;
        match self.inner.experiment(&name) {
            Some(r) => to_js(&r),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// Thompson-sampling traffic split `[variant, share][]`, seeded from the
    /// state (same state, same split), or `undefined` for an unknown
    /// experiment.
    #[wasm_bindgen(unchecked_return_type = "[variant: string, share: number][] | undefined")]
    pub fn allocation(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] experiment: JsValue,
    ) -> JsResult<JsValue> {
        let name = string(&experiment, "experiment")?;
        match self.inner.allocation(&name) {
            Some(a) => to_js(&a),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// How each variant's lift over control moved, batch by batch (the
    /// points of a "is the winner still winning?" chart); empty for an
    /// unknown experiment or after a compaction.
    #[wasm_bindgen(js_name = cumulativeLift, unchecked_return_type = "LiftSeries")]
    pub fn cumulative_lift(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] experiment: JsValue,
    ) -> JsResult<JsValue> {
        let name = string(&experiment, "experiment")?;
        to_js(&self.inner.cumulative_lift(&name))
    }

    /// Where `unitId` falls in experiment `experimentId`: GrowthBook's bucketing with the
    /// experiment's own hash key, seed, hash version, coverage and variant weights (what
    /// `assign(brain.assignSpec(experimentId), unitId)` returns while it runs; not in the
    /// experiment otherwise). An unknown experiment throws `unknown_experiment`.
    #[wasm_bindgen(unchecked_return_type = "Assignment")]
    pub fn assign(
        &self,
        #[wasm_bindgen(js_name = experimentId, unchecked_param_type = "string")]
        experiment_id: JsValue,
        #[wasm_bindgen(js_name = unitId, unchecked_param_type = "string")] unit_id: JsValue,
    ) -> JsResult<JsValue> {
        let id = string(&experiment_id, "experimentId")?;
        let units = super::convert::user_id(&unit_id)?;
        let experiments = &self.inner.state().ab.experiments;
        let Some(e) = experiments.get(id.trim()) else {
            return Err(unknown_experiment(&id));
        };
        let spec = crate::ab::assign_spec(id.trim(), e);
        let a = if e.stage.is_running() {
            spec.prepare().assign_units(&units)
        } else {
            crate::assign::Assignment {
                in_experiment: false,
                variation_id: 0,
                bucket: None,
            }
        };
        Ok(super::convert::assignment(&a))
    }

    /// The GrowthBook experiment `experimentId` buckets with (key, seed, hash version,
    /// variations in registration order, weights summing to 1, coverage): give it to
    /// `new Experiment(...)` to bucket many units in JS. Throws `unknown_experiment`.
    #[wasm_bindgen(js_name = assignSpec, unchecked_return_type = "ExperimentInput")]
    pub fn assign_spec(
        &self,
        #[wasm_bindgen(js_name = experimentId, unchecked_param_type = "string")]
        experiment_id: JsValue,
    ) -> JsResult<JsValue> {
        let id = string(&experiment_id, "experimentId")?;
        match self.inner.assign_spec(&id) {
            Some(spec) => to_js(&spec),
            None => Err(unknown_experiment(&id)),
        }
    }

    // --- Block 22: script promotion --------------------------------------

    /// Every script with status, versions and history.
    #[wasm_bindgen(unchecked_return_type = "ScriptReport[]")]
    pub fn scripts(&self) -> JsResult<JsValue> {
        to_js(&self.inner.scripts())
    }

    /// The evidence each script's latest evaluation saw, by script id, also
    /// when that evaluation changed nothing.
    #[wasm_bindgen(js_name = latestEvidence, unchecked_return_type = "Record<string, Evidence>")]
    pub fn latest_evidence(&self) -> JsResult<JsValue> {
        to_js(&self.inner.latest_evidence())
    }

    // --- Block 23: packets -------------------------------------------------

    /// Every packet, in build order.
    #[wasm_bindgen(unchecked_return_type = "Packet[]")]
    pub fn packets(&self) -> JsResult<JsValue> {
        to_js(self.inner.packets())
    }

    /// One packet as JSON text.
    #[wasm_bindgen(js_name = exportPacket)]
    pub fn export_packet(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> JsResult<String> {
        let id = string(&id, "id")?;
        self.inner.export_packet(&id).map_err(brain_error)
    }

    /// Every packet as a JSON array text.
    #[wasm_bindgen(js_name = exportPackets)]
    pub fn export_packets(&self) -> String {
        self.inner.export_packets()
    }

    /// Renders a template (by name) with a packet's fields.
    #[wasm_bindgen(js_name = renderTemplate)]
    pub fn render_template(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] template: JsValue,
        #[wasm_bindgen(js_name = packetId, unchecked_param_type = "string")] packet_id: JsValue,
    ) -> JsResult<String> {
        let template = string(&template, "template")?;
        let packet_id = string(&packet_id, "packetId")?;
        self.inner
            .render_template(&template, &packet_id)
            .map_err(brain_error)
    }

    // --- Block 24: ingestion -------------------------------------------------

    /// Every source with its counters.
    #[wasm_bindgen(unchecked_return_type = "SourceReport[]")]
    pub fn sources(&self) -> JsResult<JsValue> {
        to_js(&self.inner.sources())
    }

    /// The last `limit` (default 100, at most 100,000) blocked ingestion
    /// attempts, newest first, each with its time, source and reason.
    #[wasm_bindgen(js_name = blockedAttempts, unchecked_return_type = "BlockedAttempt[]")]
    pub fn blocked_attempts(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number | undefined")] limit: JsValue,
    ) -> JsResult<JsValue> {
        let limit = if is_missing(&limit) {
            100
        } else {
            super::convert::small_count(&limit, "limit", 100_000)?
        };
        to_js(&self.inner.blocked_attempts(limit))
    }

    /// The accepted ingestion payloads, newest first, at most the policy's
    /// `ingest.retain_payloads` per source; only `source`'s when given.
    /// Each has its log position, time, actor, source, size, payload and,
    /// when the payload is a lead, that lead (to build a packet from).
    #[wasm_bindgen(unchecked_return_type = "IngestedPayload[]")]
    pub fn ingested(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | undefined")] source: JsValue,
    ) -> JsResult<JsValue> {
        let source = if is_missing(&source) {
            None
        } else {
            Some(string(&source, "source")?)
        };
        to_js(&self.inner.ingested(source.as_deref()))
    }

    // --- Block 25: outcomes -------------------------------------------------

    /// Every outcome series with its trend (slope, moving average,
    /// improvement rate), latest drift and open alerts.
    #[wasm_bindgen(unchecked_return_type = "TrendReport[]")]
    pub fn trends(&self) -> JsResult<JsValue> {
        let s = self.inner.state();
        to_js(&s.outcomes.trends(&s.policy.outcomes))
    }

    /// The recorded outcomes of one series (empty for an unknown series).
    #[wasm_bindgen(unchecked_return_type = "Outcome[]")]
    pub fn outcomes(
        &self,
        #[wasm_bindgen(js_name = seriesId, unchecked_param_type = "string")] series_id: JsValue,
    ) -> JsResult<JsValue> {
        let id = string(&series_id, "seriesId")?;
        to_js(self.inner.state().outcomes.outcomes(&id))
    }

    /// Every alert ever raised (regressions, below-baseline, drift), oldest
    /// first; `open: true` keeps the open ones.
    #[wasm_bindgen(unchecked_return_type = "Alert[]")]
    pub fn alerts(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AlertFilter | undefined")] filter: JsValue,
    ) -> JsResult<JsValue> {
        let open = if is_missing(&filter) {
            false
        } else {
            let o = super::convert::object(&filter, "filter")?;
            super::convert::field(o, "open")?.as_bool().unwrap_or(false)
        };
        let outcomes = &self.inner.state().outcomes;
        if open {
            to_js(&outcomes.open_alerts())
        } else {
            to_js(&outcomes.alerts)
        }
    }

    // --- Block 26: models -----------------------------------------------------

    /// Every model with its versions and lineage.
    #[wasm_bindgen(unchecked_return_type = "ModelReport[]")]
    pub fn models(&self) -> JsResult<JsValue> {
        to_js(&self.inner.models())
    }

    // --- Staged rollouts ---------------------------------------------------------------

    /// Every rollout (stage, progress, criteria with current values, next decision).
    #[wasm_bindgen(unchecked_return_type = "RolloutReport[]")]
    pub fn rollouts(&self) -> JsResult<JsValue> {
        to_js(&self.inner.rollouts())
    }

    /// One rollout, or `undefined`.
    #[wasm_bindgen(unchecked_return_type = "RolloutReport | undefined")]
    pub fn rollout(
        &self,
        #[wasm_bindgen(js_name = rolloutId, unchecked_param_type = "string")] rollout_id: JsValue,
    ) -> JsResult<JsValue> {
        let id = string(&rollout_id, "rolloutId")?;
        match self.inner.rollout(&id) {
            Some(r) => to_js(&r),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// The version of the model serving the unit (GrowthBook's hash of the unit against
    /// the active rollout's share, else the champion), or `undefined` (no such model or no
    /// champion). For hot loops, `new Router(brain, modelId)` hashes in JS.
    #[wasm_bindgen(unchecked_return_type = "string | undefined")]
    pub fn route(
        &self,
        #[wasm_bindgen(js_name = modelId, unchecked_param_type = "string")] model_id: JsValue,
        #[wasm_bindgen(js_name = unitId, unchecked_param_type = "string")] unit_id: JsValue,
    ) -> JsResult<JsValue> {
        let model = string(&model_id, "modelId")?;
        let unit = string(&unit_id, "unitId")?;
        Ok(match self.inner.route(&model, &unit) {
            Some(v) => JsValue::from_str(&v.to_string()),
            None => JsValue::UNDEFINED,
        })
    }

    /// What routing the model's units needs (seed, traffic, candidate, baseline), or
    /// `undefined` for an unknown model: the plan `Router` hashes with.
    #[wasm_bindgen(js_name = routePlan, unchecked_return_type = "RoutePlan | undefined")]
    pub fn route_plan(
        &self,
        #[wasm_bindgen(js_name = modelId, unchecked_param_type = "string")] model_id: JsValue,
    ) -> JsResult<JsValue> {
        let model = string(&model_id, "modelId")?;
        match self.inner.route_plan(&model) {
            Some(p) => to_js(&p),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// Version `b` of a model compared with version `a` (metric deltas, `b`'s evidence
    /// against `a` when `a` is the champion, a recommendation with reasons).
    #[wasm_bindgen(js_name = compareVersions, unchecked_return_type = "ModelComparison")]
    pub fn compare_versions(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] model_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] a: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] b: JsValue,
    ) -> JsResult<JsValue> {
        let model_id = string(&model_id, "modelId")?;
        let (a, b) = (semver_arg(&a, "a")?, semver_arg(&b, "b")?);
        to_js(
            &self
                .inner
                .compare_versions(&model_id, &a, &b)
                .map_err(brain_error)?,
        )
    }

    /// A model's history: promotions, refusals, overrides, rollbacks, and which version was
    /// in each environment when.
    #[wasm_bindgen(js_name = modelHistory, unchecked_return_type = "ModelHistory")]
    pub fn model_history(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] model_id: JsValue,
    ) -> JsResult<JsValue> {
        let model_id = string(&model_id, "modelId")?;
        to_js(&self.inner.model_history(&model_id).map_err(brain_error)?)
    }

    /// The versions of a model a semver range (`^1.2`, `>=1.0 <2`) matches, lowest first.
    #[wasm_bindgen(js_name = versionsMatching, unchecked_return_type = "ModelsVersion[]")]
    pub fn versions_matching(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] model_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] range: JsValue,
    ) -> JsResult<JsValue> {
        let model_id = string(&model_id, "modelId")?;
        let range = string(&range, "range")?;
        to_js(
            &self
                .inner
                .versions_matching(&model_id, &range)
                .map_err(brain_error)?,
        )
    }

    /// The next free version of a model by `bump` (`"patch"`, `"minor"`, `"major"`) from
    /// `parent` (default: the champion).
    #[wasm_bindgen(js_name = nextVersion)]
    pub fn next_version(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] model_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "VersionBump")] bump: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | undefined")] parent: JsValue,
    ) -> JsResult<String> {
        let model_id = string(&model_id, "modelId")?;
        let bump: crate::models::Bump =
            serde_json::from_value(serde_json::Value::String(string(&bump, "bump")?))
                .map_err(|_| invalid("bump must be \"patch\", \"minor\" or \"major\""))?;
        let parent = if is_missing(&parent) {
            None
        } else {
            Some(semver_arg(&parent, "parent")?)
        };
        self.inner
            .next_version(&model_id, bump, parent.as_ref())
            .map(|v| v.to_string())
            .map_err(brain_error)
    }

    /// A challenger's or shadow's evidence against the champion as a promotion would test
    /// it now (lift, interval, p-value, samples against the minimum, verdict, reasons).
    #[wasm_bindgen(js_name = modelAssessment, unchecked_return_type = "EvidenceAssessment | null")]
    pub fn model_assessment(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] model_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] version: JsValue,
    ) -> JsResult<JsValue> {
        let model_id = string(&model_id, "modelId")?;
        let version = semver_arg(&version, "version")?;
        to_js(&self.inner.model_assessment(&model_id, &version))
    }

    // --- Block 27: readiness ----------------------------------------------------

    /// Every assessed clone with its readiness.
    #[wasm_bindgen(unchecked_return_type = "CloneSummary[]")]
    pub fn clones(&self) -> JsResult<JsValue> {
        to_js(&self.inner.clones())
    }

    // --- Block 28: gates ----------------------------------------------------------

    /// Every gate decision, oldest first.
    #[wasm_bindgen(js_name = gateDecisions, unchecked_return_type = "GateDecision[]")]
    pub fn gate_decisions(&self) -> JsResult<JsValue> {
        to_js(self.inner.gate_decisions())
    }

    // --- Monitoring -------------------------------------------------------------------

    /// Runs every check due at `at` (a Date or RFC 3339 string) as `RunDueChecks`; returns
    /// its events, or none when nothing is due (call it on a timer: the app owns the clock).
    #[wasm_bindgen(js_name = runDueChecks, unchecked_return_type = "BrainEvent[]")]
    pub fn run_due_checks(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Date | string")] at: JsValue,
    ) -> JsResult<JsValue> {
        let at = time(&at, "at")?;
        to_js(&self.inner.run_due_checks(at, None).map_err(brain_error)?)
    }

    /// Each check's cadence, last and next run.
    #[wasm_bindgen(unchecked_return_type = "ScheduleRow[]")]
    pub fn schedule(&self) -> JsResult<JsValue> {
        to_js(&self.inner.schedule())
    }

    /// The inbox (`{ since }`: at or after that time), oldest first, with read / unread;
    /// mark notifications read with the `MarkRead` command.
    #[wasm_bindgen(unchecked_return_type = "Notification[]")]
    pub fn notifications(
        &self,
        #[wasm_bindgen(unchecked_param_type = "NotificationQuery | undefined")] options: JsValue,
    ) -> JsResult<JsValue> {
        let since = if is_missing(&options) {
            None
        } else {
            let o = super::convert::object(&options, "options")?;
            let since = super::convert::field(o, "since")?;
            if is_missing(&since) {
                None
            } else {
                Some(time(&since, "options.since")?)
            }
        };
        to_js(&self.inner.notifications(since))
    }

    /// Marks notifications of the inbox read at `at` (a Date or RFC 3339 string), as the
    /// command `MarkRead` (audited like any other); returns its events. Unknown ids throw
    /// `unknown_notification`, an empty list `no_notifications`.
    #[wasm_bindgen(js_name = markRead, unchecked_return_type = "BrainEvent[]")]
    pub fn mark_read(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "readonly string[]")] notification_ids: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Date | string")] at: JsValue,
    ) -> JsResult<JsValue> {
        let list = super::convert::array(&notification_ids, "notificationIds")?;
        let notification_ids = list
            .iter()
            .enumerate()
            .map(|(i, id)| string(&id, &format!("notificationIds[{i}]")))
            .collect::<JsResult<Vec<_>>>()?;
        let env = Envelope {
            at: time(&at, "at")?,
            actor: None,
            command: crate::brain::Command::Monitoring(crate::monitoring::Command::MarkRead {
                notification_ids,
            }),
        };
        to_js(&self.inner.execute(env).map_err(brain_error)?)
    }

    /// Every alert open now: outcomes and monitoring alerts, gate BLOCKs.
    #[wasm_bindgen(js_name = liveAlerts, unchecked_return_type = "LiveAlert[]")]
    pub fn live_alerts(&self) -> JsResult<JsValue> {
        to_js(&self.inner.live_alerts())
    }

    /// The `"daily"` or `"weekly"` report for the period ending at `at`.
    #[wasm_bindgen(unchecked_return_type = "MonitoringReport")]
    pub fn report(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ReportKind")] kind: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Date | string")] at: JsValue,
    ) -> JsResult<JsValue> {
        let (kind, at) = report_args(&kind, &at)?;
        to_js(&self.inner.report(kind, at))
    }

    /// The same report as Markdown.
    #[wasm_bindgen(js_name = reportMarkdown)]
    pub fn report_markdown(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ReportKind")] kind: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Date | string")] at: JsValue,
    ) -> JsResult<String> {
        let (kind, at) = report_args(&kind, &at)?;
        Ok(self.inner.report(kind, at).to_markdown())
    }

    // --- Block 29: audit -------------------------------------------------------------

    /// Audit entries matching `{ subject?, action?, from?, to? }` (all when
    /// omitted).
    #[wasm_bindgen(js_name = auditQuery, unchecked_return_type = "AuditEntry[]")]
    pub fn audit_query(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AuditQuery | undefined")] query: JsValue,
    ) -> JsResult<JsValue> {
        let q: audit::Query = if is_missing(&query) {
            audit::Query::default()
        } else {
            read(&query, "query")?
        };
        to_js(&self.inner.audit_query(&q))
    }

    /// The audit entries matching `{ subject?, action?, from?, to? }`, each
    /// with its inclusion proof against the log's tree head (check the text
    /// with `verifyAuditFilteredExport`).
    #[wasm_bindgen(js_name = auditExportFiltered, unchecked_return_type = "AuditFilteredExport")]
    pub fn audit_export_filtered(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AuditQuery | undefined")] query: JsValue,
    ) -> JsResult<JsValue> {
        let q: audit::Query = if is_missing(&query) {
            audit::Query::default()
        } else {
            read(&query, "query")?
        };
        to_js(&self.inner.audit_export_filtered(&q))
    }

    /// The audit log as canonical JSON text.
    #[wasm_bindgen(js_name = auditExport)]
    pub fn audit_export(&self) -> String {
        self.inner.audit_export()
    }

    /// Checks the audit hash chain; throws its code when broken.
    #[wasm_bindgen(js_name = verifyAudit)]
    pub fn verify_audit(&self) -> JsResult<()> {
        self.inner.verify_audit().map_err(brain_error)
    }

    // --- Verification and what-if ---------------------------------------------------

    /// Runs every verification check on the live state.
    #[wasm_bindgen(unchecked_return_type = "VerifyReport")]
    pub fn verify(&mut self) -> JsResult<JsValue> {
        // A loaded snapshot's log is executed again once; when it gives the
        // event log, later calls skip that work (the check still reports it).
        let _ = self.inner.confirm_log();
        to_js(&self.inner.verify())
    }

    /// Replays the command log under another policy (`policy` merged over
    /// the policy in force) and reports what would have been decided
    /// differently.
    #[wasm_bindgen(js_name = whatIf, unchecked_return_type = "WhatIfReport")]
    pub fn what_if(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PolicyInput")] policy: JsValue,
    ) -> JsResult<JsValue> {
        let policy = read_policy(&policy, self.inner.policy())?;
        to_js(&self.inner.what_if(&policy).map_err(brain_error)?)
    }
}

/// A report's kind (`"daily"` or `"weekly"`) and time.
fn report_args(
    kind: &JsValue,
    at: &JsValue,
) -> JsResult<(crate::monitoring::ReportKind, DateTime<Utc>)> {
    let kind = match string(kind, "kind")?.as_str() {
        "daily" => crate::monitoring::ReportKind::Daily,
        "weekly" => crate::monitoring::ReportKind::Weekly,
        _ => return Err(wrong("kind", "\"daily\" or \"weekly\"", kind)),
    };
    Ok((kind, time(at, "at")?))
}
