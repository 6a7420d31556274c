//! Deterministic experiment assignment, bit for bit with GrowthBook's JS SDK.
//!
//! A port of `packages/sdk-js/src/util.ts` (`hash`, `getBucketRanges`,
//! `chooseVariation`, `inNamespace`, `getEqualWeights`) and of the bucketing
//! part of `runExperiment` in `packages/sdk-js/src/core.ts` (GrowthBook
//! 1.8.0), including the SDK's quirks:
//!
//! - FNV-1a 32 runs over UTF-16 code units (`String.charCodeAt`), not UTF-8
//!   bytes, so an id with non-ASCII characters or emoji lands in the same
//!   bucket as in the browser;
//! - the JS arithmetic `hval += (hval << 1) + (hval << 4) + (hval << 7) +
//!   (hval << 8) + (hval << 24)` is a multiplication by the FNV prime
//!   `0x01000193` modulo 2^32 (the next `^=` truncates to 32 bits), which is
//!   what `u32::wrapping_mul` computes;
//! - version 1 hashes `value + seed` and keeps `(h % 1000) / 1000`; version 2
//!   hashes `seed + value`, hashes the decimal string of that, and keeps
//!   `(h % 10000) / 10000`;
//! - bucket ranges clamp coverage to `[0, 1]` and fall back to equal weights
//!   when the weights' length differs from the number of variations or their
//!   sum is outside `0.99..=1.01`.
//!
//! Nothing here fails: like the SDK, bad input gives "not in the experiment".

use serde::{Deserialize, Serialize};

/// FNV-1a 32-bit offset basis.
const FNV_OFFSET: u32 = 0x811c_9dc5;
/// FNV-1a 32-bit prime; `1 + 2^1 + 2^4 + 2^7 + 2^8 + 2^24`.
const FNV_PRIME: u32 = 0x0100_0193;

/// Feeds the UTF-16 code units of `s` into an FNV-1a 32 state.
#[inline]
fn fnv_feed(h: u32, s: &str) -> u32 {
    // ASCII fast path: a byte below 0x80 is one UTF-16 code unit of the
    // same value.
    if s.is_ascii() {
        fnv_feed_units(h, s.as_bytes())
    } else {
        s.encode_utf16()
            .fold(h, |h, unit| (h ^ u32::from(unit)).wrapping_mul(FNV_PRIME))
    }
}

/// FNV-1a 32 of the concatenation `first + second`, over UTF-16 code units
/// (the SDK's `hashFnv32a`), without allocating the concatenation.
#[inline]
fn fnv1a32_concat(first: &str, second: &str) -> u32 {
    fnv_feed(fnv_feed(FNV_OFFSET, first), second)
}

