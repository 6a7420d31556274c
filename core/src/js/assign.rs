//! GrowthBook-compatible assignment: `gbHash`, `bucketRanges`,
//! `chooseVariation`, `assign`, `assignMany` and the `Experiment` class.

use js_sys::{Array, Int32Array, Object, Uint16Array, Uint32Array};
use wasm_bindgen::prelude::*;

use super::convert::{
    array, field, first_non_string, invalid, is_missing, number, object, opt_number, opt_string,
    small_count, string, wrong, JsResult,
};
use crate::assign::{self, Experiment, Namespace, PreparedExperiment};

/// More variations than this are refused (the ranges are allocated).
pub const MAX_VARIATIONS: usize = 10_000;

#[wasm_bindgen(inline_js = r#"
export function inExperiment(variationId, bucket) {
  return { inExperiment: true, variationId, bucket };
}
export function notInExperiment() {
  return { inExperiment: false, variationId: 0, bucket: undefined };
}
export function makePlan(hashVersion, seed, seedState, scale, table, namespaced) {
  return { hashVersion, seed, seedState, scale, table, namespaced };
}
export function joinIds(ids, lengths) {
  for (let i = 0; i < ids.length; i++) lengths[i] = ids[i].length;
  return ids.join("");
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = inExperiment)]
    fn in_experiment_result(variation_id: i32, bucket: f64) -> JsValue;
    #[wasm_bindgen(js_name = notInExperiment)]
    fn not_in_experiment_result() -> JsValue;
    #[wasm_bindgen(js_name = makePlan)]
    fn make_plan(
        hash_version: u32,
        seed: &Uint16Array,
        seed_state: u32,
        scale: u32,
        table: &Int32Array,
        namespaced: bool,
    ) -> JsValue;
    /// Writes each id's UTF-16 length into `lengths`, returns the ids joined.
    #[wasm_bindgen(js_name = joinIds)]
    fn join_ids(ids: &Array, lengths: &Int32Array) -> String;
}

/// A hash version from JS: integers in `u32` are versions (unknown ones give
/// "no hash"); any other finite number is an unknown version.
fn hash_version(v: &JsValue, what: &str) -> JsResult<u32> {
    let x = number(v, what)?;
    if x.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&x) {
        // Whole and in range: exact.
        Ok(x as u32)
    } else {
        Ok(u32::MAX)
    }
}

/// Weights: an array of finite numbers, or `None` when missing.
fn weights(v: &JsValue, what: &str) -> JsResult<Option<Vec<f64>>> {
    if is_missing(v) {
        return Ok(None);
    }
    let w = super::convert::finite_numbers(v, what)?;
    if w.len() > MAX_VARIATIONS {
        return Err(invalid(&format!(
            "{what} has {} entries; at most {MAX_VARIATIONS} are allowed",
            w.len()
        )));
    }
    Ok(Some(w))
}

/// A namespace `[id, start, end]`, or `None` when missing.
fn namespace(v: &JsValue) -> JsResult<Option<Namespace>> {
    if is_missing(v) {
        return Ok(None);
    }
    let a = array(v, "experiment.namespace")
        .map_err(|_| wrong("experiment.namespace", "[id, start, end]", v))?;
    if a.length() != 3 {
        return Err(wrong("experiment.namespace", "[id, start, end]", v));
    }
    Ok(Some(Namespace(
        string(&a.get(0), "experiment.namespace[0]")?,
        number(&a.get(1), "experiment.namespace[1]")?,
        number(&a.get(2), "experiment.namespace[2]")?,
    )))
}

