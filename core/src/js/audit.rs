//! The audit log's Merkle API for JS: `Brain#auditRoot`, `#auditProof`,
//! `#consistencyProof`, `#checkAuditRoot`, and the free verifiers
//! `verifyInclusion`, `verifyConsistency`, `verifyAuditExport`, which need
//! nothing but hashes (a witness that kept a root needs no engine state).
//!
//! Verifiers return normally when the proof holds and throw an `Error`
//! whose `code` says why not (`merkle_root_mismatch`, `audit_truncated`,
//! `audit_rewritten`, `audit_altered`, ...), as `Brain#verifyAudit` does.

use wasm_bindgen::prelude::*;

use super::brain::JsBrain;
use super::convert::{
    array, count, first_non_string, is_missing, js_error, to_js_json as to_js, to_json, wrong,
    JsResult,
};
use crate::audit::{self, TreeHead};

fn audit_error(e: audit::Error) -> JsValue {
    js_error(e.code(), &e.to_string())
}

/// The most hashes a proof can need: two per level of a 2^64-leaf tree.
const MAX_PROOF: u32 = 130;

/// A proof's hashes: an array of strings (each checked as hex later).
fn proof_hashes(v: &JsValue, what: &str) -> JsResult<Vec<String>> {
    let a = array(v, what)?;
    if a.length() > MAX_PROOF {
        return Err(super::convert::invalid(&format!(
            "{what} has {} hashes; a proof has at most {MAX_PROOF}",
            a.length()
        )));
    }
    let bad = first_non_string(a);
    if bad >= 0 {
        let i = u32::try_from(bad).unwrap_or(0);
        return Err(wrong(&format!("{what}[{i}]"), "a string", &a.get(i)));
    }
    Ok(a.iter().filter_map(|h| h.as_string()).collect())
}

/// A tree head `{ size, root }`.
fn tree_head(v: &JsValue, what: &str) -> JsResult<TreeHead> {
    serde_json::from_value(to_json(v, what)?).map_err(|e| {
        js_error(
            "invalid_json",
            &format!("{what} must be {{ size, root }}: {e}"),
        )
    })
}

/// A hash given as hex text, or as a tree head's `root`.
fn root_text(v: &JsValue, what: &str) -> JsResult<String> {
    v.as_string().ok_or_else(|| wrong(what, "a hex string", v))
}

#[wasm_bindgen(js_class = Brain)]
impl JsBrain {
    /// The audit log's tree head `{ size, root }` (root in hex): the log's
    /// identity, to copy and publish.
    #[wasm_bindgen(js_name = auditRoot, unchecked_return_type = "AuditRoot")]
    pub fn audit_root(&self) -> JsResult<JsValue> {
        to_js(&self.inner.audit_root())
    }

    /// The inclusion proof of audit entry `index` in the current log.
    #[wasm_bindgen(js_name = auditProof, unchecked_return_type = "AuditInclusionProof")]
    pub fn audit_proof(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] index: JsValue,
    ) -> JsResult<JsValue> {
        let index = count(&index, "index")?;
        let proof = self
            .inner
            .prove_entry(index)
            .map_err(|e| js_error(e.code(), &e.to_string()))?;
        to_js(&proof)
    }

    /// The consistency proof from the log's first `oldSize` entries to the
    /// current log.
    #[wasm_bindgen(js_name = consistencyProof, unchecked_return_type = "AuditConsistencyProof")]
    pub fn consistency_proof(
        &self,
        #[wasm_bindgen(js_name = oldSize, unchecked_param_type = "number")] old_size: JsValue,
    ) -> JsResult<JsValue> {
        let old_size = count(&old_size, "oldSize")?;
        let proof = self
            .inner
            .consistency_proof(old_size)
            .map_err(|e| js_error(e.code(), &e.to_string()))?;
        to_js(&proof)
    }

    /// Checks that the live log extends a root kept or published earlier;
    /// throws `audit_truncated` or `audit_rewritten` when it does not.
    #[wasm_bindgen(js_name = checkAuditRoot)]
    pub fn check_audit_root(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AuditRoot")] root: JsValue,
    ) -> JsResult<()> {
        let head = tree_head(&root, "root")?;
        self.inner
            .check_audit_root(&head)
            .map_err(|e| js_error(e.code(), &e.to_string()))
    }
}