/// FNV-1a 32 of the decimal representation of `n` (JS `n + ""`).
#[inline]
fn fnv1a32_decimal(n: u32) -> u32 {
    // Every digit from its own division by a constant (independent
    // multiply-shifts, no serial `n /= 10` chain), most significant first.
    let digits: [u32; 10] = [
        n / 1_000_000_000,
        n / 100_000_000 % 10,
        n / 10_000_000 % 10,
        n / 1_000_000 % 10,
        n / 100_000 % 10,
        n / 10_000 % 10,
        n / 1_000 % 10,
        n / 100 % 10,
        n / 10 % 10,
        n % 10,
    ];
    let len = n.checked_ilog10().unwrap_or(0) as usize + 1;
    let mut h = FNV_OFFSET;
    for &d in digits
        .get(digits.len().saturating_sub(len)..)
        .unwrap_or(&digits)
    {
        h ^= u32::from(b'0') + d;
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// The SDK's `hash(seed, value, version)`: a number in `[0, 1)`, or `None`
/// for an unknown version.
///
/// - version 1: `(fnv1a32(value + seed) % 1000) / 1000`
/// - version 2: `(fnv1a32(str(fnv1a32(seed + value))) % 10000) / 10000`
///
/// where `fnv1a32` is FNV-1a 32 over UTF-16 code units.
/// Reference: GrowthBook `packages/sdk-js/src/util.ts`, `hash`.
pub fn hash(seed: &str, value: &str, version: u32) -> Option<f64> {
    match version {
        2 => {
            let inner = fnv1a32_concat(seed, value);
            Some(f64::from(fnv1a32_decimal(inner) % 10_000) / 10_000.0)
        }
        1 => Some(f64::from(fnv1a32_concat(value, seed) % 1_000) / 1_000.0),
        _ => None,
    }
}

/// The SDK's `getEqualWeights(n)`: `n` copies of `1 / n`, empty for `n = 0`.
/// Reference: GrowthBook `packages/sdk-js/src/util.ts`, `getEqualWeights`.
pub fn equal_weights(n: usize) -> Vec<f64> {
    if n == 0 {
        return Vec::new();
    }
    vec![1.0 / n as f64; n]
}

/// The SDK's `getBucketRanges(numVariations, coverage, weights)`.
///
/// Coverage `c` is clamped to `[0, 1]`; weights fall back to
/// [`equal_weights`] when missing, of the wrong length, or summing outside
/// `0.99..=1.01`. Variation `i` gets `[s_i, s_i + c * w_i)` with
/// `s_i = w_0 + ... + w_{i-1}`.
/// Reference: GrowthBook `packages/sdk-js/src/util.ts`, `getBucketRanges`.
pub fn bucket_ranges(
    num_variations: usize,
    coverage: f64,
    weights: Option<&[f64]>,
) -> Vec<(f64, f64)> {
    // f64::clamp keeps NaN, as the SDK's comparisons do.
    let coverage = coverage.clamp(0.0, 1.0);
    let equal = equal_weights(num_variations);
    let mut chosen: &[f64] = match weights {
        Some(w) if w.len() == num_variations => w,
        _ => &equal,
    };
    // `weights.reduce((w, sum) => sum + w, 0)`: left to right from 0.
    let total: f64 = chosen.iter().fold(0.0, |acc, w| w + acc);
    // Written as the SDK's comparisons: a NaN sum keeps the weights there,
    // where `!(0.99..=1.01).contains(&total)` would drop them.
    #[allow(clippy::manual_range_contains)]
    let out_of_range = total < 0.99 || total > 1.01;
    if out_of_range {
        chosen = &equal;
    }
    let mut cumulative = 0.0;
    chosen
        .iter()
        .map(|&w| {
            let start = cumulative;
            cumulative += w;
            (start, start + coverage * w)
        })
        .collect()
}

/// The SDK's `chooseVariation(n, ranges)`: the index of the first range
/// with `start <= n < end`, or `-1` when none holds `n`.
/// Reference: GrowthBook `packages/sdk-js/src/util.ts`, `chooseVariation`.
pub fn choose_variation(n: f64, ranges: &[(f64, f64)]) -> i32 {
    ranges
        .iter()
        .position(|&(start, end)| n >= start && n < end)
        .and_then(|i| i32::try_from(i).ok())
        .unwrap_or(-1)
}

/// A namespace: the id and the `[start, end)` slice of it an experiment uses.
/// Serialised as the SDK's tuple `["id", start, end]`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Namespace(pub String, pub f64, pub f64);

/// The SDK's `inNamespace(hashValue, namespace)`:
/// `start <= hash("__" + id, hashValue, 1) < end`.
/// Reference: GrowthBook `packages/sdk-js/src/util.ts`, `inNamespace`.
pub fn in_namespace(hash_value: &str, namespace: &Namespace) -> bool {
    let Namespace(id, start, end) = namespace;
    // hash("__" + id, value, 1) hashes value + "__" + id.
    let h = fnv_feed(fnv1a32_concat(hash_value, "__"), id);
    let n = f64::from(h % 1_000) / 1_000.0;
    n >= *start && n < *end
}

fn default_hash_version() -> u32 {
    1
}

/// An experiment as far as bucketing is concerned.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Experiment {
    /// The experiment key; also the seed when `seed` is missing or empty.
    pub key: String,
    /// The hashing seed (the SDK uses `seed || key`).
    #[serde(default)]
    pub seed: Option<String>,
    /// Hash version, 1 (the SDK's default, also used for 0) or 2.
    #[serde(default = "default_hash_version")]
    pub hash_version: u32,
    /// Number of variations; fewer than 2 means nobody is in.
    pub variations: usize,
    /// Traffic weights per variation (see [`bucket_ranges`] fallbacks).
    #[serde(default)]
    pub weights: Option<Vec<f64>>,
    /// Share of traffic included, 1 when missing.
    #[serde(default)]
    pub coverage: Option<f64>,
    /// Namespace the experiment runs in, if any.
    #[serde(default)]
    pub namespace: Option<Namespace>,
}

/// The outcome of bucketing one user, as the SDK's result
/// (`inExperiment`, `variationId`, `bucket`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Assignment {
    /// Whether the user is in the experiment.
    pub in_experiment: bool,
    /// The variation index; 0 (the baseline) when not in the experiment.
    pub variation_id: i32,
    /// The hash the user landed on, only when in the experiment (omitted
    /// from JSON otherwise, as the SDK does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket: Option<f64>,
}