/// Reads `{ key, seed?, hashVersion?, variations, weights?, coverage?,
/// namespace? }`.
pub fn read_experiment(v: &JsValue) -> JsResult<Experiment> {
    let o: &Object = object(v, "experiment")?;
    let key = string(&field(o, "key")?, "experiment.key")?;
    let seed = opt_string(&field(o, "seed")?, "experiment.seed")?;
    let hv = field(o, "hashVersion")?;
    let hash_version = if is_missing(&hv) {
        1
    } else {
        hash_version(&hv, "experiment.hashVersion")?
    };
    let variations = small_count(
        &field(o, "variations")?,
        "experiment.variations (the number of variations)",
        MAX_VARIATIONS,
    )?;
    let weights = weights(&field(o, "weights")?, "experiment.weights")?;
    let coverage = opt_number(&field(o, "coverage")?, "experiment.coverage")?;
    let namespace = namespace(&field(o, "namespace")?)?;
    Ok(Experiment {
        key,
        seed,
        hash_version,
        variations,
        weights,
        coverage,
        namespace,
    })
}

/// A user id: a string (numbers are refused, as the SDK hashes strings),
/// as its UTF-16 code units, which is what the SDK hashes (a `String`
/// would replace a lone surrogate with U+FFFD).
pub(super) fn user_id(v: &JsValue) -> JsResult<Vec<u16>> {
    v.dyn_ref::<js_sys::JsString>()
        .map(|s| s.iter().collect())
        .ok_or_else(|| wrong("userId", "a string (convert numbers with String(id))", v))
}

pub(super) fn result(a: &assign::Assignment) -> JsValue {
    match (a.in_experiment, a.bucket) {
        (true, Some(bucket)) => in_experiment_result(a.variation_id, bucket),
        _ => not_in_experiment_result(),
    }
}

/// GrowthBook's `hash(seed, value, version)`: a number in `[0, 1)`, or
/// `undefined` for an unknown version.
#[wasm_bindgen(js_name = gbHash)]
pub fn gb_hash(
    #[wasm_bindgen(unchecked_param_type = "string")] seed: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] version: JsValue,
) -> JsResult<Option<f64>> {
    let seed = string(&seed, "seed")?;
    let value = string(&value, "value")?;
    let version = hash_version(&version, "version")?;
    Ok(assign::hash(&seed, &value, version))
}

/// GrowthBook's `getBucketRanges(numVariations, coverage, weights)`:
/// `[start, end)` per variation. `coverage` defaults to 1 and is clamped to
/// `[0, 1]`; weights of the wrong length or not summing to 1 (within 0.01)
/// fall back to equal weights.
#[wasm_bindgen(js_name = bucketRanges, unchecked_return_type = "Range[]")]
pub fn bucket_ranges(
    #[wasm_bindgen(js_name = numVariations, unchecked_param_type = "number")]
    num_variations: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number | undefined")] coverage: JsValue,
    #[wasm_bindgen(unchecked_param_type = "readonly number[] | Float64Array | null")]
    weights: Option<JsValue>,
) -> JsResult<JsValue> {
    // The SDK returns [] for n <= 0.
    let n = number(&num_variations, "numVariations")?;
    let n = if n < 0.0 && n.fract() == 0.0 {
        0
    } else {
        small_count(&num_variations, "numVariations", MAX_VARIATIONS)?
    };
    let coverage = opt_number(&coverage, "coverage")?.unwrap_or(1.0);
    let w = match &weights {
        Some(w) => self::weights(w, "weights")?,
        None => None,
    };
    let out = Array::new();
    for (start, end) in assign::bucket_ranges(n, coverage, w.as_deref()) {
        out.push(&Array::of2(&start.into(), &end.into()));
    }
    Ok(out.into())
}

/// GrowthBook's `chooseVariation(n, ranges)`: the index of the range
/// holding `n`, or -1.
#[wasm_bindgen(js_name = chooseVariation)]
pub fn choose_variation(
    #[wasm_bindgen(unchecked_param_type = "number")] n: JsValue,
    #[wasm_bindgen(unchecked_param_type = "readonly Range[]")] ranges: JsValue,
) -> JsResult<i32> {
    let n = number(&n, "n")?;
    let a = array(&ranges, "ranges")?;
    let mut rs = Vec::with_capacity(usize::try_from(a.length()).unwrap_or(0).min(MAX_VARIATIONS));
    for (i, r) in a.iter().enumerate() {
        let what = format!("ranges[{i}]");
        let pair = array(&r, &what).map_err(|_| wrong(&what, "[start, end]", &r))?;
        if pair.length() != 2 {
            return Err(wrong(&what, "[start, end]", &r));
        }
        rs.push((
            number(&pair.get(0), &format!("{what}[0]"))?,
            number(&pair.get(1), &format!("{what}[1]"))?,
        ));
    }
    Ok(assign::choose_variation(n, &rs))
}