/// Checks that a leaf is entry `index` of the log of `size` entries whose
/// root is `root`. `leaf` is the entry's leaf hash (hex), or the entry
/// itself, whose leaf hash is then recomputed from its content (its stated
/// `hash` is not trusted). Throws when the proof does not hold.
#[wasm_bindgen(js_name = verifyInclusion)]
pub fn verify_inclusion(
    #[wasm_bindgen(unchecked_param_type = "string | AuditEntry")] leaf: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] index: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] size: JsValue,
    #[wasm_bindgen(unchecked_param_type = "readonly string[]")] proof: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] root: JsValue,
) -> JsResult<()> {
    let leaf_hash = match leaf.as_string() {
        Some(hex) => hex,
        None => {
            let entry: audit::Entry =
                serde_json::from_value(to_json(&leaf, "leaf")?).map_err(|e| {
                    js_error(
                        "invalid_json",
                        &format!("leaf must be a leaf hash (hex) or an audit entry: {e}"),
                    )
                })?;
            audit::entry_hash(&entry)
        }
    };
    let index = count(&index, "index")?;
    let head = TreeHead {
        size: count(&size, "size")?,
        root: root_text(&root, "root")?,
    };
    let path = proof_hashes(&proof, "proof")?;
    audit::verify_inclusion(&leaf_hash, index, &path, &head).map_err(audit_error)
}

/// Checks that the log whose head is `newRoot` extends the log whose head
/// is `oldRoot`: `verifyConsistency(oldRoot, newRoot, proof)` with heads
/// `{ size, root }`, or `verifyConsistency(oldSize, newSize, oldRoot,
/// newRoot, proof)` with hex roots. Throws when the proof does not hold.
#[wasm_bindgen(js_name = verifyConsistency)]
pub fn verify_consistency(
    #[wasm_bindgen(unchecked_param_type = "AuditRoot | number")] a: JsValue,
    #[wasm_bindgen(unchecked_param_type = "AuditRoot | number")] b: JsValue,
    #[wasm_bindgen(unchecked_param_type = "readonly string[] | string")] c: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | undefined")] d: JsValue,
    #[wasm_bindgen(unchecked_param_type = "readonly string[] | undefined")] e: JsValue,
) -> JsResult<()> {
    let (old, new, proof) = if a.is_object() {
        (
            tree_head(&a, "oldRoot")?,
            tree_head(&b, "newRoot")?,
            proof_hashes(&c, "proof")?,
        )
    } else {
        let old = TreeHead {
            size: count(&a, "oldSize")?,
            root: root_text(&c, "oldRoot")?,
        };
        let new = TreeHead {
            size: count(&b, "newSize")?,
            root: root_text(&d, "newRoot")?,
        };
        (old, new, proof_hashes(&e, "proof")?)
    };
    audit::verify_consistency(&old, &new, &proof).map_err(audit_error)
}

/// Verifies a filtered export (`JSON.stringify(brain.auditExportFiltered(q))`):
/// every entry re-hashed and proven under the export's head, which must be
/// `root` when given. Returns how many entries were checked; throws
/// `audit_altered` / `audit_rewritten` / `audit_malformed`.
#[wasm_bindgen(js_name = verifyAuditFilteredExport)]
pub fn verify_audit_filtered_export(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    #[wasm_bindgen(unchecked_param_type = "AuditRoot | undefined")] root: JsValue,
) -> JsResult<u32> {
    let text = text
        .as_string()
        .ok_or_else(|| wrong("text", "a string (the filtered export as JSON)", &text))?;
    let head = if is_missing(&root) {
        None
    } else {
        Some(tree_head(&root, "root")?)
    };
    let n = crate::audit_filtered::verify(&text, head.as_ref()).map_err(audit_error)?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// A named promotion preset (`"default"`, `"performance_score"`: 0.87
/// promotes, 0.62 demotes), as the `promotion` part of a policy:
/// `new Brain({ promotion: promotionPreset("performance_score") })`.
#[wasm_bindgen(js_name = promotionPreset, unchecked_return_type = "PromotionPolicy")]
pub fn promotion_preset(
    #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
) -> JsResult<JsValue> {
    let text = name
        .as_string()
        .ok_or_else(|| wrong("name", "a preset name", &name))?;
    let policy = crate::promotion::Policy::preset(&text).ok_or_else(|| {
        wrong(
            "name",
            &format!("one of {}", crate::promotion::PRESETS.join(", ")),
            &name,
        )
    })?;
    to_js(&policy.to_full_value())
}

/// Verifies an exported audit log (`Brain#auditExport`): canonical form,
/// every entry re-hashed, the tree rebuilt; with `root` (a head kept or
/// published earlier), the export must extend it (a truncated or rewritten
/// export throws `audit_truncated` / `audit_rewritten`). Returns the
/// export's own head.
#[wasm_bindgen(js_name = verifyAuditExport, unchecked_return_type = "AuditRoot")]
pub fn verify_audit_export(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    #[wasm_bindgen(unchecked_param_type = "AuditRoot | undefined")] root: JsValue,
) -> JsResult<JsValue> {
    let text = text
        .as_string()
        .ok_or_else(|| wrong("text", "a string (the exported audit log)", &text))?;
    let head = if is_missing(&root) {
        None
    } else {
        Some(tree_head(&root, "root")?)
    };
    let verified = audit::verify_export(&text, head.as_ref()).map_err(audit_error)?;
    to_js(&verified)
}