impl Assignment {
    /// The SDK's result for a user left out: baseline, no bucket.
    fn excluded() -> Self {
        Assignment {
            in_experiment: false,
            variation_id: 0,
            bucket: None,
        }
    }
}

/// An experiment with its bucket ranges computed once, for the hot path.
#[derive(Clone, Debug, PartialEq)]
pub struct PreparedExperiment {
    seed: String,
    /// FNV-1a state after the seed: hash v2 hashes `seed + id`, so the
    /// seed's part is the same for every user.
    seed_state: u32,
    hash_version: u32,
    variations: usize,
    namespace: Option<Namespace>,
    ranges: Vec<(f64, f64)>,
}

impl Experiment {
    /// Computes the seed, the hash version and the bucket ranges once.
    pub fn prepare(&self) -> PreparedExperiment {
        let seed = match &self.seed {
            Some(s) if !s.is_empty() => s.clone(),
            _ => self.key.clone(),
        };
        PreparedExperiment {
            seed_state: fnv_feed(FNV_OFFSET, &seed),
            seed,
            hash_version: if self.hash_version == 0 {
                1
            } else {
                self.hash_version
            },
            variations: self.variations,
            namespace: self.namespace.clone(),
            ranges: bucket_ranges(
                self.variations,
                self.coverage.unwrap_or(1.0),
                self.weights.as_deref(),
            ),
        }
    }
}

impl PreparedExperiment {
    /// Buckets one user; see [`assign`].
    pub fn assign(&self, user_id: &str) -> Assignment {
        if self.variations < 2 || user_id.is_empty() {
            return Assignment::excluded();
        }
        if let Some(ns) = &self.namespace {
            if !in_namespace(user_id, ns) {
                return Assignment::excluded();
            }
        }
        let n = match self.hash_version {
            // Same as `hash(seed, id, 2)`, resuming from the seed's state.
            2 => f64::from(fnv1a32_decimal(fnv_feed(self.seed_state, user_id)) % 10_000) / 10_000.0,
            version => match hash(&self.seed, user_id, version) {
                Some(n) => n,
                None => return Assignment::excluded(),
            },
        };
        self.place(n)
    }

    /// The result for a user whose hash is `n`: the variation whose range
    /// holds `n`, or "not in" (getExperimentResult: an index outside the
    /// variations is "not in").
    #[inline]
    fn place(&self, n: f64) -> Assignment {
        let assigned = choose_variation(n, &self.ranges);
        match usize::try_from(assigned) {
            Ok(i) if i < self.variations => Assignment {
                in_experiment: true,
                variation_id: assigned,
                bucket: Some(n),
            },
            _ => Assignment::excluded(),
        }
    }