/// Buckets one user (GrowthBook's `run` for an active experiment without
/// overrides). Parses the experiment on each call: use `new Experiment(...)`
/// to assign many users.
#[wasm_bindgen(js_name = assign, unchecked_return_type = "Assignment")]
pub fn assign_one(
    #[wasm_bindgen(unchecked_param_type = "ExperimentInput")] experiment: JsValue,
    #[wasm_bindgen(js_name = userId, unchecked_param_type = "string")] user_id: JsValue,
) -> JsResult<JsValue> {
    let exp = read_experiment(&experiment)?;
    let id = self::user_id(&user_id)?;
    Ok(result(&exp.prepare().assign_units(&id)))
}

/// Variation ids of many users (-1 when not in the experiment), bucketed
/// inside wasm.
#[wasm_bindgen(js_name = assignMany)]
pub fn assign_many(
    #[wasm_bindgen(unchecked_param_type = "ExperimentInput")] experiment: JsValue,
    #[wasm_bindgen(js_name = userIds, unchecked_param_type = "readonly string[]")]
    user_ids: JsValue,
) -> JsResult<Int32Array> {
    let exp = read_experiment(&experiment)?.prepare();
    many(&exp, &user_ids)
}

fn many(exp: &PreparedExperiment, user_ids: &JsValue) -> JsResult<Int32Array> {
    let ids = array(user_ids, "userIds")?;
    let bad = first_non_string(ids);
    if bad >= 0 {
        let i = u32::try_from(bad).unwrap_or(0);
        return Err(wrong(
            &format!("userIds[{i}]"),
            "a string (convert numbers with String(id))",
            &ids.get(i),
        ));
    }
    // One crossing for all ids; js/assign-fast.js's `assignMany` hashes them
    // in JS, or passes their code units to `assignUnits`. Here a lone
    // surrogate arrives as U+FFFD (one unit too, so the lengths still hold).
    let lengths = Int32Array::new_with_length(ids.length());
    let joined = join_ids(ids, &lengths);
    let lengths: Vec<u32> = lengths
        .to_vec()
        .into_iter()
        .map(|n| n.unsigned_abs())
        .collect();
    let units: Vec<u16> = joined.encode_utf16().collect();
    let out = exp
        .variations_units(&units, &lengths)
        .ok_or_else(|| invalid("userIds: the ids' lengths do not add up"))?;
    Ok(Int32Array::from(out.as_slice()))
}

/// An experiment parsed once, for the hot path: `assign(userId)` per user,
/// `assignMany(userIds)` per batch.
#[wasm_bindgen(js_name = Experiment)]
pub struct JsExperiment {
    prepared: PreparedExperiment,
    experiment: Experiment,
}

