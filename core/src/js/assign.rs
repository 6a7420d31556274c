//! GrowthBook-compatible assignment for the lite entry, as thin wasm
//! exports: `js/lite.js` and `js/assign-fast.js` read and check the inputs
//! (the experiment's fields, ids as UTF-16 code units) and build the
//! results; the hashing, the bucket ranges and the placing of a hash in
//! them are the core's (`crate::assign`).

use wasm_bindgen::prelude::*;

use super::coded::{coded_error, JsResult};
use crate::assign::{self, Experiment, Namespace, PreparedExperiment};

#[wasm_bindgen(inline_js = r#"
export function makePlan(hashVersion, seed, seedState, scale, table, namespaced) {
  return { hashVersion, seed, seedState, scale, table, namespaced };
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = makePlan)]
    fn make_plan(
        hash_version: u32,
        seed: Vec<u16>,
        seed_state: u32,
        scale: u32,
        table: Vec<i32>,
        namespaced: bool,
    ) -> JsValue;
}

/// GrowthBook's `hash(seed, value, version)`: a number in `[0, 1)`, or -1
/// for an unknown version (the JS gives `undefined`).
#[wasm_bindgen(js_name = gbHash)]
pub fn gb_hash(seed: &str, value: &str, version: u32) -> f64 {
    assign::hash(seed, value, version).unwrap_or(-1.0)
}

/// `[start, end)` of each variation, back to back.
fn flat(ranges: Vec<(f64, f64)>) -> Vec<f64> {
    ranges
        .into_iter()
        .flat_map(|(start, end)| [start, end])
        .collect()
}

/// GrowthBook's `getBucketRanges`: the ranges back to back
/// (`[start0, end0, start1, end1, ...]`).
#[wasm_bindgen(js_name = bucketRanges)]
pub fn bucket_ranges(num_variations: usize, coverage: f64, weights: Option<Vec<f64>>) -> Vec<f64> {
    flat(assign::bucket_ranges(
        num_variations,
        coverage,
        weights.as_deref(),
    ))
}

/// GrowthBook's `chooseVariation(n, ranges)`, the ranges back to back.
#[wasm_bindgen(js_name = chooseVariation)]
pub fn choose_variation(n: f64, ranges: &[f64]) -> i32 {
    let (pairs, _) = ranges.as_chunks::<2>();
    let ranges: Vec<(f64, f64)> = pairs.iter().map(|&[start, end]| (start, end)).collect();
    assign::choose_variation(n, &ranges)
}

/// An experiment prepared once (its seed's hash state and bucket ranges).
#[wasm_bindgen(js_name = Experiment)]
pub struct JsExperiment {
    prepared: PreparedExperiment,
}

#[wasm_bindgen(js_class = Experiment)]
impl JsExperiment {
    /// The experiment's fields as `js/assign-fast.js` read them (a
    /// namespace when `namespace` is given, with its start and end).
    #[wasm_bindgen(constructor)]
    #[allow(clippy::too_many_arguments)]
    // The omittable fields are typed `T | null`: wasm-bindgen's `T | null |
    // undefined` would become `field?: T` before required parameters in
    // `scripts/build-js.sh`'s rewrite of trailing ones.
    pub fn new(
        key: String,
        #[wasm_bindgen(unchecked_param_type = "string | null")] seed: Option<String>,
        hash_version: u32,
        variations: usize,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | null")] weights: Option<Vec<f64>>,
        #[wasm_bindgen(unchecked_param_type = "number | null")] coverage: Option<f64>,
        #[wasm_bindgen(unchecked_param_type = "string | null")] namespace: Option<String>,
        namespace_start: f64,
        namespace_end: f64,
    ) -> JsExperiment {
        let experiment = Experiment {
            key,
            seed,
            hash_version,
            variations,
            weights,
            coverage,
            namespace: namespace.map(|id| Namespace(id, namespace_start, namespace_end)),
        };
        JsExperiment {
            prepared: experiment.prepare(),
        }
    }

    /// Buckets one id given as its UTF-16 code units: `[variationId,
    /// bucket]`, or empty when not in the experiment.
    pub fn assign(&self, id: &[u16]) -> Vec<f64> {
        match self.prepared.assign_units(id) {
            assign::Assignment {
                in_experiment: true,
                variation_id,
                bucket: Some(bucket),
            } => vec![f64::from(variation_id), bucket],
            _ => Vec::new(),
        }
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
        make_plan(
            plan.hash_version,
            plan.seed.encode_utf16().collect(),
            plan.seed_state,
            scale,
            table,
            plan.namespaced,
        )
    }

    /// Variation ids (-1: not in the experiment) of a batch of ids given
    /// as their UTF-16 code units back to back (`units`) and each id's
    /// length in units (`lengths`), a lone surrogate hashed by its code
    /// unit, as the SDK hashes it.
    #[wasm_bindgen(js_name = assignUnits)]
    pub fn assign_units(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Uint16Array")] units: &[u16],
        #[wasm_bindgen(unchecked_param_type = "Uint32Array")] lengths: &[u32],
    ) -> JsResult<Vec<i32>> {
        self.prepared
            .variations_units(units, lengths)
            .ok_or_else(|| {
                coded_error(
                    "invalid_input",
                    "lengths: the ids' lengths do not add up to units.length",
                )
            })
    }
}