    /// Buckets many users, in order; the same results as [`Self::assign`]
    /// for each.
    ///
    /// For hash version 2 without a namespace, ASCII ids are hashed four at
    /// a time in lockstep: FNV-1a is a serial chain of multiplications per
    /// id, and four independent chains keep the multiplier busy.
    pub fn assign_many<'a, I>(&self, user_ids: I) -> Vec<Assignment>
    where
        I: IntoIterator<Item = &'a str>,
    {
        let ids: Vec<&str> = user_ids.into_iter().collect();
        if self.hash_version != 2 || self.namespace.is_some() || self.variations < 2 {
            return ids.iter().map(|id| self.assign(id)).collect();
        }
        let mut out = Vec::with_capacity(ids.len());
        let mut chunks = ids.chunks_exact(4);
        for chunk in &mut chunks {
            match chunk {
                &[a, b, c, d] if chunk.iter().all(|id| !id.is_empty() && id.is_ascii()) => {
                    let bytes = [a, b, c, d].map(str::as_bytes);
                    for state in fnv_feed_units_x4(self.seed_state, bytes) {
                        out.push(self.place(f64::from(fnv1a32_decimal(state) % 10_000) / 10_000.0));
                    }
                }
                _ => out.extend(chunk.iter().map(|id| self.assign(id))),
            }
        }
        out.extend(chunks.remainder().iter().map(|id| self.assign(id)));
        out
    }
}

/// What a caller needs to bucket users itself, bit for bit as [`PreparedExperiment::assign`]
/// does: the JS package's per-user hot path runs in JS with it, since a
/// call into wasm costs more than the hash.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// 1 or 2; anything else puts nobody in the experiment.
    pub hash_version: u32,
    /// The seed (the key when no seed was given).
    pub seed: String,
    /// FNV-1a state after the seed's UTF-16 units (hash v2 continues it).
    pub seed_state: u32,
    /// Number of variations (fewer than 2: nobody is in).
    pub variations: usize,
    /// `[start, end)` per variation.
    pub ranges: Vec<(f64, f64)>,
    /// Whether a namespace restricts the experiment (then use `assign`).
    pub namespaced: bool,
}

impl PreparedExperiment {
    /// See [`Plan`].
    pub fn plan(&self) -> Plan {
        Plan {
            hash_version: self.hash_version,
            seed: self.seed.clone(),
            seed_state: self.seed_state,
            variations: self.variations,
            ranges: self.ranges.clone(),
            namespaced: self.namespace.is_some(),
        }
    }
}

impl PreparedExperiment {
    /// [`Self::assign`] for an id given as its UTF-16 code units, the form a
    /// JS string has: the JS package writes ids straight into wasm memory
    /// this way, without encoding them to UTF-8. The same result as `assign`
    /// on the decoded id; a lone surrogate (which no `&str` can hold) is
    /// hashed as the SDK hashes it, by its code unit.
    pub fn assign_units(&self, id: &[u16]) -> Assignment {
        if self.variations < 2 || id.is_empty() {
            return Assignment::excluded();
        }
        if let Some(Namespace(ns, start, end)) = &self.namespace {
            // in_namespace: hash("__" + ns, id, 1) hashes id + "__" + ns.
            let h = fnv_feed(fnv_feed(fnv_feed_units(FNV_OFFSET, id), "__"), ns);
            let n = f64::from(h % 1_000) / 1_000.0;
            if !(n >= *start && n < *end) {
                return Assignment::excluded();
            }
        }
        let n = match self.hash_version {
            2 => {
                f64::from(fnv1a32_decimal(fnv_feed_units(self.seed_state, id)) % 10_000) / 10_000.0
            }
            1 => f64::from(fnv_feed(fnv_feed_units(FNV_OFFSET, id), &self.seed) % 1_000) / 1_000.0,
            _ => return Assignment::excluded(),
        };
        self.place(n)
    }