#[wasm_bindgen(js_class = Experiment)]
impl JsExperiment {
    /// Parses and checks the experiment, and computes its bucket ranges.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ExperimentInput")] experiment: JsValue,
    ) -> JsResult<JsExperiment> {
        let experiment = read_experiment(&experiment)?;
        Ok(JsExperiment {
            prepared: experiment.prepare(),
            experiment,
        })
    }

    /// Buckets one user.
    #[wasm_bindgen(unchecked_return_type = "Assignment")]
    pub fn assign(
        &self,
        #[wasm_bindgen(js_name = userId, unchecked_param_type = "string")] user_id: JsValue,
    ) -> JsResult<JsValue> {
        let id = self::user_id(&user_id)?;
        Ok(result(&self.prepared.assign_units(&id)))
    }

    /// The variation id of one user, or -1 when not in the experiment (the
    /// fastest call: no object is built).
    #[wasm_bindgen(js_name = variationOf)]
    pub fn variation_of(
        &self,
        #[wasm_bindgen(js_name = userId, unchecked_param_type = "string")] user_id: JsValue,
    ) -> JsResult<i32> {
        let id = self::user_id(&user_id)?;
        let a = self.prepared.assign_units(&id);
        Ok(if a.in_experiment { a.variation_id } else { -1 })
    }

    /// Variation ids of many users (-1 when not in the experiment).
    #[wasm_bindgen(js_name = assignMany)]
    pub fn assign_many(
        &self,
        #[wasm_bindgen(js_name = userIds, unchecked_param_type = "readonly string[]")]
        user_ids: JsValue,
    ) -> JsResult<Int32Array> {
        many(&self.prepared, &user_ids)
    }

    /// What a JS hot loop needs to bucket users without calling into wasm
    /// (`js/assign-fast.js` uses it): the hash's inputs and the variation
    /// of every hash value, worked out once here with the same comparisons
    /// as `chooseVariation`.
    #[wasm_bindgen(unchecked_return_type = "AssignmentPlan")]
    pub fn plan(&self) -> JsValue {
        let plan = self.prepared.plan();
        let scale: u32 = if plan.hash_version == 2 {
            10_000
        } else {
            1_000
        };
        // Fewer than two variations put nobody in: every value maps to -1.
        let table: Vec<i32> = (0..scale)
            .map(|value| {
                if plan.variations < 2 {
                    -1
                } else {
                    assign::choose_variation(f64::from(value) / f64::from(scale), &plan.ranges)
                }
            })
            .collect();
        let seed: Vec<u16> = plan.seed.encode_utf16().collect();
        make_plan(
            plan.hash_version,
            &Uint16Array::from(seed.as_slice()),
            plan.seed_state,
            scale,
            &Int32Array::from(table.as_slice()),
            plan.namespaced,
        )
    }

    /// Variation ids (-1: not in the experiment) of a batch of ids given
    /// as their UTF-16 code units back to back (`units`) and each id's
    /// length in units (`lengths`): what `assignMany` does without encoding
    /// the ids, and with a lone surrogate hashed by its code unit, as the
    /// SDK hashes it.
    #[wasm_bindgen(js_name = assignUnits)]
    pub fn assign_units(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Uint16Array")] units: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint32Array")] lengths: JsValue,
    ) -> JsResult<Int32Array> {
        let units = units
            .dyn_ref::<Uint16Array>()
            .ok_or_else(|| wrong("units", "a Uint16Array", &units))?
            .to_vec();
        let lengths = lengths
            .dyn_ref::<Uint32Array>()
            .ok_or_else(|| wrong("lengths", "a Uint32Array", &lengths))?
            .to_vec();
        let out = self
            .prepared
            .variations_units(&units, &lengths)
            .ok_or_else(|| invalid("lengths: the ids' lengths do not add up to units.length"))?;
        Ok(Int32Array::from(out.as_slice()))
    }
}

#[wasm_bindgen(js_class = Experiment)]
impl JsExperiment {
    /// The bucket ranges, `[start, end)` per variation.
    #[wasm_bindgen(unchecked_return_type = "Range[]")]
    pub fn ranges(&self) -> JsValue {
        let out = Array::new();
        let e = &self.experiment;
        for (start, end) in assign::bucket_ranges(
            e.variations,
            e.coverage.unwrap_or(1.0),
            e.weights.as_deref(),
        ) {
            out.push(&Array::of2(&start.into(), &end.into()));
        }
        out.into()
    }

    /// The experiment as parsed (defaults filled in).
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "ExperimentInput")]
    pub fn to_json(&self) -> JsResult<JsValue> {
        super::convert::to_js(&self.experiment)
    }
}