    /// Variation ids (-1: not in the experiment) of ids packed back to back
    /// as UTF-16 code units, `lengths[i]` units each; `None` when the
    /// lengths do not add up to `units.len()`. For hash version 2 without a
    /// namespace, four ids are hashed in lockstep (see [`Self::assign_many`]).
    pub fn variations_units(&self, units: &[u16], lengths: &[u32]) -> Option<Vec<i32>> {
        let mut ids = Vec::with_capacity(lengths.len());
        let mut rest = units;
        for &len in lengths {
            let (id, tail) = rest.split_at_checked(usize::try_from(len).ok()?)?;
            ids.push(id);
            rest = tail;
        }
        if !rest.is_empty() {
            return None;
        }
        let one = |id: &[u16]| {
            let a = self.assign_units(id);
            if a.in_experiment {
                a.variation_id
            } else {
                -1
            }
        };
        if self.hash_version != 2 || self.namespace.is_some() || self.variations < 2 {
            return Some(ids.into_iter().map(one).collect());
        }
        let mut out = Vec::with_capacity(ids.len());
        let mut chunks = ids.chunks_exact(4);
        for chunk in &mut chunks {
            match chunk {
                &[a, b, c, d]
                    if !(a.is_empty() || b.is_empty() || c.is_empty() || d.is_empty()) =>
                {
                    for state in fnv_feed_units_x4(self.seed_state, [a, b, c, d]) {
                        let n = f64::from(fnv1a32_decimal(state) % 10_000) / 10_000.0;
                        let v = choose_variation(n, &self.ranges);
                        out.push(if usize::try_from(v).is_ok_and(|i| i < self.variations) {
                            v
                        } else {
                            -1
                        });
                    }
                }
                _ => out.extend(chunk.iter().map(|id| one(id))),
            }
        }
        out.extend(chunks.remainder().iter().map(|id| one(id)));
        Some(out)
    }
}

/// [`fnv_feed`] over code units as they are: UTF-16 units (GrowthBook's
/// `hashFnv32a` reads `charCodeAt`, so this is its own input), or the bytes
/// of an ASCII string (each one unit of the same value).
#[inline]
fn fnv_feed_units<T: Copy + Into<u32>>(h: u32, units: &[T]) -> u32 {
    units
        .iter()
        .fold(h, |h, &u| (h ^ u.into()).wrapping_mul(FNV_PRIME))
}

/// [`fnv_feed_units`] of four ids from the same state, in lockstep over
/// their common length: FNV-1a is a serial chain of multiplications per id,
/// and four independent chains keep the multiplier busy.
#[inline]
fn fnv_feed_units_x4<T: Copy + Into<u32>>(start: u32, ids: [&[T]; 4]) -> [u32; 4] {
    let [u0, u1, u2, u3] = ids;
    let common = u0.len().min(u1.len()).min(u2.len()).min(u3.len());
    let (mut h0, mut h1, mut h2, mut h3) = (start, start, start, start);
    let (head0, tail0) = u0.split_at(common);
    let (head1, tail1) = u1.split_at(common);
    let (head2, tail2) = u2.split_at(common);
    let (head3, tail3) = u3.split_at(common);
    for (((&x0, &x1), &x2), &x3) in head0.iter().zip(head1).zip(head2).zip(head3) {
        h0 = (h0 ^ x0.into()).wrapping_mul(FNV_PRIME);
        h1 = (h1 ^ x1.into()).wrapping_mul(FNV_PRIME);
        h2 = (h2 ^ x2.into()).wrapping_mul(FNV_PRIME);
        h3 = (h3 ^ x3.into()).wrapping_mul(FNV_PRIME);
    }
    [
        fnv_feed_units(h0, tail0),
        fnv_feed_units(h1, tail1),
        fnv_feed_units(h2, tail2),
        fnv_feed_units(h3, tail3),
    ]
}

/// Buckets `user_id` as the SDK's `runExperiment` does for an active
/// experiment without overrides, filters, conditions or sticky buckets:
///
/// 1. fewer than 2 variations, or an empty id: not in the experiment;
/// 2. a namespace that does not hold the id ([`in_namespace`]): not in;
/// 3. `n = hash(seed || key, id, hashVersion || 1)`; unknown version: not in;
/// 4. `v = chooseVariation(n, getBucketRanges(variations, coverage ?? 1,
///    weights))`; `v < 0` (outside coverage): not in;
/// 5. otherwise in, with `variationId = v` and `bucket = n`.
///
/// Reference: GrowthBook `packages/sdk-js/src/core.ts`, `runExperiment`
/// and `getExperimentResult`.
pub fn assign(experiment: &Experiment, user_id: &str) -> Assignment {
    experiment.prepare().assign(user_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_hashing_differs_from_utf8_for_non_ascii() {
        // "é" is one UTF-16 unit (0xE9) but two UTF-8 bytes: hashing the
        // UTF-16 unit must equal hashing the Latin-1 byte 0xE9.
        let mut h = FNV_OFFSET;
        h ^= 0xE9;
        h = h.wrapping_mul(FNV_PRIME);
        assert_eq!(fnv1a32_concat("é", ""), h);
        // An emoji is a surrogate pair: two units.
        let mut h = FNV_OFFSET;
        for unit in [0xD83Du32, 0xDE00] {
            h ^= unit;
            h = h.wrapping_mul(FNV_PRIME);
        }
        assert_eq!(fnv1a32_concat("😀", ""), h);
    }

    #[test]
    fn decimal_hash_matches_string_hash() {
        for n in [
            0u32,
            7,
            9,
            10,
            99,
            100,
            999,
            1_000_000,
            999_999_999,
            1_000_000_000,
            u32::MAX,
        ] {
            assert_eq!(fnv1a32_decimal(n), fnv1a32_concat(&n.to_string(), ""));
        }
    }

    #[test]
    fn unknown_hash_version_is_none_and_not_in_experiment() {
        assert_eq!(hash("s", "u", 3), None);
        let exp = Experiment {
            key: "k".into(),
            seed: None,
            hash_version: 3,
            variations: 2,
            weights: None,
            coverage: None,
            namespace: None,
        };
        assert_eq!(assign(&exp, "u"), Assignment::excluded());
    }

    #[test]
    fn empty_id_and_single_variation_are_excluded() {
        let mut exp = Experiment {
            key: "k".into(),
            seed: None,
            hash_version: 1,
            variations: 2,
            weights: None,
            coverage: None,
            namespace: None,
        };
        assert_eq!(assign(&exp, ""), Assignment::excluded());
        exp.variations = 1;
        assert_eq!(assign(&exp, "u"), Assignment::excluded());
    }

    #[test]
    fn assignment_json_matches_the_sdk_shape() {
        let inside = Assignment {
            in_experiment: true,
            variation_id: 1,
            bucket: Some(0.25),
        };
        let json = serde_json::to_string(&inside).expect("json");
        assert_eq!(
            json,
            r#"{"inExperiment":true,"variationId":1,"bucket":0.25}"#
        );
        let json = serde_json::to_string(&Assignment::excluded()).expect("json");
        assert_eq!(json, r#"{"inExperiment":false,"variationId":0}"#);
        let exp: Experiment =
            serde_json::from_str(r#"{"key":"k","variations":2,"namespace":["ns",0,0.5]}"#)
                .expect("experiment");
        assert_eq!(exp.hash_version, 1);
        assert_eq!(exp.namespace, Some(Namespace("ns".into(), 0.0, 0.5)));
    }

    #[test]
    fn assign_many_matches_assign_for_mixed_ids() {
        let ids: Vec<String> = (0..403)
            .map(|i| match i % 7 {
                0 => String::new(),
                1 => format!("ü-{i}"),
                2 => format!("{i}🚀"),
                _ => "x".repeat(i % 23 + 1) + &i.to_string(),
            })
            .collect();
        for hash_version in [1, 2] {
            for namespace in [None, Some(Namespace("ns".into(), 0.0, 0.6))] {
                let exp = Experiment {
                    key: "k".into(),
                    seed: Some("seed".into()),
                    hash_version,
                    variations: 3,
                    weights: Some(vec![0.5, 0.25, 0.25]),
                    coverage: Some(0.9),
                    namespace,
                };
                let prepared = exp.prepare();
                let many = prepared.assign_many(ids.iter().map(String::as_str));
                let one: Vec<Assignment> = ids.iter().map(|id| assign(&exp, id)).collect();
                assert_eq!(many, one);
            }
        }
    }

    #[test]
    fn ids_as_utf16_units_bucket_as_the_decoded_ids() {
        // The JS package's batch path: ids packed as UTF-16 units.
        let ids: Vec<String> = (0..403)
            .map(|i| match i % 7 {
                0 => String::new(),
                1 => format!("ü-{i}"),
                2 => format!("{i}🚀"),
                _ => "x".repeat(i % 23 + 1) + &i.to_string(),
            })
            .collect();
        let units: Vec<u16> = ids.iter().flat_map(|id| id.encode_utf16()).collect();
        let lengths: Vec<u32> = ids
            .iter()
            .map(|id| id.encode_utf16().count() as u32)
            .collect();
        for hash_version in [1, 2, 3] {
            for namespace in [None, Some(Namespace("ns".into(), 0.0, 0.6))] {
                let exp = Experiment {
                    key: "k".into(),
                    seed: Some("seed".into()),
                    hash_version,
                    variations: 3,
                    weights: Some(vec![0.5, 0.25, 0.25]),
                    coverage: Some(0.9),
                    namespace,
                };
                let prepared = exp.prepare();
                let want: Vec<i32> = ids
                    .iter()
                    .map(|id| match assign(&exp, id) {
                        a if a.in_experiment => a.variation_id,
                        _ => -1,
                    })
                    .collect();
                assert_eq!(prepared.variations_units(&units, &lengths), Some(want));
                for id in &ids {
                    let u: Vec<u16> = id.encode_utf16().collect();
                    assert_eq!(prepared.assign_units(&u), assign(&exp, id), "{id}");
                }
            }
        }
    }

    #[test]
    fn packed_units_with_wrong_lengths_are_refused() {
        let prepared = Experiment {
            key: "k".into(),
            seed: None,
            hash_version: 2,
            variations: 2,
            weights: None,
            coverage: None,
            namespace: None,
        }
        .prepare();
        let units: Vec<u16> = "abcd".encode_utf16().collect();
        assert_eq!(prepared.variations_units(&units, &[2, 1]), None);
        assert_eq!(prepared.variations_units(&units, &[2, 3]), None);
        assert!(prepared.variations_units(&units, &[2, 2]).is_some());
    }

    #[test]
    fn a_lone_surrogate_is_hashed_by_its_code_unit_as_the_sdk_does() {
        // The SDK's hash("s", "\ud800", 2) reads the units 's', 0xD800.
        let mut h = FNV_OFFSET;
        for unit in [u32::from(b's'), 0xD800u32] {
            h = (h ^ unit).wrapping_mul(FNV_PRIME);
        }
        let prepared = Experiment {
            key: "s".into(),
            seed: None,
            hash_version: 2,
            variations: 2,
            weights: None,
            coverage: None,
            namespace: None,
        }
        .prepare();
        let want = f64::from(fnv1a32_decimal(h) % 10_000) / 10_000.0;
        assert_eq!(prepared.assign_units(&[0xD800]).bucket, Some(want));
    }

    #[test]
    fn nan_coverage_excludes_everyone_without_panicking() {
        let ranges = bucket_ranges(2, f64::NAN, None);
        assert_eq!(choose_variation(0.3, &ranges), -1);
    }
}
